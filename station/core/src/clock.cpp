#include "station/clock.h"

#include <ctime>

#include <fmt/format.h>

namespace examguard::station {

const Clock& systemClock() {
    static const SystemClock clock;
    return clock;
}

std::chrono::year_month_day chinaDate(const Clock& clock) {
    return std::chrono::year_month_day(
        std::chrono::floor<std::chrono::days>(clock.now() + std::chrono::hours(8)));
}

std::string formatUtc(std::chrono::system_clock::time_point t) {
    const auto ms = std::chrono::duration_cast<std::chrono::milliseconds>(t.time_since_epoch());
    auto seconds = std::chrono::duration_cast<std::chrono::seconds>(ms);
    auto millis = ms - seconds;
    if (millis.count() < 0) {  // before 1970: keep the remainder positive
        seconds -= std::chrono::seconds(1);
        millis += std::chrono::seconds(1);
    }
    const std::time_t tt = static_cast<std::time_t>(seconds.count());
    std::tm tm{};
    gmtime_r(&tt, &tm);
    return fmt::format("{:04}-{:02}-{:02}T{:02}:{:02}:{:02}.{:03}Z", tm.tm_year + 1900,
                       tm.tm_mon + 1, tm.tm_mday, tm.tm_hour, tm.tm_min, tm.tm_sec, millis.count());
}

}  // namespace examguard::station
