#pragma once

#include <cstddef>
#include <cstdint>
#include <optional>
#include <span>
#include <string_view>
#include <vector>

#include "vision/face_types.h"

namespace examguard::vision {

// ---- Active liveness challenge: blinks and head turns from landmarks --------------------
// A state machine fed one frame at a time with the frame's timestamp. It never reads a clock:
// the caller passes capture times (a camera's timestamps, or a recorded sequence's), so the
// same frames always give the same outcome.

enum class ChallengeStep { Blink, TurnLeft, TurnRight };

// Stable identifiers ("blink", "turn_left", "turn_right"); front ends translate each into the
// prompt shown to the candidate (docs/proctor-guide.md, "Check-in").
std::string_view toString(ChallengeStep step);

// Blink, TurnLeft and TurnRight in an order drawn from `seed`: the caller supplies the
// randomness (e.g. std::random_device at check-in), so a recorded answer to one order does not
// fit the next check-in, and tests are reproducible.
std::vector<ChallengeStep> randomChallengeSteps(std::uint64_t seed);

// What the challenge uses of one frame.
struct FrameCues {
    std::int64_t timestampMs = 0;
    bool faceFound = false;
    double eyeAspectRatio = 0.0;  // eyeAspectRatio() of face_geometry.h
    double yawDeg = 0.0;          // headPose().yawDeg: > 0 nose towards the image's right
};

// Cues of a frame with a face (eye aspect ratio and yaw from its 68 landmarks).
FrameCues frameCues(std::int64_t timestampMs, const FaceLandmarks& landmarks);
// Cues of a frame in which no face was found.
FrameCues noFaceCues(std::int64_t timestampMs);

struct ChallengeOptions {
    // Blinks are judged against the candidate's own open-eye level (the median eye aspect ratio
    // of their last earBaselineFrames frames), not a fixed EAR: open eyes measure 0.19-0.45 on
    // ../shared/data/faces, and 4 of 43 East Asian photos are below 0.22, so a fixed "open"
    // level would keep some candidates from ever completing a blink.
    double eyesClosedRatio = 0.6;  // EAR at or below this x baseline: eyes closed
    double eyesOpenRatio = 0.8;    // EAR at or above this x baseline: eyes open
    std::size_t earBaselineFrames = 15;
    double minOpenEar = 0.12;     // a baseline below this is not open eyes; no blink can start
    double turnYawDeg = 20.0;     // |yaw| to reach for a turn
    double frontalYawDeg = 10.0;  // |yaw| counting as facing the camera again between turns
    std::int64_t stepTimeoutMs = 5000;  // per step, from the start or the previous step
    std::int64_t faceLostMs = 2000;     // no face for this long ends the challenge
    // TurnLeft is the candidate's left, which a non-mirrored camera shows as the nose moving
    // towards the image's right (positive yaw). Set false for a mirrored camera image.
    bool candidateLeftIsPositiveYaw = true;
};

enum class ChallengeState {
    Running,   // waiting for currentStep()
    Passed,    // every step done in order
    TimedOut,  // a step was not completed within stepTimeoutMs
    FaceLost,  // no face for faceLostMs
};

std::string_view toString(ChallengeState state);

// Rules: steps count only in the order given; a blink needs eyes open -> closed -> open
// relative to the candidate's own open-eye level (two face frames are needed first); a turn
// must reach turnYawDeg, and a turn that follows a turn must pass through frontal first (one
// long look to the side cannot satisfy two steps). A still photo (no eye or head movement)
// therefore never passes; nor does tilting a printed photo, whose flat face keeps the nose on
// the eye midline, so its yaw stays near zero.
class ActiveChallenge {
public:
    explicit ActiveChallenge(std::vector<ChallengeStep> steps, ChallengeOptions options = {});

    // Feeds one frame; returns the state after it. Frames whose timestamp is earlier than the
    // previous frame's are ignored; frames after the challenge ended change nothing.
    ChallengeState update(const FrameCues& frame);
    ChallengeState update(std::int64_t timestampMs, const FaceLandmarks& landmarks) {
        return update(frameCues(timestampMs, landmarks));
    }
    ChallengeState updateNoFace(std::int64_t timestampMs) {
        return update(noFaceCues(timestampMs));
    }

    ChallengeState state() const { return m_state; }
    // The step to prompt for now; empty once the challenge has ended.
    std::optional<ChallengeStep> currentStep() const;
    std::size_t stepsCompleted() const { return m_done; }
    const std::vector<ChallengeStep>& steps() const { return m_steps; }
    // Time left for the current step at `nowMs` (for a countdown), 0 once ended.
    std::int64_t remainingMs(std::int64_t nowMs) const;
    // Timestamp of the frame that ended the challenge (passed or failed); 0 while running.
    std::int64_t endedAtMs() const { return m_endedAtMs; }

private:
    void finish(ChallengeState state, std::int64_t atMs);

    std::vector<ChallengeStep> m_steps;
    ChallengeOptions m_options;
    ChallengeState m_state = ChallengeState::Running;
    std::size_t m_done = 0;
    bool m_started = false;
    std::int64_t m_lastMs = 0;
    std::int64_t m_stepStartMs = 0;
    std::int64_t m_lastFaceMs = 0;
    std::int64_t m_endedAtMs = 0;
    bool m_eyesWereOpen = false;
    bool m_eyesClosed = false;
    std::vector<double> m_recentEar;  // ring of the last earBaselineFrames EAR values
    std::size_t m_recentNext = 0;
    bool m_frontalSinceLastTurn = true;
};

struct ChallengeResult {
    ChallengeState state = ChallengeState::Running;  // Running: the frames ran out first
    std::size_t stepsCompleted = 0;
    std::int64_t endedAtMs = 0;
};

// Runs a recorded sequence through ActiveChallenge.
ChallengeResult evaluateChallenge(std::span<const FrameCues> frames,
                                  std::span<const ChallengeStep> steps,
                                  const ChallengeOptions& options = {});

}  // namespace examguard::vision
