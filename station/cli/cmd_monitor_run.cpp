// examguard monitor run --config FILE [--duration S]: the camera service. One recorder thread
// per configured camera (examguard::monitor::Recorder, stream copy into MPEG-TS segments);
// each finished segment becomes a recording_segment row and a `recording.segment` log entry
// with its SHA-256, each signal gap a camera_event row and a `camera.signal_lost` entry.
// SIGINT/SIGTERM finish the segments being written and exit 0.
#include "monitor_run.h"

#include <pthread.h>
#include <signal.h>

#include <algorithm>
#include <atomic>
#include <cerrno>
#include <chrono>
#include <cmath>
#include <ctime>
#include <iostream>
#include <memory>
#include <mutex>
#include <optional>
#include <span>
#include <thread>
#include <type_traits>
#include <vector>

#include <fmt/format.h>
#include <spdlog/spdlog.h>

#include "archive/seal.h"
#include "monitor/recorder.h"
#include "monitor/redact.h"
#include "station/camera_config.h"
#include "station/crypto.h"
#include "station/i18n.h"
#include "station/logging.h"
#include "vision/room_occupancy.h"
#include "vision/scene_tamper.h"

namespace examguard::cli {

using station::i18n::tr;
using station::i18n::trf;

namespace {

constexpr const char* kActor = "station";

struct RunOptions {
    std::string config;
    double durationS = 0;
};

// Decimated analysis of one camera's stream (vision/'s analysers). Times are seconds since
// the epoch, so the analysers' gaps and durations are wall-clock ones.
struct Analysis {
    Analysis(const std::string& camera, const station::CameraConfig& config)
        : tamper(camera, config.tamper) {
        if (config.roomAnalysis()) {
            room.emplace(camera, config.room);
        }
    }
    vision::scene::TamperAnalyzer tamper;
    std::optional<vision::scene::RoomAnalyzer> room;
    double lastS = 0;
};

using CameraEvent = AnalyserEvent;

double epochSeconds(monitor::WallTime t) {
    return std::chrono::duration<double>(t.time_since_epoch()).count();
}

monitor::WallTime fromEpochSeconds(double s) {
    return monitor::WallTime(
        std::chrono::duration_cast<monitor::WallTime::duration>(std::chrono::duration<double>(s)));
}

struct CameraSlot {
    station::MonitoredCamera camera;
    std::unique_ptr<Analysis> analysis;
    std::int64_t events = 0;
    std::int64_t cameraId = 0;
    std::int64_t roomId = 0;
    std::unique_ptr<monitor::Recorder> recorder;
    // Reads the camera's sub-stream for the analysers when `analysis_url` is configured.
    std::unique_ptr<monitor::Recorder> analysisReader;
    monitor::RecorderStats stats;
    monitor::RecorderStats analysisStats;
    std::string error;
    std::uint64_t bytes = 0;
    std::int64_t signalLost = 0;
};

// The recorder's logger ("monitor") on the station's masking stderr sink: registered before
// any recorder runs, so the library finds it.
spdlog::logger& monitorLog() {
    static std::shared_ptr<spdlog::logger> logger = station::makeLogger("monitor");
    return *logger;
}

std::string iso(monitor::WallTime t) {
    return station::formatUtc(t);
}

// Writes what the recorder threads report, one transaction each, in the order reported.
class Store {
public:
    Store(station::Station& station, const station::MonitorConfig& config)
        : m_station(station), m_config(config) {}

