#pragma once

#include <filesystem>
#include <ostream>
#include <string>

#include <nlohmann/json.hpp>

#include "station/identity/identity_engine.h"
#include "station/station.h"

namespace examguard::cli {

// The demo's faces: people from the photos that come with the pinned face-api package
// (assets/demo-faces/, installed by scripts/setup.d/50-face-models.sh). Roster photos, ID-card
// photos and live frames are all cut from those photos, so every check-in below is labelled
// as simulated: a real desk camera gives the same workflow its frames.
struct DemoFaces {
    cv::Mat genuine;   // A01: roster photo, card photo and live frame of one person
    cv::Mat second;    // A02: whose card an impostor presents
    cv::Mat third;     // A03: whose printed photo is held to the camera
    cv::Mat impostor;  // someone not on the roster
};

// Cuts the demo faces and writes roster photos for A01-A03 into `planDir`/photos/, filling the
// roster CSV's photo column so the period import stores them like a clerk's photos.
station::Expected<DemoFaces> prepareDemoFaces(station::identity::IdentityEngine& engine,
                                              const std::filesystem::path& planDir,
                                              std::string& rosterCsv);

// Three check-ins at the theory main sitting: genuine (pass), impostor with A02's card
// (refused), A03's photo held to the camera (refused by the liveness challenge). Returns the
// summary's "checkins" array.
station::Expected<nlohmann::json> runDemoCheckins(station::Station& station,
                                                  station::identity::IdentityEngine& engine,
                                                  const DemoFaces& faces, std::ostream& out);

}  // namespace examguard::cli
