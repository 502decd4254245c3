#pragma once

#include <CLI/CLI.hpp>

#include "cli_context.h"

namespace examguard::cli {

// examguard monitor run (cmd_monitor_run.cpp), under the `monitor` command group.
void registerMonitorRun(CLI::App* monitor, CliContext& ctx, int& exitCode);

}  // namespace examguard::cli
