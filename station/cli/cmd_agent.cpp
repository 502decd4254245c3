// examguard agent enroll|import|ca-cert|serve: the station's side of the exam-PC agent
// (issue 8). Enrolment stores a PC's public key (Ed25519, RSA, P-256) against its filed seat and,
// for delivery over TLS, certifies it with the station's agent CA; import verifies a report against
// that key, refuses replays, reconciles it with the machine registry and stores its findings
// (source `agent`) with one event-log entry, in one transaction. `serve` (agent_serve.cpp) does the
// same for reports delivered over mutual TLS.
#include <iostream>

#include <fmt/format.h>

#include "agent/report.h"
#include "agent/transport.h"
#include "agent_import.h"
#include "archive/agent_pki.h"
#include "commands.h"
#include "station/file_io.h"
#include "station/i18n.h"

namespace examguard::cli {

using station::i18n::tr;
using station::i18n::trf;

namespace {

struct AgentOptions {
    std::string period;
    std::string seat;
    std::string publicKey;
    std::string file;
    std::string certOut;
    std::string out;
};

constexpr std::size_t kMaxKeyBytes = 64 * 1024;

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
    // Certified before anything is stored, so a key the CA cannot certify enrols nothing.
    std::string certificate;
    if (!o.certOut.empty()) {
        auto ca = agentCaOf(*opened);
        auto issued = ca ? ca->issueAgentCertificate(*pem, o.seat, "")
                         : station::Expected<std::string>(tl::unexpect, ca.error());
        if (!issued) {
            return ctx.reportError(issued.error());
        }
        certificate = std::move(*issued);
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
    // The certificate file before the commit: a failed write enrols nothing; a failed commit
    // takes the file back.
    if (!certificate.empty()) {
        if (auto w = station::writeFileAtomically(o.certOut, certificate, 0644); !w) {
            return ctx.reportError(w.error());
        }
    }
    if (auto r = txn->commit(); !r) {
        if (!certificate.empty()) {
            std::error_code ec;
            std::filesystem::remove(o.certOut, ec);
        }
        return ctx.reportError(r.error());
    }
    if (ctx.json) {
        ctx.printJson({{"seat", o.seat},
                       {"fingerprint", *fingerprint},
                       {"certificate",
                        o.certOut.empty() ? nlohmann::json(nullptr) : nlohmann::json(o.certOut)},
                       {"log_seq", logged->seq}});
    } else {
        std::cout << trf("Agent key {} enrolled for seat {}.", fingerprint->substr(0, 16), o.seat)
                  << '\n';
        if (!certificate.empty()) {
            std::cout << trf("Its TLS certificate is in {}.", o.certOut) << '\n';
        }
    }
    return 0;
}

int runImport(const CliContext& ctx, const AgentOptions& o) {
    auto text = station::readFileLimited(o.file, agent::kMaxReportBytes);
    if (!text) {
        return ctx.reportError(text.error());
    }
    auto opened = openWithPeriod(ctx, o.period);
    if (!opened) {
        return ctx.reportError(opened.error());
    }
    auto imported = importAgentReport(opened->station, opened->period, *text, o.file);
    if (!imported) {
        return ctx.reportError(imported.error());
    }
    if (ctx.json) {
        ctx.printJson(imported->document);
    } else {
        std::cout << trf("Report from {} (seat {}) imported for period {}: {} findings (event log "
                         "entry {}).",
                         imported->hostname, imported->seat, o.period, imported->findings,
                         imported->document["log_seq"].get<std::int64_t>())
                  << '\n';
        for (const auto& f : imported->document["findings"]) {
            std::cout << fmt::format("  {:<20} {}\n", f["kind"].get<std::string>(),
                                     f["evidence"].get<std::string>());
        }
    }
    return imported->findings == 0 ? 0 : 1;
}

// The agent CA's certificate, for the exam PCs (they check the station's listener with it).
int runCaCert(const CliContext& ctx, const AgentOptions& o) {
    auto opened = openWithPeriod(ctx, o.period);
    if (!opened) {
        return ctx.reportError(opened.error());
    }
    auto ca = agentCaOf(*opened);
    if (!ca) {
        return ctx.reportError(ca.error());
    }
    if (!o.out.empty()) {
        if (auto w = station::writeFileAtomically(o.out, ca->certificatePem(), 0644); !w) {
            return ctx.reportError(w.error());
        }
    }
    if (ctx.json) {
        ctx.printJson({{"certificate", o.out.empty() ? nlohmann::json(ca->certificatePem())
                                                     : nlohmann::json(o.out)},
                       {"sha256", ca->fingerprint()}});
    } else if (o.out.empty()) {
        std::cout << ca->certificatePem();
    } else {
        std::cout << trf("Agent CA certificate written to {} (SHA-256 {}).", o.out,
                         ca->fingerprint())
                  << '\n';
    }
    return 0;
}

}  // namespace

void registerAgentCommands(CLI::App& app, CliContext& ctx, int& exitCode) {
    auto* agentCmd = app.add_subcommand(
        "agent", tr("Exam-PC agent: enrol PCs, receive and import their reports"));
    agentCmd->require_subcommand(1);
    auto o = std::make_shared<AgentOptions>();
    auto* enroll =
        agentCmd->add_subcommand("enroll", tr("Enrol a PC's agent public key for its filed seat"));
    enroll->add_option("--period", o->period, tr("Exam period code"))->required();
    enroll->add_option("--seat", o->seat, tr("Seat of the filed machine"))->required();
    enroll->add_option("-p,--public-key", o->publicKey, tr("Agent public key (PEM)"))->required();
    enroll->add_option("--cert-out", o->certOut,
                       tr("Also issue the PC's TLS certificate for `agent serve` into this file"));
    enroll->callback([&ctx, &exitCode, o] { exitCode = runEnroll(ctx, *o); });

    // Not named `import`: clang-format reads that as a C++20 module import and mangles the rest.
    auto* importCmd = agentCmd->add_subcommand(
        "import", tr("Verify a signed agent report and store its findings"));
    importCmd->add_option("FILE", o->file, tr("Signed report file"))->required();
    importCmd->add_option("--period", o->period, tr("Exam period code"))->required();
    importCmd->callback([&ctx, &exitCode, o] { exitCode = runImport(ctx, *o); });

    auto* caCert = agentCmd->add_subcommand(
        "ca-cert",
        tr("Print or write the agent CA certificate the exam PCs check the station with"));
    caCert->add_option("--period", o->period, tr("Exam period code"))->required();
    caCert->add_option("-o,--out", o->out, tr("Certificate file to write (PEM)"));
    caCert->callback([&ctx, &exitCode, o] { exitCode = runCaCert(ctx, *o); });

    auto serveOptions = std::make_shared<ServeOptions>();
    auto* serve = agentCmd->add_subcommand(
        "serve", tr("Receive agent reports over mutual TLS until stopped (SIGINT/SIGTERM)"));
    serve->add_option("--period", serveOptions->period, tr("Exam period code"))->required();
    serve
        ->add_option("--listen", serveOptions->listen,
                     tr("Address and port to listen on (HOST:PORT; port 0 picks a free one)"))
        ->required();
    serve->add_option("--name", serveOptions->names,
                      tr("Address or name the exam PCs use for the station (repeatable)"));
    serve
        ->add_option("--timeout", serveOptions->timeoutSeconds,
                     tr("Seconds a PC may take to deliver a report"))
        ->check(CLI::Range(1, 600));
    serve->callback(
        [&ctx, &exitCode, serveOptions] { exitCode = runAgentServe(ctx, *serveOptions); });
}

}  // namespace examguard::cli
