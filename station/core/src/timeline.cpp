#include "station/timeline.h"

#include "station/privacy.h"
#include "station/sitting.h"

namespace examguard::station {

namespace {

bool concerns(const nlohmann::json& payload, std::int64_t sittingId, const std::string& room) {
    if (!payload.is_object()) {
        return true;
    }
    if (auto s = payload.find("sitting_id"); s != payload.end() && s->is_number_integer()) {
        return s->get<std::int64_t>() == sittingId;
    }
    if (auto r = payload.find("room"); r != payload.end() && r->is_string()) {
        return r->get<std::string>() == room;
    }
    return true;
}

std::optional<std::int64_t> integerField(const nlohmann::json& payload, const char* key) {
    if (!payload.is_object()) {
        return std::nullopt;
    }
    auto it = payload.find(key);
    return it != payload.end() && it->is_number_integer() ? std::optional(it->get<std::int64_t>())
                                                          : std::nullopt;
}

Expected<Bytes> snapshotOf(Station& station, const char* sql, std::int64_t id,
                           const char* context) {
    auto stmt = station.db().prepare(sql);
    if (!stmt) {
        return tl::unexpected(stmt.error());
    }
    stmt->bind(1, id);
    auto row = stmt->step();
    if (!row) {
        return tl::unexpected(row.error());
    }
    if (!*row || stmt->isNull(0)) {
        return Bytes{};
    }
    return open(station.keys().dataKey(), stmt->columnBlob(0), context);
}

}  // namespace

Expected<std::vector<LogEntry>> sittingTimeline(Station& station, std::int64_t sittingId,
                                                std::int64_t afterSeq) {
    auto place = sittingPlace(station.db(), sittingId);
    if (!place) {
        return tl::unexpected(place.error());
    }
    std::vector<LogEntry> entries;
    auto walked = station.log().forEach(
        [&](const LogEntry& e) {
            if (concerns(nlohmann::json::parse(e.payload, nullptr, false), sittingId,
                         place->roomCode)) {
                entries.push_back(e);
            }
            return true;
        },
        place->periodId, afterSeq);
    if (!walked) {
        return tl::unexpected(walked.error());
    }
    return entries;
}

Expected<TimelineEvidence> timelineEvidence(Station& station, const LogEntry& entry) {
    TimelineEvidence evidence;
    const auto payload = nlohmann::json::parse(entry.payload, nullptr, false);
    if (auto checkin = integerField(payload, "checkin_id");
        checkin && entry.kind.rfind("checkin.", 0) == 0) {
        auto snapshot = snapshotOf(station, "SELECT snapshot_enc FROM checkin WHERE id = ?",
                                   *checkin, "checkin.snapshot");
        if (!snapshot) {
            return tl::unexpected(snapshot.error());
        }
        evidence.snapshot = std::move(*snapshot);
    }
    auto event = integerField(payload, "event_id");
    if (!event || entry.kind.rfind("camera.", 0) != 0) {
        return evidence;
    }
    auto snapshot = snapshotOf(station, "SELECT snapshot FROM camera_event WHERE id = ?", *event,
                               "camera_event.snapshot");
    if (!snapshot) {
        return tl::unexpected(snapshot.error());
    }
    evidence.snapshot = std::move(*snapshot);
    // The segment of the event's camera that was recording when the event began.
    auto stmt = station.db().prepare(
        "SELECT g.path, (julianday(e.start_at) - julianday(g.start_at)) * 86400.0 FROM "
        "camera_event e JOIN recording_segment g ON g.camera_id = e.camera_id AND g.start_at <= "
        "e.start_at AND e.start_at < g.end_at WHERE e.id = ? ORDER BY g.start_at DESC LIMIT 1");
    if (!stmt) {
        return tl::unexpected(stmt.error());
    }
    stmt->bind(1, *event);
    auto row = stmt->step();
    if (!row) {
        return tl::unexpected(row.error());
    }
    if (*row) {
        evidence.recordingPath = stmt->columnText(0);
        evidence.recordingOffsetSeconds = stmt->columnDouble(1);
    }
    return evidence;
}

}  // namespace examguard::station
