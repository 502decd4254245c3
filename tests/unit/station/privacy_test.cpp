#include "station/privacy.h"

#include <gtest/gtest.h>

namespace examguard::station {
namespace {

TEST(Privacy, MasksIdNumbersInText) {
    EXPECT_EQ(maskSensitive("candidate 11010519491231002X checked in"),
              "candidate 110105********002X checked in");
    EXPECT_EQ(maskSensitive("id=110101199003071234,seat=A01"), "id=110101********1234,seat=A01");
    EXPECT_EQ(maskSensitive("11010519491231002x"), "110105********002x");
}

TEST(Privacy, LeavesOtherNumbersAlone) {
    EXPECT_EQ(maskSensitive("phone 13800138000"), "phone 13800138000");
    EXPECT_EQ(maskSensitive("1234567890123456789"), "1234567890123456789");  // 19 digits
    EXPECT_EQ(maskSensitive("order 12345678901234567"), "order 12345678901234567");
}

TEST(Privacy, MasksUrlCredentials) {
    EXPECT_EQ(maskUrlCredentials("rtsp://admin:Secret1@192.0.2.10:554/Streaming/101"),
              "rtsp://***@192.0.2.10:554/Streaming/101");
    EXPECT_EQ(maskUrlCredentials("open rtsp://u:p@cam/a and rtsp://cam2/b"),
              "open rtsp://***@cam/a and rtsp://cam2/b");
    EXPECT_EQ(maskUrlCredentials("rtsp://cam/path@x"), "rtsp://cam/path@x");
}

}  // namespace
}  // namespace examguard::station
