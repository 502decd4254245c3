#include "station/logging.h"

#include <cstdio>
#include <mutex>

#include <spdlog/sinks/base_sink.h>

#include "station/privacy.h"

namespace examguard::station {
namespace {

class MaskingStderrSink final : public spdlog::sinks::base_sink<std::mutex> {
protected:
    void sink_it_(const spdlog::details::log_msg& msg) override {
        spdlog::memory_buf_t formatted;
        formatter_->format(msg, formatted);
        const std::string masked =
            maskSensitive(std::string_view(formatted.data(), formatted.size()));
        std::fwrite(masked.data(), 1, masked.size(), stderr);
    }
    void flush_() override { std::fflush(stderr); }
};

std::shared_ptr<spdlog::sinks::sink>& sharedSink() {
    static std::shared_ptr<spdlog::sinks::sink> sink = [] {
        auto s = std::make_shared<MaskingStderrSink>();
        s->set_pattern("%Y-%m-%dT%H:%M:%S.%e %^%l%$ [%n] %v");
        return s;
    }();
    return sink;
}

spdlog::level::level_enum& currentLevel() {
    static spdlog::level::level_enum level = spdlog::level::warn;
    return level;
}

}  // namespace

void setupLogging(spdlog::level::level_enum level) {
    currentLevel() = level;
    spdlog::apply_all([level](const std::shared_ptr<spdlog::logger>& l) { l->set_level(level); });
}

std::shared_ptr<spdlog::logger> makeLogger(const std::string& name) {
    if (auto existing = spdlog::get(name)) {
        return existing;
    }
    auto logger = std::make_shared<spdlog::logger>(name, sharedSink());
    logger->set_level(currentLevel());
    spdlog::register_logger(logger);
    return logger;
}

spdlog::logger& log() {
    static std::shared_ptr<spdlog::logger> logger = makeLogger("station");
    return *logger;
}

}  // namespace examguard::station
