// Camera service settings (station/camera_config.h, parseMonitorConfig): defaults, per-camera
// overrides, directories beside the file, and refusals that name the line and key.
#include <gtest/gtest.h>

#include "station/camera_config.h"

namespace examguard::station {
namespace {

constexpr const char* kSource = "/etc/examguard/monitor.toml";

TEST(MonitorConfig, ReadsRecordingDefaultsAndCameras) {
    auto config = parseMonitorConfig(R"(
[recording]
directory = "recordings"
segment_s = 30
min_free_mb = 2048
reconnect_max_s = 20
io_timeout_s = 4
retention_years = 5

[[camera]]
code = "T1-FRONT"
room = "T1"
name = "理论考场一 前"
url = "rtsp://admin:pw@192.168.1.64:554/Streaming/Channels/101"
analysis = "cameras/t1.toml"
analysis_url = "rtsp://admin:pw@192.168.1.64:554/Streaming/Channels/102"

[[camera]]
code = "P1-01"
room = "P1"
url = "/srv/video/p1.mp4"
segment_s = 10
directory = "/mnt/disk2/p1"
analysis = "cameras/p1.toml"
)",
                                     kSource);
    ASSERT_TRUE(config) << config.error().detail;
    EXPECT_EQ(config->directory, "/etc/examguard/recordings");
    EXPECT_DOUBLE_EQ(config->segmentSeconds, 30);
    EXPECT_DOUBLE_EQ(config->minFreeMb, 2048);
    EXPECT_DOUBLE_EQ(config->reconnectMaxS, 20);
    EXPECT_DOUBLE_EQ(config->ioTimeoutS, 4);
    EXPECT_EQ(config->retentionYears, 5);
    ASSERT_EQ(config->cameras.size(), 2u);
    const auto& front = config->cameras[0];
    EXPECT_EQ(front.code, "T1-FRONT");
    EXPECT_EQ(front.room, "T1");
    EXPECT_EQ(front.name, "理论考场一 前");
    EXPECT_EQ(front.url, "rtsp://admin:pw@192.168.1.64:554/Streaming/Channels/101");
    EXPECT_DOUBLE_EQ(front.segmentSeconds, 30);  // the [recording] default
    EXPECT_EQ(front.directory, "/etc/examguard/recordings/T1-FRONT");
    const auto& p1 = config->cameras[1];
    EXPECT_EQ(p1.name, "P1-01");
    EXPECT_DOUBLE_EQ(p1.segmentSeconds, 10);
    EXPECT_EQ(p1.directory, "/mnt/disk2/p1");
    EXPECT_EQ(p1.analysis, "/etc/examguard/cameras/p1.toml");
    EXPECT_EQ(front.analysis, "/etc/examguard/cameras/t1.toml");
    EXPECT_EQ(front.analysisUrl, "rtsp://admin:pw@192.168.1.64:554/Streaming/Channels/102");
    EXPECT_TRUE(p1.analysisUrl.empty());
}

// A USB camera with its capture options, and a recorded file standing for the time it was
// filmed.
TEST(MonitorConfig, ReadsUsbCameraOptionsAndAFilesStartTime) {
    auto config = parseMonitorConfig(R"(
[recording]
directory = "/r"

[[camera]]
code = "desk"
room = "T1"
url = "/dev/video0"
input_options = { input_format = "mjpeg", video_size = "1280x720", framerate = "25" }

[[camera]]
code = "replay"
room = "T1"
url = "clip.ts"
start_time = "2026-11-25T09:05:00+08:00"
)",
                                     kSource);
    ASSERT_TRUE(config) << config.error().detail;
    ASSERT_EQ(config->cameras.size(), 2u);
    const auto& desk = config->cameras[0];
    const std::vector<std::pair<std::string, std::string>> options = {
        {"framerate", "25"}, {"input_format", "mjpeg"}, {"video_size", "1280x720"}};
    EXPECT_EQ(desk.inputOptions, options);  // toml++ keeps keys sorted
    EXPECT_FALSE(desk.startTime);
    const auto& replay = config->cameras[1];
    ASSERT_TRUE(replay.startTime);
    EXPECT_EQ(*replay.startTime, std::chrono::sys_days{std::chrono::year{2026} / 11 / 25} +
                                     std::chrono::hours{1} + std::chrono::minutes{5});
    EXPECT_TRUE(replay.inputOptions.empty());
}

