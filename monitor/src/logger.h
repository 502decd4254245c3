#pragma once

#include <spdlog/logger.h>

namespace examguard::monitor {

// The "monitor" logger: the one an application registered under that name (the station's
// masking stderr sink), else stderr. Never stdout, which carries --json documents.
spdlog::logger& logger();

}  // namespace examguard::monitor
