#include "logger.h"

#include <cstdarg>
#include <mutex>
#include <string>

#include <spdlog/sinks/stdout_color_sinks.h>
#include <spdlog/spdlog.h>

extern "C" {
#include <libavdevice/avdevice.h>
#include <libavutil/log.h>
}

#include "monitor/redact.h"

namespace examguard::monitor {

namespace {

// FFmpeg's own messages may quote the URL: they go to spdlog's debug level, redacted.
void avLogToSpdlog(void* avcl, int level, const char* format, va_list args) {
    if (level > av_log_get_level()) {
        return;
    }
    char line[1024];
    int prefix = 1;
    va_list copy;
    va_copy(copy, args);
    av_log_format_line2(avcl, level, format, copy, line, sizeof line, &prefix);
    va_end(copy);
    std::string text = redactText(line);
    while (!text.empty() && (text.back() == '\n' || text.back() == '\r')) {
        text.pop_back();
    }
    if (level <= AV_LOG_FATAL) {
        logger().warn("FFmpeg: {}", text);
    } else {
        logger().debug("FFmpeg: {}", text);
    }
}

}  // namespace

spdlog::logger& logger() {
    static std::shared_ptr<spdlog::logger> instance = [] {
        auto existing = spdlog::get("monitor");
        return existing ? existing : spdlog::stderr_color_mt("monitor");
    }();
    return *instance;
}

void setUpFfmpeg() {
    static std::once_flag once;
    std::call_once(once, [] {
        av_log_set_level(AV_LOG_WARNING);
        av_log_set_callback(avLogToSpdlog);
        avdevice_register_all();
    });
}

}  // namespace examguard::monitor
