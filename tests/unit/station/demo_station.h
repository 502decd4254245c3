#pragma once

// A real store holding the demo period (schemas/examples/demo-period), on a manual clock; the
// theory main sitting is at hand.
#include <gtest/gtest.h>

#include <chrono>
#include <optional>
#include <string>

#include "station/period_import.h"
#include "station/station.h"
#include "test_support.h"

namespace examguard::station::testing {

class DemoPeriodTest : public ::testing::Test {
protected:
    explicit DemoPeriodTest(std::chrono::system_clock::time_point now =
                                std::chrono::sys_days(std::chrono::year(2026) / 11 / 25))
        : m_clock(now) {}

    void SetUp() override {
        auto s = Station::open({.databasePath = m_dir / "station.db",
                                .durability = Durability::Normal,
                                .clock = &m_clock});
        ASSERT_TRUE(s) << s.error().detail;
        m_station.emplace(std::move(*s));
        ImportOptions options;
        options.file =
            std::filesystem::path(EXAMGUARD_SOURCE_DIR) / "schemas/examples/demo-period/plan.json";
        auto r = importPeriod(*m_station, options);
        ASSERT_TRUE(r && r->summary) << (r ? "issues" : r.error().detail);
        m_sitting = sittingId("theory", "main");
    }

    std::int64_t sittingId(const std::string& subject, const std::string& round) {
        auto stmt =
            m_station->db().prepare("SELECT id FROM sitting WHERE subject = ? AND round = ?");
        stmt->bind(1, subject).bind(2, round);
        EXPECT_TRUE(*stmt->step()) << subject << " " << round;
        return stmt->columnInt(0);
    }

    TempDir m_dir;
    ManualClock m_clock;
    std::optional<Station> m_station;
    std::int64_t m_sitting = 0;  // theory, main round
};

}  // namespace examguard::station::testing
