// The clocks the station runs on: the offset clock the console's demo uses runs at real speed
// from another moment.
#include <gtest/gtest.h>

#include "station/clock.h"

namespace examguard::station {
namespace {

TEST(OffsetClock, RunsAtRealSpeedFromAnotherMoment) {
    const auto offset = -std::chrono::hours(24 * 12) + std::chrono::minutes(3);
    const OffsetClock clock(offset);
    const auto before = std::chrono::system_clock::now();
    const auto at = clock.now();
    const auto after = std::chrono::system_clock::now();
    EXPECT_GE(at, before + offset);
    EXPECT_LE(at, after + offset);
}

}  // namespace
}  // namespace examguard::station
