// examguard agent enroll|import: the station's side of the exam-PC agent (issue 8). Enrolment
// stores a PC's Ed25519 public key against its filed seat; import verifies a report file
// against that key, refuses replays, reconciles it with the machine registry and stores its
// findings (source `agent`) with one event-log entry, in one transaction.
#include <fstream>
#include <iostream>
#include <map>
#include <sstream>

#include <fmt/format.h>

#include "agent/report.h"
#include "agent/report_import.h"
#include "commands.h"
#include "station/crypto.h"
#include "station/file_io.h"
#include "station/i18n.h"
#include "station/lan_store.h"
#include "station/period_import.h"

namespace examguard::cli {

using station::i18n::tr;
using station::i18n::trf;

namespace {

struct AgentOptions {
    std::string period;
    std::string seat;
    std::string publicKey;
    std::string file;
};

constexpr std::size_t kMaxKeyBytes = 64 * 1024;
constexpr std::size_t kMaxReportBytes = 64 * 1024 * 1024;

// The station and the period a command works on.
struct StationAndPeriod {
    station::Station station;
    station::PeriodRef period;
};

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

int runEnroll(const CliContext& ctx, const AgentOptions& o) {
    auto pem = station::readFileLimited(o.publicKey, kMaxKeyBytes);
    if (!pem) {
        return ctx.reportError(pem.error());
    }
    auto fingerprint = agent::publicKeyFingerprintPem(*pem);
    if (!fingerprint) {
        return ctx.reportError({station::ErrorCode::BadInput,
                                fmt::format("{}: {}", o.publicKey, fingerprint.error().detail)});
    }
    auto opened = openWithPeriod(ctx, o.period);
    if (!opened) {
        return ctx.reportError(opened.error());
    }
    auto* station = &opened->station;
    const auto* period = &opened->period;
    auto find = station->db().prepare(
        "SELECT m.id, (SELECT k.fingerprint FROM agent_key k WHERE k.machine_id = m.id) FROM "
        "machine m JOIN room r ON r.id = m.room_id WHERE r.site_id = ? AND m.seat = ?");
    if (!find) {
        return ctx.reportError(find.error());
    }
    find->bind(1, period->siteId).bind(2, o.seat);
    std::vector<std::pair<std::int64_t, std::string>> machines;
    auto done = find->forEachRow([&](station::Statement& row) {
        machines.emplace_back(row.columnInt(0), row.columnText(1));
    });
    if (!done) {
        return ctx.reportError(done.error());
    }
    if (machines.empty()) {
        return ctx.reportError(
            {station::ErrorCode::NotFound,
             fmt::format("no filed machine at seat {} for period {}", o.seat, o.period)});
    }
    if (machines.size() > 1) {
        return ctx.reportError({station::ErrorCode::Invalid,
                                fmt::format("seat {} is filed in several rooms", o.seat)});
    }
    if (!machines[0].second.empty()) {
        return ctx.reportError(
            {station::ErrorCode::Conflict,
             fmt::format("seat {} already has an agent key ({})", o.seat, machines[0].second)});
    }
    auto txn = station::Transaction::begin(station->db());
    if (!txn) {
        return ctx.reportError(txn.error());
    }
    auto insert = station->db().prepare(
        "INSERT INTO agent_key (machine_id, public_key_pem, fingerprint, enrolled_at) VALUES (?, "
        "?, ?, ?)");
    if (!insert) {
        return ctx.reportError(insert.error());
    }
    insert->bind(1, machines[0].first)
        .bind(2, *pem)
        .bind(3, *fingerprint)
        .bind(4, station::formatUtc(station->clock().now()));
    if (auto r = insert->run(); !r) {
        return ctx.reportError(
            {station::ErrorCode::Conflict,
             fmt::format("this agent key is already enrolled ({})", r.error().detail)});
    }
    auto logged = station->log().append({cliActor(),
                                         "agent.enroll",
                                         period->id,
                                         {{"seat", o.seat}, {"fingerprint", *fingerprint}}});
    if (!logged) {
        return ctx.reportError(logged.error());
    }
    if (auto r = txn->commit(); !r) {
        return ctx.reportError(r.error());
    }
    if (ctx.json) {
        ctx.printJson({{"seat", o.seat}, {"fingerprint", *fingerprint}, {"log_seq", logged->seq}});
    } else {
        std::cout << trf("Agent key {} enrolled for seat {}.", fingerprint->substr(0, 16), o.seat)
                  << '\n';
    }
    return 0;
}

// A refused report leaves a trace in the event log, so forgeries and replays are on record.
void logRefusal(station::Station& station, std::int64_t periodId, const std::string& reason,
                const std::string& fileSha256) {
    (void)station.log().append({cliActor(),
                                "agent.import_refused",
                                periodId,
                                {{"reason", reason}, {"report_sha256", fileSha256}}});
}

int runImport(const CliContext& ctx, const AgentOptions& o) {
    auto text = station::readFileLimited(o.file, kMaxReportBytes);
    if (!text) {
        return ctx.reportError(text.error());
    }
    const nlohmann::json envelope = nlohmann::json::parse(*text, nullptr, false);
    if (envelope.is_discarded() || !envelope.is_object()) {
        return ctx.reportError(
            {station::ErrorCode::BadInput, fmt::format("{}: not a JSON object", o.file)});
    }
    const std::string fileSha = station::sha256Hex(*text);
    std::string fingerprint;
    if (const auto sig = envelope.find("signature"); sig != envelope.end() && sig->is_object() &&
                                                     sig->contains("public_key_sha256") &&
                                                     (*sig)["public_key_sha256"].is_string()) {
        fingerprint = (*sig)["public_key_sha256"].get<std::string>();
    }
    auto opened = openWithPeriod(ctx, o.period);
    if (!opened) {
        return ctx.reportError(opened.error());
    }
    auto* station = &opened->station;
    const auto* period = &opened->period;
    auto key = station->db().prepare(
        "SELECT k.public_key_pem, m.id, m.seat FROM agent_key k JOIN machine m ON m.id = "
        "k.machine_id JOIN room r ON r.id = m.room_id WHERE k.fingerprint = ? AND r.site_id = ?");
    if (!key) {
        return ctx.reportError(key.error());
    }
    key->bind(1, fingerprint).bind(2, period->siteId);
    auto row = key->step();
    if (!row) {
        return ctx.reportError(row.error());
    }
    if (!*row) {
        const std::string reason =
            fmt::format("{}: signed by an unknown agent key '{}'; enroll the PC first", o.file,
                        fingerprint.substr(0, 64));
        logRefusal(*station, period->id, reason, fileSha);
        return ctx.reportError({station::ErrorCode::Invalid, reason});
    }
    const std::string pem = key->columnText(0);
    const std::int64_t machineId = key->columnInt(1);
    const std::string enrolledSeat = key->columnText(2);
    auto filed = registryOfPeriod(*station, period->id);
    if (!filed) {
        return ctx.reportError(filed.error());
    }
    std::vector<agent::FiledMachine> registry;
    for (const auto& m : *filed) {
        registry.push_back({m.seat, m.hostname, m.mac.toString(), m.ip.toString()});
    }
    const auto nonceSeen = [&](const std::string& nonce) {
        auto q = station->db().prepare("SELECT 1 FROM agent_report WHERE nonce = ?");
        if (!q) {
            return true;  // cannot tell: refuse rather than risk a replay
        }
        q->bind(1, nonce);
        auto r = q->step();
        return !r || *r;
    };
    auto imported = agent::importReport(envelope, pem, nonceSeen, registry);
    if (!imported) {
        const auto error = fromAgent(imported.error());
        if (error.code == station::ErrorCode::Invalid) {
            logRefusal(*station, period->id, fmt::format("{}: {}", o.file, error.detail), fileSha);
        }
        return ctx.reportError({error.code, fmt::format("{}: {}", o.file, error.detail)});
    }
    if (!imported->seat.empty() && imported->seat != enrolledSeat) {
        imported->findings.push_back(
            {"mac_ip_mismatch", "", imported->mac, imported->ip, imported->seat,
             fmt::format("report signed with the key enrolled for seat {}, but its MAC {} is filed "
                         "for seat {}",
                         enrolledSeat, imported->mac, imported->seat)});
    }
    auto txn = station::Transaction::begin(station->db());
    if (!txn) {
        return ctx.reportError(txn.error());
    }
    const std::string now = station::formatUtc(station->clock().now());
    auto report = station->db().prepare(
        "INSERT INTO agent_report (period_id, machine_id, nonce, reported_at, imported_at, "
        "report_sha256) VALUES (?, ?, ?, ?, ?, ?)");
    if (!report) {
        return ctx.reportError(report.error());
    }
    report->bind(1, period->id)
        .bind(2, machineId)
        .bind(3, imported->nonce)
        .bind(4, imported->timestamp)
        .bind(5, now)
        .bind(6, fileSha);
    if (auto r = report->run(); !r) {
        return ctx.reportError(r.error());
    }
    std::map<std::string, int> byKind;
    nlohmann::json findings = nlohmann::json::array();
    for (const auto& f : imported->findings) {
        auto insert = station->db().prepare(
            "INSERT INTO lan_finding (period_id, source, kind, app, ip, mac, seat, evidence, "
            "first_seen, last_seen) VALUES (?, 'agent', ?, ?, ?, ?, ?, ?, ?, ?)");
        if (!insert) {
            return ctx.reportError(insert.error());
        }
        const auto opt = [](const std::string& s) {
            return s.empty() ? std::nullopt : std::optional<std::string>(s);
        };
        insert->bind(1, period->id)
            .bind(2, f.kind)
            .bind(3, opt(f.app))
            .bind(4, opt(f.ip))
            .bind(5, opt(f.mac))
            .bind(6, opt(f.seat))
            .bind(7, f.evidence)
            .bind(8, imported->timestamp)
            .bind(9, imported->timestamp);
        if (auto r = insert->run(); !r) {
            return ctx.reportError(r.error());
        }
        ++byKind[f.kind];
        findings.push_back({{"kind", f.kind},
                            {"app", opt(f.app) ? nlohmann::json(f.app) : nlohmann::json(nullptr)},
                            {"ip", f.ip},
                            {"mac", f.mac},
                            {"seat", f.seat},
                            {"evidence", f.evidence}});
    }
    auto logged = station->log().append({cliActor(),
                                         "agent.import",
                                         period->id,
                                         {{"seat", enrolledSeat},
                                          {"hostname", imported->hostname},
                                          {"nonce", imported->nonce},
                                          {"reported_at", imported->timestamp},
                                          {"findings", byKind},
                                          {"report_sha256", fileSha}}});
    if (!logged) {
        return ctx.reportError(logged.error());
    }
    if (auto r = txn->commit(); !r) {
        return ctx.reportError(r.error());
    }
    if (ctx.json) {
        ctx.printJson({{"imported", true},
                       {"seat", enrolledSeat},
                       {"nonce", imported->nonce},
                       {"findings", findings},
                       {"log_seq", logged->seq}});
    } else {
        std::cout << trf("Report from {} (seat {}) imported for period {}: {} findings (event log "
                         "entry {}).",
                         imported->hostname, enrolledSeat, o.period, imported->findings.size(),
                         logged->seq)
                  << '\n';
        for (const auto& f : imported->findings) {
            std::cout << fmt::format("  {:<20} {}\n", f.kind, f.evidence);
        }
    }
    return imported->findings.empty() ? 0 : 1;
}

}  // namespace

void registerAgentCommands(CLI::App& app, CliContext& ctx, int& exitCode) {
    auto* agentCmd =
        app.add_subcommand("agent", tr("Exam-PC agent: enrol PCs, import their reports"));
    agentCmd->require_subcommand(1);
    auto o = std::make_shared<AgentOptions>();
    auto* enroll =
        agentCmd->add_subcommand("enroll", tr("Enrol a PC's agent public key for its filed seat"));
    enroll->add_option("--period", o->period, tr("Exam period code"))->required();
    enroll->add_option("--seat", o->seat, tr("Seat of the filed machine"))->required();
    enroll->add_option("-p,--public-key", o->publicKey, tr("Agent public key (PEM)"))->required();
    enroll->callback([&ctx, &exitCode, o] { exitCode = runEnroll(ctx, *o); });

    auto* import = agentCmd->add_subcommand(
        "import", tr("Verify a signed agent report and store its findings"));
    import->add_option("FILE", o->file, tr("Signed report file"))->required();
    import->add_option("--period", o->period, tr("Exam period code"))->required();
    import->callback([&ctx, &exitCode, o] { exitCode = runImport(ctx, *o);
});
}  // namespace examguard::cli

}  // namespace examguard::cli
