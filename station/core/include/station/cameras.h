#pragma once

// The cameras of a sitting's room as the console's camera wall shows them: which cameras, what
// the camera service has flagged on each, and the proctor's own snapshots.
#include <chrono>
#include <cstdint>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "station/station.h"

namespace examguard::station {

struct RoomCamera {
    std::int64_t id = 0;
    std::string room;  // the room's code
    std::string code;
    std::string name;
    std::string position;
    std::string storedStream;  // as filed or registered: never holds credentials
};

// The cameras of the sitting's room, by code.
Expected<std::vector<RoomCamera>> camerasOfSitting(Station& station, std::int64_t sittingId);

struct CameraBadge {
    std::int64_t eventId = 0;
    std::int64_t cameraId = 0;
    std::string kind;  // the camera service's event kind, e.g. "covered", "seat_empty"
    std::string startAt;
    bool open = false;  // still going on
};

// Events on the room's cameras that are still open, or ended within `recent` before now, newest
// first. Proctor snapshots are not badges.
Expected<std::vector<CameraBadge>> cameraBadges(Station& station, std::int64_t sittingId,
                                                std::chrono::seconds recent);

inline constexpr std::string_view kProctorSnapshot = "proctor_snapshot";

// Stores a still the proctor took from a camera (JPEG, encrypted at rest like every picture of
// people) as a camera event of kind proctor_snapshot, logged as `camera.snapshot` so it appears
// on the timeline with its picture and recording time. Returns the log entry's seq.
Expected<std::int64_t> storeProctorSnapshot(Station& station, std::int64_t sittingId,
                                            std::int64_t cameraId,
                                            std::span<const unsigned char> jpeg,
                                            std::string_view actor);

}  // namespace examguard::station
