#include "vision/assets.h"

#include <cstdlib>
#include <fstream>
#include <system_error>

namespace examguard::vision {

std::filesystem::path assetsDir() {
    // Read on every call so a test or the CLI can point at another assets tree at run time.
    if (const char* env = std::getenv("EXAMGUARD_ASSETS_DIR"); env != nullptr && *env != '\0') {
        return env;
    }
    return EXAMGUARD_ASSETS_DIR;
}

std::filesystem::path modelsDir() {
    return assetsDir() / "models";
}

std::filesystem::path landmarkModelPath() {
    return std::filesystem::path(EXAMGUARD_DLIB_DATA_DIR) / "shape_predictor_68_face_landmarks.dat";
}

Result<std::filesystem::path> requireModelFile(const std::filesystem::path& path) {
    std::error_code ec;
    if (!std::filesystem::is_regular_file(path, ec)) {
        return makeError(ErrorCode::ModelMissing,
                         "model file not found: " + path.string() +
                             " (run scripts/setup.sh, or set EXAMGUARD_ASSETS_DIR)");
    }
    if (std::ifstream probe(path, std::ios::binary); !probe) {
        return makeError(ErrorCode::ModelMissing, "model file not readable: " + path.string());
    }
    return path;
}

}  // namespace examguard::vision
