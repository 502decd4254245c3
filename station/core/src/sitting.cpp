#include "station/sitting.h"

#include <fmt/format.h>

namespace examguard::station {

Expected<SittingPlace> sittingPlace(Database& db, std::int64_t sittingId) {
    auto stmt = db.prepare(
        "SELECT s.period_id, s.room_id, r.code FROM sitting s JOIN room r ON r.id = s.room_id "
        "WHERE s.id = ?");
    if (!stmt) {
        return tl::unexpected(stmt.error());
    }
    stmt->bind(1, sittingId);
    auto row = stmt->step();
    if (!row) {
        return tl::unexpected(row.error());
    }
    if (!*row) {
        return fail(ErrorCode::NotFound, fmt::format("there is no sitting {}", sittingId));
    }
    return SittingPlace{stmt->columnInt(0), stmt->columnInt(1), stmt->columnText(2)};
}

Expected<std::chrono::system_clock::time_point> firstSittingStart(Database& db) {
    auto stmt = db.prepare(
        "SELECT CAST(strftime('%s', planned_start) AS INTEGER) FROM sitting "
        "WHERE planned_start IS NOT NULL ORDER BY planned_start LIMIT 1");
    if (!stmt) {
        return tl::unexpected(stmt.error());
    }
    auto row = stmt->step();
    if (!row) {
        return tl::unexpected(row.error());
    }
    if (!*row) {
        return fail(ErrorCode::NotFound, "there is no sitting");
    }
    return std::chrono::system_clock::time_point(std::chrono::seconds(stmt->columnInt(0)));
}

}  // namespace examguard::station
