#include "vision/face_liveness.h"

#include <algorithm>
#include <cmath>

#include <opencv2/dnn.hpp>
#include <opencv2/imgproc.hpp>

#include "vision/face_detector.h"
#include "vision/face_geometry.h"

namespace examguard::vision {

namespace {
constexpr int kLivenessInputPx = 128;
}  // namespace

cv::Mat livenessCrop(const cv::Mat& bgr, const cv::Rect& box, double cropScale) {
    // As the package's alignLivenessImage: scale the box about its centre, limited by the image,
    // then shift it back inside the image. Square because dlib's boxes are square.
    const double side = std::min({static_cast<double>(std::max(box.width, box.height)) * cropScale,
                                  static_cast<double>(bgr.cols), static_cast<double>(bgr.rows)});
    const double cx = box.x + box.width / 2.0;
    const double cy = box.y + box.height / 2.0;
    double left = std::clamp(cx - side / 2.0, 0.0, bgr.cols - side);
    double top = std::clamp(cy - side / 2.0, 0.0, bgr.rows - side);
    const cv::Rect crop(static_cast<int>(left), static_cast<int>(top), static_cast<int>(side),
                        static_cast<int>(side));
    cv::Mat out;
    cv::resize(bgr(crop & cv::Rect(0, 0, bgr.cols, bgr.rows)), out,
               cv::Size(kLivenessInputPx, kLivenessInputPx), 0, 0, cv::INTER_LINEAR);
    return out;
}

struct PassiveLiveness::Impl {
    cv::dnn::Net net;
    PassiveLivenessOptions options;
};

PassiveLiveness::PassiveLiveness(std::unique_ptr<Impl> impl) : m_impl(std::move(impl)) {}
PassiveLiveness::PassiveLiveness(PassiveLiveness&&) noexcept = default;
PassiveLiveness& PassiveLiveness::operator=(PassiveLiveness&&) noexcept = default;
PassiveLiveness::~PassiveLiveness() = default;

const PassiveLivenessOptions& PassiveLiveness::options() const {
    return m_impl->options;
}

Result<PassiveLiveness> PassiveLiveness::create(const std::filesystem::path& models,
                                                PassiveLivenessOptions options) {
    auto path = requireModelFile(models / "fr_liveness.onnx");
    if (!path) {
        return tl::unexpected(path.error());
    }
    auto impl = std::make_unique<Impl>();
    impl->options = options;
    try {
        impl->net = cv::dnn::readNetFromONNX(path->string());
    } catch (const cv::Exception& e) {
        return makeError(ErrorCode::ModelInvalid,
                         "cannot load " + path->string() + ": " + e.what());
    }
    if (impl->net.empty()) {
        return makeError(ErrorCode::ModelInvalid, "empty network from " + path->string());
    }
    return PassiveLiveness(std::move(impl));
}

Result<LivenessScore> PassiveLiveness::score(const cv::Mat& image, const cv::Rect& box) {
    auto bgr = toBgr8(image);
    if (!bgr) {
        return tl::unexpected(bgr.error());
    }
    if ((box & cv::Rect(0, 0, bgr->cols, bgr->rows)).empty()) {
        return makeError(ErrorCode::NoFace, "face box outside the image");
    }
    try {
        const cv::Mat crop = livenessCrop(*bgr, box, m_impl->options.cropScale);
        // 1x3x128x128, raw 0-255 values, as the package's preprocessLiveness feeds it.
        const cv::Mat blob = cv::dnn::blobFromImage(crop, 1.0, cv::Size(), cv::Scalar(),
                                                    /*swapRB=*/!m_impl->options.bgrInput,
                                                    /*crop=*/false, CV_32F);
        m_impl->net.setInput(blob);
        const cv::Mat out = m_impl->net.forward();
        if (out.total() != 3) {
            return makeError(ErrorCode::InferenceFailed, "liveness model: expected 3 outputs");
        }
        const auto* logits = out.ptr<float>();
        const float top = *std::max_element(logits, logits + 3);
        LivenessScore s;
        double sum = 0.0;
        for (std::size_t i = 0; i < 3; ++i) {
            s.probabilities[i] = std::exp(logits[i] - top);
            sum += s.probabilities[i];
        }
        for (auto& p : s.probabilities) {
            p = static_cast<float>(p / sum);
        }
        const auto live = static_cast<std::size_t>(std::clamp(m_impl->options.liveClass, 0, 2));
        s.liveProbability = s.probabilities[live];
        s.live = s.liveProbability >= m_impl->options.liveThreshold;
        return s;
    } catch (const cv::Exception& e) {
        return makeError(ErrorCode::InferenceFailed,
                         std::string("liveness model failed: ") + e.what());
    }
}

}  // namespace examguard::vision

