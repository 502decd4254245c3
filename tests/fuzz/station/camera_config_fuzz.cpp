// libFuzzer target for camera settings files (`examguard monitor analyze --config`): arbitrary
// bytes go through parseCameraConfig. Settings that parse must hold the ranges the analysers
// rely on.
#include <cmath>
#include <cstddef>
#include <cstdint>
#include <cstdlib>
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
    auto config = parseCameraConfig(text, "fuzz/camera.toml");
    if (!config) {
        check(!config.error().detail.empty());
        return 0;
    }
    check(!config->name.empty());
    check(config->tamper.analysisFps >= 0.2 && config->tamper.analysisFps <= 30);
    check(config->tamper.analysisWidthPx >= 64 && config->tamper.analysisWidthPx <= 1920);
    check(std::isfinite(config->tamper.onsetS) && config->tamper.onsetS >= 0);
    for (const auto& seat : config->room.seats) {
        check(!seat.name.empty());
        check(seat.polygon.size() >= 3 && seat.polygon.size() <= 64);
        for (const auto& p : seat.polygon) {
            check(p.x >= 0 && p.x <= 1 && p.y >= 0 && p.y <= 1);
        }
    }
    return 0;
}
