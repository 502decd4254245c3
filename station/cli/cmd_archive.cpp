// examguard keys ... and examguard archive ...: the station's signing identity and the sealed
// period archives (一期一档) inspectors verify offline.
#include <unistd.h>

#include <iostream>

#include <fmt/format.h>

#include "archive/report.h"
#include "archive/retention.h"
#include "archive/seal.h"
#include "archive/signing.h"
#include "archive/timestamp.h"
#include "archive/verify.h"
#include "commands.h"
#include "report_pdf.h"
#include "station/clock.h"
#include "station/file_io.h"
#include "station/i18n.h"
#include "station/platform/platform_client.h"
#include "station/privacy.h"

namespace examguard::cli {

using nlohmann::json;
using station::i18n::tr;
using station::i18n::trf;
namespace fs = std::filesystem;

namespace {

// The certificate files an inspector trusts (empty: not given).
struct TrustFiles {
    std::string station;
    std::string tsa;
};

constexpr std::size_t kMaxPemBytes = 1 << 20;

json certificateJson(const archive::CertificateInfo& info) {
    return {{"subject", info.subject},
            {"issuer", info.issuer},
            {"not_before", info.notBefore},
            {"not_after", info.notAfter},
            {"sha256_fingerprint", info.sha256Fingerprint},
            {"self_signed", info.selfSigned}};
}

void printCertificate(const archive::CertificateInfo& info) {
    std::cout << trf("Subject:     {}", info.subject) << '\n'
              << trf("Issuer:      {}", info.issuer) << '\n'
              << trf("Valid:       {} to {}", info.notBefore, info.notAfter) << '\n'
              << trf("SHA-256:     {}", info.sha256Fingerprint) << '\n';
}

std::string defaultCommonName() {
    char host[256] = {};
    ::gethostname(host, sizeof host - 1);
    return fmt::format("ExamGuard station {}", host);
}

// The key directory of the station named by --db, without opening more than needed.
station::Expected<fs::path> keyDirectory(const CliContext& ctx) {
    auto station = ctx.openStation();
    if (!station) {
        return tl::unexpected(station.error());
    }
    return station->keys().directory();
}

int keysInit(const CliContext& ctx, archive::KeyInitOptions options) {
    auto dir = keyDirectory(ctx);
    if (!dir) {
        return ctx.reportError(dir.error());
    }
    if (options.commonName.empty()) {
        options.commonName = defaultCommonName();
    }
    auto info = archive::initStationKeys(*dir, options);
    if (!info) {
        return ctx.reportError(info.error());
    }
    const auto paths = archive::KeyPaths::in(*dir);
    if (ctx.json) {
        auto doc = certificateJson(*info);
        doc["certificate"] = paths.certificate.string();
        doc["request"] = paths.request.string();
        ctx.printJson(doc);
    } else {
        std::cout << tr("Station signing key created.") << '\n';
        printCertificate(*info);
        std::cout << trf("Certificate (self-signed): {}", paths.certificate.string()) << '\n'
                  << trf("Request for a site or authority CA: {}", paths.request.string()) << '\n';
    }
    return kExitOk;
}

int keysShow(const CliContext& ctx, const std::string& exportTo) {
    auto dir = keyDirectory(ctx);
    if (!dir) {
        return ctx.reportError(dir.error());
    }
    auto signer = archive::Signer::load(*dir);
    if (!signer) {
        return ctx.reportError(signer.error());
    }
    if (!exportTo.empty()) {
        if (auto written = station::writeFileAtomically(exportTo, signer->certificatePem());
            !written) {
            return ctx.reportError(written.error());
        }
    }
    if (ctx.json) {
        auto doc = certificateJson(signer->certificate());
        doc["certificate_pem"] = signer->certificatePem();
        ctx.printJson(doc);
    } else {
        printCertificate(signer->certificate());
        if (!exportTo.empty()) {
            std::cout << trf("Certificate written to {}", exportTo) << '\n';
        }
    }
    return kExitOk;
}

int keysInstall(const CliContext& ctx, const std::string& certPath, const std::string& chainPath) {
    auto dir = keyDirectory(ctx);
    if (!dir) {
        return ctx.reportError(dir.error());
    }
    auto cert = station::readFileLimited(certPath, kMaxPemBytes);
    auto chain = chainPath.empty() ? station::Expected<std::string>(std::string())
                                   : station::readFileLimited(chainPath, kMaxPemBytes);
    if (!cert || !chain) {
        return ctx.reportError(!cert ? cert.error() : chain.error());
    }
    auto info = archive::installCertificate(*dir, *cert, *chain);
    if (!info) {
        return ctx.reportError(info.error());
    }
    if (ctx.json) {
        ctx.printJson(certificateJson(*info));
    } else {
        std::cout << tr("Certificate installed.") << '\n';
        printCertificate(*info);
    }
    return kExitOk;
}

const char* personalDataLabel(std::string_view value) {
    return value == "encrypted" ? tr("encrypted to the inspector authority")
                                : tr("left out (no authority certificate configured)");
}

std::string translateWarning(const std::string& warning) {
    if (warning.starts_with("no inspector authority certificate")) {
        return tr(
            "No inspector authority certificate is configured: names, full ID numbers and "
            "face images are left out of the archive.");
    }
    if (warning.starts_with("the event log is not intact")) {
        return trf(
            "The event log is not intact; it was sealed as found and the archive will "
            "not verify. ({})",
            warning);
    }
    if (warning.starts_with("no TSA trust anchor given")) {
        return tr(
            "No TSA trust anchor given (--tsa-trust): the time-stamp matches the signature, but "
            "the time-stamping authority was not checked.");
    }
    if (warning.starts_with("no trust anchor given")) {
        return tr(
            "No trust anchor given (--trust): the archive is intact and signed, but who "
            "signed it was not checked.");
    }
    return warning;
}

int archiveSeal(const CliContext& ctx, archive::SealOptions options, const std::string& authority,
                bool includeRecordings, const std::string& tsa, bool noTimestamp) {
    auto config = ctx.loadConfig();
    if (!config) {
        return ctx.reportError(config.error());
    }
    const std::string tsaUrl = noTimestamp    ? std::string()
                               : !tsa.empty() ? tsa
                                              : config->archive.tsaUrl;
    if (!tsaUrl.empty()) {
        if (!tsaUrl.starts_with("http://") && !tsaUrl.starts_with("https://")) {
            std::cerr << trf("--tsa must be an http:// or https:// URL, not '{}'.", tsaUrl) << '\n';
            return kExitUsage;
        }
        options.timestamper = archive::httpTimestamper(tsaUrl);
    }
    const fs::path authorityPath =
        !authority.empty() ? fs::path(authority) : config->archive.authorityCertificate;
    if (!authorityPath.empty()) {
        auto pem = station::readFileLimited(authorityPath, kMaxPemBytes);
        if (!pem) {
            return ctx.reportError(pem.error());
        }
        options.authorityCertificatePem = *pem;
    }
    options.includeRecordings = includeRecordings || config->archive.includeRecordings;
    options.actor = cliActor();
    auto station = ctx.openStation();
    if (!station) {
        return ctx.reportError(station.error());
    }
    auto sealed = archive::sealPeriod(*station, options);
    if (!sealed) {
        return ctx.reportError(sealed.error());
    }
    if (ctx.json) {
        json warnings = json::array();
        for (const auto& w : sealed->warnings) {
            warnings.push_back(w);
        }
        ctx.printJson({{"archive", sealed->path.string()},
                       {"bytes", sealed->bytes},
                       {"sha256", sealed->sha256},
                       {"files", sealed->payloadFiles},
                       {"event_log_head", sealed->eventLogHead},
                       {"event_log_entries", sealed->eventLogEntries},
                       {"event_log_intact", sealed->eventLogIntact},
                       {"personal_data", sealed->personalData},
                       {"keep_until", sealed->keepUntil},
                       {"signer", sealed->signer},
                       {"timestamp", sealed->timestampTime.empty()
                                         ? json(nullptr)
                                         : json{{"time", sealed->timestampTime},
                                                {"authority", sealed->timestampAuthority}}},
                       {"warnings", warnings}});
    } else {
        std::cout << trf("Sealed period {} into {} ({} bytes, {} files).", options.periodCode,
                         sealed->path.string(), sealed->bytes, sealed->payloadFiles)
                  << '\n'
                  << trf("SHA-256 of the archive: {}", sealed->sha256) << '\n'
                  << trf("Event log: {} entries, head {}", sealed->eventLogEntries,
                         sealed->eventLogHead)
                  << '\n'
                  << trf("Personal data: {}", personalDataLabel(sealed->personalData)) << '\n'
                  << trf("Keep until: {}", sealed->keepUntil) << '\n'
                  << trf("Signed by: {}", sealed->signer) << '\n';
        if (!sealed->timestampTime.empty()) {
            std::cout << trf("Time-stamped by {} at {}", sealed->timestampAuthority,
                             sealed->timestampTime)
                      << '\n';
        }
        for (const auto& w : sealed->warnings) {
            std::cerr << trf("Warning: {}", translateWarning(w)) << '\n';
        }
    }
    return sealed->eventLogIntact ? kExitOk : kExitProblem;
}

const char* failureLabel(std::string_view code) {
    if (code == "container_seal")
        return tr("archive bytes do not match the station's seal");
    if (code == "signature")
        return tr("signature of the tag manifest is invalid");
    if (code == "trust")
        return tr("signer does not chain to the trust anchor");
    if (code == "timestamp")
        return tr("time-stamp missing, damaged or not for this signature");
    if (code == "timestamp_trust")
        return tr("time-stamp not signed by a trusted time-stamping authority");
    if (code == "member_missing")
        return tr("member missing");
    if (code == "member_extra")
        return tr("member added");
    if (code == "member_hash")
        return tr("member altered");
    if (code == "member_order")
        return tr("members reordered");
    if (code == "manifest")
        return tr("manifest damaged");
    if (code == "structure")
        return tr("archive structure damaged");
    if (code == "event_log")
        return tr("event log chain broken");
    if (code == "recording_missing")
        return tr("recording missing");
    if (code == "recording_hash")
        return tr("recording altered");
    if (code == "unsafe_name")
        return tr("unsafe member name");
    if (code == "duplicate_name")
        return tr("duplicate member name");
    if (code == "not_a_file")
        return tr("member is not a regular file");
    if (code == "limit")
        return tr("archive exceeds safety limits");
    if (code == "damaged")
        return tr("ZIP data damaged");
    return tr("check failed");
}

// Options with the trust anchors read from their files, when given.
station::Expected<archive::VerifyOptions> verifyOptions(const TrustFiles& trust) {
    archive::VerifyOptions options;
    for (auto [file, pem] : {std::pair{&trust.station, &options.trustPem},
                             std::pair{&trust.tsa, &options.tsaTrustPem}}) {
        if (!file->empty()) {
            auto read = station::readFileLimited(*file, kMaxPemBytes);
            if (!read) {
                return tl::unexpected(read.error());
            }
            *pem = *read;
        }
    }
    return options;
}

int archiveVerify(const CliContext& ctx, const std::string& file, const TrustFiles& trust,
                  const std::string& recordings) {
    auto options = verifyOptions(trust);
    if (!options) {
        return ctx.reportError(options.error());
    }
    if (!recordings.empty()) {
        options->recordings = fs::path(recordings);
    }
    auto report = archive::verifyArchive(file, *options);
    if (!report) {
        return ctx.reportError(report.error());
    }
    if (ctx.json) {
        json errors = json::array();
        for (const auto& e : report->errors) {
            errors.push_back({{"code", e.code},
                              {"member", e.member.empty() ? json(nullptr) : json(e.member)},
                              {"message", e.message}});
        }
        json warnings = json::array();
        for (const auto& w : report->warnings) {
            warnings.push_back(w);
        }
        json period = nullptr;
        if (report->summary.is_object() && report->summary.contains("period")) {
            period = report->summary["period"];
        }
        ctx.printJson(
            {{"valid", report->valid},
             {"errors", errors},
             {"warnings", warnings},
             {"signer", report->signer},
             {"signing_time", report->signingTime},
             {"trusted", report->trusted},
             {"timestamp", report->timestamp ? json{{"time", report->timestamp->time},
                                                    {"authority", report->timestamp->authority},
                                                    {"trusted", report->timestamp->trusted}}
                                             : json(nullptr)},
             {"files", report->files},
             {"event_log", {{"entries", report->eventLogEntries}, {"head", report->eventLogHead}}},
             {"recordings_checked", report->recordingsChecked},
             {"period", period}});
    } else {
        if (report->valid) {
            std::cout << trf("Archive VALID: {} files, signed by {} at {}.", report->files,
                             report->signer, report->signingTime)
                      << '\n';
        } else {
            std::cout << trf("Archive NOT VALID: {} problems.", report->errors.size()) << '\n';
            for (const auto& e : report->errors) {
                std::cout << "  - " << failureLabel(e.code)
                          << (e.member.empty() ? "" : " [" + e.member + "]") << ": " << e.message
                          << '\n';
            }
        }
        if (report->timestamp) {
            std::cout << trf("Time-stamped by {} at {}", report->timestamp->authority,
                             report->timestamp->time)
                      << '\n';
        }
        std::cout << trf("Event log: {} entries, head {}", report->eventLogEntries,
                         report->eventLogHead)
                  << '\n';
        if (options->recordings) {
            std::cout << trf("Recordings checked: {}", report->recordingsChecked) << '\n';
        }
        for (const auto& w : report->warnings) {
            std::cerr << trf("Warning: {}", translateWarning(w)) << '\n';
        }
    }
    return report->valid ? kExitOk : kExitProblem;
}

int archiveInspect(const CliContext& ctx, const std::string& file, const TrustFiles& trust,
                   const std::string& out) {
    const bool pdf = out.ends_with(".pdf");
    if (!pdf && !out.ends_with(".html") && !out.ends_with(".htm")) {
        std::cerr << tr("Give the report a file name ending in .html or .pdf.") << '\n';
        return kExitUsage;
    }
#ifndef EXAMGUARD_WITH_PDF
    if (pdf) {
        std::cerr << tr("This build has no PDF renderer (built without Qt): write .html and "
                        "print it to PDF from a browser.")
                  << '\n';
        return kExitUsage;
    }
#endif
    auto options = verifyOptions(trust);
    if (!options) {
        return ctx.reportError(options.error());
    }
    auto report = archive::verifyArchive(file, *options);
    if (!report) {
        return ctx.reportError(report.error());
    }
    const auto checks = archive::crossChecks(*report);
    const std::string html = archive::renderHtml(*report, checks);
#ifdef EXAMGUARD_WITH_PDF
    auto written = pdf ? writePdfReport(html, out) : station::writeFileAtomically(out, html);
#else
    auto written = station::writeFileAtomically(out, html);
#endif
    if (!written) {
        return ctx.reportError(written.error());
    }
    if (ctx.json) {
        json list = json::array();
        for (const auto& c : checks) {
            json evidence = json::array();
            for (const auto& e : c.evidence) {
                evidence.push_back(
                    {{"member", e.member}, {"locator", e.locator}, {"text", e.text}});
            }
            list.push_back({{"id", c.id},
                            {"verdict", archive::verdictName(c.verdict)},
                            {"summary", c.summary},
                            {"evidence", evidence}});
        }
        ctx.printJson({{"report", out}, {"valid", report->valid}, {"checks", list}});
    } else {
        std::cout << trf("Report written to {}.", out) << '\n';
        std::cout << (report->valid ? tr("Archive VALID.")
                                    : tr("Archive NOT VALID: the report "
                                         "says what failed."))
                  << '\n';
        for (const auto& c : checks) {
            std::cout << fmt::format("  [{}] {}: {}\n", archive::verdictName(c.verdict), c.question,
                                     c.summary);
        }
    }
    return report->valid ? kExitOk : kExitProblem;
}

std::string todayUtc() {
    return station::formatUtc(std::chrono::system_clock::now()).substr(0, 10);
}

int archiveRetention(const CliContext& ctx, bool listOnly, std::string today) {
    if (today.empty()) {
        today = todayUtc();
    }
    auto station = ctx.openStation();
    if (!station) {
        return ctx.reportError(station.error());
    }
    auto status = archive::retentionStatus(*station, today);
    if (!status) {
        return ctx.reportError(status.error());
    }
    int due = 0, missing = 0, unsealed = 0;
    for (const auto& s : status->segments) {
        due += s.due ? 1 : 0;
        missing += s.missing ? 1 : 0;
    }
    for (const auto& p : status->periods) {
        unsealed += p.unsealedAfterEnd ? 1 : 0;
    }
    if (ctx.json) {
        json archives = json::array(), segments = json::array(), periods = json::array();
        for (const auto& a : status->archives) {
            archives.push_back({{"period", a.period},
                                {"file", a.file},
                                {"sha256", a.sha256},
                                {"bytes", a.bytes},
                                {"keep_until", a.keepUntil},
                                {"sealed_at", a.sealedAt}});
        }
        for (const auto& g : status->segments) {
            segments.push_back({{"camera", g.camera},
                                {"path", station::maskSensitive(g.path)},
                                {"start_at", g.startAt},
                                {"keep_until", g.keepUntil},
                                {"bytes", g.bytes},
                                {"due", g.due},
                                {"missing", g.missing}});
        }
        for (const auto& p : status->periods) {
            periods.push_back({{"period", p.code},
                               {"last_sitting_end", p.lastSittingEnd},
                               {"keep_until", p.keepUntil},
                               {"sealed", p.sealed},
                               {"unsealed_after_end", p.unsealedAfterEnd}});
        }
        json doc = {{"today", today}, {"archives", archives}, {"periods", periods}};
        if (!listOnly) {
            doc["segments"] = segments;
            doc["due"] = due;
            doc["missing"] = missing;
        }
        ctx.printJson(doc);
    } else {
        std::cout << tr("Sealed archives:") << '\n';
        for (const auto& a : status->archives) {
            std::cout << fmt::format("  {:<16} {:<36} {:>12}  {}  {}\n", a.period, a.file, a.bytes,
                                     trf("keep until {}", a.keepUntil), a.sealedAt);
        }
        std::cout << tr("Periods:") << '\n';
        for (const auto& p : status->periods) {
            std::cout << fmt::format("  {:<16} {}  {}  {}\n", p.code, p.lastSittingEnd,
                                     trf("keep until {}", p.keepUntil),
                                     p.sealed             ? tr("sealed")
                                     : p.unsealedAfterEnd ? tr("ENDED WITHOUT AN ARCHIVE")
                                                          : tr("not sealed yet"));
        }
        if (!listOnly) {
            std::cout << trf("Recording segments: {}, due for deletion: {}, missing before their "
                             "time: {}",
                             status->segments.size(), due, missing)
                      << '\n';
            for (const auto& g : status->segments) {
                if (g.due || g.missing) {
                    std::cout << fmt::format("  {} {} {} {}\n", g.due ? tr("due") : tr("MISSING"),
                                             g.camera, station::maskSensitive(g.path), g.keepUntil);
                }
            }
        }
    }
    return (missing > 0 || unsealed > 0) && !listOnly ? kExitProblem : kExitOk;
}

void addTrustOptions(CLI::App& command, TrustFiles& trust) {
    command.add_option("--trust", trust.station,
                       tr("Trust anchor: the station's or its CA's certificate (PEM)"));
    command.add_option("--tsa-trust", trust.tsa,
                       tr("Trust anchor of the time-stamping authority (PEM); with it a "
                          "time-stamp is required"));
}

}  // namespace

void registerKeysCommands(CLI::App& app, CliContext& ctx, int& exitCode) {
    auto* keys = app.add_subcommand("keys", tr("The station's signing key and certificate"));
    keys->require_subcommand(1);

    auto* init = keys->add_subcommand(
        "init", tr("Create the station key, a self-signed certificate and a signing request"));
    auto options = std::make_shared<archive::KeyInitOptions>();
    init->add_option("--cn", options->commonName,
                     tr("Certificate common name (default: ExamGuard station <host>)"));
    init->add_option("--org", options->organization, tr("Organisation: the site's name"));
    init->add_option("--days", options->validDays, tr("Validity in days"))->capture_default_str();
    init->add_flag("--replace", options->replace,
                   tr("Replace an existing key (archives sealed with it stay verifiable with its "
                      "certificate)"));
    init->callback([&ctx, &exitCode, options] { exitCode = keysInit(ctx, *options); });

    auto* show = keys->add_subcommand("show", tr("Show the station certificate"));
    auto exportTo = std::make_shared<std::string>();
    show->add_option("--export", *exportTo,
                     tr("Also write the certificate (PEM) to this file, for inspectors"));
    show->callback([&ctx, &exitCode, exportTo] { exitCode = keysShow(ctx, *exportTo); });

    auto* install = keys->add_subcommand(
        "install-cert", tr("Install a certificate a CA issued from the station's request"));
    auto cert = std::make_shared<std::string>();
    auto chain = std::make_shared<std::string>();
    install->add_option("CERT", *cert, tr("Certificate (PEM)"))->required();
    install->add_option("--chain", *chain, tr("Intermediate CA certificates (PEM)"));
    install->callback(
        [&ctx, &exitCode, cert, chain] { exitCode = keysInstall(ctx, *cert, *chain); });
}

void registerArchiveCommands(CLI::App& app, CliContext& ctx, int& exitCode) {
    auto* arc = app.add_subcommand("archive", tr("Sealed period archives (一期一档)"));
    arc->require_subcommand(1);

    auto* seal = arc->add_subcommand("seal", tr("Seal an exam period into one signed archive"));
    auto options = std::make_shared<archive::SealOptions>();
    auto authority = std::make_shared<std::string>();
    auto include = std::make_shared<bool>(false);
    auto tsa = std::make_shared<std::string>();
    auto noTimestamp = std::make_shared<bool>(false);
    seal->add_option("--period", options->periodCode, tr("Period code"))->required();
    seal->add_option("--out", options->out, tr("Archive file to write (.zip)"))->required();
    seal->add_option("--authority-cert", *authority,
                     tr("Inspector authority certificate (PEM) to encrypt personal data to "
                        "(default: [archive] authority_certificate in station.toml)"));
    seal->add_flag("--include-recordings", *include,
                   tr("Copy the video segments into the archive, not only their hashes"));
    seal->add_option("--tsa", *tsa,
                     tr("RFC 3161 time-stamping authority URL (default: [archive] tsa_url in "
                        "station.toml)"));
    seal->add_flag("--no-timestamp", *noTimestamp,
                   tr("Seal without a time-stamp even when a TSA is configured"));
    seal->callback([&ctx, &exitCode, options, authority, include, tsa, noTimestamp] {
        exitCode = archiveSeal(ctx, *options, *authority, *include, *tsa, *noTimestamp);
    });

    auto* verify = arc->add_subcommand(
        "verify", tr("Verify an archive offline; exit 0 only if every check holds"));
    auto file = std::make_shared<std::string>();
    auto trust = std::make_shared<TrustFiles>();
    auto recordings = std::make_shared<std::string>();
    verify->add_option("FILE", *file, tr("Archive file"))->required();
    addTrustOptions(*verify, *trust);
    verify->add_option("--recordings", *recordings,
                       tr("Recording store directory: check every segment's SHA-256"));
    verify->callback([&ctx, &exitCode, file, trust, recordings] {
        exitCode = archiveVerify(ctx, *file, *trust, *recordings);
    });

    auto* list =
        arc->add_subcommand("list", tr("Sealed archives and periods, with keep-until dates"));
    list->callback([&ctx, &exitCode] { exitCode = archiveRetention(ctx, true, {}); });
    auto* retention = arc->add_subcommand(
        "retention", tr("What is kept until when, what is due for deletion and what is missing"));
    auto today = std::make_shared<std::string>();
    retention->add_option("--today", *today, tr("Date to judge by (YYYY-MM-DD; default: today)"));
    retention->callback(
        [&ctx, &exitCode, today] { exitCode = archiveRetention(ctx, false, *today); });

    auto* inspect = arc->add_subcommand(
        "inspect", tr("Verify an archive and write the inspector's report (HTML)"));
    auto inspectFile = std::make_shared<std::string>();
    auto inspectTrust = std::make_shared<TrustFiles>();
    auto reportOut = std::make_shared<std::string>();
    inspect->add_option("FILE", *inspectFile, tr("Archive file"))->required();
    inspect->add_option("--report", *reportOut, tr("Report file to write (.html)"))->required();
    addTrustOptions(*inspect, *inspectTrust);
    inspect->callback([&ctx, &exitCode, inspectFile, inspectTrust, reportOut] {
        exitCode = archiveInspect(ctx, *inspectFile, *inspectTrust, *reportOut);
    });
}

}  // namespace examguard::cli
