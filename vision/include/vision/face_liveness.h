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
