// examguard platform drain|status: sends the queued sign-ins to the provincial platform
// (REQUIREMENTS ID-4) and shows the queue. Check-ins queue their sign-in in the store; this is
// what delivers them, from a timer or by hand after an outage.
#include <iostream>

#include <fmt/format.h>

#include "commands.h"
#include "station/file_io.h"
#include "station/i18n.h"
#include "station/platform/platform_client.h"

namespace examguard::cli {

using station::i18n::tr;
using station::i18n::trf;

namespace {

station::Expected<station::platform::PlatformConfig> platformConfig(const CliContext& ctx) {
    auto config = ctx.loadConfig();
    if (!config) {
        return tl::unexpected(config.error());
    }
    const auto& p = config->platform;
    if (!p.enabled) {
        return station::fail(station::ErrorCode::Invalid,
                             "the provincial platform is not enabled in the station settings "
                             "([platform] enabled = true)");
    }
    std::filesystem::path keyFile = p.privateKeyFile;
    if (keyFile.is_relative()) {
        keyFile = ctx.resolvedDatabasePath().parent_path() / keyFile;
    }
    auto key = station::readFileLimited(keyFile, 64 * 1024);
    if (!key) {
        return tl::unexpected(key.error());
    }
    station::platform::PlatformConfig out;
    out.baseUrl = p.baseUrl;
    out.appId = p.appId;
    out.privateKeyPem = std::move(*key);
    out.deviceMac = p.deviceMac;
    out.digest = p.digest == "sha1" ? station::platform::SignatureDigest::Sha1
                                    : station::platform::SignatureDigest::Sha256;
    out.timeout = std::chrono::milliseconds(p.timeoutMs);
    return out;
}

int drain(const CliContext& ctx) {
    auto config = platformConfig(ctx);
    if (!config) {
        return ctx.reportError(config.error());
    }
    auto station = ctx.openStation();
    if (!station) {
        return ctx.reportError(station.error());
    }
    station::platform::CurlTransport transport;
    station::platform::PlatformOutbox outbox(*station, std::move(*config), transport);
    auto report = outbox.drain();
    if (!report) {
        return ctx.reportError(report.error());
    }
    if (ctx.json) {
        ctx.printJson(
            {{"signed_in", report->signedIn},
             {"rejected", report->rejected},
             {"retrying", report->retrying},
             {"pending", report->pending},
             {"next_attempt_at", report->nextAttemptAt ? nlohmann::json(*report->nextAttemptAt)
                                                       : nlohmann::json(nullptr)}});
    } else {
        std::cout << trf("Signed in: {}; rejected by the platform: {}; failed, will retry: {}; "
                         "still queued: {}",
                         report->signedIn, report->rejected, report->retrying, report->pending)
                  << '\n';
        if (report->nextAttemptAt) {
            std::cout << trf("Next attempt at {}", *report->nextAttemptAt) << '\n';
        }
    }
    return report->rejected > 0 ? kExitProblem : kExitOk;
}

int status(const CliContext& ctx) {
    auto station = ctx.openStation();
    if (!station) {
        return ctx.reportError(station.error());
    }
    auto stmt = station->db().prepare(
        "SELECT id, id_number_masked, state, attempts, next_attempt_at, coalesce(last_error, ''), "
        "queued_at FROM platform_outbox ORDER BY id");
    if (!stmt) {
        return ctx.reportError(stmt.error());
    }
    nlohmann::json items = nlohmann::json::array();
    if (!ctx.json) {
        std::cout << fmt::format("{:>5}  {:<20}  {:<14}  {:>5}  {:<20}  {}\n", tr("ID"),
                                 tr("ID NUMBER"), tr("STATE"), tr("TRIES"), tr("NEXT ATTEMPT"),
                                 tr("LAST ERROR"));
    }
    auto done = stmt->forEachRow([&](station::Statement& row) {
        if (ctx.json) {
            items.push_back({{"id", row.columnInt(0)},
                             {"id_number", row.columnText(1)},
                             {"state", row.columnText(2)},
                             {"attempts", row.columnInt(3)},
                             {"next_attempt_at", row.columnText(4)},
                             {"last_error", row.columnText(5)},
                             {"queued_at", row.columnText(6)}});
        } else {
            std::cout << fmt::format("{:>5}  {:<20}  {:<14}  {:>5}  {:<20}  {}\n", row.columnInt(0),
                                     row.columnText(1), row.columnText(2), row.columnInt(3),
                                     row.columnText(4), row.columnText(5));
        }
    });
    if (!done) {
        return ctx.reportError(done.error());
    }
    if (ctx.json) {
        ctx.printJson({{"items", items}});
    }
    return kExitOk;
}

}  // namespace

void registerPlatformCommands(CLI::App& app, CliContext& ctx, int& exitCode) {
    auto* platform = app.add_subcommand("platform", tr("Sign-ins sent to the provincial platform"));
    platform->require_subcommand(1);
    platform->add_subcommand("drain", tr("Send every queued sign-in that is due"))
        ->callback([&ctx, &exitCode] { exitCode = drain(ctx); });
    platform->add_subcommand("status", tr("Show the queue of sign-ins"))
        ->callback([&ctx, &exitCode] { exitCode = status(ctx); });
}

}  // namespace examguard::cli
