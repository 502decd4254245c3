#pragma once

#include <memory>
#include <string>

#include <spdlog/spdlog.h>

namespace examguard::station {

// Every logger writes to stderr through a sink that masks ID numbers and URL credentials,
// so a careless log line cannot leak them.
void setupLogging(spdlog::level::level_enum level);
std::shared_ptr<spdlog::logger> makeLogger(const std::string& name);
spdlog::logger& log();  // the station core's logger

}  // namespace examguard::station
