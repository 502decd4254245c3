// examguard monitor discover: ONVIF cameras on the LAN and their stream addresses, so the
// camera configuration is copied, not typed. Credentials come from a file or the environment,
// never from the command line (where `ps` shows them), and are never printed or logged.
#include <cstdlib>
#include <iostream>

#include <fmt/format.h>

#include "commands.h"
#include "station/file_io.h"
#include "station/i18n.h"
#include "station/onvif.h"

namespace examguard::cli {

using station::i18n::tr;
using station::i18n::trf;

namespace {

struct DiscoverOptions {
    int waitMs = 3000;
    std::string target = "239.255.255.250";
    std::string interfaceAddress;
    std::string user;
    std::string passwordFile;
};

// The password's first line from the file, else $EXAMGUARD_ONVIF_PASSWORD.
station::Expected<std::string> password(const DiscoverOptions& o) {
    if (o.passwordFile.empty()) {
        const char* env = std::getenv("EXAMGUARD_ONVIF_PASSWORD");
        return std::string(env != nullptr ? env : "");
    }
    auto text = station::readFileLimited(o.passwordFile, 4096);
    if (!text) {
        return tl::unexpected(text.error());
    }
    return text->substr(0, text->find_first_of("\r\n"));
}

int discover(const CliContext& ctx, const DiscoverOptions& o) {
    station::onvif::DiscoveryOptions options;
    options.wait = std::chrono::milliseconds(o.waitMs);
    options.target = o.target;
    options.interfaceAddress = o.interfaceAddress;
    if (!o.user.empty()) {
        auto secret = password(o);
        if (!secret) {
            return ctx.reportError(secret.error());
        }
        options.credentials = station::onvif::Credentials{o.user, std::move(*secret)};
    }
    auto cameras = station::onvif::discover(options);
    if (!cameras) {
        return ctx.reportError(cameras.error());
    }
    if (ctx.json) {
        nlohmann::json list = nlohmann::json::array();
        for (const auto& c : *cameras) {
            nlohmann::json profiles = nlohmann::json::array();
            for (const auto& p : c.profiles) {
                profiles.push_back({{"token", p.token},
                                    {"name", p.name},
                                    {"encoding", p.encoding},
                                    {"width", p.width},
                                    {"height", p.height},
                                    {"stream_uri", p.streamUri}});
            }
            list.push_back(
                {{"address", c.match.address},
                 {"from", c.from},
                 {"xaddrs", c.match.xaddrs},
                 {"name", station::onvif::scopeValue(c.match, "name")},
                 {"hardware", station::onvif::scopeValue(c.match, "hardware")},
                 {"profiles", profiles},
                 {"error", c.error.empty() ? nlohmann::json(nullptr) : nlohmann::json(c.error)}});
        }
        ctx.printJson({{"cameras", list}});
    } else {
        std::cout << trf("{} ONVIF cameras answered.", cameras->size()) << '\n';
        for (const auto& c : *cameras) {
            std::cout << fmt::format(
                "{}  {} {} ({})\n", c.from, station::onvif::scopeValue(c.match, "name"),
                station::onvif::scopeValue(c.match, "hardware"), c.match.address);
            for (const auto& p : c.profiles) {
                std::cout << fmt::format("    {:<16} {:<6} {}x{}  {}\n", p.name, p.encoding,
                                         p.width, p.height, p.streamUri);
            }
            if (!c.error.empty()) {
                std::cout << "    " << trf("Streams not read: {}", c.error) << '\n';
            }
        }
    }
    return kExitOk;
}

}  // namespace

void registerMonitorDiscoverCommand(CLI::App& app, CliContext& ctx, int& exitCode) {
    auto* monitor = app.get_subcommand("monitor");
    auto o = std::make_shared<DiscoverOptions>();
    auto* cmd = monitor->add_subcommand(
        "discover", tr("Find ONVIF cameras on the LAN and read their stream addresses"));
    cmd->add_option("--wait", o->waitMs, tr("Milliseconds to wait for answers (default 3000)"))
        ->check(CLI::Range(100, 60000));
    cmd->add_option("--target", o->target,
                    tr("Send the probe to this address instead of the WS-Discovery multicast "
                       "group (one camera, or a network that drops multicast)"));
    cmd->add_option("--interface-address", o->interfaceAddress,
                    tr("IPv4 address of the interface to probe from"));
    cmd->add_option("--user", o->user, tr("ONVIF user name for reading stream addresses"));
    cmd->add_option("--password-file", o->passwordFile,
                    tr("File holding the ONVIF password (default: $EXAMGUARD_ONVIF_PASSWORD)"));
    cmd->callback([&ctx, &exitCode, o] { exitCode = discover(ctx, *o); });
}

}  // namespace examguard::cli