namespace examguard::vision {

FrameCues frameCues(std::int64_t timestampMs, const FaceLandmarks& landmarks) {
    FrameCues c;
    c.timestampMs = timestampMs;
    c.faceFound = true;
    c.eyeAspectRatio = eyeAspectRatio(landmarks);
    c.yawDeg = headPose(landmarks).yawDeg;
    return c;
}

std::string_view toString(ChallengeOutcome outcome) {
    switch (outcome) {
        case ChallengeOutcome::Passed:
            return "passed";
        case ChallengeOutcome::TimedOut:
            return "timed_out";
        case ChallengeOutcome::FaceLost:
            return "face_lost";
        case ChallengeOutcome::NoFrames:
            return "no_frames";
    }
    return "unknown";
}

ChallengeResult evaluateChallenge(std::span<const FrameCues> frames,
                                  std::span<const ChallengeStep> steps,
                                  const ChallengeOptions& options) {
    ChallengeResult result;
    if (frames.empty()) {
        return result;
    }
    std::int64_t stepStartMs = frames.front().timestampMs;
    std::int64_t lastFaceMs = stepStartMs;
    bool eyesWereOpen = false;
    bool eyesClosed = false;
    // A turn that follows a turn must start from (near) frontal, so one long look to the side
    // cannot satisfy two steps.
    bool frontalSinceLastTurn = true;

    for (const FrameCues& f : frames) {
        if (result.stepsCompleted == steps.size()) {
            break;
        }
        if (f.timestampMs - stepStartMs > options.stepTimeoutMs) {
            result.outcome = f.timestampMs - lastFaceMs > options.stepTimeoutMs
                                 ? ChallengeOutcome::FaceLost
                                 : ChallengeOutcome::TimedOut;
            return result;
        }
        if (!f.faceFound) {
            continue;
        }
        lastFaceMs = f.timestampMs;
        if (std::abs(f.yawDeg) <= options.frontalYawDeg) {
            frontalSinceLastTurn = true;
        }
        bool done = false;
        switch (steps[result.stepsCompleted]) {
            case ChallengeStep::Blink:
                if (f.eyeAspectRatio >= options.eyesOpenEar) {
                    done = eyesWereOpen && eyesClosed;
                    eyesWereOpen = true;
                } else if (f.eyeAspectRatio <= options.eyesClosedEar && eyesWereOpen) {
                    eyesClosed = true;
                }
                break;
            case ChallengeStep::TurnLeft:
            case ChallengeStep::TurnRight: {
                const bool left = steps[result.stepsCompleted] == ChallengeStep::TurnLeft;
                const double sign = (left == options.candidateLeftIsPositiveYaw) ? 1.0 : -1.0;
                done = frontalSinceLastTurn && sign * f.yawDeg >= options.turnYawDeg;
                if (done) {
                    frontalSinceLastTurn = false;
                }
                break;
            }
        }
        if (done) {
            ++result.stepsCompleted;
            result.completedAtMs = f.timestampMs;
            stepStartMs = f.timestampMs;
            eyesWereOpen = false;
            eyesClosed = false;
        }
    }
    if (result.stepsCompleted == steps.size()) {
        result.outcome = ChallengeOutcome::Passed;
    } else {
        // The frames ended before the steps did: the candidate ran out of time.
        result.outcome = ChallengeOutcome::TimedOut;
    }
    return result;
}

}  // namespace examguard::vision
