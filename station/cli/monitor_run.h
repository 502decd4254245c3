#pragma once

#include <cstdint>
#include <filesystem>
#include <string>
#include <vector>

#include <CLI/CLI.hpp>
#include <opencv2/core.hpp>

#include "cli_context.h"

namespace examguard::cli {

// A tamper or room event of vision/'s analysers, times in seconds.
struct AnalyserEvent {
    std::string kind;
    std::string region;  // seat or proctor region, for room events
    double startS = 0;
    double endS = 0;
    double confidence = 0;
    bool open = false;
    std::vector<std::uint8_t> snapshotJpeg;
};

// examguard monitor run (cmd_monitor_run.cpp), under the `monitor` command group.
void registerMonitorRun(CLI::App* monitor, CliContext& ctx, int& exitCode);

// Reads an image the camera settings name (reference views); errors name the file
// (cmd_monitor.cpp).
station::Expected<cv::Mat> readReference(const std::filesystem::path& path);

}  // namespace examguard::cli
