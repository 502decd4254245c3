// Every main screen of the console on the demo period (`examguard demo`), rendered under a real
// X server (Xvfb, run by ctest through xvfb-run) in zh_CN and English. Each screen is saved as
// a PNG in the build tree (console-screenshots/xvfb/) and its content is checked against what
// the demo recorded in summary.json: seat states, findings, cameras, timeline, archive verdict.
#include <gtest/gtest.h>

#include <QApplication>
#include <QDir>
#include <QProcess>
#include <QSignalSpy>
#include <QTabWidget>
#include <QTest>
#include <filesystem>
#include <fstream>
#include <nlohmann/json.hpp>

#include "console/archive_viewer.h"
#include "console/call_display.h"
#include "console/camera_wall.h"
#include "console/checkin_desk.h"
#include "console/close_sitting.h"
#include "console/lan_panel.h"
#include "console/languages.h"
#include "console/main_window.h"
#include "console/seat_model.h"
#include "console/timeline.h"

namespace examguard::console {
namespace {

namespace fs = std::filesystem;
using station::SeatState;

const fs::path kDemo = fs::path(EXAMGUARD_BINARY_DIR) / "console-screens-demo";

class ScreensTest : public ::testing::TestWithParam<const char*> {
protected:
    static void SetUpTestSuite() {
        fs::remove_all(kDemo);
        QProcess demo;
        demo.start(EXAMGUARD_CLI, {"demo", "--out", QString::fromStdString(kDemo.string())});
        ASSERT_TRUE(demo.waitForFinished(600000));
        ASSERT_EQ(demo.exitCode(), 0) << demo.readAllStandardError().toStdString();
        std::ifstream in(kDemo / "summary.json");
        s_summary = nlohmann::json::parse(in);
    }
    static void TearDownTestSuite() { fs::remove_all(kDemo); }

    void SetUp() override {
        ASSERT_TRUE(installLanguage(*qApp, GetParam()));
        auto st = station::Station::open(options());
        ASSERT_TRUE(st) << st.error().detail;
        m_station.emplace(std::move(*st));
        auto sitting = m_station->db().prepare(
            "SELECT id FROM sitting WHERE subject = 'theory' AND round = 'main'");
        ASSERT_TRUE(*sitting->step());
        m_sitting = sitting->columnInt(0);
    }

    // The desk as it stands at the entrance twenty minutes before the demo's theory sitting
    // (08:40 in Jinan on 2026-11-25), whatever day the test runs: seats not yet checked in are
    // still to be called, not absent.
    static station::StationOptions options() {
        static const station::ManualClock clock(
            std::chrono::sys_days(std::chrono::year(2026) / 11 / 25) + std::chrono::minutes(40));
        return {.databasePath = kDemo / "station.db", .clock = &clock};
    }

    void save(QWidget& w, const char* screen) {
        const QString dir = QStringLiteral(EXAMGUARD_BINARY_DIR "/console-screenshots/xvfb");
        QDir().mkpath(dir);
        const QString file = QStringLiteral("%1/%2-%3.png").arg(dir, screen, GetParam());
        ASSERT_TRUE(w.grab().save(file)) << file.toStdString();
    }

