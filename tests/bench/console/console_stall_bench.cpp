// How long the console's GUI thread is ever blocked, over the demo flow a proctor goes through:
// every tab of the demo period, a check-in with a recorded camera, a LAN audit of the demo
// capture, the timeline with its evidence, the camera wall, score import, sealing with
// verification, and the archive viewer. An event-loop watchdog (a 2 ms precise timer) records
// the gaps between its ticks; the longest gap is the longest freeze a proctor would feel.
//
// Baseline, in the same process: the same long jobs run directly on the GUI thread, as a
// console without the station thread would run them; each one's time is the freeze it causes.
//
//   console_stall_bench [WORK_DIR]      (prints figures; exit 1 if any gap exceeds 100 ms)
#include <QApplication>
#include <QElapsedTimer>
#include <QProcess>
#include <QSignalSpy>
#include <QTabWidget>
#include <QTimer>
#include <algorithm>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <opencv2/imgcodecs.hpp>
#include <opencv2/imgproc.hpp>
#include <opencv2/videoio.hpp>
#include <string>
#include <vector>

#include "archive/seal.h"
#include "archive/verify.h"
#include "console/archive_viewer.h"
#include "console/camera_wall.h"
#include "console/checkin_desk.h"
#include "console/close_sitting.h"
#include "console/lan_panel.h"
#include "console/languages.h"
#include "console/live_feed.h"
#include "console/main_window.h"
#include "console/station_thread.h"
#include "console/timeline.h"
#include "netaudit/audit.h"
#include "station/checkin/checkin.h"
#include "station/identity/identity_engine.h"

namespace {

namespace fs = std::filesystem;
using namespace examguard;

constexpr double kLimitMs = 100;

// Records the gaps between ticks of a precise 2 ms timer on the GUI thread.
class Watchdog {
public:
    Watchdog() {
        m_timer.setTimerType(Qt::PreciseTimer);
        QObject::connect(&m_timer, &QTimer::timeout, [this] {
            const double now = m_clock.nsecsElapsed() / 1e6;
            m_gaps.push_back(now - m_last);
            m_last = now;
        });
    }
    void start() {
        m_gaps.clear();
        m_clock.start();
        m_last = 0;
        m_timer.start(2);
    }
    std::vector<double> stop() {
        m_timer.stop();
        return m_gaps;
    }

private:
    QTimer m_timer;
    QElapsedTimer m_clock;
    double m_last = 0;
    std::vector<double> m_gaps;
};

struct Phase {
    std::string name;
    double wallMs = 0;
    double maxGapMs = 0;
    double p99GapMs = 0;
    std::size_t ticks = 0;
    bool ok = true;
};

std::vector<Phase> g_phases;

// Runs `start` and spins the event loop until `done` or the timeout, under the watchdog.
template <typename Start, typename Done>
void phase(const std::string& name, Start start, Done done, int timeoutMs = 180000) {
    Watchdog dog;
    QElapsedTimer wall;
    dog.start();
    wall.start();
    start();
    bool ok = true;
    while (!done()) {
        if (wall.elapsed() > timeoutMs) {
            ok = false;
            break;
        }
        QCoreApplication::processEvents(QEventLoop::WaitForMoreEvents, 50);
    }
    // A little more event loop, so the results' painting is measured too.
    QElapsedTimer tail;
    tail.start();
    while (tail.elapsed() < 200) {
        QCoreApplication::processEvents(QEventLoop::WaitForMoreEvents, 20);
    }
    auto gaps = dog.stop();
    Phase p{name, wall.nsecsElapsed() / 1e6, 0, 0, gaps.size(), ok};
    if (!gaps.empty()) {
        std::sort(gaps.begin(), gaps.end());
        p.maxGapMs = gaps.back();
        p.p99GapMs = gaps[gaps.size() * 99 / 100];
    }
    std::printf("  %-34s wall %8.0f ms  longest gap %6.1f ms  p99 %5.1f ms  %s\n", name.c_str(),
                p.wallMs, p.maxGapMs, p.p99GapMs, ok ? "" : "(TIMED OUT)");
    std::fflush(stdout);
    g_phases.push_back(p);
}

double timeMs(const std::function<void()>& job) {
    QElapsedTimer t;
    t.start();
    job();
    return t.nsecsElapsed() / 1e6;
}

fs::path recordCamera(const fs::path& photo, const fs::path& video) {
    const cv::Mat image = cv::imread(photo.string());
    cv::Mat frame;
    cv::resize(image, frame, {640, 480});
    cv::VideoWriter writer(video.string(), cv::VideoWriter::fourcc('M', 'J', 'P', 'G'), 10,
                           frame.size());
    for (int i = 0; i < 30; ++i) {
        writer.write(frame);
    }
    return video;
}

fs::path firstPhoto(const char* person) {
    std::vector<fs::path> photos;
    for (const auto& e :
         fs::directory_iterator(fs::path(EXAMGUARD_SHARED_DATA) / "faces/east-asian" / person)) {
        photos.push_back(e.path());
    }
    std::sort(photos.begin(), photos.end());
    return photos.at(0);
}

}  // namespace

