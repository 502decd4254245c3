// examguard monitor analyze VIDEO [--config FILE] [--snapshots DIR] --json: runs vision/'s
// camera tamper analysers over a recorded file (tests, and inspectors re-checking a
// recording), per the stable contract in docs/cli.md. Reading and mapping only; the analysis
// is examguard::vision::scene.
#include <cmath>
#include <filesystem>
#include <iostream>
#include <memory>
#include <set>

#include <fmt/format.h>
#include <spdlog/spdlog.h>
#include <toml++/toml.h>
#include <opencv2/imgcodecs.hpp>
#include <opencv2/videoio.hpp>

#include "commands.h"
#include "station/file_io.h"
#include "station/i18n.h"
#include "station/privacy.h"
#include "vision/scene_tamper.h"

namespace examguard::cli {

using station::i18n::tr;
using station::i18n::trf;

namespace {

constexpr std::size_t kMaxConfigBytes = 256 * 1024;

struct MonitorOptions {
    std::string video;
    std::string configPath;
    std::string snapshotDir;
};

struct MonitorConfig {
    std::string camera = "camera";
    std::filesystem::path reference;  // optional reference image (the camera's agreed view)
    vision::scene::TamperConfig tamper;
};

station::Error badInput(std::string detail) {
    return station::Error{station::ErrorCode::BadInput, std::move(detail)};
}

// A number in [lo, hi] at table.key, when present; anything else names the file, line and key.
station::Expected<void> readNumber(const toml::table& table, std::string_view section,
                                   std::string_view key, std::string_view source, double lo,
                                   double hi, double& out) {
    const toml::node* node = table.get(key);
    if (!node) {
        return {};
    }
    const auto value = node->value<double>();
    if (!value || !std::isfinite(*value) || *value < lo || *value > hi) {
        return tl::unexpected(
            badInput(fmt::format("{}:{}: [{}] {} must be a number from {} to {}", source,
                                 node->source().begin.line, section, key, lo, hi)));
    }
    out = *value;
    return {};
}

station::Expected<void> checkKeys(const toml::table& table, std::string_view section,
                                  const std::set<std::string_view>& known,
                                  std::string_view source) {
    for (const auto& [key, node] : table) {
        if (!known.count(key.str())) {
            return tl::unexpected(
                badInput(fmt::format("{}:{}: unknown key [{}] {}", source, node.source().begin.line,
                                     section, key.str())));
        }
    }
    return {};
}

station::Expected<MonitorConfig> parseConfig(std::string_view text, std::string_view source) {
    toml::table root;
    try {
        root = toml::parse(text, source);
    } catch (const toml::parse_error& e) {
        return tl::unexpected(badInput(
            fmt::format("{}:{}: {}", source, e.source().begin.line, std::string(e.description()))));
    }
    if (auto r = checkKeys(root, "", {"camera", "tamper"}, source); !r) {
        return tl::unexpected(r.error());
    }
    MonitorConfig config;
    auto section = [&](std::string_view name) -> station::Expected<const toml::table*> {
        const toml::node* node = root.get(name);
        if (!node) {
            return nullptr;
        }
        if (!node->is_table()) {
            return tl::unexpected(badInput(fmt::format("{}:{}: [{}] must be a table", source,
                                                       node->source().begin.line, name)));
        }
        return node->as_table();
    };
    auto camera = section("camera");
    if (!camera) {
        return tl::unexpected(camera.error());
    }
    if (*camera) {
        const toml::table& t = **camera;
        if (auto r = checkKeys(t, "camera", {"name", "analysis_fps", "analysis_width", "reference"},
                               source);
            !r) {
            return tl::unexpected(r.error());
        }
        if (const toml::node* n = t.get("name")) {
            const auto name = n->value<std::string>();
            if (!name || name->empty() || name->size() > 200) {
                return tl::unexpected(
                    badInput(fmt::format("{}:{}: [camera] name must be a non-empty string", source,
                                         n->source().begin.line)));
            }
            config.camera = *name;
        }
        if (const toml::node* n = t.get("reference")) {
            const auto path = n->value<std::string>();
            if (!path) {
                return tl::unexpected(badInput(fmt::format(
                    "{}:{}: [camera] reference must be a path", source, n->source().begin.line)));
            }
            config.reference = std::filesystem::u8path(*path);
            if (config.reference.is_relative()) {  // relative to the config file
                config.reference =
                    std::filesystem::u8path(std::string(source)).parent_path() / config.reference;
            }
        }
        double width = config.tamper.analysisWidthPx;
        for (auto r :
             {readNumber(t, "camera", "analysis_fps", source, 0.2, 30.0, config.tamper.analysisFps),
              readNumber(t, "camera", "analysis_width", source, 64, 1920, width)}) {
            if (!r) {
                return tl::unexpected(r.error());
            }
        }
        config.tamper.analysisWidthPx = static_cast<int>(width);
    }
    auto tamper = section("tamper");
    if (!tamper) {
        return tl::unexpected(tamper.error());
    }
    if (*tamper) {
        const toml::table& t = **tamper;
        vision::scene::TamperConfig& c = config.tamper;
        struct Key {
            std::string_view name;
            double lo, hi;
            double* out;
        };
        const Key keys[] = {
            {"onset_s", 0, 600, &c.onsetS},
            {"offset_s", 0, 600, &c.offsetS},
            {"signal_lost_s", 0.5, 3600, &c.signalLostS},
            {"covered_fraction", 0.05, 1, &c.coveredFraction},
            {"flat_cell_std", 0.5, 100, &c.flatCellStd},
            {"cover_luma_change", 1, 255, &c.coverLumaChange},
            {"defocus_ratio", 0.01, 1, &c.defocusRatio},
            {"move_shift_fraction", 0.005, 1, &c.moveShiftFraction},
            {"move_rotation_deg", 0.1, 90, &c.moveRotationDeg},
            {"frozen_max_diff", 0, 50, &c.frozenMaxDiff},
            {"dark_luma", 0, 255, &c.darkLuma},
            {"bright_luma", 0, 255, &c.brightLuma},
            {"colour_cast_shift", 1, 200, &c.colourCastShift},
            {"reference_adapt_s", 0, 86400, &c.referenceAdaptS},
        };
        std::set<std::string_view> known;
        for (const Key& k : keys) {
            known.insert(k.name);
        }
        if (auto r = checkKeys(t, "tamper", known, source); !r) {
            return tl::unexpected(r.error());
        }
        for (const Key& k : keys) {
            if (auto r = readNumber(t, "tamper", k.name, source, k.lo, k.hi, *k.out); !r) {
                return tl::unexpected(r.error());
            }
        }
    }
    return config;
}

station::Expected<MonitorConfig> loadConfig(const std::string& path) {
    if (path.empty()) {
        return MonitorConfig{};
    }
    auto text = station::readFileLimited(std::filesystem::u8path(path), kMaxConfigBytes);
    if (!text) {
        return tl::unexpected(text.error());
    }
    return parseConfig(*text, path);
}

// Writes each event's onset snapshot as DIR/<camera>-<n>-<kind>.jpg; returns the file names
// (empty where there is no snapshot).
station::Expected<std::vector<std::string>> writeSnapshots(
    const std::string& dir, const std::vector<vision::scene::TamperEvent>& events) {
    std::vector<std::string> names(events.size());
    if (dir.empty()) {
        return names;
    }
    std::error_code ec;
    std::filesystem::create_directories(std::filesystem::u8path(dir), ec);
    if (ec) {
        return tl::unexpected(
            station::Error{station::ErrorCode::Io, fmt::format("{}: {}", dir, ec.message())});
    }
    for (std::size_t i = 0; i < events.size(); ++i) {
        const auto& e = events[i];
        if (e.snapshotJpeg.empty()) {
            continue;
        }
        std::string camera = e.camera;
        for (char& ch : camera) {
            if (ch == '/' || ch == '\\' || ch == '\0') {
                ch = '_';
            }
        }
        const std::string name =
            fmt::format("{}-{}-{}.jpg", camera, i + 1, vision::scene::toString(e.kind));
        const auto path = std::filesystem::u8path(dir) / std::filesystem::u8path(name);
        const std::string_view bytes(reinterpret_cast<const char*>(e.snapshotJpeg.data()),
                                     e.snapshotJpeg.size());
        if (auto r = station::writeFileAtomically(path, bytes); !r) {
            return tl::unexpected(r.error());
        }
        names[i] = path.string();
    }
    return names;
}

std::string_view kindLabel(vision::scene::TamperKind kind) {
    using vision::scene::TamperKind;
    switch (kind) {
        case TamperKind::Covered:
            return tr("camera covered");
        case TamperKind::Defocused:
            return tr("camera out of focus");
        case TamperKind::Moved:
            return tr("camera moved");
        case TamperKind::Frozen:
            return tr("picture frozen");
        case TamperKind::SignalLost:
            return tr("signal lost");
        case TamperKind::TooDark:
            return tr("picture too dark");
        case TamperKind::TooBright:
            return tr("picture too bright");
        case TamperKind::ColourCast:
            return tr("colour cast");
    }
    return "?";
}

int analyze(const CliContext& ctx, const MonitorOptions& o) {
    auto config = loadConfig(o.configPath);
    if (!config) {
        return ctx.reportError(config.error());
    }
    const std::string shownVideo = station::maskSensitive(o.video);
    // OpenCV opens URLs as well as files; this command is for files.
    if (!std::filesystem::is_regular_file(std::filesystem::u8path(o.video))) {
        return ctx.reportError(
            station::Error{station::ErrorCode::Io, trf("{}: no such video file", shownVideo)});
    }
    cv::VideoCapture capture;
    try {
        capture.open(o.video, cv::CAP_FFMPEG);
    } catch (const cv::Exception& e) {
        spdlog::debug("OpenCV: {}", e.what());
    }
    if (!capture.isOpened()) {
        return ctx.reportError(
            badInput(trf("{}: not a video OpenCV's FFmpeg backend can read", shownVideo)));
    }
    vision::scene::TamperAnalyzer analyzer(config->camera, config->tamper);
    if (!config->reference.empty()) {
        const cv::Mat reference = cv::imread(config->reference.string(), cv::IMREAD_COLOR);
        if (reference.empty()) {
            return ctx.reportError(badInput(
                trf("{}: the reference image cannot be read", config->reference.string())));
        }
        analyzer.setReference(reference);
    }
    double videoFps = capture.get(cv::CAP_PROP_FPS);
    if (!std::isfinite(videoFps) || videoFps <= 0 || videoFps > 1000) {
        videoFps = 0;
    }
    std::vector<vision::scene::TamperEvent> events;
    std::int64_t frames = 0;
    double lastS = 0;
    cv::Mat frame;
    try {
        while (capture.grab()) {
            // The container's time stamp where there is one, else the frame count.
            double t = capture.get(cv::CAP_PROP_POS_MSEC) / 1000.0;
            if (!std::isfinite(t) || t < lastS || (frames > 0 && t == 0)) {
                t = videoFps > 0 ? static_cast<double>(frames) / videoFps : lastS;
            }
            ++frames;
            lastS = t;
            if (!analyzer.wantsFrame(t)) {
                continue;
            }
            if (!capture.retrieve(frame)) {
                continue;
            }
            for (auto& e : analyzer.push(frame, t)) {
                events.push_back(std::move(e));
            }
        }
    } catch (const cv::Exception& e) {
        return ctx.reportError(badInput(trf("{}: decoding failed after {} frames: {}", shownVideo,
                                            frames, std::string(e.what()))));
    }
    if (frames == 0 || analyzer.framesAnalyzed() == 0) {
        return ctx.reportError(badInput(trf("{}: no decodable frame", shownVideo)));
    }
    // A recording cut short (a disk filled up, a copy interrupted) decodes up to the cut: the
    // container still declares every frame. That is a damaged input, not a short exam.
    const double declared = capture.get(cv::CAP_PROP_FRAME_COUNT);
    if (std::isfinite(declared) && declared > 0 &&
        static_cast<double>(frames) < 0.95 * declared - 1) {
        return ctx.reportError(
            badInput(trf("{}: truncated or damaged: the container declares {} frames, {} decode",
                         shownVideo, static_cast<std::int64_t>(declared), frames)));
    }
    for (auto& e : analyzer.finish(lastS)) {
        events.push_back(std::move(e));
    }
    std::stable_sort(events.begin(), events.end(),
                     [](const auto& a, const auto& b) { return a.startS < b.startS; });
    auto snapshots = writeSnapshots(o.snapshotDir, events);
    if (!snapshots) {
        return ctx.reportError(snapshots.error());
    }
    if (ctx.json) {
        nlohmann::json list = nlohmann::json::array();
        for (std::size_t i = 0; i < events.size(); ++i) {
            const auto& e = events[i];
            list.push_back(
                {{"kind", std::string(vision::scene::toString(e.kind))},
                 {"start_s", std::round(e.startS * 1000) / 1000},
                 {"end_s", std::round(e.endS * 1000) / 1000},
                 {"camera", e.camera},
                 {"confidence", std::round(e.confidence * 1000) / 1000},
                 {"open", e.open},
                 {"snapshot", (*snapshots)[i].empty() ? nlohmann::json(nullptr)
                                                      : nlohmann::json((*snapshots)[i])}});
        }
        ctx.printJson({{"frames_analyzed", analyzer.framesAnalyzed()},
                       {"fps", config->tamper.analysisFps},
                       {"video_fps", videoFps},
                       {"duration_s", std::round(lastS * 1000) / 1000},
                       {"camera", config->camera},
                       {"events", list}});
    } else {
        std::cout << trf("{}: {} frames analysed at {} fps over {:.1f} s, {} event(s)", shownVideo,
                         analyzer.framesAnalyzed(), config->tamper.analysisFps, lastS,
                         events.size())
                  << '\n';
        for (const auto& e : events) {
            std::cout << "  "
                      << trf("{:>8.1f} s - {:>8.1f} s  {} (confidence {:.2f})", e.startS, e.endS,
                             kindLabel(e.kind), e.confidence)
                      << '\n';
        }
    }
    return events.empty() ? kExitOk : kExitProblem;
}

}  // namespace

void registerMonitorCommands(CLI::App& app, CliContext& ctx, int& exitCode) {
    auto* monitor = app.add_subcommand("monitor", tr("Cameras: tamper analysis of recordings"));
    monitor->require_subcommand(1);
    auto o = std::make_shared<MonitorOptions>();
    auto* analyzeCmd = monitor->add_subcommand(
        "analyze", tr("Check a recorded video for covered, moved, defocused, frozen or badly "
                      "exposed camera pictures"));
    analyzeCmd->add_option("VIDEO", o->video, tr("Video file"))->required();
    analyzeCmd->add_option("--config", o->configPath,
                           tr("Camera settings (TOML): name, analysis rate, thresholds"));
    analyzeCmd->add_option("--snapshots", o->snapshotDir,
                           tr("Write each event's snapshot (JPEG) into this directory"));
    analyzeCmd->callback([&ctx, &exitCode, o] { exitCode = analyze(ctx, *o); });
}

}  // namespace examguard::cli
