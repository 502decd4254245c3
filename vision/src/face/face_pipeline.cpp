#include "vision/face_pipeline.h"

#include "vision/face_aligner.h"

namespace examguard::vision {

FacePipeline::FacePipeline(FaceDetector detector, std::unique_ptr<FaceEmbedder> embedder)
    : m_detector(std::move(detector)), m_embedder(std::move(embedder)) {}

Result<FacePipeline> FacePipeline::create(EmbedderKind kind, const std::filesystem::path& models,
                                          const std::filesystem::path& landmarkModel) {
    auto detector = FaceDetector::create(landmarkModel);
    if (!detector) {
        return tl::unexpected(detector.error());
    }
    auto embedder = createEmbedder(kind, models);
    if (!embedder) {
        return tl::unexpected(embedder.error());
    }
    return FacePipeline(std::move(*detector), std::move(*embedder));
}

Result<std::vector<float>> FacePipeline::embed(const cv::Mat& image,
                                               const FaceLandmarks& landmarks) {
    auto chip = alignChip(m_embedder->chipKind(), image, landmarks);
    if (!chip) {
        return tl::unexpected(chip.error());
    }
    return m_embedder->embed(*chip);
}

Result<std::vector<EmbeddedFace>> FacePipeline::embedFaces(const cv::Mat& image) {
    auto faces = m_detector.detect(image);
    if (!faces) {
        return tl::unexpected(faces.error());
    }
    std::vector<EmbeddedFace> out;
    out.reserve(faces->size());
    for (const DetectedFace& face : *faces) {
        auto e = embed(image, face.landmarks);
        if (!e) {
            return tl::unexpected(e.error());
        }
        out.push_back({face.box, face.landmarks, std::move(*e)});
    }
    return out;
}

Result<EmbeddedFace> FacePipeline::embedLargestFace(const cv::Mat& image) {
    auto faces = m_detector.detect(image);
    if (!faces) {
        return tl::unexpected(faces.error());
    }
    if (faces->empty()) {
        return makeError(ErrorCode::NoFace, "no face found");
    }
    const DetectedFace& face = faces->front();
    auto e = embed(image, face.landmarks);
    if (!e) {
        return tl::unexpected(e.error());
    }
    return EmbeddedFace{face.box, face.landmarks, std::move(*e)};
}

Comparison FacePipeline::compare(std::span<const float> a, std::span<const float> b) const {
    Comparison c;
    c.distance = euclideanDistance(a, b);
    c.threshold = m_embedder->distanceThreshold();
    c.match = c.distance <= c.threshold;
    return c;
}

}  // namespace examguard::vision
