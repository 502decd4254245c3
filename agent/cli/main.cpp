// examguard-agent: the exam-PC agent's command line. Collects the inventory through the platform
// backend, matches it against the catalogue, writes the signed JSON report. It only reads the PC:
// it never stops, kills or uninstalls anything.
#ifndef _WIN32
#include <signal.h>
#endif

#include <algorithm>
#include <chrono>
#include <csignal>
#include <cstdio>
#include <ctime>
#include <filesystem>
#include <fstream>
#include <iostream>

#include <fmt/format.h>
#include <CLI/CLI.hpp>
#include <nlohmann/json.hpp>

#include "agent/catalogue.h"
#include "agent/inventory.h"
#ifdef _WIN32
#include "agent/windows_backend.h"
#include "windows_service.h"
#else
#include "agent/linux_backend.h"
#endif
#include "agent/report.h"
#include "agent/transport.h"
#include "station/i18n.h"

namespace {

using examguard::agent::Error;
using examguard::agent::ErrorCode;
using examguard::station::i18n::tr;
using examguard::station::i18n::trf;
using nlohmann::json;

constexpr int kExitOk = 0;
constexpr int kExitFound = 1;
constexpr int kExitUsage = 2;
constexpr int kExitInput = 3;

struct Options {
    bool json = false;
    std::string lang;
    std::string out;
    std::string key;
    std::string publicKey;
    std::string catalogue;
    std::string reportFile;
    bool noHash = false;
    // Delivery to `examguard agent serve`.
    std::string to;
    std::string certificate;
    std::string caCertificate;
    int timeoutSeconds = 30;
    std::string outDir;  // the service's reports as files
};

int fail(const Options& o, const Error& e, int code) {
    std::cerr << trf("examguard-agent: {}", e.detail) << "\n";
    if (o.json) {
        std::cout << json{{"error",
                           {{"code", examguard::agent::errorCodeName(e.code)},
                            {"detail", e.detail}}}}
                         .dump(2)
                  << "\n";
    }
    return code;
}

// A report (or key) file's bytes, at most what a report can be.
tl::expected<std::string, Error> readReportFile(const std::string& path) {
    std::ifstream in(path, std::ios::binary);
    if (!in) {
        return tl::unexpected(
            Error{ErrorCode::kFileNotFound, fmt::format("{}: cannot open", path)});
    }
    std::string text;
    char buf[65536];
    while (in.read(buf, sizeof buf) || in.gcount() > 0) {
        text.append(buf, static_cast<std::size_t>(in.gcount()));
        if (text.size() > examguard::agent::kMaxReportBytes) {
            return tl::unexpected(Error{ErrorCode::kMalformedData,
                                        fmt::format("{}: larger than a report can be", path)});
        }
    }
    return text;
}

// Writes beside the target and renames, so a reader never sees half a report.
tl::expected<void, Error> writeAtomically(const std::string& path, const std::string& text) {
    if (path == "-") {
        std::cout << text << "\n";
        return {};
    }
    const std::string tmp = path + ".tmp";
    {
        std::ofstream out(tmp, std::ios::binary | std::ios::trunc);
        out << text << "\n";
        if (!out.flush()) {
            std::remove(tmp.c_str());
            return tl::unexpected(
                Error{ErrorCode::kUnreadable, fmt::format("{}: cannot write", tmp)});
        }
    }
    // std::filesystem::rename replaces an existing report on Windows too (std::rename does not).
    std::error_code renamed;
    std::filesystem::rename(tmp, path, renamed);
    if (renamed) {
        std::remove(tmp.c_str());
        return tl::unexpected(Error{ErrorCode::kUnreadable, fmt::format("{}: cannot write", path)});
    }
    return {};
}

std::unique_ptr<examguard::agent::Backend> platformBackend(
    const examguard::agent::Catalogue& catalogue) {
#ifdef _WIN32
    return std::make_unique<examguard::agent::windowshost::WindowsBackend>(catalogue);
#else
    return std::make_unique<examguard::agent::linuxhost::LinuxBackend>(
        examguard::agent::linuxhost::Paths{}, catalogue);
#endif
}

int runKeygen(const Options& o) {
    if (auto r = examguard::agent::generateKey(o.key, o.publicKey); !r) {
        return fail(o, r.error(), kExitInput);
    }
    if (o.json) {
        std::cout << json{{"key", o.key}, {"public_key", o.publicKey}}.dump(2) << "\n";
    } else {
        std::cout << trf("Agent key written to {} (public key {})", o.key, o.publicKey) << "\n";
    }
    return kExitOk;
}

tl::expected<examguard::agent::Catalogue, Error> loadCatalogue(const Options& o) {
    if (o.catalogue.empty()) {
        return examguard::agent::Catalogue::builtIn();
    }
    return examguard::agent::Catalogue::load(o.catalogue);
}

void printDetections(const examguard::agent::Inventory& inventory,
                     const std::vector<examguard::agent::Detection>& detections) {
    for (const auto& d : detections) {
        std::cout << trf("  {}: {}", d.kind, examguard::agent::describe(d)) << "\n";
    }
    for (const auto& w : inventory.warnings) {
        std::cerr << trf("warning: {}", w) << "\n";
    }
}

struct SignedReport {
    std::string text;  // the envelope as written and sent
    json report;
    examguard::agent::Inventory inventory;
    std::vector<examguard::agent::Detection> detections;
};

tl::expected<SignedReport, Error> makeSignedReport(const Options& o) {
    const auto catalogue = loadCatalogue(o);
    if (!catalogue) {
        return tl::unexpected(catalogue.error());
    }
    SignedReport r;
    r.inventory = platformBackend(*catalogue)->collect({.hashImages = !o.noHash});
    r.detections = examguard::agent::detect(r.inventory, *catalogue);
    r.report = examguard::agent::buildReport(r.inventory, r.detections, examguard::agent::utcNow(),
                                             examguard::agent::randomNonce());
    auto envelope = examguard::agent::signReport(r.report, o.key);
    if (!envelope) {
        return tl::unexpected(envelope.error());
    }
    r.text = envelope->dump(2, ' ', false, json::error_handler_t::replace);
    return r;
}

tl::expected<examguard::agent::Destination, Error> destinationOf(const Options& o) {
    auto to = examguard::agent::parseAddress(o.to);
    if (!to) {
        return tl::unexpected(to.error());
    }
    to->key = o.key;
    to->certificate = o.certificate;
    to->caCertificate = o.caCertificate;
    to->timeoutSeconds = o.timeoutSeconds;
    return to;
}

// The station's answer to a delivery, as an exit code: 0 imported with no finding, 1 imported
// with findings or refused (a refusal is a finding about this PC), 3 anything else.
int exitForAnswer(const json& answer) {
    if (answer.contains("imported")) {
        const auto f = answer.find("findings");
        return f != answer.end() && f->is_array() && !f->empty() ? kExitFound : kExitOk;
    }
    const auto& e = answer["error"];
    return e.is_object() && e.value("code", "") == "invalid" ? kExitFound : kExitInput;
}

void printAnswer(const Options& o, const json& answer) {
    if (o.json) {
        std::cout << json{{"station", o.to}, {"answer", answer}}.dump(2) << "\n";
    } else if (answer.contains("imported")) {
        std::cout << trf("Delivered to {}: imported for seat {}, {} findings (event log entry {}).",
                         o.to, answer.value("seat", "?"), answer["findings"].size(),
                         answer.value("log_seq", 0))
                  << "\n";
    } else {
        std::cout << trf("Delivered to {} but refused: {}", o.to,
                         answer["error"].value("detail", "?"))
                  << "\n";
    }
}

int runReport(const Options& o) {
    if (o.out.empty() && o.to.empty()) {
        return fail(o, {ErrorCode::kInvalidArgument, "give --out, --to, or both"}, kExitUsage);
    }
    auto destination =
        o.to.empty() ? tl::expected<examguard::agent::Destination, Error>() : destinationOf(o);
    if (!destination) {
        return fail(o, destination.error(), kExitUsage);
    }
    auto signedReport = makeSignedReport(o);
    if (!signedReport) {
        return fail(o, signedReport.error(), kExitInput);
    }
    if (!o.out.empty()) {
        if (auto r = writeAtomically(o.out, signedReport->text); !r) {
            return fail(o, r.error(), kExitInput);
        }
    }
    if (!o.to.empty()) {
        auto answer = examguard::agent::sendReport(*destination, signedReport->text);
        if (!answer) {
            return fail(o, answer.error(), kExitInput);
        }
        printAnswer(o, *answer);
        return exitForAnswer(*answer);
    }
    if (o.json) {
        if (o.out != "-") {
            std::cout << json{{"report", o.out},
                              {"detections", signedReport->report["detections"]},
                              {"baseline", signedReport->report["baseline"]}}
                             .dump(2)
                      << "\n";
        }
    } else if (o.out != "-") {
        std::cout << trf("Report written to {}: {} processes, {} installed programs, {} USB "
                         "devices, {} detections",
                         o.out, signedReport->inventory.processes.size(),
                         signedReport->inventory.installed.size(),
                         signedReport->inventory.usb.size(), signedReport->detections.size())
                  << "\n";
        printDetections(signedReport->inventory, signedReport->detections);
    }
    return signedReport->detections.empty() ? kExitOk : kExitFound;
}

// A report written earlier (an air-gapped room's, or one whose delivery failed), delivered now.
int runSend(const Options& o) {
    auto destination = destinationOf(o);
    if (!destination) {
        return fail(o, destination.error(), kExitUsage);
    }
    const auto text = readReportFile(o.reportFile);
    if (!text) {
        return fail(o, text.error(), kExitInput);
    }
    auto answer = examguard::agent::sendReport(*destination, *text);
    if (!answer) {
        return fail(o, answer.error(), kExitInput);
    }
    printAnswer(o, *answer);
    return exitForAnswer(*answer);
}

// One report of the service: delivered to the station (--to) or written into --out-dir as
// report-<UTC time>-<nonce prefix>.json. Empty on success, else why it failed.
std::string reportOnce(const Options& o) {
    auto signedReport = makeSignedReport(o);
    if (!signedReport) {
        return signedReport.error().detail;
    }
    if (!o.outDir.empty()) {
        std::string stamp = signedReport->report.value("timestamp", "");
        stamp.erase(
            std::remove_if(stamp.begin(), stamp.end(), [](char c) { return c == '-' || c == ':'; }),
            stamp.end());
        const std::string name = fmt::format("report-{}-{}.json", stamp,
                                             signedReport->report.value("nonce", "").substr(0, 8));
        const auto path = (std::filesystem::path(o.outDir) / name).string();
        if (auto r = writeAtomically(path, signedReport->text); !r) {
            return r.error().detail;
        }
        std::cout << (o.json ? json{{"report", path}}.dump() : trf("Report written to {}", path))
                  << std::endl;
        return {};
    }
    auto destination = destinationOf(o);
    auto answer = destination ? examguard::agent::sendReport(*destination, signedReport->text)
                              : tl::expected<json, Error>(tl::unexpect, destination.error());
    if (!answer) {
        return answer.error().detail;
    }
    printAnswer(o, *answer);
    std::cout << std::flush;
    return {};
}

// Reports at start-up and on demand until stopped: on Linux in the foreground until
// SIGINT/SIGTERM, on demand being SIGUSR1 (`systemctl kill -s USR1 examguard-agent`); on Windows
// under the service manager (windows_service.cpp), on demand being `report-now`. A report that
// fails is retried with a fresh one after 5 s, doubling to 5 minutes.
int runService(const Options& o) {
    if (o.outDir.empty() == o.to.empty()) {
        return fail(o, {ErrorCode::kInvalidArgument, "give either --to or --out-dir"}, kExitUsage);
    }
    if (!o.to.empty()) {
        if (auto destination = destinationOf(o); !destination) {
            return fail(o, destination.error(), kExitUsage);
        }
    }
#ifdef _WIN32
    std::string error;
    if (!examguard::agent::windowshost::runAsService([&o] { return reportOnce(o); }, error)) {
        return fail(o, {ErrorCode::kInvalidArgument, error}, kExitUsage);
    }
    return kExitOk;
#else
    sigset_t signals;
    sigemptyset(&signals);
    sigaddset(&signals, SIGINT);
    sigaddset(&signals, SIGTERM);
    sigaddset(&signals, SIGUSR1);
    pthread_sigmask(SIG_BLOCK, &signals, nullptr);
    std::signal(SIGPIPE, SIG_IGN);
    using namespace std::chrono_literals;
    constexpr auto kFirstRetry = 5s;
    constexpr auto kLastRetry = 300s;
    auto retry = kFirstRetry;
    bool due = true;  // the start-up report
    for (;;) {
        std::chrono::seconds wait = 0s;
        if (due) {
            if (const std::string failure = reportOnce(o); failure.empty()) {
                due = false;
                retry = kFirstRetry;
            } else {
                std::cerr << trf("examguard-agent: {} (retrying in {} s)", failure, retry.count())
                          << std::endl;
                wait = retry;
                retry = std::min(retry * 2, kLastRetry);
            }
        }
        siginfo_t info{};
        int sig = 0;
        if (due) {
            const timespec timeout{static_cast<std::time_t>(wait.count()), 0};
            sig = sigtimedwait(&signals, &info, &timeout);
        } else {
            sig = sigwaitinfo(&signals, &info);
        }
        if (sig == SIGINT || sig == SIGTERM) {
            return kExitOk;
        }
        if (sig == SIGUSR1) {
            due = true;
            retry = kFirstRetry;
        }
    }
#endif
}

// Asks the running service for a report now.
int runReportNow(const Options& o) {
#ifdef _WIN32
    std::string error;
    if (!examguard::agent::windowshost::requestReportNow(error)) {
        return fail(o, {ErrorCode::kInvalidArgument, error}, kExitInput);
    }
    std::cout << (o.json ? json{{"requested", true}}.dump() : tr("Report requested.")) << "\n";
    return kExitOk;
#else
    return fail(o,
                {ErrorCode::kInvalidArgument,
                 "on Linux the service reports on SIGUSR1: systemctl kill -s USR1 examguard-agent"},
                kExitUsage);
#endif
}

int runScan(const Options& o) {
    const auto catalogue = loadCatalogue(o);
    if (!catalogue) {
        return fail(o, catalogue.error(), kExitInput);
    }
    const auto inventory = platformBackend(*catalogue)->collect({.hashImages = !o.noHash});
    const auto detections = examguard::agent::detect(inventory, *catalogue);
    if (o.json) {
        std::cout << examguard::agent::scanSummary(inventory, detections)
                         .dump(2, ' ', false, json::error_handler_t::replace)
                  << "\n";
    } else {
        std::cout << trf("{}: {} processes, {} installed programs, {} USB devices, {} detections",
                         inventory.host.hostname, inventory.processes.size(),
                         inventory.installed.size(), inventory.usb.size(), detections.size())
                  << "\n";
        printDetections(inventory, detections);
    }
    return detections.empty() ? kExitOk : kExitFound;
}

int runVerify(const Options& o) {
    const auto text = readReportFile(o.reportFile);
    if (!text) {
        return fail(o, text.error(), kExitInput);
    }
    const auto pem = readReportFile(o.publicKey);
    if (!pem) {
        return fail(o, pem.error(), kExitInput);
    }
    const json envelope = json::parse(*text, nullptr, false);
    if (envelope.is_discarded()) {
        return fail(o, {ErrorCode::kMalformedData, fmt::format("{}: not JSON", o.reportFile)},
                    kExitInput);
    }
    if (auto r = examguard::agent::verifyEnvelope(envelope, *pem); !r) {
        return fail(o, r.error(),
                    r.error().code == ErrorCode::kSignatureInvalid ? kExitFound : kExitInput);
    }
    if (o.json) {
        std::cout << json{{"valid", true}, {"nonce", envelope["report"].value("nonce", "")}}.dump(2)
                  << "\n";
    } else {
        std::cout << trf("{}: signature valid", o.reportFile) << "\n";
    }
    return kExitOk;
}

}  // namespace