    void segment(CameraSlot& slot, const monitor::Segment& s) {
        std::lock_guard lock(m_mutex);
        const std::string start = iso(s.start), end = iso(s.end);
        auto done = [&]() -> station::Expected<void> {
            auto period = periodOf(slot.roomId, start, end);
            if (!period) {
                return tl::unexpected(period.error());
            }
            const std::string keepUntil =
                period->id ? archive::keepUntilDate(period->lastEnd, period->years)
                           : archive::keepUntilDate(end, m_config.retentionYears);
            auto txn = station::Transaction::begin(m_station.db());
            if (!txn) {
                return tl::unexpected(txn.error());
            }
            auto insert = m_station.db().prepare(
                "INSERT INTO recording_segment (camera_id, start_at, end_at, path, sha256, bytes, "
                "keep_until) VALUES (?, ?, ?, ?, ?, ?, ?)");
            if (!insert) {
                return tl::unexpected(insert.error());
            }
            insert->bind(1, slot.cameraId)
                .bind(2, start)
                .bind(3, end)
                .bind(4, s.path.string())
                .bind(5, s.sha256)
                .bind(6, static_cast<std::int64_t>(s.bytes))
                .bind(7, keepUntil);
            if (auto r = insert->run(); !r) {
                return r;
            }
            station::LogEvent event{kActor,
                                    "recording.segment",
                                    period->id,
                                    {{"camera", slot.camera.code},
                                     {"room", slot.camera.room},
                                     {"start_at", start},
                                     {"end_at", end},
                                     {"path", s.path.string()},
                                     {"bytes", s.bytes},
                                     {"sha256", s.sha256},
                                     {"keep_until", keepUntil}}};
            if (auto r = m_station.log().append(event); !r) {
                return tl::unexpected(r.error());
            }
            return txn->commit();
        }();
        if (!done) {
            fail(slot, done.error().detail);
            return;
        }
        slot.bytes += s.bytes;
        monitorLog().info("camera {}: segment {} ({} bytes, {} - {})", slot.camera.code,
                          s.path.string(), s.bytes, start, end);
    }

    // The recorder's gap: a signal_lost camera_event and a `camera.signal_lost` entry.
    void signalLost(CameraSlot& slot, const monitor::SignalGap& gap) {
        CameraEvent e{"signal_lost", "", epochSeconds(gap.start), epochSeconds(gap.end), 1.0,
                      gap.open,      {}};
        const double seconds =
            std::chrono::duration_cast<std::chrono::milliseconds>(gap.end - gap.start).count() /
            1000.0;
        if (storeEvent(slot, e, "camera.signal_lost", {{"seconds", seconds}})) {
            ++slot.signalLost;
        }
    }

    // An analyser's event: a camera_event row (with its snapshot) and a `camera.event` entry.
    void cameraEvent(CameraSlot& slot, const CameraEvent& e) {
        nlohmann::json extra = {{"kind", e.kind}};
        if (!e.region.empty()) {
            extra["region"] = e.region;
        }
        if (storeEvent(slot, e, "camera.event", std::move(extra))) {
            ++slot.events;
        }
    }

    // A log entry of its own; `slot` adds the camera's code.
    void note(CameraSlot* slot, const std::string& kind, nlohmann::json payload) {
        std::lock_guard lock(m_mutex);
        if (slot != nullptr) {
            payload["camera"] = slot->camera.code;
        }
        if (auto r = m_station.log().appendNow({kActor, kind, std::nullopt, std::move(payload)});
            !r) {
            ++m_failures;
            monitorLog().error("cannot store {}: {}", kind, r.error().detail);
        }
    }

