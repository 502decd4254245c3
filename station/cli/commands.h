#pragma once

#include <CLI/CLI.hpp>

#include "cli_context.h"

namespace examguard::cli {

// Each registers one command group; the callback stores the command's exit code.
void registerLogCommands(CLI::App& app, CliContext& ctx, int& exitCode);
void registerUserCommands(CLI::App& app, CliContext& ctx, int& exitCode);
void registerPeriodCommands(CLI::App& app, CliContext& ctx, int& exitCode);
void registerPlatformCommands(CLI::App& app, CliContext& ctx, int& exitCode);
void registerCheckinCommands(CLI::App& app, CliContext& ctx, int& exitCode);
void registerNetauditCommands(CLI::App& app, CliContext& ctx, int& exitCode);
// examguard keys and examguard archive (cmd_archive.cpp).
void registerKeysCommands(CLI::App& app, CliContext& ctx, int& exitCode);
void registerArchiveCommands(CLI::App& app, CliContext& ctx, int& exitCode);
void registerDemoCommand(CLI::App& app, CliContext& ctx, int& exitCode);
// examguard face embed, compare and liveness (cmd_face.cpp).
void registerFaceCommands(CLI::App& app, CliContext& ctx, int& exitCode);
// examguard monitor analyze (cmd_monitor.cpp).
void registerMonitorCommands(CLI::App& app, CliContext& ctx, int& exitCode);

// examguard monitor discover (cmd_monitor_discover.cpp); after registerMonitorCommands.
void registerMonitorDiscoverCommand(CLI::App& app, CliContext& ctx, int& exitCode);

// examguard agent enroll and import (cmd_agent.cpp; built when the agent area is).
void registerAgentCommands(CLI::App& app, CliContext& ctx, int& exitCode);

// The OS user running the CLI, as the actor recorded in the event log ("cli:<name>").
std::string cliActor();

}  // namespace examguard::cli
