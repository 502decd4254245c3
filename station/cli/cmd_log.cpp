#include <iostream>
#include <optional>

#include <fmt/format.h>

#include "commands.h"
#include "labels.h"
#include "station/i18n.h"

namespace examguard::cli {

using station::i18n::tr;
using station::i18n::trf;

namespace {

int verifyLog(const CliContext& ctx, const std::string& expectHead) {
    auto station = ctx.openStation();
    if (!station) {
        return ctx.reportError(station.error());
    }
    auto result = station->log().verify(
        expectHead.empty() ? std::nullopt : std::optional<std::string>(expectHead));
    if (!result) {
        return ctx.reportError(result.error());
    }
    if (ctx.json) {
        nlohmann::json doc = {{"intact", result->intact},
                              {"entries", result->entries},
                              {"head", result->headSha256},
                              {"first_bad", nullptr}};
        if (!result->intact) {
            doc["first_bad"] = {{"seq", result->badSeq},
                                {"problem", station::logProblemName(*result->problem)},
                                {"detail", result->detail}};
        }
        ctx.printJson(doc);
    } else if (result->intact) {
        std::cout << trf("Event log intact: {} entries, head {}", result->entries,
                         result->headSha256)
                  << '\n';
    } else {
        std::cout << trf("Event log NOT intact: entry {} {}.", result->badSeq,
                         logProblemLabel(station::logProblemName(*result->problem)))
                  << '\n'
                  << result->detail << '\n';
    }
    return result->intact ? kExitOk : kExitProblem;
}

int showLog(const CliContext& ctx, std::optional<std::int64_t> period, std::int64_t limit) {
    auto station = ctx.openStation();
    if (!station) {
        return ctx.reportError(station.error());
    }
    nlohmann::json entries = nlohmann::json::array();
    std::int64_t shown = 0;
    auto walked = station->log().forEach(
        [&](const station::LogEntry& e) {
            if (ctx.json) {
                auto payload = nlohmann::json::parse(e.payload, nullptr, false);
                if (payload.is_discarded()) {
                    payload = e.payload;  // a damaged payload is shown as it is stored
                }
                entries.push_back(
                    {{"seq", e.seq},
                     {"recorded_at", e.recordedAt},
                     {"actor", e.actor},
                     {"kind", e.kind},
                     {"period_id", e.periodId ? nlohmann::json(*e.periodId) : nullptr},
                     {"payload", payload},
                     {"entry_sha256", e.entrySha256}});
            } else {
                std::cout << fmt::format("{:>6}  {}  {:<16}  {:<28}  {}\n", e.seq, e.recordedAt,
                                         e.actor, e.kind, e.payload);
            }
            return limit <= 0 || ++shown < limit;
        },
        period);
    if (!walked) {
        return ctx.reportError(walked.error());
    }
    if (ctx.json) {
        ctx.printJson({{"entries", entries}});
    }
    return kExitOk;
}

}  // namespace

void registerLogCommands(CLI::App& app, CliContext& ctx, int& exitCode) {
    auto* log = app.add_subcommand("log", tr("The tamper-evident event log"));
    log->require_subcommand(1);

    auto* verify = log->add_subcommand(
        "verify", tr("Check the whole hash chain; exit 1 names the first bad entry"));
    auto expectHead = std::make_shared<std::string>();
    verify->add_option("--expect-head", *expectHead,
                       tr("SHA-256 the log must end at (e.g. from a sealed archive)"));
    verify->callback([&ctx, &exitCode, expectHead] { exitCode = verifyLog(ctx, *expectHead); });

    auto* show = log->add_subcommand("show", tr("Print log entries in order"));
    auto period = std::make_shared<std::int64_t>(0);
    auto limit = std::make_shared<std::int64_t>(0);
    show->add_option("--period-id", *period, tr("Only entries of this period (numeric id)"));
    show->add_option("-n,--limit", *limit, tr("Print at most this many entries"));
    show->callback([&ctx, &exitCode, period, limit] {
        exitCode =
            showLog(ctx, *period > 0 ? std::optional<std::int64_t>(*period) : std::nullopt, *limit);
    });
}

}  // namespace examguard::cli
