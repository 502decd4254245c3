#include "archive/retention.h"

#include <filesystem>
#include <set>

#include <nlohmann/json.hpp>

#include "archive/seal.h"

namespace examguard::archive {

using station::Statement;

station::Expected<RetentionReport> retentionStatus(station::Station& station,
                                                   const std::string& today) {
    RetentionReport report;
    std::set<std::string> sealedPeriods;
    auto walked = station.log().forEach([&](const station::LogEntry& e) {
        if (e.kind == "archive.sealed") {
            auto p = nlohmann::json::parse(e.payload, nullptr, false);
            if (p.is_object()) {
                report.archives.push_back({p.value("period", ""), p.value("file", ""),
                                           p.value("sha256", ""), p.value("keep_until", ""),
                                           e.recordedAt, p.value("bytes", std::int64_t{0})});
                sealedPeriods.insert(p.value("period", ""));
            }
        }
        return true;
    });
    if (!walked) {
        return tl::unexpected(walked.error());
    }
    auto segments = station.db().prepare(
        "SELECT c.code, g.path, g.start_at, g.keep_until, g.bytes FROM recording_segment g JOIN "
        "camera c ON c.id = g.camera_id ORDER BY g.keep_until, g.start_at");
    if (!segments) {
        return tl::unexpected(segments.error());
    }
    auto done = segments->forEachRow([&](Statement& row) {
        SegmentStatus s{row.columnText(0), row.columnText(1), row.columnText(2), row.columnText(3),
                        row.columnInt(4)};
        s.due = s.keepUntil.substr(0, 10) < today;
        std::error_code ec;
        s.missing = !s.due && !std::filesystem::exists(s.path, ec);
        report.segments.push_back(std::move(s));
    });
    auto periods = station.db().prepare(
        "SELECT p.code, max(s.planned_end), p.status, p.retention_years FROM period p JOIN "
        "sitting s ON s.period_id = p.id GROUP BY p.id ORDER BY max(s.planned_end)");
    if (!done || !periods) {
        return tl::unexpected(!done ? done.error() : periods.error());
    }
    done = periods->forEachRow([&](Statement& row) {
        PeriodStatus p{row.columnText(0), row.columnText(1), row.columnText(2), {}};
        p.keepUntil = keepUntilDate(p.lastSittingEnd, static_cast<int>(row.columnInt(3)));
        p.sealed = sealedPeriods.count(p.code) > 0;
        p.unsealedAfterEnd = !p.sealed && p.lastSittingEnd.substr(0, 10) < today;
        report.periods.push_back(std::move(p));
    });
    if (!done) {
        return tl::unexpected(done.error());
    }
    return report;
}

}  // namespace examguard::archive
