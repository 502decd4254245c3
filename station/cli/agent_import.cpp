// The station's import of one signed agent report, shared by `agent import` (a file) and
// `agent serve` (a delivery over mutual TLS).
#include "agent_import.h"

#include <map>

#include <fmt/format.h>

#include "agent/report_import.h"
#include "cli_context.h"
#include "commands.h"
#include "station/crypto.h"
#include "station/lan_store.h"

namespace examguard::cli {

namespace {

station::Error fromAgent(const agent::Error& e) {
    switch (e.code) {
        case agent::ErrorCode::kSignatureInvalid:
        case agent::ErrorCode::kReplayed:
            return {station::ErrorCode::Invalid, e.detail};
        case agent::ErrorCode::kCryptoFailed:
            return {station::ErrorCode::Crypto, e.detail};
        default:
            return {station::ErrorCode::BadInput, e.detail};
    }
}

std::optional<std::string> unlessEmpty(const std::string& s) {
    return s.empty() ? std::nullopt : std::optional<std::string>(s);
}

// The key enrolled for the report's signer in the period's site.
struct EnrolledKey {
    std::string pem;
    std::int64_t machineId = 0;
    std::string seat;
};

station::Expected<std::optional<EnrolledKey>> enrolledKey(station::Station& station,
                                                          const station::PeriodRef& period,
                                                          const std::string& fingerprint) {
    auto key = station.db().prepare(
        "SELECT k.public_key_pem, m.id, m.seat FROM agent_key k JOIN machine m ON m.id = "
        "k.machine_id JOIN room r ON r.id = m.room_id WHERE k.fingerprint = ? AND r.site_id = ?");
    if (!key) {
        return tl::unexpected(key.error());
    }
    key->bind(1, fingerprint).bind(2, period.siteId);
    auto row = key->step();
    if (!row) {
        return tl::unexpected(row.error());
    }
    if (!*row) {
        return std::optional<EnrolledKey>();
    }
    return EnrolledKey{key->columnText(0), key->columnInt(1), key->columnText(2)};
}

}  // namespace

station::Expected<StationAndPeriod> openWithPeriod(const CliContext& ctx, const std::string& code) {
    auto station = ctx.openStation();
    if (!station) {
        return tl::unexpected(station.error());
    }
    auto period = station::findPeriod(station->db(), code);
    if (!period) {
        return tl::unexpected(period.error());
    }
    return StationAndPeriod{std::move(*station), *period};
}

station::Expected<archive::AgentCa> agentCaOf(StationAndPeriod& opened) {
    auto q = opened.station.db().prepare("SELECT code FROM site WHERE id = ?");
    if (!q) {
        return tl::unexpected(q.error());
    }
    q->bind(1, opened.period.siteId);
    auto row = q->step();
    if (!row) {
        return tl::unexpected(row.error());
    }
    const std::string site = *row ? q->columnText(0) : std::string();
    return archive::AgentCa::openOrCreate(opened.station.keys().directory(),
                                          fmt::format("ExamGuard agent CA {}", site));
}

void logAgentRefusal(station::Station& station, std::int64_t periodId, const std::string& reason,
                     const std::string& reportSha256) {
    (void)station.log().append({cliActor(),
                                "agent.import_refused",
                                periodId,
                                {{"reason", reason}, {"report_sha256", reportSha256}}});
}

station::Expected<AgentImport> importAgentReport(station::Station& station,
                                                 const station::PeriodRef& period,
                                                 const std::string& text, const std::string& source,
                                                 const std::string& requiredKeyFingerprint) {
    const nlohmann::json envelope = nlohmann::json::parse(text, nullptr, false);
    if (envelope.is_discarded() || !envelope.is_object()) {
        return tl::unexpected(station::Error{station::ErrorCode::BadInput,
                                             fmt::format("{}: not a JSON object", source)});
    }
    const std::string reportSha = station::sha256Hex(text);
    const auto refuse = [&](const std::string& reason) {
        logAgentRefusal(station, period.id, reason, reportSha);
        return tl::unexpected(station::Error{station::ErrorCode::Invalid, reason});
    };
    std::string fingerprint;
    if (const auto sig = envelope.find("signature"); sig != envelope.end() && sig->is_object() &&
                                                     sig->contains("public_key_sha256") &&
                                                     (*sig)["public_key_sha256"].is_string()) {
        fingerprint = (*sig)["public_key_sha256"].get<std::string>();
    }
    if (!requiredKeyFingerprint.empty() && fingerprint != requiredKeyFingerprint) {
        return refuse(
            fmt::format("{}: the report is signed by another key than the one this "
                        "PC's certificate was issued for",
                        source));
    }
    auto key = enrolledKey(station, period, fingerprint);
    if (!key) {
        return tl::unexpected(key.error());
    }
    if (!*key) {
        return refuse(fmt::format("{}: signed by an unknown agent key '{}'; enroll the PC first",
                                  source, fingerprint.substr(0, 64)));
    }
    auto filed = station::registryOfPeriod(station, period.id);
    if (!filed) {
        return tl::unexpected(filed.error());
    }
    std::vector<agent::FiledMachine> registry;
    for (const auto& m : *filed) {
        registry.push_back({m.seat, m.hostname, m.mac.toString(), m.ip.toString()});
    }
    const auto nonceSeen = [&](const std::string& nonce) {
        auto q = station.db().prepare("SELECT 1 FROM agent_report WHERE nonce = ?");
        if (!q) {
            return true;  // cannot tell: refuse rather than risk a replay
        }
        q->bind(1, nonce);
        auto r = q->step();
        return !r || *r;
    };
    auto imported = agent::importReport(envelope, (*key)->pem, nonceSeen, registry);
    if (!imported) {
        const auto error = fromAgent(imported.error());
        const std::string detail = fmt::format("{}: {}", source, error.detail);
        if (error.code == station::ErrorCode::Invalid) {
            return refuse(detail);
        }
        return tl::unexpected(station::Error{error.code, detail});
    }
    const std::string& enrolledSeat = (*key)->seat;
    if (!imported->seat.empty() && imported->seat != enrolledSeat) {
        imported->findings.push_back(
            {"mac_ip_mismatch", "", imported->mac, imported->ip, imported->seat,
             fmt::format("report signed with the key enrolled for seat {}, but its MAC {} is filed "
                         "for seat {}",
                         enrolledSeat, imported->mac, imported->seat)});
    }
    auto txn = station::Transaction::begin(station.db());
    if (!txn) {
        return tl::unexpected(txn.error());
    }
    const std::string now = station::formatUtc(station.clock().now());
    auto report = station.db().prepare(
        "INSERT INTO agent_report (period_id, machine_id, nonce, reported_at, imported_at, "
        "report_sha256) VALUES (?, ?, ?, ?, ?, ?)");
    if (!report) {
        return tl::unexpected(report.error());
    }
    report->bind(1, period.id)
        .bind(2, (*key)->machineId)
        .bind(3, imported->nonce)
        .bind(4, imported->timestamp)
        .bind(5, now)
        .bind(6, reportSha);
    if (auto r = report->run(); !r) {
        return tl::unexpected(r.error());
    }
    std::map<std::string, int> byKind;
    nlohmann::json findings = nlohmann::json::array();
    auto insert = station.db().prepare(
        "INSERT INTO lan_finding (period_id, source, kind, app, ip, mac, seat, evidence, "
        "first_seen, last_seen) VALUES (?, 'agent', ?, ?, ?, ?, ?, ?, ?, ?)");
    if (!insert) {
        return tl::unexpected(insert.error());
    }
    for (const auto& f : imported->findings) {
        insert->reset();
        insert->bind(1, period.id)
            .bind(2, f.kind)
            .bind(3, unlessEmpty(f.app))
            .bind(4, unlessEmpty(f.ip))
            .bind(5, unlessEmpty(f.mac))
            .bind(6, unlessEmpty(f.seat))
            .bind(7, f.evidence)
            .bind(8, imported->timestamp)
            .bind(9, imported->timestamp);
        if (auto r = insert->run(); !r) {
            return tl::unexpected(r.error());
        }
        ++byKind[f.kind];
        findings.push_back(
            {{"kind", f.kind},
             {"app", f.app.empty() ? nlohmann::json(nullptr) : nlohmann::json(f.app)},
             {"ip", f.ip},
             {"mac", f.mac},
             {"seat", f.seat},
             {"evidence", f.evidence}});
    }
    auto logged = station.log().append({cliActor(),
                                        "agent.import",
                                        period.id,
                                        {{"seat", enrolledSeat},
                                         {"hostname", imported->hostname},
                                         {"nonce", imported->nonce},
                                         {"reported_at", imported->timestamp},
                                         {"findings", byKind},
                                         {"report_sha256", reportSha}}});
    if (!logged) {
        return tl::unexpected(logged.error());
    }
    if (auto r = txn->commit(); !r) {
        return tl::unexpected(r.error());
    }
    AgentImport result;
    result.document = {{"imported", true},
                       {"seat", enrolledSeat},
                       {"nonce", imported->nonce},
                       {"findings", findings},
                       {"log_seq", logged->seq}};
    result.hostname = imported->hostname;
    result.seat = enrolledSeat;
    result.findings = imported->findings.size();
    return result;
}

}  // namespace examguard::cli
