// examguard: the station's command line. Parses arguments, calls the station core, maps
// results to text, JSON and exit codes; no logic of its own.
#include <pwd.h>
#include <unistd.h>

#include <cstring>
#include <iostream>

#include <CLI/CLI.hpp>

#include "cli_context.h"
#include "commands.h"
#include "station/i18n.h"
#include "station/logging.h"

namespace examguard::cli {

std::string cliActor() {
    const passwd* pw = ::getpwuid(::geteuid());
    return std::string("cli:") + (pw && pw->pw_name ? pw->pw_name : std::to_string(::geteuid()));
}

}  // namespace examguard::cli

namespace {

using examguard::station::i18n::Language;
using examguard::station::i18n::tr;

// --lang must be known before the help texts are built, so it is read ahead of CLI11.
void applyLanguageOption(int argc, char** argv) {
    for (int i = 1; i < argc; ++i) {
        std::string_view arg(argv[i]);
        std::string_view value;
        if (arg.starts_with("--lang=")) {
            value = arg.substr(7);
        } else if (arg == "--lang" && i + 1 < argc) {
            value = argv[i + 1];
        }
        if (value.starts_with("en")) {
            examguard::station::i18n::setLanguage(Language::English);
        } else if (value.starts_with("zh")) {
            examguard::station::i18n::setLanguage(Language::ZhCN);
        }
    }
}

}  // namespace

int main(int argc, char** argv) {
    using namespace examguard::cli;
    applyLanguageOption(argc, argv);

    CLI::App app{tr("ExamGuard station: identity checks, LAN audit, cameras and sealed archives "
                    "for exam sites"),
                 "examguard"};
    app.set_version_flag("-V,--version", std::string("examguard ") + EXAMGUARD_VERSION,
                         tr("Print the version and exit"));
    app.set_help_flag("-h,--help", tr("Print this help and exit"));
    app.set_help_all_flag("--help-all", tr("Print help for every command and exit"));
    app.require_subcommand(1);
    app.fallthrough();

    CliContext ctx;
    std::string lang;
    app.add_option("--db", ctx.databasePath,
                   tr("Station database (default: $EXAMGUARD_DB or the station's data "
                      "directory)"));
    app.add_option("--config", ctx.configPath,
                   tr("Station settings file (default: station.toml beside the database)"));
    app.add_flag("--json", ctx.json, tr("Print one JSON document on stdout"));
    app.add_flag("-v,--verbose", ctx.verbosity, tr("More log output on stderr (repeatable)"));
    bool quiet = false;
    app.add_flag("-q,--quiet", quiet, tr("Only errors on stderr"));
    app.add_option("--lang", lang, tr("Language of messages: zh_CN (default) or en"));

    int exitCode = kExitOk;
    registerDemoCommand(app, ctx, exitCode);
    registerPeriodCommands(app, ctx, exitCode);
    registerLogCommands(app, ctx, exitCode);
    registerUserCommands(app, ctx, exitCode);
    registerPlatformCommands(app, ctx, exitCode);
    registerCheckinCommands(app, ctx, exitCode);
    registerFaceCommands(app, ctx, exitCode);
    registerNetauditCommands(app, ctx, exitCode);
    registerKeysCommands(app, ctx, exitCode);
    registerArchiveCommands(app, ctx, exitCode);
    registerMonitorCommands(app, ctx, exitCode);
    registerMonitorDiscoverCommand(app, ctx, exitCode);
#ifdef EXAMGUARD_WITH_AGENT
    registerAgentCommands(app, ctx, exitCode);
#endif

    app.parse_complete_callback([&] {
        using spdlog::level::level_enum;
        const level_enum level = quiet                ? spdlog::level::err
                                 : ctx.verbosity >= 2 ? spdlog::level::debug
                                 : ctx.verbosity == 1 ? spdlog::level::info
                                                      : spdlog::level::warn;
        examguard::station::setupLogging(level);
    });

    try {
        app.parse(argc, argv);
    } catch (const CLI::CallForHelp&) {
        std::cout << app.help();
        return kExitOk;
    } catch (const CLI::CallForAllHelp&) {
        std::cout << app.help("", CLI::AppFormatMode::All);
        return kExitOk;
    } catch (const CLI::CallForVersion& e) {
        std::cout << app.version() << '\n';
        return kExitOk;
    } catch (const CLI::ParseError& e) {
        std::cerr << "examguard: " << e.what() << '\n'
                  << tr("Run 'examguard --help' for usage.") << '\n';
        return kExitUsage;
    }
    return exitCode;
}
