// `examguard demo`: a whole exam period on sample data, so a new user sees what the station
// does. Each capability extends it until it runs a period end to end.
#include <fstream>
#include <iostream>

#include <fmt/format.h>

#include "archive/report.h"
#include "archive/seal.h"
#include "archive/signing.h"
#include "archive/verify.h"
#include "commands.h"
#include "demo_checkins.h"
#include "demo_recording.h"
#include "station/crypto.h"
#include "station/file_io.h"
#include "station/i18n.h"
#include "station/lan_store.h"
#include "station/period_import.h"
#include "station/users.h"

namespace examguard::cli {
namespace embedded {
extern const std::string_view kDemoPlan;
extern const std::string_view kDemoRoster;
extern const std::string_view kDemoMachines;
extern const std::string_view kDemoCapture;
}  // namespace embedded

using station::i18n::tr;
using station::i18n::trf;
namespace fs = std::filesystem;

namespace {

station::Expected<void> writeFile(const fs::path& path, std::string_view content) {
    std::ofstream out(path, std::ios::binary | std::ios::trunc);
    out.write(content.data(), static_cast<std::streamsize>(content.size()));
    if (!out) {
        return station::fail(station::ErrorCode::Io, fmt::format("cannot write {}", path.string()));
    }
    return {};
}

// A fresh station: the demo's own files from an earlier run are removed, nothing else.
station::Expected<void> prepareDirectory(const fs::path& dir, std::string_view roster) {
    std::error_code ec;
    fs::create_directories(dir / "plan", ec);
    if (ec) {
        return station::fail(station::ErrorCode::Io,
                             fmt::format("cannot create {}: {}", dir.string(), ec.message()));
    }
    for (const char* name : {"station.db", "station.db-wal", "station.db-shm", "summary.json"}) {
        fs::remove(dir / name, ec);
    }
    for (const char* name : {"keys", "cameras", "recordings"}) {
        fs::remove_all(dir / name, ec);
    }
    if (auto r = writeFile(dir / "plan" / "plan.json", embedded::kDemoPlan); !r) {
        return r;
    }
    if (auto r = writeFile(dir / "plan" / "roster.csv", roster); !r) {
        return r;
    }
    return writeFile(dir / "plan" / "machines.csv", embedded::kDemoMachines);
}

station::Expected<nlohmann::json> sealDemoPeriod(station::Station& station, const fs::path& dir,
                                                 const std::string& periodCode, std::ostream& out) {
    // The demo plays the inspector authority too: its certificate receives the personal data.
    auto authority = archive::initStationKeys(
        dir / "inspector-authority", {.commonName = "Demo inspector authority", .replace = true});
    auto stationCert = authority ? archive::initStationKeys(station.keys().directory(),
                                                            {.commonName = "ExamGuard demo station",
                                                             .organization = "Demo site",
                                                             .replace = true})
                                 : authority;
    if (!stationCert) {
        return tl::unexpected(stationCert.error());
    }
    auto authorityPem = station::readFileLimited(
        archive::KeyPaths::in(dir / "inspector-authority").certificate, 1 << 20);
    auto signer = archive::Signer::load(station.keys().directory());
    if (!authorityPem || !signer) {
        return tl::unexpected(!authorityPem ? authorityPem.error() : signer.error());
    }
    const auto certificate = dir / "station-certificate.pem";
    if (auto r = station::writeFileAtomically(certificate, signer->certificatePem()); !r) {
        return tl::unexpected(r.error());
    }
    archive::SealOptions options;
    options.periodCode = periodCode;
    options.out = dir / fmt::format("archive-{}.zip", periodCode);
    options.authorityCertificatePem = *authorityPem;
    options.actor = "demo";
    auto sealed = archive::sealPeriod(station, options);
    if (!sealed) {
        return tl::unexpected(sealed.error());
    }
    archive::VerifyOptions verifyOptions;
    verifyOptions.trustPem = signer->certificatePem();
    auto report = archive::verifyArchive(options.out, verifyOptions);
    if (!report) {
        return tl::unexpected(report.error());
    }
    const auto checks = archive::crossChecks(*report);
    const auto reportPath = dir / "inspection-report.html";
    if (auto r = station::writeFileAtomically(reportPath, archive::renderHtml(*report, checks));
        !r) {
        return tl::unexpected(r.error());
    }
    int problems = 0;
    for (const auto& c : checks) {
        problems += c.verdict == archive::Verdict::Problem ? 1 : 0;
    }
    out << trf("7. Period sealed into {} ({} bytes, SHA-256 {}); verified against {}: {}; "
               "inspection report {} ({} of {} cross-checks found problems).",
               options.out.string(), sealed->bytes, sealed->sha256, certificate.string(),
               report->valid ? tr("VALID") : tr("NOT VALID"), reportPath.string(), problems,
               checks.size())
        << '\n';
    return nlohmann::json{{"path", options.out.string()},    {"sha256", sealed->sha256},
                          {"bytes", sealed->bytes},          {"certificate", certificate.string()},
                          {"valid", report->valid},          {"report", reportPath.string()},
                          {"cross_check_problems", problems}};
}

int runDemo(const CliContext& ctx, const std::string& outDir) {
    const fs::path dir = fs::absolute(outDir);
    // The face models load first: without them (scripts/setup.sh not run) nothing is created.
    auto engine = station::identity::IdentityEngine::create();
    if (!engine) {
        return ctx.reportError(engine.error());
    }
    std::string roster(embedded::kDemoRoster);
    std::error_code ec;
    fs::create_directories(dir / "plan", ec);
    auto faces = prepareDemoFaces(*engine, dir / "plan", roster);
    if (!faces) {
        return ctx.reportError(faces.error());
    }
    if (auto r = prepareDirectory(dir, roster); !r) {
        return ctx.reportError(r.error());
    }
    auto station = station::Station::open({.databasePath = dir / "station.db"});
    if (!station) {
        return ctx.reportError(station.error());
    }
    nlohmann::json summary = {{"directory", dir.string()},
                              {"database", (dir / "station.db").string()}};
    std::ostream& out = ctx.json ? std::cerr : std::cout;

    // 1. The administrator account, with a one-time random password shown once.
    auto secret = station::randomBytes(9);
    if (!secret) {
        return ctx.reportError(secret.error());
    }
    const std::string password = station::base64Encode(*secret);
    station::UserStore users(*station);
    if (auto r = users.add("admin", station::Role::Admin, password, "demo"); !r) {
        return ctx.reportError(r.error());
    }
    out << trf("1. Station created in {} with user 'admin' (password: {}).", dir.string(), password)
        << '\n';

    // 2. The period plan, roster and machine registry, as a clerk would file them.
    station::ImportOptions options;
    options.file = dir / "plan" / "plan.json";
    options.actor = "admin";
    auto imported = station::importPeriod(*station, options);
    if (!imported) {
        return ctx.reportError(imported.error());
    }
    if (!imported->summary) {
        for (const auto& issue : imported->issues) {
            std::cerr << issue.file << ":" << issue.line << " " << issue.field << ": "
                      << issue.message << '\n';
        }
        return kExitBadInput;
    }
    const auto& s = *imported->summary;
    out << trf("2. Period {} imported: {} sittings, {} candidates, {} filed machines, {} staff.",
               s.periodCode, s.sittings, s.candidates, s.machines, s.staff)
        << '\n';
    summary["import"] = station::toJson(s);

    // 3. Check-ins at the entrance (simulated live frames; see demo_checkins.h).
    out << tr("3. Check-ins at the entrance of the theory exam (live frames simulated from "
              "sample photos):")
        << '\n';
    auto checkins = runDemoCheckins(*station, *engine, *faces, out);
    if (!checkins) {
        return ctx.reportError(checkins.error());
    }
    summary["checkins"] = *checkins;

    // 4. The LAN audit of a capture of the exam network, against the filed machines.
    const fs::path capture = dir / "plan" / "demo-lan.pcap";
    if (auto r = writeFile(capture, embedded::kDemoCapture); !r) {
        return ctx.reportError(r.error());
    }
    auto filed = registryOfPeriod(*station, s.periodId);
    if (!filed) {
        return ctx.reportError(filed.error());
    }
    netaudit::AuditOptions audit;
    audit.captureFile = capture.string();
    audit.registry = std::move(*filed);
    auto report = netaudit::auditCaptureFile(audit);
    if (!report) {
        return ctx.reportError({station::ErrorCode::BadInput, report.error().detail});
    }
    const nlohmann::json auditJson = netaudit::toJson(*report);
    if (auto stored = storeFindings(*station, s.periodId, *report,
                                    station::sha256Hex(auditJson.dump(
                                        -1, ' ', false, nlohmann::json::error_handler_t::replace)),
                                    cliActor());
        !stored) {
        return ctx.reportError(stored.error());
    }
    out << trf("4. LAN audit of a capture of the exam network: {} packets, {} hosts, {} findings:",
               report->packets, report->hosts.size(), report->findings.size())
        << '\n';
    nlohmann::json findings = nlohmann::json::array();
    for (const auto& f : report->findings) {
        out << fmt::format("   - {:<20} {:<14} {}\n", netaudit::findingKindName(f.kind),
                           f.ip ? f.ip->toString() : "-", f.app.value_or(""));
        findings.push_back(
            {{"kind", netaudit::findingKindName(f.kind)},
             {"ip", f.ip ? nlohmann::json(f.ip->toString()) : nlohmann::json(nullptr)},
             {"app", f.app ? nlohmann::json(*f.app) : nlohmann::json(nullptr)}});
    }
    summary["netaudit"] = {
        {"packets", report->packets}, {"hosts", report->hosts.size()}, {"findings", findings}};

    // 5. A camera recording of the theory room, analysed on the way.
    auto recording = runDemoRecording(*station, dir, out);
    if (!recording) {
        return ctx.reportError(recording.error());
    }
    summary["recording"] = *recording;

    // 6. The event log, verified end to end.
    auto verified = station->log().verify();
    if (!verified) {
        return ctx.reportError(verified.error());
    }
    out << trf("6. Event log verified: {} entries, intact: {}, head {}.", verified->entries,
               verified->intact ? tr("yes") : tr("NO"), verified->headSha256)
        << '\n';
    summary["log"] = {{"entries", verified->entries},
                      {"intact", verified->intact},
                      {"head", verified->headSha256}};

    // 7. The period sealed into one signed archive (一期一档), verified offline against the
    // station certificate as an inspector would, and the inspector's report written.
    auto sealed = sealDemoPeriod(*station, dir, summary["import"].value("period", ""), out);
    if (!sealed) {
        return ctx.reportError(sealed.error());
    }
    summary["archive"] = *sealed;

    if (auto r = writeFile(dir / "summary.json", summary.dump(2) + "\n"); !r) {
        return ctx.reportError(r.error());
    }
    out << trf("Summary written to {}.", (dir / "summary.json").string()) << '\n';
    if (ctx.json) {
        ctx.printJson(summary);
    }
    return verified->intact && (*sealed)["valid"].get<bool>() ? kExitOk : kExitProblem;
}

}  // namespace

void registerDemoCommand(CLI::App& app, CliContext& ctx, int& exitCode) {
    auto* demo = app.add_subcommand(
        "demo", tr("Run a whole exam period on sample data into a fresh station"));
    auto out = std::make_shared<std::string>("examguard-demo");
    demo->add_option("-o,--out", *out, tr("Directory for the demo's station and results"));
    demo->callback([&ctx, &exitCode, out] { exitCode = runDemo(ctx, *out); });
}

}  // namespace examguard::cli
