#pragma once

// Where the camera wall reads each camera from. Free of Qt on purpose: the camera service's
// headers name functions `emit`, which Qt defines as a macro.
#include <string>
#include <vector>

#include "station/cameras.h"
#include "station/station_config.h"

namespace examguard::console {

struct CameraSource {
    station::RoomCamera camera;
    std::string live;  // address or file to open; empty: none known
};

// The sitting's cameras with the addresses of the camera service's settings ([cameras]
// monitor_config, credentials included) or else the stored ones, which never hold credentials.
station::Expected<std::vector<CameraSource>> cameraSources(station::Station& station,
                                                           const station::StationConfig& config,
                                                           std::int64_t sittingId);

}  // namespace examguard::console
