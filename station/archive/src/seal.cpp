#include "archive/seal.h"

#include <chrono>
#include <map>
#include <set>

#include <fmt/format.h>

#include "archive/bagit.h"
#include "archive/signing.h"
#include "archive/timestamp.h"
#include "archive/zip_container.h"
#include "station/clock.h"
#include "station/period_import.h"

namespace examguard::archive {

namespace fs = std::filesystem;
using nlohmann::json;
using station::Database;
using station::ErrorCode;
using station::Expected;
using station::fail;
using station::Statement;

namespace {

// Every row of a query whose only parameter (?1) is the period id, as JSON objects keyed by
// column name. Blobs never reach here: the queries select what an archive may show.
Expected<json> rows(Database& db, std::string_view sql, std::int64_t periodId) {
    auto stmt = db.prepare(sql);
    if (!stmt) {
        return tl::unexpected(stmt.error());
    }
    if (sql.find("?1") != std::string_view::npos) {
        stmt->bind(1, periodId);
    }
    json out = json::array();
    auto done = stmt->forEachRow([&](Statement& row) {
        json object = json::object();
        for (int i = 0; i < row.columnCount(); ++i) {
            switch (row.columnType(i)) {
                case Statement::ColumnType::Integer:
                    object[row.columnName(i)] = row.columnInt(i);
                    break;
                case Statement::ColumnType::Real:
                    object[row.columnName(i)] = row.columnDouble(i);
                    break;
                case Statement::ColumnType::Text:
                    object[row.columnName(i)] = row.columnText(i);
                    break;
                default:
                    object[row.columnName(i)] = nullptr;
            }
        }
        out.push_back(std::move(object));
    });
    if (!done) {
        return tl::unexpected(done.error());
    }
    return out;
}

constexpr const char* kPeriodSql =
    "SELECT p.id, p.code, p.institution, p.trade, p.training_type, p.number, p.retention_class, "
    "p.retention_years, p.status, p.plan_sha256, p.created_at, s.code AS site_code, "
    "s.name AS site_name, s.address AS site_address FROM period p JOIN site s ON s.id = "
    "p.site_id WHERE p.id = ?1";
constexpr const char* kSittingsSql =
    "SELECT st.id, st.subject, st.round, st.planned_start, st.planned_end, r.code AS room_code, "
    "r.name AS room_name, r.kind AS room_kind FROM sitting st JOIN room r ON r.id = st.room_id "
    "WHERE st.period_id = ?1 ORDER BY st.planned_start, st.id";
constexpr const char* kRosterSql =
    "SELECT e.candidate_id, c.id_number_masked, c.gender, e.seat, e.exam_number FROM enrollment "
    "e JOIN candidate c ON c.id = e.candidate_id WHERE e.period_id = ?1 ORDER BY e.seat";
constexpr const char* kStaffSql =
    "SELECT sa.id, s.name, s.role, s.affiliation, sa.sitting_id FROM staff_assignment sa JOIN "
    "staff s ON s.id = sa.staff_id WHERE sa.period_id = ?1 ORDER BY sa.id";
constexpr const char* kMachinesSql =
    "SELECT m.id, r.code AS room_code, m.seat, m.hostname, m.mac, m.ip, m.role FROM machine m "
    "JOIN room r ON r.id = m.room_id WHERE m.room_id IN (SELECT room_id FROM sitting WHERE "
    "period_id = ?1) ORDER BY r.code, m.seat";
constexpr const char* kCamerasSql =
    "SELECT c.id, r.code AS room_code, c.code, c.name, c.position FROM camera c JOIN room r ON "
    "r.id = c.room_id WHERE c.room_id IN (SELECT room_id FROM sitting WHERE period_id = ?1) "
    "ORDER BY c.id";
constexpr const char* kCheckinsSql =
    "SELECT k.id, k.sitting_id, k.candidate_id, k.id_number_masked, k.attempted_at, "
    "k.attempted_by, k.decision, k.reason, k.reasons_json, k.model, k.score_id_photo, "
    "k.score_roster_photo, k.liveness, k.liveness_score, k.card_source, k.override_decision, "
    "k.override_reason, k.overridden_at, u.login AS override_by, (k.snapshot_enc IS NOT NULL) AS "
    "has_snapshot FROM checkin k JOIN sitting st ON st.id = k.sitting_id LEFT JOIN app_user u ON "
    "u.id = k.override_by WHERE st.period_id = ?1 ORDER BY k.attempted_at, k.id";
constexpr const char* kAlertsSql =
    "SELECT a.id, a.checkin_id, a.presented_candidate_id, a.matched_candidate_id, "
    "mc.id_number_masked AS matched_id_masked, a.matched_source, a.matched_checkin_id, a.kind, "
    "a.distance_own, a.distance_other, a.created_at FROM impersonation_alert a JOIN checkin k ON "
    "k.id = a.checkin_id JOIN sitting st ON st.id = k.sitting_id JOIN candidate mc ON mc.id = "
    "a.matched_candidate_id WHERE st.period_id = ?1 ORDER BY a.id";
constexpr const char* kLanSql =
    "SELECT id, sitting_id, source, kind, app, ip, mac, seat, evidence, first_seen, last_seen "
    "FROM lan_finding WHERE period_id = ?1 ORDER BY id";
// Events of the period's sittings, and unattributed events in its rooms during its span.
constexpr const char* kCameraEventsSql =
    "SELECT e.id, c.code AS camera, r.code AS room_code, e.sitting_id, e.kind, e.start_at, "
    "e.end_at, e.confidence, (e.snapshot IS NOT NULL) AS has_snapshot FROM camera_event e JOIN "
    "camera c ON c.id = e.camera_id JOIN room r ON r.id = c.room_id WHERE e.sitting_id IN "
    "(SELECT id FROM sitting WHERE period_id = ?1) OR (e.sitting_id IS NULL AND c.room_id IN "
    "(SELECT room_id FROM sitting WHERE period_id = ?1) AND e.start_at < (SELECT "
    "max(planned_end) FROM sitting WHERE period_id = ?1) AND coalesce(e.end_at, e.start_at) > "
    "(SELECT min(planned_start) FROM sitting WHERE period_id = ?1)) ORDER BY e.start_at, e.id";
// Segments of the period's cameras that overlap its span.
constexpr const char* kRecordingsSql =
    "SELECT g.id, c.code AS camera, r.code AS room_code, g.start_at, g.end_at, g.path, g.sha256, "
    "g.bytes, g.keep_until FROM recording_segment g JOIN camera c ON c.id = g.camera_id JOIN room "
    "r ON r.id = c.room_id WHERE c.room_id IN (SELECT room_id FROM sitting WHERE period_id = ?1) "
    "AND g.start_at < (SELECT max(planned_end) FROM sitting WHERE period_id = ?1) AND g.end_at > "
    "(SELECT min(planned_start) FROM sitting WHERE period_id = ?1) ORDER BY c.code, g.start_at";
constexpr const char* kScoresSql =
    "SELECT sc.sitting_id, sc.candidate_id, sc.points, sc.passed, sc.absent, sc.recorded_at FROM "
    "score sc JOIN sitting st ON st.id = sc.sitting_id WHERE st.period_id = ?1 ORDER BY "
    "sc.sitting_id, sc.candidate_id";

// The proctors' room record notes (`room.note` log entries).
constexpr const char* kRoomNotesSql =
    "SELECT seq, recorded_at, actor, json_extract(payload, '$.sitting_id') AS sitting_id, "
    "json_extract(payload, '$.text') AS text FROM event_log WHERE period_id = ?1 AND kind = "
    "'room.note' ORDER BY seq";

Expected<PeriodRecords> loadRecords(Database& db, std::int64_t periodId) {
    PeriodRecords r;
    for (auto [target, sql] : {std::pair{&r.sittings, kSittingsSql},
                               {&r.roster, kRosterSql},
                               {&r.staff, kStaffSql},
                               {&r.machines, kMachinesSql},
                               {&r.checkins, kCheckinsSql},
                               {&r.alerts, kAlertsSql},
                               {&r.lanFindings, kLanSql},
                               {&r.cameraEvents, kCameraEventsSql},
                               {&r.recordings, kRecordingsSql},
                               {&r.scores, kScoresSql},
                               {&r.roomNotes, kRoomNotesSql}}) {
        auto got = rows(db, sql, periodId);
        if (!got) {
            return tl::unexpected(got.error());
        }
        *target = std::move(*got);
    }
    auto period = rows(db, kPeriodSql, periodId);
    auto cameras = rows(db, kCamerasSql, periodId);
    if (!period || !cameras) {
        return tl::unexpected(!period ? period.error() : cameras.error());
    }
    r.period = period->at(0);
    r.period["cameras"] = std::move(*cameras);
    for (auto& c : r.checkins) {
        // Stored as JSON text; in the archive it is data, not a string to parse again.
        auto reasons = json::parse(c.value("reasons_json", "[]"), nullptr, false);
        c["reasons"] = reasons.is_discarded() ? json::array() : reasons;
        c.erase("reasons_json");
        c["has_snapshot"] = c.value("has_snapshot", 0) != 0;
    }
    for (auto& e : r.cameraEvents) {
        e["has_snapshot"] = e.value("has_snapshot", 0) != 0;
    }
    for (auto& s : r.recordings) {
        const auto camera = s.value("camera", std::string());
        s["file"] = camera + "/" + fs::path(s.value("path", std::string())).filename().string();
        s.erase("path");  // the station's own layout; an inspector looks up `file`
    }
    return r;
}

// The complete event log, one canonical JSON object per line, in chain order.
Expected<std::string> exportLog(station::EventLog& log) {
    std::string out;
    auto walked = log.forEach([&](const station::LogEntry& e) {
        json line = {{"seq", e.seq},
                     {"recorded_at", e.recordedAt},
                     {"actor", e.actor},
                     {"kind", e.kind},
                     {"period_id", e.periodId ? json(*e.periodId) : json(nullptr)},
                     {"payload", e.payload},
                     {"content_sha256", e.contentSha256},
                     {"prev_sha256", e.prevSha256},
                     {"entry_sha256", e.entrySha256}};
        out += line.dump(-1, ' ', false, json::error_handler_t::replace);
        out += '\n';
        return true;
    });
    if (!walked) {
        return tl::unexpected(walked.error());
    }
    return out;
}

// Names, full ID numbers and face images, decrypted from the store to be encrypted again for
// the authority: they never appear in the archive in the clear.
// Names, full ID numbers and face images: only ever sealed encrypted to the authority.
// `cameraEvents` are the period's events as exported (their ids select the snapshots).
Expected<json> personalData(station::Station& station, std::int64_t periodId,
                            const json& cameraEvents) {
    const auto& key = station.keys().dataKey();
    json out = {{"candidates", json::array()},
                {"checkin_snapshots", json::array()},
                {"camera_snapshots", json::array()}};
    auto candidates = station.db().prepare(
        "SELECT c.id, c.id_number_enc, c.name_enc FROM candidate c WHERE c.id IN (SELECT "
        "candidate_id FROM enrollment WHERE period_id = ?1 UNION SELECT candidate_id FROM "
        "checkin k JOIN sitting st ON st.id = k.sitting_id WHERE st.period_id = ?1) ORDER BY c.id");
    if (!candidates) {
        return tl::unexpected(candidates.error());
    }
    candidates->bind(1, periodId);
    std::optional<station::Error> failed;
    auto text = [&](const station::Blob& blob, const char* context) -> std::string {
        auto plain = station::open(key, blob, context);
        if (!plain) {
            failed = plain.error();
            return {};
        }
        return std::string(plain->begin(), plain->end());
    };
    auto done = candidates->forEachRow([&](Statement& row) {
        out["candidates"].push_back({{"candidate_id", row.columnInt(0)},
                                     {"id_number", text(row.columnBlob(1), "candidate.id_number")},
                                     {"name", text(row.columnBlob(2), "candidate.name")}});
    });
    auto snapshots = station.db().prepare(
        "SELECT k.id, k.snapshot_enc FROM checkin k JOIN sitting st ON st.id = k.sitting_id WHERE "
        "st.period_id = ?1 AND k.snapshot_enc IS NOT NULL ORDER BY k.id");
    if (!done || !snapshots) {
        return tl::unexpected(!done ? done.error() : snapshots.error());
    }
    snapshots->bind(1, periodId);
    done = snapshots->forEachRow([&](Statement& row) {
        const auto image = text(row.columnBlob(1), "checkin.snapshot");
        out["checkin_snapshots"].push_back(
            {{"checkin_id", row.columnInt(0)},
             {"jpeg_base64",
              station::base64Encode(
                  std::span(reinterpret_cast<const unsigned char*>(image.data()), image.size()))}});
    });
    if (!done) {
        return tl::unexpected(done.error());
    }
    // Camera snapshots show the room and its people: stored encrypted like check-in snapshots.
    auto cameraSnapshot = station.db().prepare(
        "SELECT snapshot FROM camera_event WHERE id = ? AND snapshot IS NOT NULL");
    if (!cameraSnapshot) {
        return tl::unexpected(cameraSnapshot.error());
    }
    for (const auto& e : cameraEvents) {
        if (!e.value("has_snapshot", false)) {
            continue;
        }
        cameraSnapshot->reset();
        cameraSnapshot->bind(1, e.value("id", std::int64_t{0}));
        auto row = cameraSnapshot->step();
        if (!row) {
            return tl::unexpected(row.error());
        }
        if (!*row) {
            continue;
        }
        const auto image = text(cameraSnapshot->columnBlob(0), "camera_event.snapshot");
        out["camera_snapshots"].push_back(
            {{"camera_event_id", e.value("id", std::int64_t{0})},
             {"jpeg_base64",
              station::base64Encode(
                  std::span(reinterpret_cast<const unsigned char*>(image.data()), image.size()))}});
    }
    if (failed) {
        return tl::unexpected(*failed);
    }
    return out;
}

std::string isoNow(const station::Clock& clock) {
    const auto now = std::chrono::floor<std::chrono::seconds>(clock.now());
    return station::formatUtc(now).substr(0, 19) + "Z";
}

json jsonOf(const std::vector<std::string>& list) {
    json out = json::array();
    for (const auto& s : list) {
        out.push_back(s);
    }
    return out;
}

}  // namespace

std::string keepUntilDate(const std::string& isoTime, int years) {
    if (isoTime.size() < 10) {
        return {};
    }
    int year = std::stoi(isoTime.substr(0, 4)) + years;
    std::string monthDay = isoTime.substr(5, 5);
    if (monthDay == "02-29") {
        monthDay = "03-01";  // kept at least the full term
    }
    return fmt::format("{:04}-{}", year, monthDay);
}

nlohmann::json recordReports(const PeriodRecords& r) {
    // One report per subject × round, over all rooms of that sitting kind.
    json reports = json::array();
    for (const char* subject : {"theory", "practical"}) {
        for (const char* round : {"main", "retake"}) {
            std::set<std::int64_t> sittingIds;
            json sittings = json::array();
            for (const auto& s : r.sittings) {
                if (s.value("subject", "") == subject && s.value("round", "") == round) {
                    sittingIds.insert(s.value("id", std::int64_t{0}));
                    sittings.push_back(s);
                }
            }
            if (sittingIds.empty()) {
                continue;
            }
            auto inSittings = [&](const json& row) {
                return row.contains("sitting_id") && row["sitting_id"].is_number_integer() &&
                       sittingIds.count(row["sitting_id"].get<std::int64_t>()) > 0;
            };
            std::set<std::int64_t> admitted, refused;
            int attempts = 0, overrides = 0, late = 0;
            json lateSignIns = json::array();
            for (const auto& c : r.checkins) {
                if (!inSittings(c)) {
                    continue;
                }
                ++attempts;
                const auto decision = c["override_decision"].is_string()
                                          ? c["override_decision"].get<std::string>()
                                          : c.value("decision", "");
                if (c["override_decision"].is_string()) {
                    ++overrides;
                }
                const auto candidate = c["candidate_id"].is_number_integer()
                                           ? c["candidate_id"].get<std::int64_t>()
                                           : -1;
                (decision == "pass" ? admitted : refused).insert(candidate);
                for (const auto& s : sittings) {
                    if (s["id"] == c["sitting_id"] &&
                        c.value("attempted_at", "") > s.value("planned_start", "")) {
                        ++late;
                        lateSignIns.push_back({{"checkin_id", c["id"]},
                                               {"id_number_masked", c["id_number_masked"]},
                                               {"attempted_at", c["attempted_at"]},
                                               {"planned_start", s["planned_start"]}});
                    }
                }
            }
            for (auto id : admitted) {
                refused.erase(id);
            }
            int lan = 0, camera = 0, alerts = 0;
            for (const auto& f : r.lanFindings) {
                lan += inSittings(f) ? 1 : 0;
            }
            for (const auto& e : r.cameraEvents) {
                camera += inSittings(e) ? 1 : 0;
            }
            std::set<std::int64_t> checkinIds;
            for (const auto& c : r.checkins) {
                if (inSittings(c)) {
                    checkinIds.insert(c.value("id", std::int64_t{0}));
                }
            }
            for (const auto& a : r.alerts) {
                alerts += checkinIds.count(a.value("checkin_id", std::int64_t{0})) ? 1 : 0;
            }
            json staff = json::array();
            for (const auto& s : r.staff) {
                if (s["sitting_id"].is_null() || inSittings(s)) {
                    staff.push_back({{"name", s["name"]},
                                     {"role", s["role"]},
                                     {"affiliation", s["affiliation"]}});
                }
            }
            json notes = json::array();
            for (const auto& n : r.roomNotes) {
                if (inSittings(n)) {
                    notes.push_back(
                        {{"at", n["recorded_at"]}, {"by", n["actor"]}, {"text", n["text"]}});
                }
            }
            int scored = 0, passed = 0, absent = 0;
            for (const auto& s : r.scores) {
                if (inSittings(s)) {
                    ++scored;
                    passed += s.value("passed", 0);
                    absent += s.value("absent", 0);
                }
            }
            reports.push_back({{"subject", subject},
                               {"round", round},
                               {"sittings", sittings},
                               {"roster", r.roster.size()},
                               {"checkin_attempts", attempts},
                               {"admitted", admitted.size()},
                               {"refused", refused.size()},
                               {"overrides", overrides},
                               {"impersonation_alerts", alerts},
                               {"late_sign_ins", late},
                               {"late_sign_in_list", lateSignIns},
                               {"lan_findings", lan},
                               {"camera_events", camera},
                               {"staff", staff},
                               {"scored", scored},
                               {"passed", passed},
                               {"absent", absent},
                               {"notes", notes}});
        }
    }
    return reports;
}

nlohmann::json scoreSummary(const PeriodRecords& r) {
    std::map<std::int64_t, json> bySitting;
    for (const auto& s : r.sittings) {
        bySitting[s.value("id", std::int64_t{0})] = s;
    }
    json out = json::array();
    for (const auto& candidate : r.roster) {
        json line = {{"candidate_id", candidate["candidate_id"]},
                     {"id_number_masked", candidate["id_number_masked"]},
                     {"seat", candidate["seat"]},
                     {"exam_number", candidate["exam_number"]},
                     {"results", json::array()}};
        for (const auto& s : r.scores) {
            if (s["candidate_id"] != candidate["candidate_id"]) {
                continue;
            }
            const auto& sitting = bySitting[s.value("sitting_id", std::int64_t{0})];
            line["results"].push_back({{"subject", sitting.value("subject", "")},
                                       {"round", sitting.value("round", "")},
                                       {"points", s["points"]},
                                       {"passed", s.value("passed", 0) != 0},
                                       {"absent", s.value("absent", 0) != 0}});
        }
        out.push_back(std::move(line));
    }
    return out;
}

Expected<SealResult> sealPeriod(station::Station& station, const SealOptions& options) {
    // Progress for the console's bar, and the point between steps where a cancel is honoured
    // (the ZIP is written to a .partial file that is removed unless committed).
    const auto step = [&options](int percent, const char* stage) -> Expected<void> {
        if (options.cancelled && options.cancelled()) {
            return fail(ErrorCode::Invalid, "sealing was cancelled; no archive was written");
        }
        if (options.progress) {
            options.progress(percent, stage);
        }
        return {};
    };
    auto& db = station.db();
    auto found = station::findPeriod(db, options.periodCode);
    if (!found) {
        return tl::unexpected(found.error());
    }
    const std::int64_t periodId = found->id;
    auto signer = Signer::load(station.keys().directory());
    if (!signer) {
        return tl::unexpected(signer.error());
    }
    if (auto r = step(0, "records"); !r) {
        return tl::unexpected(r.error());
    }
    auto records = loadRecords(db, periodId);
    if (!records) {
        return tl::unexpected(records.error());
    }
    if (records->sittings.empty()) {
        return fail(ErrorCode::Invalid,
                    fmt::format("period {} has no sittings to archive", options.periodCode));
    }
    if (auto r = step(10, "log"); !r) {
        return tl::unexpected(r.error());
    }
    SealResult result;
    auto verification = station.log().verify();
    if (!verification) {
        return tl::unexpected(verification.error());
    }
    // Sealed as found: a broken log goes into the archive as it is, and verify reports it.
    result.eventLogIntact = verification->intact;
    result.eventLogHead = verification->headSha256;
    result.eventLogEntries = verification->entries;
    if (!verification->intact) {
        result.warnings.push_back(
            fmt::format("the event log is not intact ({}); it is sealed as "
                        "found and the archive will not verify",
                        verification->detail));
    }
    auto logText = exportLog(station.log());
    if (!logText) {
        return tl::unexpected(logText.error());
    }
    std::string planText;
    {
        auto stmt = db.prepare("SELECT coalesce(plan_json, '{}') FROM period WHERE id = ?");
        if (!stmt) {
            return tl::unexpected(stmt.error());
        }
        stmt->bind(1, periodId);
        if (auto row = stmt->step(); row && *row) {
            planText = stmt->columnText(0);
        }
    }

    const auto& period = records->period;
    const int retentionYears = static_cast<int>(period.value("retention_years", std::int64_t{3}));
    std::string lastEnd;
    for (const auto& s : records->sittings) {
        lastEnd = std::max(lastEnd, s.value("planned_end", std::string()));
    }
    result.keepUntil = keepUntilDate(lastEnd, retentionYears);
    const auto createdAt = isoNow(station.clock());
    const auto mtime = std::chrono::system_clock::to_time_t(station.clock().now());

    // data/: every payload file, in the order written (the manifest's order).
    std::vector<std::pair<std::string, std::string>> payload;
    auto pretty = [](const json& value) {
        return value.dump(2, ' ', false, json::error_handler_t::replace) + "\n";
    };
    payload.emplace_back("data/period.json", pretty(period));
    payload.emplace_back("data/plan.json", planText);
    payload.emplace_back("data/sittings.json", pretty(records->sittings));
    payload.emplace_back("data/roster.json", pretty(records->roster));
    payload.emplace_back("data/staff.json", pretty(records->staff));
    payload.emplace_back("data/machines.json", pretty(records->machines));
    payload.emplace_back("data/checkins.json", pretty(records->checkins));
    payload.emplace_back("data/impersonation-alerts.json", pretty(records->alerts));
    payload.emplace_back("data/lan-findings.json", pretty(records->lanFindings));
    payload.emplace_back("data/camera-events.json", pretty(records->cameraEvents));
    payload.emplace_back("data/scores.json", pretty(records->scores));
    payload.emplace_back("data/reports/record-reports.json", pretty(recordReports(*records)));
    payload.emplace_back("data/reports/score-summary.json", pretty(scoreSummary(*records)));
    payload.emplace_back("data/event-log.jsonl", *logText);

    if (!options.authorityCertificatePem.empty()) {
        if (auto r = step(30, "personal_data"); !r) {
            return tl::unexpected(r.error());
        }
        auto personal = personalData(station, periodId, records->cameraEvents);
        if (!personal) {
            return tl::unexpected(personal.error());
        }
        const auto plain = personal->dump();
        auto sealed = encryptFor(
            options.authorityCertificatePem,
            std::span(reinterpret_cast<const unsigned char*>(plain.data()), plain.size()));
        if (!sealed) {
            return tl::unexpected(sealed.error());
        }
        payload.emplace_back("data/personal.cms", std::string(sealed->begin(), sealed->end()));
        result.personalData = "encrypted";
    } else {
        result.personalData = "omitted";
        result.warnings.push_back(
            "no inspector authority certificate is configured: names, full ID numbers and face "
            "images are left out of the archive");
    }

    // Recordings: the index always; the videos themselves on request.
    json recordings = records->recordings;
    std::vector<std::pair<std::string, fs::path>> videoFiles;
    {
        auto stmt = db.prepare("SELECT path FROM recording_segment WHERE id = ?");
        if (!stmt) {
            return tl::unexpected(stmt.error());
        }
        for (auto& segment : recordings) {
            segment["member"] = nullptr;
            if (!options.includeRecordings) {
                continue;
            }
            stmt->reset();
            stmt->bind(1, segment.value("id", std::int64_t{0}));
            auto row = stmt->step();
            if (!row || !*row) {
                return fail(ErrorCode::Database, "recording segment vanished while sealing");
            }
            const std::string member = "data/recordings/" + segment.value("file", std::string());
            segment["member"] = member;
            videoFiles.emplace_back(member, stmt->columnText(0));
        }
    }
    payload.emplace_back("data/recordings/index.json", pretty(recordings));

    json summary = {{"format", "examguard-archive"},
                    {"format_version", 1},
                    {"created_at", createdAt},
                    {"site", {{"code", period["site_code"]}, {"name", period["site_name"]}}},
                    {"period",
                     {{"code", period["code"]},
                      {"institution", period["institution"]},
                      {"trade", period["trade"]},
                      {"retention_class", period["retention_class"]},
                      {"retention_years", retentionYears},
                      {"keep_until", result.keepUntil}}},
                    {"sittings", records->sittings.size()},
                    {"counts",
                     {{"roster", records->roster.size()},
                      {"checkin_attempts", records->checkins.size()},
                      {"impersonation_alerts", records->alerts.size()},
                      {"lan_findings", records->lanFindings.size()},
                      {"camera_events", records->cameraEvents.size()},
                      {"recording_segments", recordings.size()},
                      {"scores", records->scores.size()}}},
                    {"event_log",
                     {{"entries", result.eventLogEntries},
                      {"head_sha256", result.eventLogHead},
                      {"intact_when_sealed", result.eventLogIntact}}},
                    {"personal_data", result.personalData},
                    {"recordings_included", options.includeRecordings},
                    {"station",
                     {{"certificate_subject", signer->certificate().subject},
                      {"certificate_sha256", signer->certificate().sha256Fingerprint}}},
                    {"warnings", jsonOf(result.warnings)}};
    payload.emplace_back("data/summary.json", pretty(summary));

    auto writer = ZipWriter::create(options.out, mtime);
    if (!writer) {
        return tl::unexpected(writer.error());
    }
    std::vector<ManifestEntry> manifest;
    std::uint64_t payloadBytes = 0;
    const std::size_t members = payload.size() + videoFiles.size();
    std::size_t written = 0;
    const auto memberStep = [&]() {
        return step(40 + static_cast<int>(45 * written++ / std::max<std::size_t>(members, 1)),
                    "members");
    };
    for (const auto& [name, content] : payload) {
        if (auto r = memberStep(); !r) {
            return tl::unexpected(r.error());
        }
        auto hash = writer->add(name, content);
        if (!hash) {
            return tl::unexpected(hash.error());
        }
        manifest.push_back({*hash, name});
        payloadBytes += content.size();
    }
    for (const auto& [member, source] : videoFiles) {
        if (auto r = memberStep(); !r) {
            return tl::unexpected(r.error());
        }
        auto hash = writer->addFile(member, source);
        if (!hash) {
            return tl::unexpected(hash.error());
        }
        for (const auto& segment : recordings) {
            if (segment["member"] == member && segment.value("sha256", "") != *hash) {
                return fail(ErrorCode::Invalid,
                            fmt::format("recording {} no longer matches the SHA-256 logged when "
                                        "it was recorded; it was changed or damaged",
                                        source.string()));
            }
        }
        manifest.push_back({*hash, member});
        std::error_code ec;
        payloadBytes += fs::file_size(source, ec);
    }
    result.payloadFiles = manifest.size();

    const BagInfo bagInfo = {
        {"Source-Organization", period.value("site_name", "")},
        {"Organization-Address", period["site_address"].is_string()
                                     ? period["site_address"].get<std::string>()
                                     : std::string()},
        {"External-Identifier", period.value("code", "")},
        {"External-Description",
         fmt::format("ExamGuard archive of exam period {} ({}, {})", period.value("code", ""),
                     period.value("institution", ""), period.value("trade", ""))},
        {"Bagging-Date", createdAt.substr(0, 10)},
        {"Bag-Software-Agent", "ExamGuard " EXAMGUARD_ARCHIVE_VERSION},
        {"Payload-Oxum", fmt::format("{}.{}", payloadBytes, manifest.size())},
        {"ExamGuard-Site-Code", period.value("site_code", "")},
        {"ExamGuard-Period", period.value("code", "")},
        {"ExamGuard-Sittings", std::to_string(records->sittings.size())},
        {"ExamGuard-Retention-Class", period.value("retention_class", "")},
        {"ExamGuard-Keep-Until", result.keepUntil},
        {"ExamGuard-Created", createdAt},
        {"ExamGuard-Station", signer->certificate().subject},
        {"ExamGuard-Station-Certificate-SHA256", signer->certificate().sha256Fingerprint},
        {"ExamGuard-Event-Log-Head", result.eventLogHead},
        {"ExamGuard-Event-Log-Entries", std::to_string(result.eventLogEntries)},
        {"ExamGuard-Personal-Data", result.personalData}};
    const std::string manifestText = formatManifest(manifest);
    const std::string bagInfoText = formatBagInfo(bagInfo);
    std::vector<ManifestEntry> tagManifest;
    for (const auto& [name, content] :
         {std::pair<const char*, std::string_view>{kBagitFile, kBagitDeclaration},
          {kBagInfoFile, bagInfoText},
          {kManifestFile, manifestText}}) {
        auto hash = writer->add(name, content);
        if (!hash) {
            return tl::unexpected(hash.error());
        }
        tagManifest.push_back({*hash, name});
    }
    const std::string tagManifestText = formatManifest(tagManifest);
    if (auto r = step(88, "signature"); !r) {
        return tl::unexpected(r.error());
    }
    auto signature = signer->signDetached(std::span(
        reinterpret_cast<const unsigned char*>(tagManifestText.data()), tagManifestText.size()));
    if (!signature) {
        return tl::unexpected(signature.error());
    }
    if (options.timestamper) {
        auto query = makeTimestampQuery(*signature);
        if (!query) {
            return tl::unexpected(query.error());
        }
        auto reply = options.timestamper(*query);
        if (!reply) {
            return tl::unexpected(reply.error());
        }
        auto stamped = attachTimestamp(*signature, *query, *reply);
        if (!stamped) {
            return tl::unexpected(stamped.error());
        }
        signature = std::move(stamped);
        const auto stamp = checkTimestamp(*signature, {});
        result.timestampTime = stamp.time;
        result.timestampAuthority = stamp.authority;
    }
    for (const auto& [name, content] :
         {std::pair<const char*, std::string_view>{kTagManifestFile, tagManifestText},
          {kTagSignatureFile, std::string_view(reinterpret_cast<const char*>(signature->data()),
                                               signature->size())}}) {
        if (auto hash = writer->add(name, content); !hash) {
            return tl::unexpected(hash.error());
        }
    }
    if (auto r = step(94, options.timestamper ? "timestamp" : "signature"); !r) {
        return tl::unexpected(r.error());
    }
    auto bytes = writer->commit([&](const std::string& digest, std::uint64_t length) {
        const auto content = containerSealContent(digest, length);
        return signer->signRaw(
            std::span(reinterpret_cast<const unsigned char*>(content.data()), content.size()));
    });
    if (!bytes) {
        return tl::unexpected(bytes.error());
    }
    result.path = options.out;
    result.bytes = bytes->bytes;
    result.sha256 = bytes->sha256;
    result.signer = signer->certificate().subject;

    // The seal itself is history: logged after the archive exists, so the next archive of this
    // station shows when this one was made and what it was.
    auto logged = station.log().appendNow(
        {options.actor, "archive.sealed", periodId,
         json{{"period", period.value("code", "")},
              {"file", options.out.filename().string()},
              {"sha256", result.sha256},
              {"bytes", result.bytes},
              {"event_log_head", result.eventLogHead},
              {"keep_until", result.keepUntil},
              {"personal_data", result.personalData},
              {"timestamp",
               result.timestampTime.empty() ? json(nullptr) : json(result.timestampTime)}}});
    if (!logged) {
        result.warnings.push_back("the archive was written but its log entry failed: " +
                                  logged.error().detail);
    }
    if (options.progress) {
        options.progress(100, "sealed");
    }
    return result;
}

}  // namespace examguard::archive
