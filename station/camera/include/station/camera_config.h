#pragma once

// One camera's analysis settings (TOML): name, analysis rate and size, reference images,
// tamper thresholds, and the room's seat and proctor regions. Read by `examguard monitor
// analyze --config` (and later by the camera service). See docs/cameras.md.
#include <chrono>
#include <filesystem>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "station/error.h"
#include "vision/room_occupancy.h"
#include "vision/scene_tamper.h"

namespace examguard::station {

struct CameraConfig {
    std::string name = "camera";
    std::filesystem::path reference;       // the agreed view, for the tamper analysers
    std::filesystem::path emptyReference;  // the empty room, for occupancy
    vision::scene::TamperConfig tamper;
    vision::scene::RoomConfig room;
    // Room analysis runs when seat or proctor regions are configured.
    bool roomAnalysis() const { return !room.seats.empty() || room.proctor.has_value(); }
};

// Parses the settings; `source` names the file in errors ("cam.toml:12: ..."), and relative
// reference paths are taken relative to its directory. Unknown keys, wrong types and values
// out of range are errors (BadInput), never silent defaults.
Expected<CameraConfig> parseCameraConfig(std::string_view text, std::string_view source);

// Reads and parses a settings file (at most 256 KiB).
Expected<CameraConfig> loadCameraConfig(const std::filesystem::path& path);

// The camera service's settings (`examguard monitor run --config`): where recordings go and
// the station's cameras. See docs/cameras.md.
struct MonitoredCamera {
    std::string code;  // letters, digits, '-', '_', '.'; names the files
    std::string room;  // the room's code as filed with the period plan
    std::string name;  // default: the code
    // rtsp://..., a USB camera /dev/videoN, or a video file; may hold credentials: never shown
    // as is
    std::string url;
    // FFmpeg demuxer/device options (a USB camera's input_format, video_size, framerate).
    std::vector<std::pair<std::string, std::string>> inputOptions;
    // A file only: the wall time of its first picture (when it was filmed).
    std::optional<std::chrono::system_clock::time_point> startTime;
    double segmentSeconds = 0;        // 0: the [recording] default
    std::filesystem::path directory;  // default: <[recording] directory>/<code>
    std::filesystem::path analysis;   // camera settings (parseCameraConfig); empty: none
    // The camera's sub-stream, analysed instead of the recorded stream (cheaper to decode);
    // empty: the recorded stream is analysed. Needs `analysis`; may hold credentials too.
    std::string analysisUrl;
};

struct MonitorConfig {
    std::filesystem::path directory;  // [recording] directory (required)
    double segmentSeconds = 60;
    double minFreeMb = 1024;    // refuse to start / report below this
    double reconnectMaxS = 30;  // backoff cap
    double ioTimeoutS = 10;     // a stalled camera counts as dropped after this
    int retentionYears = 3;     // segments of no known period (period classes keep >= 3)
    std::vector<MonitoredCamera> cameras;
};

Expected<MonitorConfig> parseMonitorConfig(std::string_view text, std::string_view source);
Expected<MonitorConfig> loadMonitorConfig(const std::filesystem::path& path);

}  // namespace examguard::station
