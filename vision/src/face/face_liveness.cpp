#include "vision/face_liveness.h"

#include <algorithm>
#include <cmath>

#include <opencv2/dnn.hpp>
#include <opencv2/imgproc.hpp>

#include "vision/face_detector.h"

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
