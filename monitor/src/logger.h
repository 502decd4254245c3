#pragma once

#include <spdlog/logger.h>

namespace examguard::monitor {

// The "monitor" logger: the one an application registered under that name (the station's
// masking stderr sink), else stderr. Never stdout, which carries --json documents.
spdlog::logger& logger();

// Once per process, before FFmpeg is used: its messages go to logger() with URLs redacted
// (FFmpeg's own stderr output would show camera passwords), and the capture devices (V4L2)
// are registered.
void setUpFfmpeg();

}  // namespace examguard::monitor
