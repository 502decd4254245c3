#pragma once

// Labelled camera tampers injected into real decoded footage (../shared/data/video), shared by
// the tamper tests and the precision/recall program (tests/bench/vision/tamper_eval.cpp).
// The clip is decoded once, decimated to the analysis rate and downscaled to analysis size;
// every trial then injects one tamper with a seeded random onset, length and strength.
#include <algorithm>
#include <array>
#include <cmath>
#include <cstdint>
#include <cstdio>
#include <map>
#include <numbers>
#include <optional>
#include <random>
#include <stdexcept>
#include <string>
#include <vector>

#include <opencv2/imgproc.hpp>
#include <opencv2/videoio.hpp>

#include "vision/scene_tamper.h"

namespace examguard::vision::test {

inline std::string sceneClipPath() {
    return std::string(EXAMGUARD_SHARED_DATA) + "/video/one-by-one-person-detection.mp4";
}

struct TimedFrame {
    double timeS;
    cv::Mat frame;  // BGR, analysis size
};

// Decodes `path`, keeping the frames a TamperAnalyzer with `config` would analyse, at analysis
// size. Throws when the clip cannot be read (a test fixture, not product code).
inline std::vector<TimedFrame> decodeDecimated(const std::string& path,
                                               const scene::TamperConfig& config) {
    cv::VideoCapture capture(path, cv::CAP_FFMPEG);
    if (!capture.isOpened()) {
        throw std::runtime_error("cannot open " + path);
    }
    const double fps = capture.get(cv::CAP_PROP_FPS) > 0 ? capture.get(cv::CAP_PROP_FPS) : 10.0;
    std::vector<TimedFrame> out;
    std::optional<double> nextDue;  // the analyser's slots (TamperAnalyzer::wantsFrame)
    cv::Mat frame;
    for (std::int64_t index = 0; capture.read(frame); ++index) {
        const double t = static_cast<double>(index) / fps;
        if (nextDue && t < *nextDue - 1e-6) {
            continue;
        }
        nextDue = (nextDue ? *nextDue : t) + 1.0 / config.analysisFps;
        out.push_back({t, scene::toAnalysisSize(frame, config)});
    }
    return out;
}

enum class Injection {
    CoverFull,
    CoverHalf,
    Blur,
    Shift,
    Rotate,
    Freeze,
    Black,
    Dark,
    Bright,
    ColourCast,
};
inline constexpr std::array kAllInjections = {
    Injection::CoverFull, Injection::CoverHalf, Injection::Blur,  Injection::Shift,
    Injection::Rotate,    Injection::Freeze,    Injection::Black, Injection::Dark,
    Injection::Bright,    Injection::ColourCast};

inline const char* injectionName(Injection i) {
    switch (i) {
        case Injection::CoverFull:
            return "cover_full";
        case Injection::CoverHalf:
            return "cover_half";
        case Injection::Blur:
            return "blur";
        case Injection::Shift:
            return "shift";
        case Injection::Rotate:
            return "rotate";
        case Injection::Freeze:
            return "freeze";
        case Injection::Black:
            return "black_frames";
        case Injection::Dark:
            return "dark";
        case Injection::Bright:
            return "bright";
        case Injection::ColourCast:
            return "colour_cast";
    }
    return "?";
}

// The event kind each injection must raise.
inline scene::TamperKind expectedKind(Injection i) {
    using scene::TamperKind;
    switch (i) {
        case Injection::CoverFull:
        case Injection::CoverHalf:
            return TamperKind::Covered;
        case Injection::Blur:
            return TamperKind::Defocused;
        case Injection::Shift:
        case Injection::Rotate:
            return TamperKind::Moved;
        case Injection::Freeze:
            return TamperKind::Frozen;
        case Injection::Black:
        case Injection::Dark:
            return TamperKind::TooDark;
        case Injection::Bright:
            return TamperKind::TooBright;
        case Injection::ColourCast:
            return TamperKind::ColourCast;
    }
    return TamperKind::Covered;
}

// One injected tamper: what, when (seconds of the trial) and how strong, all drawn from a seed.
struct InjectionPlan {
    Injection what;
    double onsetS = 0;
    double endS = 0;
    double strength = 0;  // 0..1 within the kind's plausible range
    int side = 0;         // cover_half: 0 left, 1 right, 2 top, 3 bottom; shift: direction
    cv::Scalar colour;    // cover colour (BGR)
    std::uint32_t seed = 0;
    std::string describe() const {
        return std::string(injectionName(what)) + " seed " + std::to_string(seed) + " onset " +
               std::to_string(onsetS) + " end " + std::to_string(endS) + " strength " +
               std::to_string(strength);
    }
};

inline InjectionPlan drawPlan(Injection what, std::uint32_t seed, double trialS) {
    std::mt19937 rng(seed);
    auto uniform = [&](double a, double b) { return std::uniform_real_distribution(a, b)(rng); };
    InjectionPlan p;
    p.what = what;
    p.seed = seed;
    p.onsetS = uniform(0.3 * trialS, 0.5 * trialS);
    p.endS = p.onsetS + uniform(5.0, 0.35 * trialS);
    p.strength = uniform(0.0, 1.0);
    p.side = std::uniform_int_distribution(0, 3)(rng);
    // Covers are what hands, paper, cloth and tape look like close to a lens: out of focus,
    // of any colour between dim and light (a black cap is `black_frames`).
    const double level = uniform(55.0, 200.0);
    p.colour =
        cv::Scalar(level * uniform(0.8, 1.2), level * uniform(0.8, 1.2), level * uniform(0.8, 1.2));
    return p;
}

// Applies the plan to the frame at `timeS` (frames outside the plan's interval are returned
// unchanged). `frozen` is the frame at onset (for Freeze); `noise` draws per-frame sensor noise.
inline cv::Mat inject(const InjectionPlan& p, const cv::Mat& frame, double timeS,
                      const cv::Mat& frozen, std::mt19937& noise) {
    if (timeS < p.onsetS || timeS >= p.endS) {
        return frame;
    }
    const double s = p.strength;
    const cv::Size size = frame.size();
    cv::Mat out;
    auto addNoise = [&](cv::Mat& m, double sigma) {
        cv::Mat n(m.size(), CV_16SC3);
        cv::theRNG().state = noise();
        cv::randn(n, cv::Scalar::all(0), cv::Scalar::all(sigma));
        cv::Mat m16;
        m.convertTo(m16, CV_16SC3);
        m16 += n;
        m16.convertTo(m, CV_8UC3);
    };
    switch (p.what) {
        case Injection::CoverFull:
        case Injection::CoverHalf: {
            // A soft-edged, unevenly lit patch with sensor noise.
            cv::Mat patch(size, CV_8UC3, p.colour);
            cv::Mat ramp(size, CV_32F);
            for (int y = 0; y < size.height; ++y) {
                for (int x = 0; x < size.width; ++x) {
                    ramp.at<float>(y, x) = static_cast<float>(
                        0.85 + 0.3 * (x + y) / static_cast<double>(size.width + size.height));
                }
            }
            cv::Mat patchF;
            patch.convertTo(patchF, CV_32FC3);
            cv::Mat ramp3;
            cv::merge(std::vector<cv::Mat>{ramp, ramp, ramp}, ramp3);
            patchF = patchF.mul(ramp3);
            patchF.convertTo(patch, CV_8UC3);
            addNoise(patch, 2.0);
            cv::Mat mask(size, CV_32F, cv::Scalar(p.what == Injection::CoverFull ? 1.0 : 0.0));
            if (p.what == Injection::CoverHalf) {
                const double share = 0.5 + 0.1 * s;  // half, a little more at most
                const int w = static_cast<int>(size.width * share);
                const int h = static_cast<int>(size.height * share);
                const cv::Rect r = p.side == 0   ? cv::Rect(0, 0, w, size.height)
                                   : p.side == 1 ? cv::Rect(size.width - w, 0, w, size.height)
                                   : p.side == 2 ? cv::Rect(0, 0, size.width, h)
                                                 : cv::Rect(0, size.height - h, size.width, h);
                mask(r).setTo(1.0);
                cv::GaussianBlur(mask, mask, cv::Size(0, 0), 4.0);
            }
            cv::Mat mask3, frameF, result;
            cv::merge(std::vector<cv::Mat>{mask, mask, mask}, mask3);
            frame.convertTo(frameF, CV_32FC3);
            patch.convertTo(patchF, CV_32FC3);
            result = frameF.mul(cv::Scalar::all(1.0) - mask3) + patchF.mul(mask3);
            result.convertTo(out, CV_8UC3);
            return out;
        }
        case Injection::Blur:
            // sigma 2..5 px at 320 px wide (5..12 px on a 768 px frame)
            cv::GaussianBlur(frame, out, cv::Size(0, 0), 2.0 + 3.0 * s);
            return out;
        // Shift and rotate: what enters at the edges is the scene mirrored, so it has the texture
        // of a real view rather than the flat smear a replicated border would give.
        case Injection::Shift: {
            const double d = (0.06 + 0.12 * s) * size.width;
            const double angle = p.side * std::numbers::pi / 2 + 0.6;
            const cv::Mat m =
                (cv::Mat_<double>(2, 3) << 1, 0, d * std::cos(angle), 0, 1, d * std::sin(angle));
            cv::warpAffine(frame, out, m, size, cv::INTER_LINEAR, cv::BORDER_REFLECT_101);
            return out;
        }
        case Injection::Rotate: {
            const double deg = (p.side % 2 == 0 ? 1 : -1) * (5.0 + 10.0 * s);
            const cv::Mat m = cv::getRotationMatrix2D(
                cv::Point2f(size.width / 2.0F, size.height / 2.0F), deg, 1.0);
            cv::warpAffine(frame, out, m, size, cv::INTER_LINEAR, cv::BORDER_REFLECT_101);
            return out;
        }
        case Injection::Freeze:
            return frozen.clone();
        case Injection::Black:
            out = cv::Mat(size, CV_8UC3, cv::Scalar::all(4.0 + 10.0 * s));
            addNoise(out, 1.0);
            return out;
        case Injection::Dark:
            frame.convertTo(out, -1, 0.08 + 0.12 * s, 0);  // lights off: 8..20 % of the light
            return out;
        case Injection::Bright:
            frame.convertTo(out, -1, 1.6 + 0.8 * s, 60 + 40 * s);  // sun on the lens
            return out;
        case Injection::ColourCast: {
            // A failed white balance: one channel up 30..55 %, another down.
            std::vector<cv::Mat> ch;
            cv::split(frame, ch);
            const int up = p.side % 3, down = (p.side + 1) % 3;
            ch[static_cast<std::size_t>(up)].convertTo(ch[static_cast<std::size_t>(up)], -1,
                                                       1.3 + 0.25 * s);
            ch[static_cast<std::size_t>(down)].convertTo(ch[static_cast<std::size_t>(down)], -1,
                                                         0.75 - 0.15 * s);
            cv::merge(ch, out);
            return out;
        }
    }
    return frame;
}

struct TrialResult {
    std::vector<scene::TamperEvent> events;
    bool detected = false;  // an event of the expected kind within 2 s of onset and end
    int falseEvents = 0;    // events of another kind, or outside the injected interval
};

// Runs one trial over `frames` (times rebased to start at 0), injecting `plan`.
inline TrialResult runTrial(const std::vector<TimedFrame>& frames, const InjectionPlan* plan,
                            const scene::TamperConfig& config, double toleranceS = 2.0,
                            bool trace = false) {
    scene::TamperAnalyzer analyzer("test", config);
    std::mt19937 noise(plan ? plan->seed * 7919U + 1 : 1);
    TrialResult r;
    const double t0 = frames.front().timeS;
    cv::Mat frozen;
    double lastS = 0;
    for (const TimedFrame& f : frames) {
        const double t = f.timeS - t0;
        lastS = t;
        if (plan && plan->what == Injection::Freeze && frozen.empty() && t >= plan->onsetS) {
            frozen = f.frame.clone();
        }
        const cv::Mat frame = plan ? inject(*plan, f.frame, t, frozen, noise) : f.frame;
        for (auto& e : analyzer.push(frame, t)) {
            r.events.push_back(std::move(e));
        }
        if (trace) {
            const auto& m = analyzer.lastMeasures();
            std::printf(
                "%6.1f luma %5.1f sharp %6.3f covered %4.2f diff %6.3f chroma %5.2f "
                "shift %5.3f rot %5.2f matched %d stayed %d valid %d\n",
                t, m.meanLuma, m.sharpnessRatio, m.coveredFraction, m.diffToPrevious, m.chromaShift,
                m.shiftFraction, m.rotationDeg, m.matchedFeatures, m.stayedFeatures,
                m.alignmentValid ? 1 : 0);
        }
    }
    for (auto& e : analyzer.finish(lastS)) {
        r.events.push_back(std::move(e));
    }
    for (const auto& e : r.events) {
        const bool right = plan && e.kind == expectedKind(plan->what) &&
                           std::abs(e.startS - plan->onsetS) <= toleranceS &&
                           std::abs(e.endS - std::min(plan->endS, lastS)) <= toleranceS;
        if (right && !r.detected) {
            r.detected = true;
        } else {
            ++r.falseEvents;
        }
    }
    return r;
}

}  // namespace examguard::vision::test
