#pragma once

#include <memory>

#include <spdlog/logger.h>

namespace examguard::netaudit {

// The library's one logger ("netaudit"), writing to stderr so --json stdout stays clean.
spdlog::logger& logger();

}  // namespace examguard::netaudit
