#pragma once

#include <cstdint>
#include <filesystem>
#include <string>
#include <vector>

#include <CLI/CLI.hpp>
#include <nlohmann/json.hpp>
#include <opencv2/core.hpp>

#include "cli_context.h"
#include "station/camera_config.h"

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

// The camera service: records and analyses the configured cameras until every source has ended
// (files), `durationS` has passed (when > 0) or SIGINT/SIGTERM. Returns the `monitor run --json`
// document plus "failed" (a camera or a store failed). An error only when recording could not
// start (unknown room, directory, disk space, analysis settings).
station::Expected<nlohmann::json> recordCameras(station::Station& station,
                                                const station::MonitorConfig& config,
                                                double durationS);

// Reads an image the camera settings name (reference views); errors name the file
// (cmd_monitor.cpp).
station::Expected<cv::Mat> readReference(const std::filesystem::path& path);

}  // namespace examguard::cli
