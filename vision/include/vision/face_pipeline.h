#pragma once

#include <memory>
#include <span>
#include <string_view>
#include <vector>

#include <opencv2/core.hpp>

#include "vision/error.h"
#include "vision/face_detector.h"
#include "vision/face_embedder.h"
#include "vision/face_types.h"

namespace examguard::vision {

struct EmbeddedFace {
    cv::Rect box;
    FaceLandmarks landmarks;
    std::vector<float> embedding;
};

struct Comparison {
    double distance = 0.0;   // Euclidean distance between the two embeddings
    double threshold = 0.0;  // the embedder's distanceThreshold()
    bool match = false;      // distance <= threshold
};

// Detector + aligner + one embedder: what `examguard face embed/compare` and the check-in
// workflow call. Not thread-safe; one per thread.
class FacePipeline {
public:
    static Result<FacePipeline> create(
        EmbedderKind kind = kDefaultEmbedder, const std::filesystem::path& models = modelsDir(),
        const std::filesystem::path& landmarkModel = landmarkModelPath());

    std::string_view modelName() const { return m_embedder->name(); }
    double distanceThreshold() const { return m_embedder->distanceThreshold(); }

    // Every face in the image, largest first; empty when there is none.
    Result<std::vector<EmbeddedFace>> embedFaces(const cv::Mat& image);
    // The largest face; ErrorCode::NoFace when there is none.
    Result<EmbeddedFace> embedLargestFace(const cv::Mat& image);
    // Detected faces only (for quality gates before embedding).
    Result<std::vector<DetectedFace>> detect(const cv::Mat& image) {
        return m_detector.detect(image);
    }
    // Embedding of an already detected face.
    Result<std::vector<float>> embed(const cv::Mat& image, const FaceLandmarks& landmarks);

    Comparison compare(std::span<const float> a, std::span<const float> b) const;

private:
    FacePipeline(FaceDetector detector, std::unique_ptr<FaceEmbedder> embedder);
    FaceDetector m_detector;
    std::unique_ptr<FaceEmbedder> m_embedder;
};

}  // namespace examguard::vision
