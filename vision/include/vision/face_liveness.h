#pragma once

#include <array>
#include <cstdint>
#include <filesystem>
#include <memory>
#include <span>
#include <string_view>

#include <opencv2/core.hpp>

#include "vision/assets.h"
#include "vision/error.h"
#include "vision/face_types.h"

namespace examguard::vision {

// ---- Passive, single-image presentation-attack check ------------------------------------
// faceplugin-face-recognition-js 0.0.1 model/fr_liveness.onnx run by cv::dnn.

struct PassiveLivenessOptions {
    double cropScale = 2.7;      // square crop of this many face-box sizes around the box centre
    int liveClass = 0;           // which of the 3 logits means "live"
    double liveThreshold = 0.5;  // softmax probability of liveClass needed for "live"
    // Channel order fed to the network. The package's JavaScript feeds RGB, but on
    // ../shared/data/faces/spoof BGR (the order of the Silent-Face-Anti-Spoofing models this one
    // resembles) separates far better: attacks <= 0.02 and live >= 0.99, against <= 0.30 and
    // >= 0.90 with RGB (docs/models.md).
    bool bgrInput = true;
};

struct LivenessScore {
    double liveProbability = 0.0;
    std::array<float, 3> probabilities{};  // softmax of the three logits
    bool live = false;
};

class PassiveLiveness {
public:
    static Result<PassiveLiveness> create(const std::filesystem::path& models = modelsDir(),
                                          PassiveLivenessOptions options = {});
    PassiveLiveness(PassiveLiveness&&) noexcept;
    PassiveLiveness& operator=(PassiveLiveness&&) noexcept;
    ~PassiveLiveness();

    // Score the face in `box` of an 8-bit image. Not thread-safe.
    Result<LivenessScore> score(const cv::Mat& image, const cv::Rect& box);

    const PassiveLivenessOptions& options() const;

private:
    struct Impl;
    explicit PassiveLiveness(std::unique_ptr<Impl> impl);
    std::unique_ptr<Impl> m_impl;
};

// The model's input: a square crop of cropScale x the box around its centre, shifted (not
// shrunk) to stay inside the image, resized to 128x128 (BGR, 8-bit). Exposed for tests.
cv::Mat livenessCrop(const cv::Mat& bgr, const cv::Rect& box, double cropScale);

}  // namespace examguard::vision

namespace examguard::vision {

// ---- Active challenge: blinks and head turns from landmarks ----------------------------
// Pure functions over per-frame cues, so the check-in workflow can run them over a live
// sequence (or a test over a recorded one) with time injected through the timestamps.

enum class ChallengeStep { Blink, TurnLeft, TurnRight };

struct FrameCues {
    std::int64_t timestampMs = 0;
    bool faceFound = false;
    double eyeAspectRatio = 0.0;
    double yawDeg = 0.0;  // headPose().yawDeg: > 0 nose towards the image's right
};

// Cues of one frame from its landmarks (eyeAspectRatio and headPose of face_geometry.h).
FrameCues frameCues(std::int64_t timestampMs, const FaceLandmarks& landmarks);

struct ChallengeOptions {
    double eyesOpenEar = 0.22;    // EAR at or above: eyes open (live frames measure 0.19-0.45)
    double eyesClosedEar = 0.15;  // EAR at or below: eyes closed
    double turnYawDeg = 20.0;     // |yaw| to reach for a turn
    double frontalYawDeg = 10.0;  // |yaw| counting as facing the camera again between turns
    std::int64_t stepTimeoutMs = 5000;
    // TurnLeft is the candidate's left, which a non-mirrored camera shows as the nose moving
    // towards the image's right (positive yaw). Set false for a mirrored preview camera.
    bool candidateLeftIsPositiveYaw = true;
};

enum class ChallengeOutcome {
    Passed,
    TimedOut,  // a step was not completed within stepTimeoutMs of the previous one
    FaceLost,  // the face left the picture for longer than stepTimeoutMs
    NoFrames,
};

struct ChallengeResult {
    ChallengeOutcome outcome = ChallengeOutcome::NoFrames;
    std::size_t stepsCompleted = 0;
    std::int64_t completedAtMs = 0;  // timestamp of the frame that completed the last step
};

// Runs the steps in the given order (the caller randomises it) over frames in time order.
// A step counts only after the previous one is complete; a blink needs open -> closed -> open;
// a turn needs the head to come back towards the camera first when it follows another turn.
ChallengeResult evaluateChallenge(std::span<const FrameCues> frames,
                                  std::span<const ChallengeStep> steps,
                                  const ChallengeOptions& options = {});

std::string_view toString(ChallengeOutcome outcome);

}  // namespace examguard::vision
