#pragma once

#include <chrono>
#include <cstdint>
#include <string>

#include "station/database.h"
#include "station/error.h"

namespace examguard::station {

// Where a sitting belongs: its period and room. NotFound for an unknown sitting.
struct SittingPlace {
    std::int64_t periodId = 0;
    std::int64_t roomId = 0;
    std::string roomCode;
};
Expected<SittingPlace> sittingPlace(Database& db, std::int64_t sittingId);

// When the station's earliest sitting is planned to start; NotFound when it has none.
Expected<std::chrono::system_clock::time_point> firstSittingStart(Database& db);

}  // namespace examguard::station
