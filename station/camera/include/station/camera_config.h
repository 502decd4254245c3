#pragma once

// One camera's analysis settings (TOML): name, analysis rate and size, reference images,
// tamper thresholds, and the room's seat and proctor regions. Read by `examguard monitor
// analyze --config` (and later by the camera service). See docs/cameras.md.
#include <filesystem>
#include <string>
#include <string_view>

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

}  // namespace examguard::station
