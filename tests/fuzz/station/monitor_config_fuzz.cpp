// libFuzzer target for the camera service's settings (`examguard monitor run --config`):
// arbitrary bytes go through parseMonitorConfig. Settings that parse must hold what the
// recorder relies on: safe camera codes, distinct directories, lengths in range.
#include <cmath>
#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <set>
#include <string_view>

#include "station/camera_config.h"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    using namespace examguard::station;
    const auto check = [](bool condition) {
        if (!condition) {
            std::abort();
        }
    };
    const std::string_view text(reinterpret_cast<const char*>(data), size);
    auto config = parseMonitorConfig(text, "fuzz/monitor.toml");
    if (!config) {
        check(!config.error().detail.empty());
        return 0;
    }
    check(!config->directory.empty());
    check(config->segmentSeconds >= 2 && config->segmentSeconds <= 3600);
    check(config->retentionYears >= 3);
    check(!config->cameras.empty());
    std::set<std::string> codes;
    for (const auto& camera : config->cameras) {
        check(!camera.code.empty() && camera.code[0] != '.');
        for (char c : camera.code) {
            check(c != '/' && c != '\\' && static_cast<unsigned char>(c) >= 0x20);
        }
        check(codes.insert(camera.code).second);
        check(!camera.url.empty() && !camera.room.empty() && !camera.name.empty());
        check(camera.segmentSeconds >= 2 && camera.segmentSeconds <= 3600);
        check(!camera.directory.empty());
    }
    return 0;
}