    std::int64_t failures() const { return m_failures.load(); }

private:
    // One camera_event row and its log entry `logKind`, in one transaction.
    bool storeEvent(CameraSlot& slot, const CameraEvent& e, const char* logKind,
                    nlohmann::json payload) {
        std::lock_guard lock(m_mutex);
        const std::string start = iso(fromEpochSeconds(e.startS));
        const std::string end = iso(fromEpochSeconds(e.endS));
        auto done = [&]() -> station::Expected<void> {
            auto sitting = sittingOf(slot.roomId, start, end);
            auto period = periodOf(slot.roomId, start, end);
            if (!sitting || !period) {
                return tl::unexpected(!sitting ? sitting.error() : period.error());
            }
            auto txn = station::Transaction::begin(m_station.db());
            if (!txn) {
                return tl::unexpected(txn.error());
            }
            auto insert = m_station.db().prepare(
                "INSERT INTO camera_event (camera_id, sitting_id, kind, start_at, end_at, "
                "confidence, snapshot) VALUES (?, ?, ?, ?, ?, ?, ?)");
            if (!insert) {
                return tl::unexpected(insert.error());
            }
            const double confidence = std::clamp(e.confidence, 0.0, 1.0);
            insert->bind(1, slot.cameraId)
                .bind(2, *sitting)
                .bind(3, e.kind)
                .bind(4, start)
                .bind(5, e.open ? std::optional<std::string>() : std::optional(end))
                .bind(6, confidence);
            if (e.snapshotJpeg.empty()) {
                insert->bindNull(7);
            } else {
                // Snapshots show the room and its people: encrypted at rest like every face.
                auto sealed = station::seal(m_station.keys().dataKey(),
                                            std::span<const unsigned char>(e.snapshotJpeg),
                                            "camera_event.snapshot");
                if (!sealed) {
                    return tl::unexpected(sealed.error());
                }
                insert->bind(7, std::span<const unsigned char>(*sealed));
            }
            if (auto r = insert->run(); !r) {
                return r;
            }
            payload["camera"] = slot.camera.code;
            payload["room"] = slot.camera.room;
            payload["start_at"] = start;
            payload["end_at"] = e.open ? nlohmann::json(nullptr) : nlohmann::json(end);
            payload["open"] = e.open;
            payload["confidence"] = std::round(confidence * 1000) / 1000;
            payload["event_id"] = m_station.db().lastInsertRowId();
            if (auto r = m_station.log().append({kActor, logKind, period->id, payload}); !r) {
                return tl::unexpected(r.error());
            }
            return txn->commit();
        }();
        if (!done) {
            fail(slot, done.error().detail);
            return false;
        }
        monitorLog().warn("camera {}: {}{} {} - {}", slot.camera.code, e.kind,
                          e.region.empty() ? "" : " (" + e.region + ")", start,
                          e.open ? "(open)" : end);
        return true;
    }

    struct Period {
        std::optional<std::int64_t> id;
        int years = 0;
        std::string lastEnd;
    };

    void fail(CameraSlot& slot, const std::string& detail) {
        ++m_failures;
        monitorLog().error("camera {}: cannot store: {}", slot.camera.code, detail);
    }

    // The period with a sitting in this room whose span overlaps [start, end]; the longest
    // retention wins where several do. Sittings are stored with their offset (+08:00),
    // segments in UTC: compared as instants.
    station::Expected<Period> periodOf(std::int64_t roomId, const std::string& start,
                                       const std::string& end) {
        auto stmt = m_station.db().prepare(
            "SELECT p.id, p.retention_years, max(s.planned_end) FROM period p JOIN sitting s ON "
            "s.period_id = p.id GROUP BY p.id HAVING sum(s.room_id = ?1) > 0 AND "
            "julianday(min(s.planned_start)) <= julianday(?3) AND julianday(max(s.planned_end)) "
            ">= julianday(?2) ORDER BY p.retention_years DESC, p.id DESC LIMIT 1");
        if (!stmt) {
            return tl::unexpected(stmt.error());
        }
        stmt->bind(1, roomId).bind(2, start).bind(3, end);
        Period period;
        auto done = stmt->forEachRow([&](station::Statement& row) {
            period = {row.columnInt(0), static_cast<int>(row.columnInt(1)), row.columnText(2)};
        });
        if (!done) {
            return tl::unexpected(done.error());
        }
        return period;
    }

    station::Expected<std::optional<std::int64_t>> sittingOf(std::int64_t roomId,
                                                             const std::string& start,
                                                             const std::string& end) {
        auto stmt = m_station.db().prepare(
            "SELECT id FROM sitting WHERE room_id = ?1 AND julianday(planned_start) <= "
            "julianday(?3) AND julianday(planned_end) >= julianday(?2) ORDER BY planned_start "
            "LIMIT 1");
        if (!stmt) {
            return tl::unexpected(stmt.error());
        }
        stmt->bind(1, roomId).bind(2, start).bind(3, end);
        std::optional<std::int64_t> id;
        auto done = stmt->forEachRow([&](station::Statement& row) { id = row.columnInt(0); });
        if (!done) {
            return tl::unexpected(done.error());
        }
        return id;
    }

