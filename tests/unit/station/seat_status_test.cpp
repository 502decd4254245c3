// Seat states of a sitting on a real store holding the demo period: latest attempt wins, an
// override beats the decision, no attempt is "not yet" before the start and "absent" after.
#include <gtest/gtest.h>

#include "demo_station.h"
#include "station/seat_status.h"
#include "station/sitting.h"

namespace examguard::station {
namespace {

namespace fs = std::filesystem;

class SeatStatusTest : public testing::DemoPeriodTest {
protected:
    // A check-in row for the candidate at `seat`, as the check-in service stores it.
    void attempt(const std::string& seat, const char* decision, const char* at,
                 const char* override = nullptr) {
        auto stmt = m_station->db().prepare(
            "INSERT INTO checkin (sitting_id, candidate_id, id_number_masked, attempted_at, "
            "decision, reason, liveness, override_decision, override_reason) SELECT ?, "
            "e.candidate_id, c.id_number_masked, ?, ?, 'test', 'live', ?, ? FROM enrollment e "
            "JOIN candidate c ON c.id = e.candidate_id WHERE e.seat = ?");
        stmt->bind(1, m_sitting)
            .bind(2, std::string(at))
            .bind(3, std::string(decision))
            .bind(4, override ? std::optional<std::string>(override) : std::nullopt)
            .bind(5, override ? std::optional<std::string>("confirmed by the chief examiner")
                              : std::nullopt)
            .bind(6, seat);
        ASSERT_TRUE(stmt->run());
    }

    std::map<std::string, SeatState> states(std::chrono::system_clock::time_point now) {
        auto seats = seatStatuses(m_station->db(), m_sitting, now);
        EXPECT_TRUE(seats) << seats.error().detail;
        std::map<std::string, SeatState> out;
        for (const auto& s : *seats) {
            out[s.seat] = s.state;
        }
        return out;
    }
};

TEST_F(SeatStatusTest, LatestAttemptAndOverrideDecideAndAbsenceFollowsTheStart) {
    const auto beforeStart = std::chrono::sys_days(std::chrono::year(2026) / 11 / 25);
    auto seats = seatStatuses(m_station->db(), m_sitting, beforeStart);
    ASSERT_TRUE(seats);
    ASSERT_EQ(seats->size(), 12U);
    for (const auto& s : *seats) {
        EXPECT_EQ(s.state, SeatState::NotYet) << s.seat;
        EXPECT_NE(s.idNumberMasked.find('*'), std::string::npos) << s.idNumberMasked;
    }
    attempt("A01", "refuse", "2026-11-25T00:40:00.000Z");
    attempt("A01", "pass", "2026-11-25T00:41:00.000Z");  // the latest attempt counts
    attempt("A02", "refuse", "2026-11-25T00:42:00.000Z");
    attempt("A03", "review", "2026-11-25T00:43:00.000Z");
    attempt("A04", "refuse", "2026-11-25T00:44:00.000Z", "pass");
    auto s = states(beforeStart);
    EXPECT_EQ(s["A01"], SeatState::CheckedIn);
    EXPECT_EQ(s["A02"], SeatState::Refused);
    EXPECT_EQ(s["A03"], SeatState::Review);
    EXPECT_EQ(s["A04"], SeatState::CheckedIn);
    EXPECT_EQ(s["A05"], SeatState::NotYet);
    const auto afterStart = beforeStart + std::chrono::hours(2);  // 09:00 +08:00 was 01:00Z
    s = states(afterStart);
    EXPECT_EQ(s["A05"], SeatState::Absent);
    EXPECT_EQ(s["A01"], SeatState::CheckedIn);
}

TEST_F(SeatStatusTest, SeatsInNaturalOrderAndTheNextToCall) {
    auto seats = seatStatuses(m_station->db(), m_sitting,
                              std::chrono::sys_days(std::chrono::year(2026) / 11 / 25));
    ASSERT_TRUE(seats);
    EXPECT_EQ(seats->front().seat, "A01");
    attempt("A01", "pass", "2026-11-25T00:41:00.000Z");
    seats = seatStatuses(m_station->db(), m_sitting,
                         std::chrono::sys_days(std::chrono::year(2026) / 11 / 25));
    const auto next = nextToCall(*seats, 3);
    ASSERT_EQ(next.size(), 3U);
    EXPECT_EQ(next[0].seat, "A02");
    EXPECT_EQ(next[2].seat, "A04");
    EXPECT_EQ(seatStateName(SeatState::Absent), "absent");
}

// Where the console's demo clock starts from: the earliest planned sitting (09:00 in Jinan).
TEST_F(SeatStatusTest, FirstSittingStartIsTheEarliestPlannedStart) {
    auto start = firstSittingStart(m_station->db());
    ASSERT_TRUE(start) << start.error().detail;
    EXPECT_EQ(*start,
              std::chrono::sys_days(std::chrono::year(2026) / 11 / 25) + std::chrono::hours(1));
    // A station with no period yet has no sitting to start from.
    testing::TempDir empty;
    auto fresh = Station::open({.databasePath = empty / "station.db"});
    ASSERT_TRUE(fresh) << fresh.error().detail;
    auto none = firstSittingStart(fresh->db());
    ASSERT_FALSE(none);
    EXPECT_EQ(none.error().code, ErrorCode::NotFound);
}

}  // namespace
}  // namespace examguard::station
