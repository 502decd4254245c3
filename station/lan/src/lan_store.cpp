#include "station/lan_store.h"

#include <map>
#include <set>

#include <nlohmann/json.hpp>

#include <fmt/format.h>

namespace examguard::station {

std::string captureTime(std::int64_t us) {
    if (us <= 0) {
        return "";
    }
    return formatUtc(std::chrono::system_clock::time_point(std::chrono::microseconds(us)));
}

Expected<std::vector<netaudit::RegistryEntry>> registryOfPeriod(Station& station,
                                                                std::int64_t periodId) {
    auto stmt = station.db().prepare(
        "SELECT m.seat, coalesce(m.hostname, ''), m.mac, m.ip FROM machine m JOIN room r ON r.id "
        "= m.room_id JOIN period p ON p.site_id = r.site_id WHERE p.id = ? ORDER BY m.id");
    if (!stmt) {
        return tl::unexpected(stmt.error());
    }
    stmt->bind(1, periodId);
    std::vector<netaudit::RegistryEntry> entries;
    std::optional<std::string> bad;
    auto done = stmt->forEachRow([&](Statement& row) {
        auto mac = netaudit::MacAddress::parse(row.columnText(2));
        auto ip = netaudit::IpAddress::parse(row.columnText(3));
        if (!mac || !ip) {
            bad = row.columnText(0);
            return;
        }
        entries.push_back({row.columnText(0), row.columnText(1), *mac, *ip});
    });
    if (!done) {
        return tl::unexpected(done.error());
    }
    if (bad) {
        return fail(ErrorCode::Invalid,
                    fmt::format("the filed machine at seat {} has no valid MAC/IP", *bad));
    }
    return entries;
}

Expected<std::int64_t> storeFindings(Station& station, std::int64_t periodId,
                                     const netaudit::AuditReport& report,
                                     const std::string& reportSha256, const std::string& actor) {
    auto txn = Transaction::begin(station.db());
    if (!txn) {
        return tl::unexpected(txn.error());
    }
    std::map<std::string, std::string> seatOfMac;
    for (const auto& h : report.hosts) {
        if (h.seat) {
            seatOfMac[h.mac.toString()] = *h.seat;
        }
    }
    std::map<std::string, int> byKind;
    for (const auto& f : report.findings) {
        auto insert = station.db().prepare(
            "INSERT INTO lan_finding (period_id, source, kind, app, ip, mac, seat, evidence, "
            "first_seen, last_seen) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)");
        if (!insert) {
            return tl::unexpected(insert.error());
        }
        const std::optional<std::string> mac =
            f.mac ? std::optional(f.mac->toString()) : std::nullopt;
        std::optional<std::string> seat;
        if (mac && seatOfMac.count(*mac)) {
            seat = seatOfMac[*mac];
        }
        const std::string first = captureTime(f.firstSeenUs);
        insert->bind(1, periodId)
            .bind(2, std::string(report.active ? "lan_active" : "lan_passive"))
            .bind(3, std::string(netaudit::findingKindName(f.kind)))
            .bind(4, f.app)
            .bind(5, f.ip ? std::optional(f.ip->toString()) : std::nullopt)
            .bind(6, mac)
            .bind(7, seat)
            .bind(8, f.evidence)
            .bind(9, first.empty() ? formatUtc(station.clock().now()) : first)
            .bind(10,
                  f.lastSeenUs > 0 ? captureTime(f.lastSeenUs) : formatUtc(station.clock().now()));
        if (auto r = insert->run(); !r) {
            return tl::unexpected(r.error());
        }
        ++byKind[std::string(netaudit::findingKindName(f.kind))];
    }
    std::set<std::string> seen;
    for (const auto& h : report.hosts) {
        seen.insert(h.mac.toString());
    }
    auto logged = station.log().append({actor,
                                        "netaudit.audit",
                                        periodId,
                                        {{"source", report.source},
                                         {"packets", report.packets},
                                         {"hosts", report.hosts.size()},
                                         {"findings", byKind},
                                         {"seen_macs", seen},
                                         {"report_sha256", reportSha256}}});
    if (!logged) {
        return tl::unexpected(logged.error());
    }
    if (auto r = txn->commit(); !r) {
        return tl::unexpected(r.error());
    }
    return logged->seq;
}

Expected<std::string> lanRecordsVersion(Station& station, std::int64_t periodId) {
    auto stmt = station.db().prepare(
        "SELECT (SELECT count(*) || ':' || coalesce(max(id), 0) || ':' || coalesce(max(last_seen), "
        "'') FROM lan_finding WHERE period_id = ?1) || '/' || (SELECT coalesce(max(seq), 0) FROM "
        "event_log WHERE period_id = ?1 AND kind = 'netaudit.audit') || '/' || (SELECT count(*) || "
        "':' || coalesce(max(m.id), 0) FROM machine m JOIN room r ON r.id = m.room_id JOIN period "
        "p ON p.site_id = r.site_id WHERE p.id = ?1)");
    if (!stmt) {
        return tl::unexpected(stmt.error());
    }
    stmt->bind(1, periodId);
    auto row = stmt->step();
    if (!row) {
        return tl::unexpected(row.error());
    }
    return stmt->columnText(0);
}

Expected<std::optional<AuditSighting>> latestAuditSighting(Station& station,
                                                           std::int64_t periodId) {
    auto stmt = station.db().prepare(
        "SELECT seq, recorded_at, payload FROM event_log WHERE period_id = ? AND kind = "
        "'netaudit.audit' ORDER BY seq DESC LIMIT 1");
    if (!stmt) {
        return tl::unexpected(stmt.error());
    }
    stmt->bind(1, periodId);
    auto row = stmt->step();
    if (!row) {
        return tl::unexpected(row.error());
    }
    if (!*row) {
        return std::optional<AuditSighting>();
    }
    const auto payload = nlohmann::json::parse(stmt->columnText(2), nullptr, false);
    const auto macs = payload.is_object() ? payload.find("seen_macs") : payload.end();
    if (!payload.is_object() || macs == payload.end() || !macs->is_array()) {
        return std::optional<AuditSighting>();  // an audit stored before MACs were kept
    }
    AuditSighting sighting{stmt->columnInt(0), stmt->columnText(1), {}};
    for (const auto& mac : *macs) {
        if (mac.is_string()) {
            sighting.seenMacs.insert(mac.get<std::string>());
        }
    }
    return std::optional(std::move(sighting));
}

Expected<std::vector<StoredFinding>> findingsOfPeriod(Station& station, std::int64_t periodId) {
    auto stmt = station.db().prepare(
        "SELECT id, source, kind, coalesce(app, ''), coalesce(ip, ''), coalesce(mac, ''), "
        "coalesce(seat, ''), evidence, first_seen, last_seen FROM lan_finding WHERE period_id = ? "
        "ORDER BY last_seen DESC, id DESC");
    if (!stmt) {
        return tl::unexpected(stmt.error());
    }
    stmt->bind(1, periodId);
    std::vector<StoredFinding> findings;
    auto done = stmt->forEachRow([&](Statement& row) {
        findings.push_back({row.columnInt(0), row.columnText(1), row.columnText(2),
                            row.columnText(3), row.columnText(4), row.columnText(5),
                            row.columnText(6), row.columnText(7), row.columnText(8),
                            row.columnText(9)});
    });
    if (!done) {
        return tl::unexpected(done.error());
    }
    return findings;
}

}  // namespace examguard::station
