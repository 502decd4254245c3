#include <gtest/gtest.h>

#include "monitor/redact.h"

namespace examguard::monitor {
namespace {

TEST(RedactUrl, MasksUserAndPassword) {
    EXPECT_EQ(redactUrl("rtsp://admin:12345@192.168.1.64:554/Streaming/Channels/101"),
              "rtsp://***@192.168.1.64:554/Streaming/Channels/101");
    EXPECT_EQ(redactUrl("rtsp://admin@cam/live"), "rtsp://***@cam/live");
}

TEST(RedactUrl, PasswordHoldingAtOrSlashDoesNotLeak) {
    EXPECT_EQ(redactUrl("rtsp://admin:p@ss@cam/live"), "rtsp://***@cam/live");
    const std::string shown = redactUrl("rtsp://admin:se/cr@et@cam/live");
    EXPECT_EQ(shown.find("se/cr"), std::string::npos) << shown;
    EXPECT_EQ(shown.find("et@"), std::string::npos) << shown;
}

TEST(RedactUrl, MasksCredentialQueryParameters) {
    EXPECT_EQ(
        redactUrl("rtsp://cam:554/cam/realmonitor?channel=1&user=admin&password=x1&subtype=0"),
        "rtsp://cam:554/cam/realmonitor?channel=1&user=***&password=***&subtype=0");
    EXPECT_EQ(redactUrl("http://cam/snap.jpg?PWD=abc;token=t#frag"),
              "http://cam/snap.jpg?PWD=***;token=***#frag");
}

TEST(RedactUrl, LeavesUrlsWithoutCredentialsAndFilesAlone) {
    EXPECT_EQ(redactUrl("rtsp://127.0.0.1:8554/cam?channel=2"),
              "rtsp://127.0.0.1:8554/cam?channel=2");
    EXPECT_EQ(redactUrl("/srv/video/room-1.mp4"), "/srv/video/room-1.mp4");
    EXPECT_EQ(redactUrl(""), "");
}

TEST(RedactText, MasksEveryUrlInALine) {
    EXPECT_EQ(redactText("Opening 'rtsp://a:b@h1/x' then rtsp://c:d@h2:554/y?pwd=z failed\n"),
              "Opening 'rtsp://***@h1/x' then rtsp://***@h2:554/y?pwd=*** failed\n");
    EXPECT_EQ(redactText("no url here"), "no url here");
    EXPECT_EQ(redactText("x ://@ y"), "x ://***@ y");
}

}  // namespace
}  // namespace examguard::monitor
