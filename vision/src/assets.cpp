#include "vision/assets.h"

#include <cstdlib>
#include <fstream>
#include <system_error>

namespace examguard::vision {

namespace {

// <prefix>/share/examguard/assets of an installed program; empty when not installed.
std::filesystem::path installedAssetsDir() {
    std::error_code ec;
    const auto exe = std::filesystem::read_symlink("/proc/self/exe", ec);
    if (ec) {
        return {};
    }
    const auto dir =
        (exe.parent_path() / EXAMGUARD_INSTALLED_ASSETS_FROM_BINDIR).lexically_normal();
    return std::filesystem::is_directory(dir / "models", ec) ? dir : std::filesystem::path();
}

}  // namespace

std::filesystem::path assetsDir() {
    // Read on every call so a test or the CLI can point at another assets tree at run time.
    if (const char* env = std::getenv("EXAMGUARD_ASSETS_DIR"); env != nullptr && *env != '\0') {
        return env;
    }
    if (auto installed = installedAssetsDir(); !installed.empty()) {
        return installed;
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
