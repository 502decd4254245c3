#include "vision/active_challenge.h"

#include <algorithm>
#include <cmath>
#include <random>

#include "vision/face_geometry.h"

namespace examguard::vision {

std::string_view toString(ChallengeStep step) {
    switch (step) {
        case ChallengeStep::Blink:
            return "blink";
        case ChallengeStep::TurnLeft:
            return "turn_left";
        case ChallengeStep::TurnRight:
            return "turn_right";
    }
    return "unknown";
}

std::string_view toString(ChallengeState state) {
    switch (state) {
        case ChallengeState::Running:
            return "running";
        case ChallengeState::Passed:
            return "passed";
        case ChallengeState::TimedOut:
            return "timed_out";
        case ChallengeState::FaceLost:
            return "face_lost";
    }
    return "unknown";
}

std::vector<ChallengeStep> randomChallengeSteps(std::uint64_t seed) {
    std::vector<ChallengeStep> steps{ChallengeStep::Blink, ChallengeStep::TurnLeft,
                                     ChallengeStep::TurnRight};
    std::mt19937_64 rng(seed);
    // Fisher-Yates with explicit draws: std::shuffle's use of the generator is
    // implementation-defined, this order is the same on every standard library.
    for (std::size_t i = steps.size() - 1; i > 0; --i) {
        const auto j = static_cast<std::size_t>(rng() % (i + 1));
        std::swap(steps[i], steps[j]);
    }
    return steps;
}

FrameCues frameCues(std::int64_t timestampMs, const FaceLandmarks& landmarks) {
    FrameCues c;
    c.timestampMs = timestampMs;
    c.faceFound = true;
    c.eyeAspectRatio = eyeAspectRatio(landmarks);
    c.yawDeg = headPose(landmarks).yawDeg;
    return c;
}

FrameCues noFaceCues(std::int64_t timestampMs) {
    FrameCues c;
    c.timestampMs = timestampMs;
    return c;
}

ActiveChallenge::ActiveChallenge(std::vector<ChallengeStep> steps, ChallengeOptions options)
    : m_steps(std::move(steps)), m_options(options) {}

std::optional<ChallengeStep> ActiveChallenge::currentStep() const {
    if (m_state != ChallengeState::Running || m_done >= m_steps.size()) {
        return std::nullopt;
    }
    return m_steps[m_done];
}

std::int64_t ActiveChallenge::remainingMs(std::int64_t nowMs) const {
    if (m_state != ChallengeState::Running) {
        return 0;
    }
    if (!m_started) {
        return m_options.stepTimeoutMs;
    }
    return std::clamp<std::int64_t>(m_stepStartMs + m_options.stepTimeoutMs - nowMs, 0,
                                    m_options.stepTimeoutMs);
}

void ActiveChallenge::finish(ChallengeState state, std::int64_t atMs) {
    m_state = state;
    m_endedAtMs = atMs;
}

ChallengeState ActiveChallenge::update(const FrameCues& f) {
    if (m_state != ChallengeState::Running) {
        return m_state;
    }
    if (m_steps.empty()) {
        finish(ChallengeState::Passed, f.timestampMs);
        return m_state;
    }
    if (!m_started) {
        m_started = true;
        m_stepStartMs = m_lastMs = m_lastFaceMs = f.timestampMs;
    }
    if (f.timestampMs < m_lastMs) {
        return m_state;  // out of order: ignored
    }
    m_lastMs = f.timestampMs;
    if (!f.faceFound) {
        if (f.timestampMs - m_lastFaceMs > m_options.faceLostMs) {
            finish(ChallengeState::FaceLost, f.timestampMs);
        } else if (f.timestampMs - m_stepStartMs > m_options.stepTimeoutMs) {
            finish(ChallengeState::TimedOut, f.timestampMs);
        }
        return m_state;
    }
    m_lastFaceMs = f.timestampMs;

    if (std::abs(f.yawDeg) <= m_options.frontalYawDeg) {
        m_frontalSinceLastTurn = true;
    }
    // The candidate's open-eye level before this frame: median of the recent frames.
    double baseline = 0.0;
    if (m_recentEar.size() >= 2) {
        std::vector<double> sorted = m_recentEar;
        std::nth_element(sorted.begin(),
                         sorted.begin() + static_cast<std::ptrdiff_t>(sorted.size() / 2),
                         sorted.end());
        baseline = sorted[sorted.size() / 2];
    }
    if (m_recentEar.size() < std::max<std::size_t>(m_options.earBaselineFrames, 2)) {
        m_recentEar.push_back(f.eyeAspectRatio);
    } else {
        m_recentEar[m_recentNext] = f.eyeAspectRatio;
        m_recentNext = (m_recentNext + 1) % m_recentEar.size();
    }

    bool done = false;
    const ChallengeStep step = m_steps[m_done];
    switch (step) {
        case ChallengeStep::Blink:
            if (baseline < m_options.minOpenEar) {
                break;
            }
            if (f.eyeAspectRatio >= m_options.eyesOpenRatio * baseline) {
                done = m_eyesWereOpen && m_eyesClosed;
                m_eyesWereOpen = true;
            } else if (f.eyeAspectRatio <= m_options.eyesClosedRatio * baseline && m_eyesWereOpen) {
                m_eyesClosed = true;
            }
            break;
        case ChallengeStep::TurnLeft:
        case ChallengeStep::TurnRight: {
            const bool left = step == ChallengeStep::TurnLeft;
            const double sign = (left == m_options.candidateLeftIsPositiveYaw) ? 1.0 : -1.0;
            done = m_frontalSinceLastTurn && sign * f.yawDeg >= m_options.turnYawDeg;
            if (done) {
                m_frontalSinceLastTurn = false;
            }
            break;
        }
    }
    if (done) {
        ++m_done;
        m_stepStartMs = f.timestampMs;
        m_eyesWereOpen = false;
        m_eyesClosed = false;
        if (m_done == m_steps.size()) {
            finish(ChallengeState::Passed, f.timestampMs);
        }
    } else if (f.timestampMs - m_stepStartMs > m_options.stepTimeoutMs) {
        finish(ChallengeState::TimedOut, f.timestampMs);
    }
    return m_state;
}

ChallengeResult evaluateChallenge(std::span<const FrameCues> frames,
                                  std::span<const ChallengeStep> steps,
                                  const ChallengeOptions& options) {
    ActiveChallenge challenge(std::vector<ChallengeStep>(steps.begin(), steps.end()), options);
    for (const FrameCues& f : frames) {
        if (challenge.update(f) != ChallengeState::Running) {
            break;
        }
    }
    return {challenge.state(), challenge.stepsCompleted(), challenge.endedAtMs()};
}

}  // namespace examguard::vision
