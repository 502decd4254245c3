#pragma once

// Writes pictures a program draws as an H.264 MPEG-TS file, the way a camera records: a
// keyframe a second, no B-frames. `examguard demo` films its sample room with it, so a fresh
// machine has a recording to play back, record and analyse without any sample data installed.
#include <cstdint>
#include <filesystem>
#include <functional>
#include <string>

#include <tl/expected.hpp>

namespace examguard::monitor {

struct ClipSpec {
    int width = 640;
    int height = 360;
    int fps = 10;
    int frames = 200;
};

// draw(index, bgr, stride) fills picture `index` (8-bit BGR, width × height). The file is
// written beside `path` and renamed when complete; on error nothing is left.
tl::expected<void, std::string> writeClip(
    const std::filesystem::path& path, const ClipSpec& spec,
    const std::function<void(int index, std::uint8_t* bgr, int stride)>& draw);

}  // namespace examguard::monitor
