#include "demo_recording.h"

#include <cmath>
#include <sstream>

#include <fmt/format.h>
#include <toml++/toml.h>
#include <opencv2/imgproc.hpp>

#include "monitor/clip_writer.h"
#include "monitor_run.h"
#include "station/camera_config.h"
#include "station/clock.h"
#include "station/file_io.h"
#include "station/i18n.h"

namespace examguard::cli {

using station::i18n::tr;
using station::i18n::trf;
namespace fs = std::filesystem;

namespace {

constexpr const char* kCamera = "T1-FRONT";
constexpr monitor::ClipSpec kClip{.width = 640, .height = 360, .fps = 10, .frames = 200};

// The theory room as the front camera sees it: wall, whiteboard, window, floor, two rows of
// desks with a candidate at each.
cv::Mat drawRoom() {
    cv::Mat room(kClip.height, kClip.width, CV_8UC3);
    for (int y = 0; y < room.rows; ++y) {  // wall lit from above, an orange floor below
        const bool floor = y > room.rows * 0.62;
        const double shade = floor ? 0.0 : 30.0 * y / room.rows;
        room.row(y).setTo(floor ? cv::Scalar(60, 120, 190)
                                : cv::Scalar(205 - shade, 210 - shade, 215 - shade));
    }
    cv::rectangle(room, {170, 30, 300, 110}, {245, 245, 245}, cv::FILLED);  // whiteboard
    cv::rectangle(room, {170, 30, 300, 110}, {70, 70, 70}, 3);
    for (int line = 0; line < 5; ++line) {  // writing on it
        cv::line(room, {190, 52 + line * 17}, {190 + 60 * (line % 3 + 2), 52 + line * 17},
                 {150, 60, 40}, 2);
    }
    cv::rectangle(room, {520, 40, 90, 120}, {235, 220, 180}, cv::FILLED);  // window
    cv::line(room, {565, 40}, {565, 160}, {90, 90, 90}, 3);
    cv::line(room, {520, 100}, {610, 100}, {90, 90, 90}, 3);
    cv::circle(room, {80, 70}, 22, {40, 40, 40}, 2);  // clock
    cv::line(room, {80, 70}, {80, 54}, {40, 40, 40}, 2);
    cv::line(room, {80, 70}, {92, 74}, {40, 40, 40}, 2);
    return room;
}

void drawCandidate(cv::Mat& frame, cv::Point seat, double sway, const cv::Scalar& shirt) {
    const cv::Point body(seat.x + static_cast<int>(sway), seat.y);
    cv::ellipse(frame, body + cv::Point(0, 28), {26, 30}, 0, 180, 360, shirt, cv::FILLED);
    cv::circle(frame, body, 15, {150, 175, 215}, cv::FILLED);  // face
    cv::ellipse(frame, body - cv::Point(0, 5), {16, 12}, 0, 180, 360, {30, 30, 35},
                cv::FILLED);  // hair
}

void drawDesks(cv::Mat& frame) {
    for (int row = 0; row < 2; ++row) {
        for (int col = 0; col < 3; ++col) {
            const int x = 90 + col * 180 - row * 20;
            const int y = 250 + row * 70;
            cv::rectangle(frame, {x - 10, y, 140 + row * 20, 24}, {40, 80, 130}, cv::FILLED);
            cv::rectangle(frame, {x - 10, y, 140 + row * 20, 24}, {20, 40, 70}, 2);
        }
    }
}

// Picture `index`: the room, candidates shifting in their seats, sensor noise, and during the
// covered interval a hand over most of the lens.
void drawPicture(const cv::Mat& room, int index, std::uint8_t* bgr, int stride) {
    cv::Mat frame(kClip.height, kClip.width, CV_8UC3, bgr, static_cast<std::size_t>(stride));
    room.copyTo(frame);
    const double t = static_cast<double>(index) / kClip.fps;
    const cv::Scalar shirts[] = {{160, 90, 40},   {60, 60, 160},  {70, 140, 70},
                                 {150, 150, 150}, {40, 110, 170}, {120, 60, 120}};
    for (int row = 1; row >= 0; --row) {  // the back row first: the front row stands before it
        for (int col = 0; col < 3; ++col) {
            const int k = row * 3 + col;
            drawCandidate(frame, {150 + col * 180 - row * 10, 215 + row * 70},
                          3.0 * std::sin(t * (0.7 + 0.2 * k) + k), shirts[k]);
        }
    }
    drawDesks(frame);
    if (t >= kDemoCoverStartS && t < kDemoCoverEndS) {
        cv::ellipse(frame, {kClip.width / 2, kClip.height / 2}, {kClip.width * 6 / 10, 230}, 10, 0,
                    360, {95, 110, 140}, cv::FILLED);
    }
    cv::Mat noise(frame.size(), CV_16SC3);
    cv::theRNG().state = 0x5eed + static_cast<std::uint64_t>(index);  // the same clip each run
    cv::randn(noise, 0, 3);
    cv::Mat noisy;
    frame.convertTo(noisy, CV_16SC3);
    noisy += noise;
    noisy.convertTo(frame, CV_8UC3);  // saturating
}

// When the first sitting in the camera's room starts (UTC), from the imported plan.
station::Expected<std::int64_t> sittingStart(station::Station& station) {
    auto query = station.db().prepare(
        "SELECT CAST(strftime('%s', s.planned_start) AS INTEGER) FROM sitting s JOIN room r ON "
        "r.id = s.room_id WHERE r.code = 'T1' ORDER BY s.planned_start LIMIT 1");
    if (!query) {
        return tl::unexpected(query.error());
    }
    if (auto row = query->step(); !row || !*row) {
        return station::fail(station::ErrorCode::NotFound, "the demo period has no sitting in T1");
    }
    return query->columnInt(0);
}

std::string rfc3339(std::int64_t epochSeconds) {
    const auto formatted = station::formatUtc(
        std::chrono::system_clock::time_point(std::chrono::seconds(epochSeconds)));
    return formatted.substr(0, 19) + "Z";  // no milliseconds: the settings' date-time form
}

}  // namespace

station::Expected<nlohmann::json> runDemoRecording(station::Station& station, const fs::path& dir,
                                                   std::ostream& out) {
    const fs::path cameras = dir / "cameras";
    std::error_code ec;
    fs::create_directories(cameras, ec);
    if (ec) {
        return station::fail(station::ErrorCode::Io,
                             fmt::format("cannot create {}: {}", cameras.string(), ec.message()));
    }
    auto start = sittingStart(station);
    if (!start) {
        return tl::unexpected(start.error());
    }
    const fs::path clip = cameras / "T1-FRONT-sample.ts";
    const cv::Mat room = drawRoom();
    if (auto written = monitor::writeClip(clip, kClip,
                                          [&room](int index, std::uint8_t* bgr, int stride) {
                                              drawPicture(room, index, bgr, stride);
                                          });
        !written) {
        return station::fail(station::ErrorCode::Io, written.error());
    }
    // Analysis at 5 pictures a second; the first picture is the camera's reference view.
    const fs::path analysis = cameras / "T1-FRONT.toml";
    if (auto r = station::writeFileAtomically(analysis,
                                              "[camera]\nname = \"T1-FRONT\"\nanalysis_fps = 5\n");
        !r) {
        return tl::unexpected(r.error());
    }
    // The service's settings, written as a site would keep them (and usable with
    // `examguard monitor run --config`): the clip stands for the sitting's sixth minute on.
    const std::string filmed = rfc3339(*start + 5 * 60);
    toml::table settings{{"recording", toml::table{{"directory", (dir / "recordings").string()},
                                                   {"segment_s", 10},
                                                   {"min_free_mb", 16}}},
                         {"camera", toml::array{toml::table{{"code", kCamera},
                                                            {"room", "T1"},
                                                            {"name", "理论考场一 前"},
                                                            {"url", clip.string()},
                                                            {"start_time", filmed},
                                                            {"analysis", analysis.string()}}}}};
    std::ostringstream text;
    text << "# examguard demo: the camera service's settings for its sample clip\n"
         << settings << "\n";
    const fs::path settingsPath = cameras / "monitor.toml";
    if (auto r = station::writeFileAtomically(settingsPath, text.str()); !r) {
        return tl::unexpected(r.error());
    }
    auto config = station::loadMonitorConfig(settingsPath);
    if (!config) {
        return tl::unexpected(config.error());
    }
    auto recorded = recordCameras(station, *config, 0);
    if (!recorded) {
        return tl::unexpected(recorded.error());
    }
    const nlohmann::json& camera = (*recorded)["cameras"].at(0);
    if ((*recorded)["failed"].get<bool>()) {
        return station::fail(station::ErrorCode::Io,
                             fmt::format("the demo recording failed: {}",
                                         camera["error"].is_string()
                                             ? camera["error"].get<std::string>()
                                             : std::string("the event log was not written")));
    }
    // What the analysis found, in seconds of the clip.
    auto events = station.db().prepare(
        "SELECT e.kind, (julianday(e.start_at) - julianday(?1)) * 86400.0, "
        "(julianday(e.end_at) - julianday(?1)) * 86400.0, e.confidence, e.end_at IS NULL FROM "
        "camera_event e JOIN "
        "camera c ON c.id = e.camera_id WHERE c.code = ?2 ORDER BY e.start_at, e.id");
    if (!events) {
        return tl::unexpected(events.error());
    }
    events->bind(1, filmed).bind(2, std::string(kCamera));
    nlohmann::json found = nlohmann::json::array();
    while (true) {
        auto row = events->step();
        if (!row) {
            return tl::unexpected(row.error());
        }
        if (!*row) {
            break;
        }
        const auto tenths = [](double s) { return std::round(s * 10) / 10; };
        const bool open = events->columnInt(4) != 0;
        found.push_back({{"kind", events->columnText(0)},
                         {"start_s", tenths(events->columnDouble(1))},
                         {"end_s", open ? nlohmann::json(nullptr)
                                        : nlohmann::json(tenths(events->columnDouble(2)))},
                         {"confidence", events->columnDouble(3)}});
    }
    out << trf("5. Camera {} recorded during the theory sitting (a {} s clip the demo draws; "
               "the lens covered from {} s to {} s): {} segment(s) in {}, each SHA-256 in the "
               "event log; the analysis found {} event(s):",
               kCamera, kClip.frames / kClip.fps, kDemoCoverStartS, kDemoCoverEndS,
               camera["segments"].get<int>(), (dir / "recordings").string(), found.size())
        << '\n';
    for (const auto& e : found) {
        out << fmt::format(
            "   - {:<20} {:.1f} s – {}\n", e["kind"].get<std::string>(), e["start_s"].get<double>(),
            e["end_s"].is_null() ? std::string("…")
                                 : fmt::format("{:.1f} s", e["end_s"].get<double>()));
    }
    return nlohmann::json{{"camera", kCamera},
                          {"clip", clip.string()},
                          {"settings", settingsPath.string()},
                          {"filmed_at", filmed},
                          {"segments", camera["segments"]},
                          {"bytes", camera["bytes"]},
                          {"frames_analysed", camera["frames_analysed"]},
                          {"events", found}};
}

}  // namespace examguard::cli
