#include "station/seat_status.h"

#include <algorithm>
#include <cctype>

#include "station/clock.h"

namespace examguard::station {

namespace {

// "A2" < "A10": digit runs compare by value.
bool naturalLess(const std::string& a, const std::string& b) {
    std::size_t i = 0;
    std::size_t j = 0;
    while (i < a.size() && j < b.size()) {
        const bool da = std::isdigit(static_cast<unsigned char>(a[i])) != 0;
        const bool db = std::isdigit(static_cast<unsigned char>(b[j])) != 0;
        if (da && db) {
            std::size_t ei = i;
            std::size_t ej = j;
            while (ei < a.size() && std::isdigit(static_cast<unsigned char>(a[ei])))
                ++ei;
            while (ej < b.size() && std::isdigit(static_cast<unsigned char>(b[ej])))
                ++ej;
            const auto na =
                a.substr(i, ei - i).erase(0, a.substr(i, ei - i).find_first_not_of('0'));
            const auto nb =
                b.substr(j, ej - j).erase(0, b.substr(j, ej - j).find_first_not_of('0'));
            if (na.size() != nb.size()) {
                return na.size() < nb.size();
            }
            if (na != nb) {
                return na < nb;
            }
            i = ei;
            j = ej;
        } else {
            if (a[i] != b[j]) {
                return a[i] < b[j];
            }
            ++i;
            ++j;
        }
    }
    return a.size() - i < b.size() - j;
}

// Enrolled seats with each candidate's latest attempt in this sitting (if any) and whether an
// impersonation alert was raised on it.
constexpr const char* kSeatsSql =
    "SELECT e.seat, coalesce(e.exam_number, ''), c.id_number_masked, k.decision, "
    "k.override_decision, coalesce(k.override_reason, k.reason, ''), coalesce(k.attempted_at, ''), "
    "(SELECT count(*) FROM impersonation_alert a WHERE a.checkin_id = k.id), st.planned_start "
    "FROM sitting st JOIN enrollment e ON e.period_id = st.period_id JOIN candidate c ON c.id = "
    "e.candidate_id LEFT JOIN checkin k ON k.id = (SELECT max(id) FROM checkin WHERE sitting_id "
    "= st.id AND candidate_id = e.candidate_id) WHERE st.id = ?";

}  // namespace

std::string_view seatStateName(SeatState state) {
    switch (state) {
        case SeatState::NotYet:
            return "not_yet";
        case SeatState::CheckedIn:
            return "checked_in";
        case SeatState::Review:
            return "review";
        case SeatState::Refused:
            return "refused";
        case SeatState::Absent:
            return "absent";
        case SeatState::Alert:
            return "alert";
    }
    return "not_yet";
}

Expected<std::vector<SeatStatus>> seatStatuses(Database& db, std::int64_t sittingId,
                                               std::chrono::system_clock::time_point now) {
    auto stmt = db.prepare(kSeatsSql);
    if (!stmt) {
        return tl::unexpected(stmt.error());
    }
    stmt->bind(1, sittingId);
    const std::string nowIso = formatUtc(now);
    std::vector<SeatStatus> seats;
    auto done = stmt->forEachRow([&](Statement& row) {
        SeatStatus s;
        s.seat = row.columnText(0);
        s.examNumber = row.columnText(1);
        s.idNumberMasked = row.columnText(2);
        const std::string decision = row.columnText(3);
        const std::string override = row.columnText(4);
        s.reason = row.columnText(5);
        s.lastAttemptAt = row.columnText(6);
        const bool alert = row.columnInt(7) > 0;
        const std::string effective = override.empty() ? decision : override;
        if (alert) {
            s.state = SeatState::Alert;
        } else if (effective == "pass") {
            s.state = SeatState::CheckedIn;
        } else if (effective == "refuse") {
            s.state = SeatState::Refused;
        } else if (effective == "review") {
            s.state = SeatState::Review;
        } else {
            s.state = nowIso >= row.columnText(8) ? SeatState::Absent : SeatState::NotYet;
        }
        seats.push_back(std::move(s));
    });
    if (!done) {
        return tl::unexpected(done.error());
    }
    std::sort(seats.begin(), seats.end(),
              [](const SeatStatus& a, const SeatStatus& b) { return naturalLess(a.seat, b.seat); });
    return seats;
}

std::vector<SeatStatus> nextToCall(const std::vector<SeatStatus>& seats, std::size_t count) {
    std::vector<SeatStatus> out;
    for (const auto& s : seats) {
        if (out.size() == count) {
            break;
        }
        if (s.state == SeatState::NotYet) {
            out.push_back(s);
        }
    }
    return out;
}

}  // namespace examguard::station
