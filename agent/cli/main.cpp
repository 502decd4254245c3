// examguard-agent: the exam-PC agent's command line. Collects the inventory through the platform
// backend, matches it against the catalogue, writes the signed JSON report. It only reads the PC:
// it never stops, kills or uninstalls anything.
#include <cstdio>
#include <fstream>
#include <iostream>
#include <sstream>

#include <fmt/format.h>
#include <CLI/CLI.hpp>
#include <nlohmann/json.hpp>

#include "agent/catalogue.h"
#include "agent/inventory.h"
#include "agent/linux_backend.h"
#include "agent/report.h"
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
    if (std::rename(tmp.c_str(), path.c_str()) != 0) {
        std::remove(tmp.c_str());
        return tl::unexpected(Error{ErrorCode::kUnreadable, fmt::format("{}: cannot write", path)});
    }
    return {};
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

int runReport(const Options& o) {
    const auto catalogue = loadCatalogue(o);
    if (!catalogue) {
        return fail(o, catalogue.error(), kExitInput);
    }
    examguard::agent::linuxhost::LinuxBackend backend({}, *catalogue);
    const auto inventory = backend.collect({.hashImages = !o.noHash});
    const auto detections = examguard::agent::detect(inventory, *catalogue);
    const auto report = examguard::agent::buildReport(
        inventory, detections, examguard::agent::utcNow(), examguard::agent::randomNonce());
    auto envelope = examguard::agent::signReport(report, o.key);
    if (!envelope) {
        return fail(o, envelope.error(), kExitInput);
    }
    if (auto r =
            writeAtomically(o.out, envelope->dump(2, ' ', false, json::error_handler_t::replace));
        !r) {
        return fail(o, r.error(), kExitInput);
    }
    if (o.json) {
        if (o.out != "-") {
            std::cout << json{{"report", o.out},
                              {"detections", report["detections"]},
                              {"baseline", report["baseline"]}}
                             .dump(2)
                      << "\n";
        }
    } else if (o.out != "-") {
        std::cout << trf("Report written to {}: {} processes, {} installed programs, {} USB "
                         "devices, {} detections",
                         o.out, inventory.processes.size(), inventory.installed.size(),
                         inventory.usb.size(), detections.size())
                  << "\n";
        printDetections(inventory, detections);
    }
    return detections.empty() ? kExitOk : kExitFound;
}

int runScan(const Options& o) {
    const auto catalogue = loadCatalogue(o);
    if (!catalogue) {
        return fail(o, catalogue.error(), kExitInput);
    }
    examguard::agent::linuxhost::LinuxBackend backend({}, *catalogue);
    const auto inventory = backend.collect({.hashImages = !o.noHash});
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
    const auto readText = [](const std::string& path) -> std::optional<std::string> {
        std::ifstream in(path, std::ios::binary);
        if (!in) {
            return std::nullopt;
        }
        std::ostringstream s;
        s << in.rdbuf();
        return s.str();
    };
    const auto text = readText(o.reportFile);
    if (!text) {
        return fail(o, {ErrorCode::kFileNotFound, fmt::format("{}: cannot open", o.reportFile)},
                    kExitInput);
    }
    const auto pem = readText(o.publicKey);
    if (!pem) {
        return fail(o, {ErrorCode::kFileNotFound, fmt::format("{}: cannot open", o.publicKey)},
                    kExitInput);
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

    auto* keygen = app.add_subcommand("keygen", tr("Create the agent's Ed25519 key pair"));
    keygen->add_option("-k,--key", o.key, tr("Private key file to create (PEM, mode 0600)"))
        ->required();
    keygen->add_option("-p,--public-key", o.publicKey, tr("Public key file to create (PEM)"))
        ->required();

    auto* scan = app.add_subcommand("scan", tr("Inventory this PC and print what was found"));
    scan->add_option("-c,--catalogue", o.catalogue,
                     tr("Catalogue JSON instead of the built-in one"));
    scan->add_flag("--no-hash", o.noHash, tr("Do not hash process images"));

    auto* report =
        app.add_subcommand("report", tr("Inventory this PC and write the signed report"));
    report->add_option("-o,--out", o.out, tr("Report file, or - for stdout"))->required();
    report->add_option("-k,--key", o.key, tr("Agent private key (PEM)"))->required();
    report->add_option("-c,--catalogue", o.catalogue,
                       tr("Catalogue JSON instead of the built-in one"));
    report->add_flag("--no-hash", o.noHash, tr("Do not hash process images"));

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
    if (scan->parsed()) {
        return runScan(o);
    }
    return runVerify(o);
}
