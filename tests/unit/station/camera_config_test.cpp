// Camera settings (station/camera_config.h): defaults, every section, paths relative to the
// file, and refusals that name the line and key.
#include <gtest/gtest.h>

#include "station/camera_config.h"

namespace examguard::station {
namespace {

TEST(CameraConfig, EmptyFileGivesDefaults) {
    auto config = parseCameraConfig("", "/etc/examguard/cameras/front.toml");
    ASSERT_TRUE(config) << config.error().detail;
    EXPECT_EQ(config->name, "camera");
    EXPECT_DOUBLE_EQ(config->tamper.analysisFps, 2.0);
    EXPECT_EQ(config->tamper.analysisWidthPx, 320);
    EXPECT_TRUE(config->reference.empty());
    EXPECT_FALSE(config->roomAnalysis());
    EXPECT_EQ(config->room.checkedIn, -1);
}

TEST(CameraConfig, ReadsEverySectionAndResolvesPathsBesideTheFile) {
    auto config = parseCameraConfig(R"(
[camera]
name = "room-101-front"
analysis_fps = 4
analysis_width = 480
reference = "front.jpg"

[tamper]
onset_s = 1.5
covered_fraction = 0.35
dark_luma = 30

[room]
checked_in = 12
empty_reference = "/srv/empty.jpg"
seat_empty_s = 90

[[seat]]
name = "A01"
polygon = [[0.1, 0.2], [0.3, 0.2], [0.3, 0.6]]

[[seat]]
name = "A02"
polygon = [[0.4, 0.2], [0.6, 0.2], [0.6, 0.6], [0.4, 0.6]]

[proctor]
name = "desk"
polygon = [[0, 0.8], [0.2, 0.8], [0.2, 1]]
)",
                                    "/etc/examguard/cameras/front.toml");
    ASSERT_TRUE(config) << config.error().detail;
    EXPECT_EQ(config->name, "room-101-front");
    EXPECT_DOUBLE_EQ(config->tamper.analysisFps, 4.0);
    EXPECT_EQ(config->tamper.analysisWidthPx, 480);
    EXPECT_EQ(config->reference, "/etc/examguard/cameras/front.jpg");
    EXPECT_EQ(config->emptyReference, "/srv/empty.jpg");
    EXPECT_DOUBLE_EQ(config->tamper.onsetS, 1.5);
    EXPECT_DOUBLE_EQ(config->tamper.coveredFraction, 0.35);
    EXPECT_DOUBLE_EQ(config->tamper.darkLuma, 30.0);
    EXPECT_DOUBLE_EQ(config->tamper.offsetS, 1.0);  // untouched default
    EXPECT_EQ(config->room.checkedIn, 12);
    EXPECT_DOUBLE_EQ(config->room.seatEmptyS, 90.0);
    ASSERT_EQ(config->room.seats.size(), 2U);
    EXPECT_EQ(config->room.seats[1].name, "A02");
    EXPECT_EQ(config->room.seats[1].polygon.size(), 4U);
    EXPECT_FLOAT_EQ(config->room.seats[0].polygon[2].y, 0.6F);
    ASSERT_TRUE(config->room.proctor.has_value());
    EXPECT_EQ(config->room.proctor->name, "desk");
    // The room analyser samples like the tamper analyser.
    EXPECT_DOUBLE_EQ(config->room.analysisFps, 4.0);
    EXPECT_EQ(config->room.analysisWidthPx, 480);
    EXPECT_TRUE(config->roomAnalysis());
}

TEST(CameraConfig, RefusalsNameFileLineAndKey) {
    const std::pair<const char*, const char*> cases[] = {
        {"[camera]\nnmae = \"x\"\n", "cam.toml:2: unknown key [camera] nmae"},
        {"[camera]\nname = \"\"\n", "cam.toml:2: [camera] name must be a non-empty string"},
        {"[camera]\nanalysis_fps = \"fast\"\n", "cam.toml:2: [camera] analysis_fps must be"},
        {"[tamper]\ncovered_fraction = 1.5\n", "cam.toml:2: [tamper] covered_fraction must be"},
        {"[tamper]\ndark_luma = nan\n", "cam.toml:2: [tamper] dark_luma must be"},
        {"camera = 3\n", "cam.toml:1: [camera] must be a table"},
        {"[seat]\nname = \"A\"\n", "cam.toml:1: [[seat]] must be an array"},
        {"[[seat]]\npolygon = [[0, 0], [1, 0], [1, 1]]\n", "cam.toml:1: [seat] name must be"},
        {"[[seat]]\nname = \"A\"\npolygon = [[0, 0], [1, 0], [1]]\n",
         "cam.toml:3: [seat] A: polygon must list 3 to 64 points"},
        {"[proctor]\nname = \"d\"\npolygon = [[0, 0], [1, 0], [1, -0.1]]\n",
         "cam.toml:3: [proctor] d: polygon must list"},
        {"[room]\nchecked_in = -5\n", "cam.toml:2: [room] checked_in must be"},
        {"[camera\n", "cam.toml:1:"},
    };
    for (const auto& [text, message] : cases) {
        auto config = parseCameraConfig(text, "cam.toml");
        ASSERT_FALSE(config) << text;
        EXPECT_EQ(config.error().code, ErrorCode::BadInput) << text;
        EXPECT_NE(config.error().detail.find(message), std::string::npos)
            << text << " -> " << config.error().detail;
    }
}

TEST(CameraConfig, MissingFileIsAnIoError) {
    auto config = loadCameraConfig("/nonexistent/examguard/camera.toml");
    ASSERT_FALSE(config);
    EXPECT_EQ(config.error().code, ErrorCode::Io);
}

}  // namespace
}  // namespace examguard::station