int main(int argc, char** argv) {
    using examguard::station::i18n::Language;
    for (int i = 1; i < argc; ++i) {
        const std::string_view arg(argv[i]);
        if ((arg == "--lang" && i + 1 < argc && std::string_view(argv[i + 1]).starts_with("en")) ||
            arg.starts_with("--lang=en")) {
            examguard::station::i18n::setLanguage(Language::English);
        } else if ((arg == "--lang" && i + 1 < argc &&
                    std::string_view(argv[i + 1]).starts_with("zh")) ||
                   arg.starts_with("--lang=zh")) {
            examguard::station::i18n::setLanguage(Language::ZhCN);
        }
    }
    Options o;
    CLI::App app{tr("ExamGuard agent for exam PCs: inventory, detection, signed report")};
    app.set_version_flag("-V,--version", "examguard-agent " EXAMGUARD_VERSION);
    app.require_subcommand(1);
    app.add_flag("--json", o.json, tr("Print one JSON document on stdout"));
    app.add_option("--lang", o.lang, tr("Language of messages: zh_CN (default) or en"));

    auto* keygen = app.add_subcommand(
        "keygen", tr("Create the agent's key pair (Ed25519 on Linux, RSA on Windows)"));
    keygen->add_option("-k,--key", o.key, tr("Private key file to create (PEM, mode 0600)"))
        ->required();
    keygen->add_option("-p,--public-key", o.publicKey, tr("Public key file to create (PEM)"))
        ->required();

    auto* scan = app.add_subcommand("scan", tr("Inventory this PC and print what was found"));
    scan->add_option("-c,--catalogue", o.catalogue,
                     tr("Catalogue JSON instead of the built-in one"));
    scan->add_flag("--no-hash", o.noHash, tr("Do not hash process images"));

    // Where reports go over TLS: the station, this PC's certificate, the station's agent CA.
    const auto addDelivery = [&o](CLI::App* cmd, bool required) {
        auto* to = cmd->add_option("--to", o.to, tr("Station's `agent serve` address, HOST:PORT"));
        auto* cert = cmd->add_option("--cert", o.certificate,
                                     tr("This PC's certificate from `examguard agent enroll`"));
        auto* ca = cmd->add_option("--ca", o.caCertificate,
                                   tr("The station's agent CA certificate (PEM)"));
        cmd->add_option("--timeout", o.timeoutSeconds, tr("Seconds to wait for the station"))
            ->check(CLI::Range(1, 600));
        if (required) {
            to->required();
            cert->required();
            ca->required();
        } else {
            cert->needs(to);
            ca->needs(to);
            to->needs(cert);
            to->needs(ca);
        }
    };
    auto* report = app.add_subcommand(
        "report", tr("Inventory this PC, sign the report, write it and/or deliver it"));
    report->add_option("-o,--out", o.out, tr("Report file, or - for stdout"));
    report->add_option("-k,--key", o.key, tr("Agent private key (PEM)"))->required();
    report->add_option("-c,--catalogue", o.catalogue,
                       tr("Catalogue JSON instead of the built-in one"));
    report->add_flag("--no-hash", o.noHash, tr("Do not hash process images"));
    addDelivery(report, false);

    auto* send = app.add_subcommand("send", tr("Deliver a signed report file to the station"));
    send->add_option("report", o.reportFile, tr("Signed report file"))->required();
    send->add_option("-k,--key", o.key, tr("Agent private key (PEM)"))->required();
    addDelivery(send, true);

    auto* service = app.add_subcommand(
        "service",
        tr("Report at start-up and on demand until stopped (to the station or a folder)"));
    service->add_option("-k,--key", o.key, tr("Agent private key (PEM)"))->required();
    service->add_option("-c,--catalogue", o.catalogue,
                        tr("Catalogue JSON instead of the built-in one"));
    service->add_flag("--no-hash", o.noHash, tr("Do not hash process images"));
    service->add_option("--out-dir", o.outDir,
                        tr("Write each report into this folder instead of delivering it"));
    addDelivery(service, false);

    auto* reportNow =
        app.add_subcommand("report-now", tr("Ask the running Windows service for a report now"));

    auto* verify = app.add_subcommand("verify", tr("Check a report's signature"));
    verify->add_option("report", o.reportFile, tr("Signed report file"))->required();
    verify->add_option("-p,--public-key", o.publicKey, tr("Agent public key (PEM)"))->required();

    try {
        app.parse(argc, argv);
    } catch (const CLI::ParseError& e) {
        return app.exit(e) == 0 ? kExitOk : kExitUsage;  // help and version exit 0
    }
    if (keygen->parsed()) {
        return runKeygen(o);
    }
    if (report->parsed()) {
        return runReport(o);
    }
    if (send->parsed()) {
        return runSend(o);
    }
    if (service->parsed()) {
        return runService(o);
    }
    if (reportNow->parsed()) {
        return runReportNow(o);
    }
    if (scan->parsed()) {
        return runScan(o);
    }
    return runVerify(o);
}
