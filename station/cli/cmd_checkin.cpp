// examguard checkin: one identity check at the exam-room entrance (人证核验), and
// examguard checkin override: the proctor's decision on a stored attempt.
#include <iostream>
#include <random>

#include <fmt/format.h>

#include "commands.h"
#include "face_prompts.h"
#include "labels.h"
#include "station/checkin/checkin.h"
#include "station/file_io.h"
#include "station/i18n.h"
#include "station/identity/identity_engine.h"
#include "station/platform/platform_client.h"

namespace examguard::cli {

using station::i18n::tr;
using station::i18n::trf;
namespace checkin = station::checkin;
namespace identity = station::identity;

namespace {

struct CheckinOptions {
    std::string period;
    std::string sitting;  // "theory/main"; empty: the sitting in progress
    std::string room;
    std::string card;
    std::string manualId, manualName, manualNation;
    std::string live;
    std::string challenge = "random";
};

station::Expected<std::int64_t> findSitting(station::Station& station, const CheckinOptions& o) {
    auto stmt = station.db().prepare(
        "SELECT s.id, s.subject || '/' || s.round, r.code, s.planned_start, s.planned_end FROM "
        "sitting s JOIN period p ON p.id = s.period_id JOIN room r ON r.id = s.room_id WHERE "
        "p.code = ? ORDER BY s.planned_start");
    if (!stmt) {
        return tl::unexpected(stmt.error());
    }
    stmt->bind(1, o.period);
    const std::string now = station::formatUtc(station.clock().now());
    std::vector<std::int64_t> matches;
    std::optional<std::int64_t> inProgress;
    int sittings = 0;
    auto done = stmt->forEachRow([&](station::Statement& row) {
        ++sittings;
        const std::string name = row.columnText(1);
        if (!o.sitting.empty() && name == o.sitting &&
            (o.room.empty() || row.columnText(2) == o.room)) {
            matches.push_back(row.columnInt(0));
        }
        // Planned times are stored as UTC text of one format, so text order is time order.
        if (row.columnText(3) <= now && now < row.columnText(4) && !inProgress) {
            inProgress = row.columnInt(0);
        }
    });
    if (!done) {
        return tl::unexpected(done.error());
    }
    if (sittings == 0) {
        return station::fail(
            station::ErrorCode::NotFound,
            fmt::format("there is no period {} (or it has no sittings)", o.period));
    }
    if (o.sitting.empty()) {
        if (!inProgress) {
            return station::fail(station::ErrorCode::Invalid,
                                 "no sitting of this period is in progress: name one with "
                                 "--sitting SUBJECT/ROUND, e.g. theory/main");
        }
        return *inProgress;
    }
    if (matches.size() != 1) {
        return station::fail(station::ErrorCode::NotFound,
                             matches.empty()
                                 ? fmt::format("period {} has no sitting {}", o.period, o.sitting)
                                 : fmt::format("period {} has {} sittings {}: add --room", o.period,
                                               matches.size(), o.sitting));
    }
    return matches.front();
}

station::Expected<std::vector<vision::ChallengeStep>> challengeSteps(const std::string& text) {
    using vision::ChallengeStep;
    std::vector<ChallengeStep> steps;
    if (text == "random") {
        std::random_device random;
        return vision::randomChallengeSteps((std::uint64_t{random()} << 32) | random());
    }
    if (text == "none") {
        return steps;
    }
    std::size_t start = 0;
    while (start <= text.size()) {
        const auto end = std::min(text.find(',', start), text.size());
        const std::string word = text.substr(start, end - start);
        if (word == "blink") {
            steps.push_back(ChallengeStep::Blink);
        } else if (word == "left") {
            steps.push_back(ChallengeStep::TurnLeft);
        } else if (word == "right") {
            steps.push_back(ChallengeStep::TurnRight);
        } else {
            return station::fail(
                station::ErrorCode::BadInput,
                fmt::format("unknown challenge step \"{}\" (blink, left, right)", word));
        }
        start = end + 1;
    }
    return steps;
}

// A reason code as a sentence: quality issues in the words of the face prompts.
const char* reasonText(const std::string& reason) {
    constexpr std::string_view kQuality = "quality.";
    if (reason.rfind(kQuality, 0) == 0) {
        for (auto issue : {vision::QualityIssue::NoFace, vision::QualityIssue::AnotherPersonInView,
                           vision::QualityIssue::FaceTooSmall, vision::QualityIssue::FaceOutOfFrame,
                           vision::QualityIssue::HeadTurned, vision::QualityIssue::HeadTilted,
                           vision::QualityIssue::TooDark, vision::QualityIssue::TooBright,
                           vision::QualityIssue::TooBlurry}) {
            if (vision::toString(issue) == reason.substr(kQuality.size())) {
                return qualityPrompt(issue);
            }
        }
    }
    return checkinReasonLabel(reason);
}

nlohmann::json optionalNumber(const std::optional<double>& v) {
    return v ? nlohmann::json(*v) : nlohmann::json(nullptr);
}

int runCheckin(const CliContext& ctx, const CheckinOptions& o) {
    auto station = ctx.openStation();
    if (!station) {
        return ctx.reportError(station.error());
    }
    auto config = ctx.loadConfig();
    if (!config) {
        return ctx.reportError(config.error());
    }
    auto sitting = findSitting(*station, o);
    if (!sitting) {
        return ctx.reportError(sitting.error());
    }
    const auto today = station::chinaDate(station->clock());
    auto card = o.card.empty()
                    ? checkin::manualCard(o.manualId, o.manualName, o.manualNation, today)
                    : checkin::readCardFile(o.card, today);
    if (!card) {
        return ctx.reportError(card.error());
    }
    auto steps = challengeSteps(o.challenge);
    if (!steps) {
        return ctx.reportError(steps.error());
    }
    auto engine = identity::IdentityEngine::create();
    if (!engine) {
        return ctx.reportError(engine.error());
    }
    const bool still = identity::isStillImage(o.live);
    if (!ctx.json && !steps->empty() && !still) {
        std::string prompts;
        for (auto step : *steps) {
            prompts += (prompts.empty() ? "" : ", ") + std::string(challengePrompt(step));
        }
        std::cerr << trf("Ask the candidate to: {}", prompts) << '\n';
    }
    auto frames = identity::readLiveFrames(o.live);
    if (!frames) {
        return ctx.reportError(frames.error());
    }
    auto live = engine->analyze(*frames, *steps);
    if (!live) {
        return ctx.reportError(live.error());
    }
    const checkin::Thresholds thresholds = checkin::thresholdsFrom(*config, engine->threshold());
    checkin::CheckinService service(*station, thresholds);

    std::optional<station::platform::PlatformOutbox> outbox;
    station::platform::CurlTransport transport;
    if (config->platform.enabled) {
        // Queued only; `examguard platform drain` sends, so a platform outage never holds up
        // the queue at the door.
        station::platform::PlatformConfig pc;
        pc.appId = config->platform.appId;
        outbox.emplace(*station, pc, transport);
        service.setPlatformOutbox(&*outbox);
    }
    int faceless = 0;
    if (auto added = identity::describeReferencePhotos(*engine, service, std::nullopt, &faceless);
        !added) {
        return ctx.reportError(added.error());
    }
    checkin::Attempt attempt;
    attempt.sittingId = *sitting;
    attempt.card = *card;
    attempt.liveSnapshot = live->snapshotJpeg;
    attempt.live = live->live;
    attempt.qualityIssues = live->qualityIssues;
    attempt.liveness = live->liveness;
    attempt.actor = cliActor();
    attempt.liveSource = still                                     ? "image"
                         : o.live.rfind("/dev/video", 0) == 0      ? "camera"
                         : o.live.find("://") != std::string::npos ? "stream"
                                                                   : "video";
    if (!card->photo.empty()) {
        auto photo = identity::decodePhoto(card->photo);
        if (!photo) {
            return ctx.reportError(
                {station::ErrorCode::BadInput, "card field \"photo\": " + photo.error().detail});
        }
        auto described = engine->describePhoto(*photo);
        if (!described) {
            return ctx.reportError(described.error());
        }
        attempt.cardPhoto = *described;
    }
    auto outcome = service.record(attempt);
    if (!outcome) {
        return ctx.reportError(outcome.error());
    }
    const char* decision = checkin::decisionName(outcome->decision);
    if (ctx.json) {
        nlohmann::json alerts = nlohmann::json::array();
        for (const auto& a : outcome->alerts) {
            alerts.push_back(
                {{"kind", checkin::alertKindName(a.kind)},
                 {"matched_id_number", a.matchedMaskedId},
                 {"matched_source", a.matchedSource},
                 {"matched_checkin_id", a.matchedCheckinId ? nlohmann::json(*a.matchedCheckinId)
                                                           : nlohmann::json(nullptr)},
                 {"matched_period", a.matchedPeriodCode ? nlohmann::json(*a.matchedPeriodCode)
                                                        : nlohmann::json(nullptr)},
                 {"distance_own", optionalNumber(a.distanceOwn)},
                 {"distance_other", a.distanceOther}});
        }
        ctx.printJson({{"checkin_id", outcome->checkinId},
                       {"decision", decision},
                       {"reasons", outcome->reasons},
                       {"id_number", outcome->maskedIdNumber},
                       {"seat", outcome->seat},
                       {"model", engine->model()},
                       {"threshold", thresholds.match},
                       {"distance_card", optionalNumber(outcome->distanceCard)},
                       {"distance_roster", optionalNumber(outcome->distanceRoster)},
                       {"liveness",
                        {{"status", checkin::livenessName(live->liveness.status)},
                         {"score", optionalNumber(live->liveness.score)},
                         {"detail", live->liveness.detail}}},
                       {"frames", frames->size()},
                       {"alerts", alerts},
                       {"platform_queued", outcome->platformOutboxId.has_value()}});
    } else {
        std::cout << fmt::format("{}  {}  {}\n", decisionLabel(decision), outcome->maskedIdNumber,
                                 outcome->seat.empty() ? "-" : outcome->seat);
        for (const auto& reason : outcome->reasons) {
            std::cout << "  - " << reasonText(reason) << '\n';
        }
        std::cout << trf("  liveness: {} ({})",
                         livenessLabel(checkin::livenessName(live->liveness.status)),
                         live->liveness.detail)
                  << '\n';
        if (outcome->distanceCard) {
            std::cout << trf("  distance to the ID card photo: {:.3f} (threshold {:.3f})",
                             *outcome->distanceCard, thresholds.match)
                      << '\n';
        }
        if (outcome->distanceRoster) {
            std::cout << trf("  distance to the roster photo: {:.3f} (threshold {:.3f})",
                             *outcome->distanceRoster, thresholds.match)
                      << '\n';
        }
        for (const auto& a : outcome->alerts) {
            std::cout << trf("  ALERT: the face matches candidate {} ({}, distance {:.3f})",
                             a.matchedMaskedId, a.matchedSource, a.distanceOther)
                      << '\n';
        }
        std::cout << trf("  check-in record {}", outcome->checkinId) << '\n';
    }
    return outcome->decision == checkin::Decision::Pass ? kExitOk : kExitProblem;
}

int runOverride(const CliContext& ctx, std::int64_t checkinId, const std::string& decisionText,
                const std::string& reason) {
    const auto decision = checkin::parseDecision(decisionText);
    if (!decision || *decision == checkin::Decision::Review) {
        std::cerr << tr("--decision must be pass or refuse") << '\n';
        return kExitUsage;
    }
    auto station = ctx.openStation();
    if (!station) {
        return ctx.reportError(station.error());
    }
    auto config = ctx.loadConfig();
    if (!config) {
        return ctx.reportError(config.error());
    }
    checkin::CheckinService service(*station, {});
    std::optional<station::platform::PlatformOutbox> outbox;
    station::platform::CurlTransport transport;
    if (config->platform.enabled) {
        outbox.emplace(*station, station::platform::PlatformConfig{}, transport);
        service.setPlatformOutbox(&*outbox);
    }
    if (auto r = service.override(checkinId, *decision, reason, cliActor(), std::nullopt); !r) {
        return ctx.reportError(r.error());
    }
    if (ctx.json) {
        ctx.printJson({{"checkin_id", checkinId}, {"override", decisionText}});
    } else {
        std::cout << trf("Check-in {} overridden: {}", checkinId, decisionLabel(decisionText))
                  << '\n';
    }
    return kExitOk;
}

}  // namespace

void registerCheckinCommands(CLI::App& app, CliContext& ctx, int& exitCode) {
    auto o = std::make_shared<CheckinOptions>();
    auto* cmd = app.add_subcommand(
        "checkin", tr("Identity check at the exam-room entrance: ID card + live face + liveness"));
    cmd->add_option("--period", o->period, tr("Period code"));
    cmd->add_option(
        "--sitting", o->sitting,
        tr("Sitting as SUBJECT/ROUND, e.g. theory/main (default: the one in progress)"));
    cmd->add_option("--room", o->room, tr("Room code, when the sitting has several rooms"));
    cmd->add_option("--card", o->card, tr("Card file exported by the ID-card reader (JSON)"));
    cmd->add_option("--manual-id", o->manualId, tr("ID number typed in (instead of --card)"));
    cmd->add_option("--manual-name", o->manualName, tr("Name typed in (with --manual-id)"));
    cmd->add_option("--manual-nation", o->manualNation, tr("Nation typed in (with --manual-id)"));
    cmd->add_option("--live", o->live,
                    tr("Live capture: image, video file, rtsp:// URL or /dev/videoN"));
    cmd->add_option(
        "--challenge", o->challenge,
        tr("Liveness challenge: random (default), none, or steps like blink,left,right"));

    auto overrideId = std::make_shared<std::int64_t>(0);
    auto decision = std::make_shared<std::string>();
    auto reason = std::make_shared<std::string>();
    auto* over =
        cmd->add_subcommand("override", tr("Decide a stored check-in by hand, with a reason"));
    over->add_option("CHECKIN", *overrideId, tr("Check-in record number"))->required();
    over->add_option("--decision", *decision, tr("pass or refuse"))->required();
    over->add_option("--reason", *reason, tr("Why (required; kept in the event log)"))->required();
    over->callback([&ctx, &exitCode, overrideId, decision, reason] {
        exitCode = runOverride(ctx, *overrideId, *decision, *reason);
    });

    cmd->callback([&ctx, &exitCode, o, over] {
        if (over->parsed()) {
            return;
        }
        if (o->period.empty() || o->live.empty() || (o->card.empty() == o->manualId.empty())) {
            std::cerr << tr("checkin needs --period, --live and either --card or --manual-id")
                      << '\n';
            exitCode = kExitUsage;
            return;
        }
        exitCode = runCheckin(ctx, *o);
    });
}

}  // namespace examguard::cli
