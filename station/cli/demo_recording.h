#pragma once

#include <filesystem>
#include <ostream>

#include <nlohmann/json.hpp>

#include "station/station.h"

namespace examguard::cli {

// The demo's camera step. A fresh machine has no footage (the shared sample videos are not
// installed), so the demo films its own: a drawn theory room, 20 s at 10 fps, whose lens a
// hand covers from 8 s to 14 s. The camera service records it as camera T1-FRONT (the file
// standing for the first five minutes of the theory sitting: `start_time`) into segments whose
// hashes go into the event log, and analyses it on the way, which finds the cover.
// Writes `dir`/cameras/ (the clip and the service's settings) and `dir`/recordings/.
// Returns the summary's "recording" object.
station::Expected<nlohmann::json> runDemoRecording(station::Station& station,
                                                   const std::filesystem::path& dir,
                                                   std::ostream& out);

// The demo's covered interval, seconds from the start of its clip.
inline constexpr double kDemoCoverStartS = 8.0;
inline constexpr double kDemoCoverEndS = 14.0;

}  // namespace examguard::cli
