#include "logger.h"

#include <spdlog/sinks/stdout_color_sinks.h>
#include <spdlog/spdlog.h>

namespace examguard::netaudit {

spdlog::logger& logger() {
    static std::shared_ptr<spdlog::logger> instance = [] {
        auto existing = spdlog::get("netaudit");
        return existing ? existing : spdlog::stderr_color_mt("netaudit");
    }();
    return *instance;
}

}  // namespace examguard::netaudit
