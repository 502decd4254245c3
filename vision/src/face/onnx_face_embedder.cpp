#include <cmath>
#include <exception>

#include <opencv2/dnn.hpp>
#include <opencv2/imgproc.hpp>

#include "face/embedders.h"

namespace examguard::vision::detail {

namespace {

constexpr int kEmbeddingSize = 512;

class OnnxArcFaceEmbedder final : public FaceEmbedder {
public:
    explicit OnnxArcFaceEmbedder(cv::dnn::Net net) : m_net(std::move(net)) {}

    std::string_view name() const override { return kOnnxArcFaceModelName; }
    double distanceThreshold() const override { return kOnnxArcFaceThreshold; }
    ChipKind chipKind() const override { return ChipKind::ArcFace112; }

    Result<std::vector<float>> embed(const cv::Mat& chip) override {
        if (chip.rows != kArcFaceChipSizePx || chip.cols != kArcFaceChipSizePx ||
            chip.type() != CV_8UC3) {
            return makeError(ErrorCode::ChipInvalid, "ONNX model needs a 112x112 8-bit BGR chip");
        }
        try {
            // 1x3x112x112 RGB, (x - 127) / 128, as the package's own JavaScript feeds it.
            const cv::Mat blob =
                cv::dnn::blobFromImage(chip, 1.0 / 128.0, cv::Size(), cv::Scalar(127, 127, 127),
                                       /*swapRB=*/true, /*crop=*/false, CV_32F);
            m_net.setInput(blob);
            const cv::Mat out = m_net.forward();
            if (out.total() != static_cast<std::size_t>(kEmbeddingSize)) {
                return makeError(ErrorCode::InferenceFailed, "unexpected ONNX output size");
            }
            const cv::Mat flat = out.reshape(1, 1);
            std::vector<float> v(flat.begin<float>(), flat.end<float>());
            // The model is trained for cosine similarity. Unit length makes the Euclidean distance
            // the CLI prints a monotone function of it: d^2 = 2 - 2 cos.
            double norm = 0.0;
            for (float x : v) {
                norm += static_cast<double>(x) * x;
            }
            norm = std::sqrt(norm);
            if (!(norm > 0.0) || !std::isfinite(norm)) {
                return makeError(ErrorCode::InferenceFailed,
                                 "ONNX model produced a degenerate embedding");
            }
            for (float& x : v) {
                x = static_cast<float>(x / norm);
            }
            return v;
        } catch (const cv::Exception& e) {
            return makeError(ErrorCode::InferenceFailed,
                             std::string("ONNX inference failed: ") + e.what());
        }
    }

private:
    cv::dnn::Net m_net;
};

}  // namespace

Result<std::unique_ptr<FaceEmbedder>> createOnnxArcFaceEmbedder(
    const std::filesystem::path& models) {
    auto path = requireModelFile(models / "fr_feature.onnx");
    if (!path) {
        return tl::unexpected(path.error());
    }
    try {
        cv::dnn::Net net = cv::dnn::readNetFromONNX(path->string());
        if (net.empty()) {
            return makeError(ErrorCode::ModelInvalid, "empty network from " + path->string());
        }
        net.setPreferableBackend(cv::dnn::DNN_BACKEND_OPENCV);
        net.setPreferableTarget(cv::dnn::DNN_TARGET_CPU);
        return std::unique_ptr<FaceEmbedder>(std::make_unique<OnnxArcFaceEmbedder>(std::move(net)));
    } catch (const cv::Exception& e) {
        return makeError(ErrorCode::ModelInvalid,
                         "cannot load " + path->string() + ": " + e.what());
    }
}

}  // namespace examguard::vision::detail
