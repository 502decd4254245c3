#include "logger.h"

#include <spdlog/sinks/stdout_color_sinks.h>
#include <spdlog/spdlog.h>

namespace examguard::monitor {

spdlog::logger& logger() {
    static std::shared_ptr<spdlog::logger> instance = [] {
        auto existing = spdlog::get("monitor");
        return existing ? existing : spdlog::stderr_color_mt("monitor");
    }();
    return *instance;
}

}  // namespace examguard::monitor
