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

}  // namespace examguard::station
