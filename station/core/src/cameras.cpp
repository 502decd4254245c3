#include "station/cameras.h"

#include <fmt/format.h>

#include "station/crypto.h"
#include "station/sitting.h"

namespace examguard::station {

namespace {

constexpr std::size_t kMaxSnapshotBytes = 8 * 1024 * 1024;

}  // namespace

Expected<std::vector<RoomCamera>> camerasOfSitting(Station& station, std::int64_t sittingId) {
    auto room = sittingPlace(station.db(), sittingId);
    if (!room) {
        return tl::unexpected(room.error());
    }
    auto stmt = station.db().prepare(
        "SELECT id, code, name, coalesce(position, ''), coalesce(stream_uri, '') FROM camera "
        "WHERE room_id = ? ORDER BY code");
    if (!stmt) {
        return tl::unexpected(stmt.error());
    }
    stmt->bind(1, room->roomId);
    std::vector<RoomCamera> cameras;
    auto done = stmt->forEachRow([&](Statement& row) {
        cameras.push_back({row.columnInt(0), room->roomCode, row.columnText(1), row.columnText(2),
                           row.columnText(3), row.columnText(4)});
    });
    if (!done) {
        return tl::unexpected(done.error());
    }
    return cameras;
}

Expected<std::vector<CameraBadge>> cameraBadges(Station& station, std::int64_t sittingId,
                                                std::chrono::seconds recent) {
    auto room = sittingPlace(station.db(), sittingId);
    if (!room) {
        return tl::unexpected(room.error());
    }
    const std::string since = formatUtc(station.clock().now() - recent);
    auto stmt = station.db().prepare(
        "SELECT e.id, e.camera_id, e.kind, e.start_at, e.end_at IS NULL FROM camera_event e JOIN "
        "camera c ON c.id = e.camera_id WHERE c.room_id = ? AND e.kind <> ? AND (e.end_at IS NULL "
        "OR julianday(e.end_at) >= julianday(?)) ORDER BY e.start_at DESC, e.id DESC");
    if (!stmt) {
        return tl::unexpected(stmt.error());
    }
    stmt->bind(1, room->roomId).bind(2, std::string(kProctorSnapshot)).bind(3, since);
    std::vector<CameraBadge> badges;
    auto done = stmt->forEachRow([&](Statement& row) {
        badges.push_back({row.columnInt(0), row.columnInt(1), row.columnText(2), row.columnText(3),
                          row.columnInt(4) != 0});
    });
    if (!done) {
        return tl::unexpected(done.error());
    }
    return badges;
}

Expected<std::int64_t> storeProctorSnapshot(Station& station, std::int64_t sittingId,
                                            std::int64_t cameraId,
                                            std::span<const unsigned char> jpeg,
                                            std::string_view actor) {
    if (jpeg.size() < 4 || jpeg[0] != 0xFF || jpeg[1] != 0xD8 || jpeg.size() > kMaxSnapshotBytes) {
        return fail(ErrorCode::BadInput, "the snapshot is not a JPEG picture of at most 8 MiB");
    }
    auto room = sittingPlace(station.db(), sittingId);
    if (!room) {
        return tl::unexpected(room.error());
    }
    auto camera = station.db().prepare("SELECT code FROM camera WHERE id = ? AND room_id = ?");
    if (!camera) {
        return tl::unexpected(camera.error());
    }
    camera->bind(1, cameraId).bind(2, room->roomId);
    auto found = camera->step();
    if (!found) {
        return tl::unexpected(found.error());
    }
    if (!*found) {
        return fail(ErrorCode::NotFound, fmt::format("camera {} is not in room {} of sitting {}",
                                                     cameraId, room->roomCode, sittingId));
    }
    const std::string code = camera->columnText(0);
    auto sealed = seal(station.keys().dataKey(), jpeg, "camera_event.snapshot");
    if (!sealed) {
        return tl::unexpected(sealed.error());
    }
    auto txn = Transaction::begin(station.db());
    if (!txn) {
        return tl::unexpected(txn.error());
    }
    const std::string now = formatUtc(station.clock().now());
    auto insert = station.db().prepare(
        "INSERT INTO camera_event (camera_id, sitting_id, kind, start_at, end_at, confidence, "
        "snapshot) VALUES (?, ?, ?, ?, ?, 1.0, ?)");
    if (!insert) {
        return tl::unexpected(insert.error());
    }
    insert->bind(1, cameraId)
        .bind(2, sittingId)
        .bind(3, std::string(kProctorSnapshot))
        .bind(4, now)
        .bind(5, now)
        .bind(6, std::span<const unsigned char>(*sealed));
    if (auto r = insert->run(); !r) {
        return tl::unexpected(r.error());
    }
    auto logged = station.log().append({std::string(actor),
                                        "camera.snapshot",
                                        room->periodId,
                                        {{"sitting_id", sittingId},
                                         {"camera", code},
                                         {"room", room->roomCode},
                                         {"event_id", station.db().lastInsertRowId()},
                                         {"start_at", now}}});
    if (!logged) {
        return tl::unexpected(logged.error());
    }
    if (auto r = txn->commit(); !r) {
        return tl::unexpected(r.error());
    }
    return logged->seq;
}

}  // namespace examguard::station