int main(int argc, char** argv) {
    if (qEnvironmentVariableIsEmpty("QT_QPA_PLATFORM")) {
        qputenv("QT_QPA_PLATFORM", "offscreen");
    }
    QApplication app(argc, argv);
    console::installLanguage(app, "zh_CN");
    const fs::path work =
        argc > 1 ? fs::path(argv[1])
                 : fs::temp_directory_path() / ("examguard-console-bench-" +
                                                std::to_string(QCoreApplication::applicationPid()));
    fs::remove_all(work);
    fs::create_directories(work);
    const fs::path demo = work / "demo";
    QProcess make;
    make.start(EXAMGUARD_CLI, {"demo", "--out", QString::fromStdString(demo.string())});
    if (!make.waitForFinished(600000) || make.exitCode() != 0) {
        std::fprintf(stderr, "console_stall_bench: examguard demo failed: %s\n",
                     make.readAllStandardError().constData());
        return 2;
    }
    // The desk's card reader and the camera wall's streams, as a site sets them up.
    const fs::path cards = work / "idcard";
    fs::create_directories(cards);
    const fs::path clip = fs::path(EXAMGUARD_SHARED_DATA) / "video/one-by-one-person-detection.mp4";
    std::ofstream(work / "monitor.toml")
        << "[recording]\ndirectory = \"rec\"\n\n[[camera]]\ncode = \"T1-FRONT\"\nroom = \"T1\"\n"
           "url = \""
        << clip.string() << "\"\n\n[[camera]]\ncode = \"T1-BACK\"\nroom = \"T1\"\nurl = \""
        << clip.string() << "\"\n";
    std::ofstream(demo / "station.toml", std::ios::app)
        << "\n[id_card]\ndrop_folder = \"" << cards.string()
        << "\"\n\n[cameras]\nmonitor_config = \"" << (work / "monitor.toml").string() << "\"\n";

    station::StationOptions options{.databasePath = demo / "station.db"};
    auto opened = station::Station::open(options);
    if (!opened) {
        std::fprintf(stderr, "console_stall_bench: %s\n", opened.error().detail.c_str());
        return 2;
    }
    station::Station& st = *opened;
    auto theory = st.db().prepare(
        "SELECT s.id, p.code FROM sitting s JOIN period p ON p.id = s.period_id WHERE "
        "s.subject = 'theory' AND s.round = 'main'");
    theory->step();
    const std::int64_t sitting = theory->columnInt(0);
    const std::string periodCode = theory->columnText(1);
    theory->reset();

    const fs::path camera = recordCamera(firstPhoto("nuaa_client_0010"), work / "door.avi");
    const fs::path pcap =
        fs::path(EXAMGUARD_SOURCE_DIR) / "schemas/examples/demo-period/demo-lan.pcap";
    std::ofstream(work / "scores.csv") << "exam_number,points,passed,absent\n2026110001,88,yes,\n"
                                          "2026110002,52,no,\n2026110004,,no,yes\n";
    const fs::path archive = work / "archive.zip";

    console::Session session;
    session.login = QStringLiteral("demo");
    session.role = station::Role::Admin;
    session.demo = true;
    std::printf(
        "console_stall_bench: the console over the demo flow (watchdog: 2 ms timer on "
        "the GUI thread)\n");
    auto window = std::make_unique<console::MainWindow>(st, options, session);
    console::MainWindow& w = *window;
    w.resize(1280, 800);
    phase(
        "open the window on the demo period",
        [&] {
            w.show();
            w.selectSitting(sitting);
        },
        [] { return true; });
    phase(
        "visit every tab",
        [&] {
            for (int i = 0; i < w.tabs()->count(); ++i) {
                w.tabs()->setCurrentIndex(i);
                QCoreApplication::processEvents();
            }
            w.tabs()->setCurrentWidget(w.desk());
        },
        [] { return true; });

    console::CheckinDesk* desk = w.desk();
    desk->setChallenge("none");
    phase(
        "desk camera starts", [&] { desk->setLiveSource(QString::fromStdString(camera.string())); },
        [&] { return !desk->feed()->latest().empty(); });
    QSignalSpy checkedIn(desk, &console::CheckinDesk::checkedIn);
    phase(
        "card read, check-in (face models load)",
        [&] {
            fs::copy_file(firstPhoto("nuaa_client_0010"), cards / "photo.jpg",
                          fs::copy_options::overwrite_existing);
            std::ofstream(work / "card.json")
                << R"({"id_number": "370112198010011813", "name": "陈杰", "gender": "男", )"
                   R"("nation": "汉", "valid_to": "2035.01.01", "photo": "photo.jpg"})";
            fs::rename(work / "card.json", cards / "card.json");
        },
        [&] {
            if (checkedIn.count() > 0) {
                return true;
            }
            if (desk->cardShown().contains(QStringLiteral("A05")) && !desk->busy()) {
                desk->startCheck();
            }
            return false;
        });

    console::LanPanel* lan = w.lanPanel();
    QSignalSpy audited(lan, &console::LanPanel::auditFinished);
    phase(
        "LAN audit of the demo capture",
        [&] {
            w.tabs()->setCurrentWidget(lan);
            lan->auditCaptureFile(QString::fromStdString(pcap.string()));
        },
        [&] { return audited.count() > 0; });

    console::Timeline* timeline = w.timeline();
    QSignalSpy timelineLoaded(timeline, &console::Timeline::loaded);
    QSignalSpy evidence(timeline, &console::Timeline::evidenceShown);
    phase(
        "timeline and one entry's evidence",
        [&] {
            w.tabs()->setCurrentWidget(timeline);
            timeline->refresh();
        },
        [&] {
            if (evidence.count() > 0) {
                return true;
            }
            if (timelineLoaded.count() > 0 && evidence.isEmpty()) {
                timeline->select(0);
            }
            return false;
        });

    console::CameraWall* wall = w.cameraWall();
    phase(
        "camera wall: 2 live streams for 3 s", [&] { w.tabs()->setCurrentWidget(wall); },
        [&, start = std::make_shared<QElapsedTimer>()] {
            if (!start->isValid()) {
                start->start();
            }
            return start->elapsed() > 3000;
        });

    console::CloseSitting* close = w.closeSitting();
    QSignalSpy imported(close, &console::CloseSitting::scoresImported);
    QSignalSpy sealed(close, &console::CloseSitting::sealed);
    phase(
        "import scores, seal and verify",
        [&] {
            w.tabs()->setCurrentWidget(close);
            close->importScores(QString::fromStdString((work / "scores.csv").string()));
        },
        [&, sealStarted = std::make_shared<bool>(false)] {
            if (imported.count() == 1 && !close->busy() && !*sealStarted) {
                *sealStarted = true;
                close->seal(QString::fromStdString(archive.string()));
            }
            return sealed.count() > 0;
        });

    std::printf("    %s\n", close->verdictShown().toStdString().c_str());
    console::ArchiveViewer* viewer = w.archiveViewer();
    QSignalSpy verified(viewer, &console::ArchiveViewer::verified);
    phase(
        "archive viewer opens and verifies",
        [&] {
            w.tabs()->setCurrentWidget(viewer);
            viewer->openArchive(
                QString::fromStdString(archive.string()),
                QString::fromStdString((demo / "station-certificate.pem").string()));
        },
        [&] { return verified.count() > 0; });
    window.reset();

    // Baseline: the same jobs on the GUI thread.
    std::printf("\nbaseline: the same jobs run on the GUI thread (each freezes it this long)\n");
    std::vector<std::pair<std::string, double>> baseline;
    console::StationContext ctx(options);
    baseline.emplace_back("load face models", timeMs([&] { (void)ctx.engine(); }));
    auto batch = std::make_shared<std::vector<station::identity::Frame>>();
    {
        cv::VideoCapture cap(camera.string());
        cv::Mat f;
        for (int i = 0; i < 15 && cap.read(f); ++i) {
            batch->push_back({f.clone(), i * 100});
        }
    }
    baseline.emplace_back("analyse a check-in's frames",
                          timeMs([&] { (void)(*ctx.engine())->analyze(*batch, {}); }));
    baseline.emplace_back("LAN audit of the demo capture", timeMs([&] {
                              netaudit::AuditOptions a;
                              a.captureFile = pcap.string();
                              (void)netaudit::auditCaptureFile(a);
                          }));
    baseline.emplace_back("seal the period", timeMs([&] {
                              archive::SealOptions s;
                              s.periodCode = periodCode;
                              s.out = work / "baseline.zip";
                              s.actor = "bench";
                              auto r = archive::sealPeriod(**ctx.station(), s);
                              if (!r) {
                                  std::printf("  (seal failed: %s)\n", r.error().detail.c_str());
                              }
                          }));
    baseline.emplace_back("verify the archive",
                          timeMs([&] { (void)archive::verifyArchive(work / "baseline.zip", {}); }));
    double worstBaseline = 0;
    for (const auto& [name, ms] : baseline) {
        std::printf("  %-34s %8.1f ms\n", name.c_str(), ms);
        worstBaseline = std::max(worstBaseline, ms);
    }

    double worst = 0;
    bool allOk = true;
    for (const auto& p : g_phases) {
        worst = std::max(worst, p.maxGapMs);
        allOk = allOk && p.ok;
    }
    std::printf("\nlongest GUI-thread gap over the console flow: %.1f ms (limit %.0f ms)\n", worst,
                kLimitMs);
    std::printf("longest freeze of the GUI-thread baseline:     %.1f ms (%.1fx the console's)\n",
                worstBaseline, worstBaseline / std::max(worst, 0.001));
    fs::remove_all(work);
    return allOk && worst <= kLimitMs ? 0 : 1;
}