TEST(MonitorConfig, DefaultsWhereTheRecordingSectionIsShort) {
    auto config = parseMonitorConfig(
        "[recording]\ndirectory = \"/var/lib/examguard/rec\"\n[[camera]]\ncode = \"c\"\nroom = "
        "\"T1\"\nurl = \"rtsp://cam/1\"\n",
        kSource);
    ASSERT_TRUE(config) << config.error().detail;
    EXPECT_DOUBLE_EQ(config->segmentSeconds, 60);
    EXPECT_DOUBLE_EQ(config->minFreeMb, 1024);
    EXPECT_EQ(config->retentionYears, 3);
    EXPECT_DOUBLE_EQ(config->cameras[0].segmentSeconds, 60);
}

TEST(MonitorConfig, RefusalsNameTheLineAndTheKey) {
    const std::string head = "[recording]\ndirectory = \"/r\"\n";
    const std::string camera = "[[camera]]\ncode = \"c\"\nroom = \"T1\"\nurl = \"rtsp://x/1\"\n";
    const struct {
        std::string text;
        std::string words;
    } cases[] = {
        {"", "[recording] must be a table"},
        {"[recording]\nsegment_s = 5\n" + camera, "directory is required"},
        {head, "[[camera]] must list 1 to 256 cameras"},
        {"camera = 3\n" + head, "[[camera]] must list"},
        {head + "[[camera]]\ncode = \"c\"\nroom = \"T1\"\n", ":3: [camera] url must be"},
        {head + "[[camera]]\ncode = \"../etc\"\nroom = \"T1\"\nurl = \"u\"\n",
         "code '../etc' may hold only"},
        {head + "[[camera]]\ncode = \".x\"\nroom = \"T1\"\nurl = \"u\"\n", "must not start"},
        {head + "[[camera]]\ncode = \"c\"\nroom = \"T1\"\nurl = \"u\\nX\"\n",
         "without control characters"},
        {head + "[[camera]]\ncode = \"c\"\nroom = \"T1\"\nurl = \"u\"\nsegment_s = 1\n",
         "segment_s must be a number from 2 to 3600"},
        {head + "[[camera]]\ncode = \"c\"\nroom = \"T1\"\nurl = \"u\"\npassword = \"x\"\n",
         "unknown key [camera] password"},
        {head + camera + camera, "[[camera]] c is listed twice"},
        {head + camera +
             "[[camera]]\ncode = \"d\"\nroom = \"T1\"\nurl = \"u\"\ndirectory = "
             "\"/r/c\"\n",
         "directory /r/c is another camera's"},
        {"[recording]\ndirectory = \"/r\"\nretention_years = 2\n" + camera,
         "retention_years must be a number from 3 to 100"},
        {"[recording]\ndirectory = \"/r\"\nretention_years = 3.5\n" + camera, "whole number"},
        {"[recording\n", kSource},
        {head + camera + "input_options = 3\n", "input_options must be a table"},
        {head + camera + "analysis_url = \"rtsp://x/2\"\n",
         ":7: [[camera]] analysis_url needs analysis settings"},
        {head + camera + "analysis = \"a.toml\"\nanalysis_url = \"\"\n",
         "[camera] analysis_url must be a non-empty string"},
        {head + camera + "input_options = { \"Video Size\" = \"1x1\" }\n",
         ":7: [[camera]] input_options.Video Size: an option name"},
        {head + camera + "input_options = { framerate = 25 }\n", "input_options.framerate"},
        {head + camera + "start_time = \"2026-11-25T09:05:00+08:00\"\n",
         ":7: [[camera]] start_time applies to a video file only"},
        {head + "[[camera]]\ncode = \"c\"\nroom = \"T1\"\nurl = \"/dev/video0\"\nstart_time = "
                "\"2026-11-25T09:05:00+08:00\"\n",
         "start_time applies to a video file only"},
        {head + "[[camera]]\ncode = \"c\"\nroom = \"T1\"\nurl = \"a.mp4\"\nstart_time = "
                "\"yesterday\"\n",
         ":7: [[camera]] start_time must be a date and time"},
    };
    for (const auto& c : cases) {
        SCOPED_TRACE(c.text);
        auto config = parseMonitorConfig(c.text, kSource);
        ASSERT_FALSE(config);
        EXPECT_EQ(config.error().code, ErrorCode::BadInput);
        EXPECT_NE(config.error().detail.find(c.words), std::string::npos) << config.error().detail;
        EXPECT_EQ(config.error().detail.rfind(kSource, 0), 0u) << config.error().detail;
    }
}

}  // namespace
}  // namespace examguard::station
