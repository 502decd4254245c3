#pragma once

#include <filesystem>

#include "vision/error.h"

namespace examguard::vision {

// The assets directory: $EXAMGUARD_ASSETS_DIR when set and non-empty; else, for an installed
// program, <prefix>/share/examguard/assets beside it (cmake --install puts the models there);
// else the directory the build was configured with, which scripts/setup.d/50-face-models.sh
// fills.
std::filesystem::path assetsDir();

// assetsDir()/models
std::filesystem::path modelsDir();

// Debian's libdlib-data 68-point landmark model.
std::filesystem::path landmarkModelPath();

// `path` when it names a readable regular file, else ErrorCode::ModelMissing with a hint.
Result<std::filesystem::path> requireModelFile(const std::filesystem::path& path);

}  // namespace examguard::vision
