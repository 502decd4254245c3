// examguard monitor analyze VIDEO [--config FILE] [--snapshots DIR] --json: runs vision/'s
// camera tamper analysers over a recorded file (tests, and inspectors re-checking a
// recording), per the stable contract in docs/cli.md. Reading and mapping only; the analysis
// is examguard::vision::scene.
#include <cmath>
#include <filesystem>
#include <functional>
#include <iostream>
#include <memory>
#include <optional>
#include <type_traits>

#include <fmt/format.h>
#include <spdlog/spdlog.h>
#include <opencv2/imgcodecs.hpp>
#include <opencv2/videoio.hpp>

#include "commands.h"
#include "monitor_run.h"
#include "station/camera_config.h"
#include "station/file_io.h"
#include "station/i18n.h"
#include "station/privacy.h"
#include "vision/room_occupancy.h"
#include "vision/scene_tamper.h"

namespace examguard::cli {

using station::i18n::tr;
using station::i18n::trf;

namespace {

struct MonitorOptions {
    std::string video;
    std::string configPath;
    std::string snapshotDir;
    int checkedIn = -1;
};

station::Error badInput(std::string detail) {
    return station::Error{station::ErrorCode::BadInput, std::move(detail)};
}

// Tamper and room events in one list, as printed.
struct Event : AnalyserEvent {
    std::string camera;
    std::string label;  // translated, for the text output
};

template <typename E>
Event toEvent(E&& e, std::string region, std::string label) {
    Event out;
    out.kind = std::string(vision::scene::toString(e.kind));
    out.camera = std::move(e.camera);
    out.region = std::move(region);
    out.startS = e.startS;
    out.endS = e.endS;
    out.confidence = e.confidence;
    out.open = e.open;
    out.snapshotJpeg = std::move(e.snapshotJpeg);
    out.label = std::move(label);
    return out;
}

// Writes each event's onset snapshot as DIR/<camera>-<n>-<kind>.jpg; returns the file names
// (empty where there is no snapshot).
station::Expected<std::vector<std::string>> writeSnapshots(const std::string& dir,
                                                           const std::vector<Event>& events) {
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
        const std::string name = fmt::format("{}-{}-{}.jpg", camera, i + 1, e.kind);
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

std::string_view roomLabel(vision::scene::RoomEventKind kind) {
    using vision::scene::RoomEventKind;
    switch (kind) {
        case RoomEventKind::SeatEmpty:
            return tr("seat empty");
        case RoomEventKind::ProctorAbsent:
            return tr("proctor absent");
        case RoomEventKind::ExtraPerson:
            return tr("person where no seat is");
        case RoomEventKind::HeadcountMismatch:
            return tr("head count differs from check-in");
    }
    return "?";
}

int analyze(const CliContext& ctx, const MonitorOptions& o) {
    station::CameraConfig config;
    if (!o.configPath.empty()) {
        auto loaded = station::loadCameraConfig(std::filesystem::u8path(o.configPath));
        if (!loaded) {
            return ctx.reportError(loaded.error());
        }
        config = std::move(*loaded);
    }
    if (o.checkedIn >= 0) {
        config.room.checkedIn = o.checkedIn;
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
    vision::scene::TamperAnalyzer tamper(config.name, config.tamper);
    std::optional<vision::scene::RoomAnalyzer> room;
    if (config.roomAnalysis()) {
        room.emplace(config.name, config.room);
    }
    for (const auto& [path, apply] :
         {std::pair<std::filesystem::path, std::function<void(const cv::Mat&)>>{
              config.reference, [&](const cv::Mat& m) { tamper.setReference(m); }},
          {config.emptyReference, [&](const cv::Mat& m) {
               if (room) {
                   room->setEmptyReference(m);
               }
           }}}) {
        if (!path.empty()) {
            auto image = readReference(path);
            if (!image) {
                return ctx.reportError(image.error());
            }
            apply(*image);
        }
    }
    double videoFps = capture.get(cv::CAP_PROP_FPS);
    if (!std::isfinite(videoFps) || videoFps <= 0 || videoFps > 1000) {
        videoFps = 0;
    }
    std::vector<Event> events;
    auto collect = [&](auto&& list) {
        for (auto& e : list) {
            if constexpr (std::is_same_v<std::decay_t<decltype(e)>, vision::scene::RoomEvent>) {
                std::string region = e.region;
                const std::string_view label = roomLabel(e.kind);
                events.push_back(toEvent(std::move(e), std::move(region), std::string(label)));
            } else {
                const std::string_view label = kindLabel(e.kind);
                events.push_back(toEvent(std::move(e), "", std::string(label)));
            }
        }
    };
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
            const bool forRoom = room && room->wantsFrame(t);
            if (!tamper.wantsFrame(t) && !forRoom) {
                collect(tamper.seen(t));  // keeps the signal alive; gaps become signal_lost
                continue;
            }
            if (!capture.retrieve(frame)) {
                continue;
            }
            collect(tamper.push(frame, t));
            if (forRoom) {
                collect(room->push(frame, t));
            }
        }
    } catch (const cv::Exception& e) {
        return ctx.reportError(badInput(trf("{}: decoding failed after {} frames: {}", shownVideo,
                                            frames, std::string(e.what()))));
    }
    if (frames == 0 || tamper.framesAnalyzed() == 0) {
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
    collect(tamper.finish(lastS));
    if (room) {
        collect(room->finish(lastS));
    }
    std::stable_sort(events.begin(), events.end(),
                     [](const auto& a, const auto& b) { return a.startS < b.startS; });
    auto snapshots = writeSnapshots(o.snapshotDir, events);
    if (!snapshots) {
        return ctx.reportError(snapshots.error());
    }
    if (ctx.json) {
        auto rounded = [](double v) { return std::round(v * 1000) / 1000; };
        nlohmann::json list = nlohmann::json::array();
        for (std::size_t i = 0; i < events.size(); ++i) {
            const Event& e = events[i];
            nlohmann::json item = {
                {"kind", e.kind},
                {"start_s", rounded(e.startS)},
                {"end_s", rounded(e.endS)},
                {"camera", e.camera},
                {"confidence", rounded(e.confidence)},
                {"open", e.open},
                {"snapshot", (*snapshots)[i].empty() ? nlohmann::json(nullptr)
                                                     : nlohmann::json((*snapshots)[i])}};
            if (!e.region.empty()) {
                item["region"] = e.region;
            }
            list.push_back(std::move(item));
        }
        ctx.printJson({{"frames_analyzed", tamper.framesAnalyzed()},
                       {"fps", config.tamper.analysisFps},
                       {"video_fps", videoFps},
                       {"duration_s", rounded(lastS)},
                       {"camera", config.name},
                       {"events", list}});
    } else {
        std::cout << trf("{}: {} frames analysed at {} fps over {:.1f} s, {} event(s)", shownVideo,
                         tamper.framesAnalyzed(), config.tamper.analysisFps, lastS, events.size())
                  << '\n';
        for (const Event& e : events) {
            const std::string what = e.region.empty() ? e.label : e.label + " (" + e.region + ")";
            std::cout << "  "
                      << trf("{:>8.1f} s - {:>8.1f} s  {} (confidence {:.2f})", e.startS, e.endS,
                             what, e.confidence)
                      << '\n';
        }
    }
    return events.empty() ? kExitOk : kExitProblem;
}

}  // namespace

// Reads an image the settings name (reference views); errors name the file.
station::Expected<cv::Mat> readReference(const std::filesystem::path& path) {
    cv::Mat image;
    try {
        image = cv::imread(path.string(), cv::IMREAD_COLOR);
    } catch (const cv::Exception& e) {
        spdlog::debug("OpenCV: {}", e.what());
    }
    if (image.empty()) {
        return tl::unexpected(
            badInput(trf("{}: the reference image cannot be read", path.string())));
    }
    return image;
}

void registerMonitorCommands(CLI::App& app, CliContext& ctx, int& exitCode) {
    auto* monitor = app.add_subcommand("monitor", tr("Cameras: tamper analysis of recordings"));
    monitor->require_subcommand(1);
    auto o = std::make_shared<MonitorOptions>();
    auto* analyzeCmd = monitor->add_subcommand(
        "analyze", tr("Check a recorded video for covered, moved, defocused, frozen or badly "
                      "exposed camera pictures"));
    analyzeCmd->add_option("VIDEO", o->video, tr("Video file"))->required();
    analyzeCmd->add_option("--config", o->configPath,
                           tr("Camera settings (TOML): name, analysis rate, thresholds, seat "
                              "regions"));
    analyzeCmd->add_option("--snapshots", o->snapshotDir,
                           tr("Write each event's snapshot (JPEG) into this directory"));
    analyzeCmd
        ->add_option("--checked-in", o->checkedIn,
                     tr("Candidates checked in, for the head count against occupied seats"))
        ->check(CLI::NonNegativeNumber);
    analyzeCmd->callback([&ctx, &exitCode, o] { exitCode = analyze(ctx, *o); });
    registerMonitorRun(monitor, ctx, exitCode);
}

}  // namespace examguard::cli
