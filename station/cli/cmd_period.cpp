#include <iostream>

#include <fmt/format.h>

#include "commands.h"
#include "labels.h"
#include "station/i18n.h"
#include "station/period_import.h"

namespace examguard::cli {

using station::i18n::tr;
using station::i18n::trf;
using station::i18n::trNoop;

namespace {

// Clerk-facing descriptions of import issue codes; the English detail follows in brackets.
const char* describeIssue(const std::string& code) {
    static const std::pair<const char*, const char*> kDescriptions[] = {
        {"missing_field", trNoop("required field is missing")},
        {"missing_value", trNoop("value is empty")},
        {"wrong_type", trNoop("wrong kind of value")},
        {"bad_value", trNoop("value not allowed")},
        {"too_long", trNoop("value too long")},
        {"unknown_field", trNoop("unknown field")},
        {"json_syntax", trNoop("not valid JSON")},
        {"encoding", trNoop("file encoding not readable (use UTF-8 or GBK)")},
        {"unreadable", trNoop("file cannot be read")},
        {"unknown_column", trNoop("unknown column")},
        {"duplicate_column", trNoop("column appears twice")},
        {"missing_column", trNoop("required column is missing")},
        {"bad_seat", trNoop("invalid seat number")},
        {"duplicate_seat", trNoop("seat given twice")},
        {"duplicate_id_number", trNoop("ID number given twice")},
        {"duplicate_exam_number", trNoop("exam number given twice")},
        {"gender_mismatch", trNoop("gender does not match the ID number")},
        {"bad_photo", trNoop("photo unusable")},
        {"bad_hostname", trNoop("invalid computer name")},
        {"duplicate_mac", trNoop("MAC address given twice")},
        {"duplicate_ip", trNoop("IP address given twice")},
        {"unknown_room", trNoop("room not in the plan")},
        {"duplicate_room", trNoop("room listed twice")},
        {"duplicate_camera", trNoop("camera listed twice")},
        {"duplicate_sitting", trNoop("sitting listed twice")},
        {"duplicate_staff", trNoop("staff member listed twice")},
        {"unknown_sitting", trNoop("sitting not in the plan")},
        {"bad_datetime", trNoop("invalid date or time")},
        {"period_exists", trNoop("period already imported")},
        {"room_kind_changed", trNoop("room kind differs from the stored room")},
    };
    for (const auto& [key, text] : kDescriptions) {
        if (code == key) {
            return tr(text);
        }
    }
    if (code.starts_with("bad_id_number")) {
        return tr("invalid ID number");
    }
    if (code.starts_with("bad_mac")) {
        return tr("invalid MAC address");
    }
    if (code.starts_with("bad_ip")) {
        return tr("invalid IP address");
    }
    if (code.starts_with("csv_")) {
        return tr("CSV format error");
    }
    return tr("problem");
}

struct ImportArgs {
    std::string file;
    std::string encoding;
};

int importCommand(const CliContext& ctx, const ImportArgs& args) {
    station::ImportOptions options;
    options.file = args.file;
    options.actor = cliActor();
    if (!args.encoding.empty()) {
        auto encoding = station::import::parseTextEncoding(args.encoding);
        if (!encoding) {
            std::cerr << trf("Unknown encoding '{}': use utf-8, gbk or gb18030.", args.encoding)
                      << '\n';
            return kExitUsage;
        }
        options.encoding = *encoding;
    }
    auto station = ctx.openStation();
    if (!station) {
        return ctx.reportError(station.error());
    }
    auto result = station::importPeriod(*station, options);
    if (!result) {
        return ctx.reportError(result.error());
    }
    if (ctx.json) {
        nlohmann::json issues = nlohmann::json::array();
        for (const auto& issue : result->issues) {
            issues.push_back(station::toJson(issue));
        }
        ctx.printJson({{"imported", result->summary.has_value()},
                       {"summary", result->summary ? station::toJson(*result->summary)
                                                   : nlohmann::json(nullptr)},
                       {"issues", issues}});
    }
    if (!result->summary) {
        std::cerr << trf("Import refused: {} problems found; nothing was changed.",
                         result->issues.size())
                  << '\n';
        for (const auto& issue : result->issues) {
            std::string where = issue.file;
            if (issue.line > 0) {
                where += fmt::format(":{}", issue.line);
            }
            if (!issue.field.empty()) {
                where += fmt::format(" [{}]", issue.field);
            }
            std::cerr << "  " << where << ": " << describeIssue(issue.code) << " (" << issue.message
                      << ")\n";
        }
        return kExitBadInput;
    }
    if (!ctx.json) {
        const auto& s = *result->summary;
        std::cout << trf("Imported period {}: {} sittings, {} candidates ({} new), {} photos, "
                         "{} machines, {} staff, {} rooms, {} cameras.",
                         s.periodCode, s.sittings, s.candidates, s.newCandidates, s.photos,
                         s.machines, s.staff, s.rooms, s.cameras)
                  << '\n';
    }
    return kExitOk;
}

int listCommand(const CliContext& ctx) {
    auto station = ctx.openStation();
    if (!station) {
        return ctx.reportError(station.error());
    }
    auto stmt = station->db().prepare(
        "SELECT p.code, s.code, p.institution, p.trade, p.training_type, p.number, p.status, "
        "p.retention_years, (SELECT count(*) FROM enrollment e WHERE e.period_id = p.id), "
        "(SELECT count(*) FROM sitting t WHERE t.period_id = p.id) FROM period p JOIN site s ON "
        "s.id = p.site_id ORDER BY p.created_at, p.id");
    if (!stmt) {
        return ctx.reportError(stmt.error());
    }
    nlohmann::json periods = nlohmann::json::array();
    if (!ctx.json) {
        std::cout << fmt::format("{:<16} {:<12} {:<8} {:>6} {:>6}  {}\n", tr("PERIOD"), tr("SITE"),
                                 tr("STATUS"), tr("CANDIDATES"), tr("SITTINGS"), tr("TRADE"));
    }
    while (true) {
        auto row = stmt->step();
        if (!row) {
            return ctx.reportError(row.error());
        }
        if (!*row) {
            break;
        }
        if (ctx.json) {
            periods.push_back({{"code", stmt->columnText(0)},
                               {"site", stmt->columnText(1)},
                               {"institution", stmt->columnText(2)},
                               {"trade", stmt->columnText(3)},
                               {"training_type", stmt->columnText(4)},
                               {"number", stmt->columnText(5)},
                               {"status", stmt->columnText(6)},
                               {"retention_years", stmt->columnInt(7)},
                               {"candidates", stmt->columnInt(8)},
                               {"sittings", stmt->columnInt(9)}});
        } else {
            std::cout << fmt::format("{:<16} {:<12} {:<8} {:>6} {:>6}  {}\n", stmt->columnText(0),
                                     stmt->columnText(1), periodStatusLabel(stmt->columnText(6)),
                                     stmt->columnInt(8), stmt->columnInt(9), stmt->columnText(3));
        }
    }
    if (ctx.json) {
        ctx.printJson({{"periods", periods}});
    }
    return kExitOk;
}

}  // namespace

void registerPeriodCommands(CLI::App& app, CliContext& ctx, int& exitCode) {
    auto* period = app.add_subcommand("period", tr("Exam periods (期次): import the plan, list"));
    period->require_subcommand(1);
    auto args = std::make_shared<ImportArgs>();
    // Not named `import`: clang-format reads that as a C++20 module import and mangles the rest.
    auto* importCmd = period->add_subcommand(
        "import",
        tr("Import a period plan (.json) with its roster and machine registry CSV files"));
    importCmd->add_option("file", args->file, tr("The plan file"))->required();
    importCmd->add_option("--encoding", args->encoding,
                          tr("Encoding of the CSV files: utf-8, gbk or gb18030 (default: detect)"));
    importCmd->callback([&ctx, &exitCode, args] { exitCode = importCommand(ctx, *args); });

    auto* list = period->add_subcommand("list", tr("List the periods in the station"));
    list->callback([&ctx, &exitCode] { exitCode = listCommand(ctx); });
}

}  // namespace examguard::cli