    std::mutex m_mutex;
    station::Station& m_station;
    const station::MonitorConfig& m_config;
    std::atomic<std::int64_t> m_failures{0};
};

// Stores the analysers' events; the recorder's own gaps are the signal_lost record, so the
// tamper analyser's signal_lost (the same gaps, seen from the frames) is left out.
template <typename Events>
void storeEvents(Store& store, CameraSlot& slot, Events&& events) {
    for (auto& e : events) {
        CameraEvent out;
        if constexpr (std::is_same_v<std::decay_t<decltype(e)>, vision::scene::RoomEvent>) {
            out.region = e.region;
        } else if (e.kind == vision::scene::TamperKind::SignalLost) {
            continue;
        }
        out.kind = std::string(vision::scene::toString(e.kind));
        out.startS = e.startS;
        out.endS = e.endS;
        out.confidence = e.confidence;
        out.open = e.open;
        out.snapshotJpeg = std::move(e.snapshotJpeg);
        store.cameraEvent(slot, out);
    }
}

// The analysers of a camera's settings file, with their reference pictures.
station::Expected<std::unique_ptr<Analysis>> loadAnalysis(const station::MonitoredCamera& camera) {
    auto config = station::loadCameraConfig(camera.analysis);
    if (!config) {
        return tl::unexpected(config.error());
    }
    auto analysis = std::make_unique<Analysis>(camera.code, *config);
    if (!config->reference.empty()) {
        auto image = readReference(config->reference);
        if (!image) {
            return tl::unexpected(image.error());
        }
        analysis->tamper.setReference(*image);
    }
    if (analysis->room && !config->emptyReference.empty()) {
        auto image = readReference(config->emptyReference);
        if (!image) {
            return tl::unexpected(image.error());
        }
        analysis->room->setEmptyReference(*image);
    }
    return analysis;
}

// The room by its filed code, and the camera row (added, with its URL redacted, when new).
station::Expected<void> resolveCamera(station::Station& station, CameraSlot& slot) {
    auto rooms = station.db().prepare("SELECT id FROM room WHERE code = ? ORDER BY id");
    if (!rooms) {
        return tl::unexpected(rooms.error());
    }
    rooms->bind(1, slot.camera.room);
    std::vector<std::int64_t> ids;
    auto done =
        rooms->forEachRow([&](station::Statement& row) { ids.push_back(row.columnInt(0)); });
    if (!done) {
        return done;
    }
    if (ids.size() != 1) {
        return station::fail(station::ErrorCode::NotFound,
                             ids.empty()
                                 ? trf("camera {}: room {} is not filed with any period plan",
                                       slot.camera.code, slot.camera.room)
                                 : trf("camera {}: room code {} is filed for {} sites",
                                       slot.camera.code, slot.camera.room, ids.size()));
    }
    slot.roomId = ids[0];
    auto find = station.db().prepare("SELECT id FROM camera WHERE room_id = ? AND code = ?");
    if (!find) {
        return tl::unexpected(find.error());
    }
    find->bind(1, slot.roomId).bind(2, slot.camera.code);
    done = find->forEachRow([&](station::Statement& row) { slot.cameraId = row.columnInt(0); });
    if (!done || slot.cameraId != 0) {
        return done;
    }
    auto txn = station::Transaction::begin(station.db());
    if (!txn) {
        return tl::unexpected(txn.error());
    }
    const std::string shown = monitor::redactUrl(slot.camera.url);
    auto insert = station.db().prepare(
        "INSERT INTO camera (room_id, code, name, stream_uri) VALUES (?, ?, ?, ?)");
    if (!insert) {
        return tl::unexpected(insert.error());
    }
    insert->bind(1, slot.roomId).bind(2, slot.camera.code).bind(3, slot.camera.name).bind(4, shown);
    if (auto r = insert->run(); !r) {
        return r;
    }
    slot.cameraId = station.db().lastInsertRowId();
    auto logged = station.log().append({kActor,
                                        "camera.added",
                                        std::nullopt,
                                        {{"camera", slot.camera.code},
                                         {"room", slot.camera.room},
                                         {"name", slot.camera.name},
                                         {"stream", shown}}});
    if (!logged) {
        return tl::unexpected(logged.error());
    }
    return txn->commit();
}

}  // namespace

station::Expected<nlohmann::json> recordCameras(station::Station& station,
                                                const station::MonitorConfig& config,
                                                double durationS) {
    monitorLog();
    std::vector<std::unique_ptr<CameraSlot>> slots;
    const std::uint64_t minFree = static_cast<std::uint64_t>(config.minFreeMb * 1024 * 1024);
    Store store(station, config);
    for (const auto& camera : config.cameras) {
        auto slot = std::make_unique<CameraSlot>();
        slot->camera = camera;
        if (auto r = resolveCamera(station, *slot); !r) {
            return tl::unexpected(r.error());
        }
        if (!camera.analysis.empty()) {
            auto analysis = loadAnalysis(camera);
            if (!analysis) {
                return tl::unexpected(analysis.error());
            }
            slot->analysis = std::move(*analysis);
        }
        std::error_code ec;
        std::filesystem::create_directories(camera.directory, ec);
        if (!ec) {  // rows and log entries name files absolutely
            slot->camera.directory = std::filesystem::canonical(camera.directory, ec);
        }
        if (ec) {
            return tl::unexpected(station::Error{station::ErrorCode::Io,
                                                 trf("{}: cannot create the directory: {}",
                                                     camera.directory.string(), ec.message())});
        }
        // Disk-space watchdog: never start recording onto a nearly full disk.
        const std::uint64_t free = monitor::freeBytes(slot->camera.directory);
        if (free < minFree) {
            store.note(slot.get(), "recording.disk_low",
                       {{"directory", camera.directory.string()},
                        {"free_mb", free / (1024 * 1024)},
                        {"min_free_mb", config.minFreeMb},
                        {"refused", true}});
            return tl::unexpected(station::Error{
                station::ErrorCode::Invalid,
                trf("{}: only {} MiB free, below the configured minimum of {} MiB; not recording",
                    camera.directory.string(), free / (1024 * 1024), config.minFreeMb)});
        }
        slots.push_back(std::move(slot));
    }
    auto durationOf = [](double seconds) {
        return std::chrono::duration_cast<std::chrono::milliseconds>(
            std::chrono::duration<double>(seconds));
    };
    for (auto& slot : slots) {
        CameraSlot* s = slot.get();
        monitor::RecorderConfig rc{.camera = s->camera.code,
                                   .url = s->camera.url,
                                   .inputOptions = s->camera.inputOptions,
                                   .fileStart = s->camera.startTime,
                                   .outputDir = s->camera.directory,
                                   .segmentSeconds = s->camera.segmentSeconds,
                                   .ioTimeout = durationOf(config.ioTimeoutS),
                                   .backoffInitial = std::min(std::chrono::milliseconds(500),
                                                              durationOf(config.reconnectMaxS)),
                                   .backoffMax = durationOf(config.reconnectMaxS),
                                   .minFreeBytes = minFree};
        monitor::RecorderCallbacks callbacks{
            [&store, s](const monitor::Segment& seg) { store.segment(*s, seg); },
            [&store, s](const monitor::SignalGap& gap) { store.signalLost(*s, gap); },
            [&store, s, &config](const std::filesystem::path& dir, std::uint64_t free) {
                store.note(s, "recording.disk_low",
                           {{"directory", dir.string()},
                            {"free_mb", free / (1024 * 1024)},
                            {"min_free_mb", config.minFreeMb},
                            {"refused", false}});
            },
            [&store, s](const std::string& message) {
                store.note(s, "recording.write_error", {{"message", message}});
            }};
        // The analysers take the recorded stream's pictures, or the sub-stream's.
        monitor::RecorderCallbacks subStream;
        monitor::RecorderCallbacks& tap = s->camera.analysisUrl.empty() ? callbacks : subStream;
        if (Analysis* a = s->analysis.get()) {
            tap.wantsFrame = [a](monitor::WallTime t) {
                const double at = epochSeconds(t);
                return a->tamper.wantsFrame(at) || (a->room && a->room->wantsFrame(at));
            };
            tap.onFrame = [&store, s, a](const monitor::Frame& f) {
                const double at = epochSeconds(f.time);
                if (at < a->lastS) {
                    return;  // the analysers take frames in time order only
                }
                a->lastS = at;
                const cv::Mat frame(f.height, f.width, CV_8UC3, const_cast<std::uint8_t*>(f.bgr),
                                    static_cast<std::size_t>(f.stride));
                if (a->tamper.wantsFrame(at)) {
                    storeEvents(store, *s, a->tamper.push(frame, at));
                } else {
                    storeEvents(store, *s, a->tamper.seen(at));
                }
                if (a->room && a->room->wantsFrame(at)) {
                    storeEvents(store, *s, a->room->push(frame, at));
                }
            };
            tap.onFrameSkipped = [&store, s, a](monitor::WallTime t) {
                const double at = epochSeconds(t);
                if (at >= a->lastS) {
                    a->lastS = at;
                    storeEvents(store, *s, a->tamper.seen(at));
                }
            };
        }
        if (!s->camera.analysisUrl.empty()) {
            s->analysisReader = std::make_unique<monitor::Recorder>(
                monitor::RecorderConfig{.camera = s->camera.code,
                                        .url = s->camera.analysisUrl,
                                        .writeSegments = false,
                                        .ioTimeout = rc.ioTimeout,
                                        .backoffInitial = rc.backoffInitial,
                                        .backoffMax = rc.backoffMax},
                std::move(subStream));
        }
        s->recorder = std::make_unique<monitor::Recorder>(std::move(rc), std::move(callbacks));
    }

    // Signals are taken synchronously by this thread (sigtimedwait): the recorder threads
    // inherit the mask, and each wakes this thread with SIGUSR1 when its source has ended.
    sigset_t signals;
    sigemptyset(&signals);
    sigaddset(&signals, SIGINT);
    sigaddset(&signals, SIGTERM);
    sigaddset(&signals, SIGUSR1);
    sigset_t previous;
    pthread_sigmask(SIG_BLOCK, &signals, &previous);
    const pthread_t mainThread = pthread_self();
    std::atomic<int> running{0};
    std::vector<std::thread> threads;
    std::vector<nlohmann::json> started;
    for (auto& slot : slots) {
        started.push_back({{"camera", slot->camera.code},
                           {"stream", monitor::redactUrl(slot->camera.url)},
                           {"directory", slot->camera.directory.string()},
                           {"segment_s", slot->camera.segmentSeconds}});
        if (!slot->camera.analysisUrl.empty()) {
            started.back()["analysis_stream"] = monitor::redactUrl(slot->camera.analysisUrl);
        }
    }
    store.note(nullptr, "recording.started", {{"cameras", started}});
    // One thread per reader: a camera's recorder, and its sub-stream reader when it has one
    // (the analysers' events are closed by whichever reader feeds them).
    const auto launch = [&](CameraSlot* s, monitor::Recorder* recorder, bool feedsAnalysis) {
        running.fetch_add(1);
        threads.emplace_back([s, recorder, feedsAnalysis, &running, &store, mainThread] {
            auto result = recorder->run();
            if (Analysis* a = s->analysis.get(); feedsAnalysis && a != nullptr && a->lastS > 0) {
                storeEvents(store, *s, a->tamper.finish(a->lastS));
                if (a->room) {
                    storeEvents(store, *s, a->room->finish(a->lastS));
                }
            }
            const bool main = recorder == s->recorder.get();
            if (result) {
                (main ? s->stats : s->analysisStats) = *result;
            } else {
                const std::string error =
                    main ? result.error() : "analysis stream: " + result.error();
                monitorLog().error("camera {}: {}", s->camera.code, error);
                if (s->error.empty()) {
                    s->error = error;
                }
            }
            running.fetch_sub(1);
            pthread_kill(mainThread, SIGUSR1);
        });
    };
    for (auto& slot : slots) {
        launch(slot.get(), slot->recorder.get(), !slot->analysisReader);
        if (slot->analysisReader) {
            launch(slot.get(), slot->analysisReader.get(), true);
        }
    }
    std::string stoppedBy = "end_of_input";
    const auto deadline = std::chrono::steady_clock::now() + durationOf(durationS);
    while (running.load() > 0) {
        timespec wait{3600, 0};
        if (durationS > 0) {
            const auto left = deadline - std::chrono::steady_clock::now();
            if (left <= std::chrono::steady_clock::duration::zero()) {
                stoppedBy = "duration";
                break;
            }
            const auto ns = std::chrono::duration_cast<std::chrono::nanoseconds>(left).count();
            wait = {static_cast<std::time_t>(ns / 1000000000), static_cast<long>(ns % 1000000000)};
        }
        const int sig = sigtimedwait(&signals, nullptr, &wait);
        if (sig == SIGINT || sig == SIGTERM) {
            stoppedBy = "signal";
            monitorLog().info("signal {}: finishing the segments being written", sig);
            break;
        }
    }
    for (auto& slot : slots) {
        slot->recorder->stop();
        if (slot->analysisReader) {
            slot->analysisReader->stop();
        }
    }
    for (auto& thread : threads) {
        thread.join();
    }
    // Drop wake-ups still pending, then restore the mask.
    timespec none{0, 0};
    sigset_t wakeups;
    sigemptyset(&wakeups);
    sigaddset(&wakeups, SIGUSR1);
    while (sigtimedwait(&wakeups, nullptr, &none) == SIGUSR1) {
    }
    pthread_sigmask(SIG_SETMASK, &previous, nullptr);

    nlohmann::json cameras = nlohmann::json::array();
    bool failed = store.failures() > 0;
    for (auto& slot : slots) {
        nlohmann::json item = {
            {"camera", slot->camera.code},
            {"room", slot->camera.room},
            {"segments", slot->stats.segments},
            {"bytes", slot->bytes},
            {"signal_lost", slot->signalLost},
            {"events", slot->events},
            {"frames_analysed", slot->analysisReader ? slot->analysisStats.framesAnalysed
                                                     : slot->stats.framesAnalysed},
            {"error", slot->error.empty() ? nlohmann::json(nullptr) : nlohmann::json(slot->error)}};
        failed |= !slot->error.empty();
        cameras.push_back(std::move(item));
    }
    store.note(nullptr, "recording.stopped", {{"by", stoppedBy}, {"cameras", cameras}});
    return nlohmann::json{{"stopped_by", stoppedBy},
                          {"cameras", cameras},
                          {"store_failures", store.failures()},
                          {"failed", failed}};
}

namespace {

int run(const CliContext& ctx, const RunOptions& o) {
    auto config = station::loadMonitorConfig(std::filesystem::u8path(o.config));
    if (!config) {
        return ctx.reportError(config.error());
    }
    auto station = ctx.openStation();
    if (!station) {
        return ctx.reportError(station.error());
    }
    auto result = recordCameras(*station, *config, o.durationS);
    if (!result) {
        return ctx.reportError(result.error());
    }
    const bool failed = (*result)["failed"].get<bool>();
    result->erase("failed");
    if (ctx.json) {
        ctx.printJson(*result);
    } else {
        for (const auto& camera : (*result)["cameras"]) {
            std::cout << trf("camera {}: {} segment(s), {} bytes, signal lost {} time(s)",
                             camera["camera"].get<std::string>(), camera["segments"].get<int>(),
                             camera["bytes"].get<std::uint64_t>(), camera["signal_lost"].get<int>())
                      << '\n';
            if (camera["error"].is_string()) {
                std::cout << "  " << trf("error: {}", camera["error"].get<std::string>()) << '\n';
            }
        }
    }
    return failed ? kExitBadInput : kExitOk;
}

}  // namespace

void registerMonitorRun(CLI::App* monitor, CliContext& ctx, int& exitCode) {
    auto o = std::make_shared<RunOptions>();
    auto* cmd = monitor->add_subcommand(
        "run", tr("Record the configured cameras into segments until stopped (SIGINT/SIGTERM)"));
    cmd->add_option("--config", o->config,
                    tr("Camera service settings (TOML): recordings directory and cameras"))
        ->required();
    cmd->add_option("--duration", o->durationS, tr("Stop after this many seconds"))
        ->check(CLI::PositiveNumber);
    cmd->callback([&ctx, &exitCode, o] { exitCode = run(ctx, *o); });
}

}  // namespace examguard::cli
