#pragma once

#include <filesystem>
#include <memory>
#include <span>
#include <string_view>
#include <vector>

#include <opencv2/core.hpp>

#include "vision/assets.h"
#include "vision/error.h"
#include "vision/face_aligner.h"

namespace examguard::vision {

// One face-embedding network. Two embeddings of the same backend are compared by Euclidean
// distance; a pair is the same person when distance <= distanceThreshold().
class FaceEmbedder {
public:
    virtual ~FaceEmbedder() = default;

    // Stable model identifier, printed by `examguard face embed/compare`.
    virtual std::string_view name() const = 0;
    // Default decision threshold, chosen by measurement (docs/models.md).
    virtual double distanceThreshold() const = 0;
    // The aligned chip embed() expects (see alignChip()).
    virtual ChipKind chipKind() const = 0;
    // Embedding of one aligned 8-bit BGR chip. Not thread-safe.
    virtual Result<std::vector<float>> embed(const cv::Mat& chip) = 0;
};

enum class EmbedderKind {
    DlibResnet,   // dlib's ResNet-29 metric network, face-api 1.7.15 weights, 128-d
    OnnxArcFace,  // faceplugin fr_feature.onnx via cv::dnn, 512-d, L2-normalised
};

inline constexpr std::string_view kDlibResnetModelName = "dlib-resnet29-faceapi-1.7.15";
inline constexpr std::string_view kOnnxArcFaceModelName = "faceplugin-fr_feature-0.0.1";

// Thresholds from tests/unit/vision/face_accuracy_test.cpp on ../shared/data/faces/east-asian:
// the largest threshold with no impostor pair accepted, with margin. Numbers in docs/models.md.
inline constexpr double kDlibResnetThreshold = 0.42;
inline constexpr double kOnnxArcFaceThreshold = 1.00;

// The backend chosen by measurement for the product (docs/models.md).
inline constexpr EmbedderKind kDefaultEmbedder = EmbedderKind::OnnxArcFace;

Result<std::unique_ptr<FaceEmbedder>> createEmbedder(
    EmbedderKind kind, const std::filesystem::path& models = modelsDir());

double euclideanDistance(std::span<const float> a, std::span<const float> b);

}  // namespace examguard::vision