    static nlohmann::json s_summary;
    std::optional<station::Station> m_station;
    std::int64_t m_sitting = 0;
};

nlohmann::json ScreensTest::s_summary;

TEST_P(ScreensTest, EachMainScreenShowsTheDemoPeriod) {
    ASSERT_EQ(QGuiApplication::platformName(), "xcb") << "run under Xvfb (ctest does)";
    Session session;
    session.login = QStringLiteral("demo");
    session.role = station::Role::Admin;
    session.demo = true;
    MainWindow window(*m_station, options(), session);
    ASSERT_TRUE(window.selectSitting(m_sitting));
    window.resize(1366, 768);
    window.show();
    ASSERT_TRUE(QTest::qWaitForWindowExposed(&window));
    QTabWidget* tabs = window.tabs();

    // Check-in desk, waiting for the first card.
    tabs->setCurrentWidget(window.desk());
    EXPECT_FALSE(window.desk()->statusShown().isEmpty());
    save(window, "checkin-desk");

    // Seat map: each of the demo's check-ins colours its seat by its decision.
    tabs->setCurrentIndex(1);
    std::map<std::string, SeatState> byMaskedId;
    for (const auto& s : window.seatModel()->seats()) {
        byMaskedId[s.idNumberMasked] = s.state;
    }
    ASSERT_EQ(s_summary["checkins"].size(), 3U);
    for (const auto& c : s_summary["checkins"]) {
        const auto id = c["id_number"].get<std::string>();
        ASSERT_TRUE(byMaskedId.count(id)) << id;
        EXPECT_EQ(byMaskedId[id],
                  c["decision"] == "pass" ? SeatState::CheckedIn : SeatState::Refused)
            << c["case"];
    }
    save(window, "seat-map");

    // Camera wall: the room's filed cameras; the demo names no stream, and the tiles say how
    // to give one.
    CameraWall* wall = window.cameraWall();
    tabs->setCurrentWidget(wall);
    // Loaded on the station thread since the sitting was chosen.
    ASSERT_TRUE(QTest::qWaitFor([&] { return wall->tiles().size() == 2; }, 20000));
    for (auto* tile : wall->tiles()) {
        EXPECT_TRUE(tile->problemShown().contains("monitor_config"))
            << tile->problemShown().toStdString();
    }
    save(window, "camera-wall");

    // Timeline: the three check-ins are there, and choosing one shows its details.
    Timeline* timeline = window.timeline();
    QSignalSpy timelineLoaded(timeline, &Timeline::loaded);
    tabs->setCurrentWidget(timeline);
    timeline->refresh();
    ASSERT_TRUE(QTest::qWaitFor([&] { return timeline->model()->rowCount() > 0; }, 20000));
    int checkins = 0;
    const bool zh = QString(GetParam()) == "zh_CN";
    for (int r = 0; r < timeline->model()->rowCount(); ++r) {
        if (timeline->model()->entry(r).kind != "checkin.attempt") {
            continue;
        }
        ++checkins;
        // Event names and summaries in the desk's language.
        EXPECT_EQ(timeline->model()->index(r, TimelineModel::Kind).data().toString(),
                  zh ? QStringLiteral("人证核验") : QStringLiteral("identity check"));
        EXPECT_TRUE(timeline->model()
                        ->index(r, TimelineModel::Summary)
                        .data()
                        .toString()
                        .startsWith(zh ? QStringLiteral("座位 A0") : QStringLiteral("seat A0")));
    }
    EXPECT_GE(checkins, 3);
    QSignalSpy evidence(timeline, &Timeline::evidenceShown);
    timeline->select(timeline->filter()->rowCount() - 1);
    ASSERT_TRUE(evidence.count() > 0 || evidence.wait(20000));
    EXPECT_FALSE(timeline->detailShown().isEmpty());
    save(window, "timeline");

    // LAN: the filed machines and the demo audit's findings.
    LanPanel* lan = window.lanPanel();
    QSignalSpy lanLoaded(lan, &LanPanel::loaded);
    tabs->setCurrentWidget(lan);
    ASSERT_TRUE(lanLoaded.wait(20000));
    EXPECT_EQ(static_cast<std::size_t>(lan->findings()->rowCount()),
              s_summary["netaudit"]["findings"].size());
    EXPECT_EQ(lan->machines()->rowCount(), s_summary["import"]["machines"].get<int>());
    save(window, "lan");

    tabs->setCurrentWidget(window.closeSitting());
    EXPECT_FALSE(window.closeSitting()->busy());
    save(window, "close");

    // Archives: the demo's sealed archive verifies against the station's certificate.
    ArchiveViewer* viewer = window.archiveViewer();
    QSignalSpy verified(viewer, &ArchiveViewer::verified);
    tabs->setCurrentWidget(viewer);
    viewer->openArchive(
        QString::fromStdString(s_summary["archive"]["path"].get<std::string>()),
        QString::fromStdString(s_summary["archive"]["certificate"].get<std::string>()));
    ASSERT_TRUE(verified.wait(60000));
    EXPECT_EQ(viewer->failureCount(), 0) << viewer->verdictText().toStdString();
    EXPECT_TRUE(viewer->reportHtml().contains("2026-DG-011"));
    save(window, "archives");

    // The waiting-room display calls the first seats not yet checked in.
    CallDisplay* call = window.openCallDisplay();
    ASSERT_TRUE(QTest::qWaitForWindowExposed(call));
    EXPECT_TRUE(call->shownText().contains("A04")) << call->shownText().toStdString();
    EXPECT_FALSE(call->shownText().contains("A01")) << "A01 has checked in";
    save(*call, "call-display");
}

INSTANTIATE_TEST_SUITE_P(Languages, ScreensTest, ::testing::Values("zh_CN", "en"),
                         [](const auto& language) { return std::string(language.param); });

}  // namespace
}  // namespace examguard::console

int main(int argc, char** argv) {
    ::testing::InitGoogleTest(&argc, argv);
    QApplication app(argc, argv);
    return RUN_ALL_TESTS();
}
