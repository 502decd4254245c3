#include "vision/face_embedder.h"

#include <cmath>
#include <limits>

#include "face/embedders.h"

namespace examguard::vision {

Result<std::unique_ptr<FaceEmbedder>> createEmbedder(EmbedderKind kind,
                                                     const std::filesystem::path& models) {
    switch (kind) {
        case EmbedderKind::DlibResnet:
            return detail::createDlibResnetEmbedder(models);
        case EmbedderKind::OnnxArcFace:
            return detail::createOnnxArcFaceEmbedder(models);
    }
    return makeError(ErrorCode::ModelInvalid, "unknown embedder kind");
}

double euclideanDistance(std::span<const float> a, std::span<const float> b) {
    if (a.size() != b.size() || a.empty()) {
        // Embeddings of different models are never comparable; infinity can never match.
        return std::numeric_limits<double>::infinity();
    }
    double sum = 0.0;
    for (std::size_t i = 0; i < a.size(); ++i) {
        const double d = static_cast<double>(a[i]) - b[i];
        sum += d * d;
    }
    return std::sqrt(sum);
}

}  // namespace examguard::vision
