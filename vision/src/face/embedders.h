#pragma once

#include <filesystem>
#include <memory>

#include "vision/face_embedder.h"

namespace examguard::vision::detail {

// Defined in dlib_resnet_embedder.cpp, the only file that instantiates dlib's DNN templates.
Result<std::unique_ptr<FaceEmbedder>> createDlibResnetEmbedder(const std::filesystem::path& models);
Result<std::unique_ptr<FaceEmbedder>> createOnnxArcFaceEmbedder(
    const std::filesystem::path& models);

}  // namespace examguard::vision::detail
