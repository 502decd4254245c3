// The console's working screens driven as a proctor would, on a real store, with the real face
// models and a recorded camera: check-in from the card reader's drop folder to the decision and
// an override, login, the timeline with its evidence, the LAN audit of a real capture, and
// closing (scores, seal with progress, verification). Everything long runs on the station
// thread; the tests wait on the widgets' own signals.
#include <gtest/gtest.h>

#include <QAbstractItemModelTester>
#include <QDialogButtonBox>
#include <QLineEdit>
#include <QPlainTextEdit>
#include <QProgressBar>
#include <QPushButton>
#include <QSemaphore>
#include <QSignalSpy>
#include <QTableView>
#include <QTest>
#include <QTimer>

#include <fstream>
#include <opencv2/imgcodecs.hpp>
#include <opencv2/imgproc.hpp>
#include <opencv2/videoio.hpp>

#include "archive/signing.h"
#include "archive/verify.h"
#include "console/camera_wall.h"
#include "console/checkin_desk.h"
#include "console/close_sitting.h"
#include "console/lan_panel.h"
#include "console/languages.h"
#include "console/live_feed.h"
#include "console/login_dialog.h"
#include "console/main_window.h"
#include "console/override_dialog.h"
#include "console/seat_model.h"
#include "console/station_thread.h"
#include "console/timeline.h"
#include "console_fixture.h"
#include "station/timeline.h"
#include "station/users.h"

namespace examguard::console {
namespace {

namespace fs = std::filesystem;
using station::SeatState;

const fs::path kFaces = fs::path(EXAMGUARD_SHARED_DATA) / "faces" / "east-asian";
constexpr const char* kChen = "370112198010011813";  // seat A05 of the demo roster
constexpr const char* kYang = "370112197204081364";  // seat A06

fs::path face(const char* person, int index) {
    std::vector<fs::path> photos;
    for (const auto& e : fs::directory_iterator(kFaces / person)) {
        photos.push_back(e.path());
    }
    std::sort(photos.begin(), photos.end());
    return photos.at(static_cast<std::size_t>(index));
}

class ConsoleFlowTest : public ConsoleTest {
protected:
    void SetUp() override {
        ConsoleTest::SetUp();
        ASSERT_TRUE(installLanguage(app(), "en"));
        m_cards = m_dir / "idcard";
        fs::create_directories(m_cards);
        std::ofstream(m_dir / "station.toml")
            << "[id_card]\ndrop_folder = \"" << m_cards.string() << "\"\n";
    }

    // A recorded door camera: 3 s at 10 fps of one person's photo, as an MJPEG file.
    fs::path recordCamera(const fs::path& photo) {
        const cv::Mat image = cv::imread(photo.string());
        EXPECT_FALSE(image.empty()) << photo;
        cv::Mat frame;
        cv::resize(image, frame, {640, 480});
        const fs::path video = m_dir / "door-camera.avi";
        cv::VideoWriter writer(video.string(), cv::VideoWriter::fourcc('M', 'J', 'P', 'G'), 10,
                               frame.size());
        EXPECT_TRUE(writer.isOpened());
        for (int i = 0; i < 30; ++i) {
            writer.write(frame);
        }
        return video;
    }

    // What the reader's desktop tool drops when a card is placed on it.
    void placeCard(const char* idNumber, const char* name, const char* gender,
                   const fs::path& photo) {
        fs::copy_file(photo, m_cards / ("photo-" + std::string(idNumber) + ".jpg"),
                      fs::copy_options::overwrite_existing);
        const fs::path temp = m_dir / "card.json";
        std::ofstream(temp) << R"({"id_number": ")" << idNumber << R"(", "name": ")" << name
                            << R"(", "gender": ")" << gender
                            << R"(", "nation": "汉", "valid_to": "2035.01.01", "photo": "photo-)"
                            << idNumber << R"(.jpg"})";
        fs::rename(temp, m_cards / (std::string(idNumber) + ".json"));
    }

    // One number from the store; the statement ends here, so this connection holds no read
    // snapshot that would hide the station thread's later writes.
    std::int64_t queryInt(const std::string& sql, std::optional<std::int64_t> arg = {}) {
        auto stmt = m_station->db().prepare(sql);
        EXPECT_TRUE(stmt) << sql;
        if (arg) {
            stmt->bind(1, *arg);
        }
        auto row = stmt->step();
        EXPECT_TRUE(row && *row) << sql;
        return stmt->columnInt(0);
    }
    std::int64_t periodId() {
        return queryInt("SELECT period_id FROM sitting WHERE id = ?", m_sitting);
    }

    SeatState seatState(MainWindow& window, const std::string& seat) {
        for (const auto& s : window.seatModel()->seats()) {
            if (s.seat == seat) {
                return s.state;
            }
        }
        ADD_FAILURE() << "no seat " << seat;
        return SeatState::NotYet;
    }

    // Answers the next modal dialog once it is open.
    static void whenDialogOpens(std::function<void(QWidget*)> answer) {
        QTimer::singleShot(0, [answer] {
            QWidget* dialog = QApplication::activeModalWidget();
            ASSERT_NE(dialog, nullptr);
            answer(dialog);
        });
    }

    fs::path m_cards;
};

TEST_F(ConsoleFlowTest, DeskChecksInFromTheCardReaderAndARecordedCameraThenOverrides) {
    MainWindow window(*m_station, options(), proctor());
    ASSERT_TRUE(window.selectSitting(m_sitting));
    window.resize(1280, 800);
    window.show();
    QApplication::setActiveWindow(&window);
    ASSERT_TRUE(QTest::qWaitForWindowActive(&window));
    CheckinDesk* desk = window.desk();
    ASSERT_EQ(window.tabs()->currentWidget(), desk);
    ASSERT_TRUE(desk->setChallenge("none"));
    EXPECT_FALSE(desk->setChallenge("blink,jump"));
    ASSERT_TRUE(desk->setChallenge("none"));
    desk->setLiveSource(QString::fromStdString(recordCamera(face("nuaa_client_0010", 1)).string()));
    QSignalSpy frames(desk->feed(), &LiveFeed::frameReady);
    ASSERT_TRUE(frames.wait(20000)) << "no preview frame from the recorded camera";

    // The queue calls A05 first: A01-A04 already came.
    // 1. The genuine candidate: card with their photo, the live face of the same person.
    QSignalSpy cardRead(desk, &CheckinDesk::cardRead);
    QSignalSpy checkedIn(desk, &CheckinDesk::checkedIn);
    placeCard(kChen, "陈杰", "男", face("nuaa_client_0010", 0));
    ASSERT_TRUE(cardRead.wait(20000)) << "the drop folder's card never reached the desk";
    EXPECT_TRUE(fs::exists(m_cards / "processed"));
    ASSERT_TRUE(QTest::qWaitFor([&] { return desk->cardShown().contains("A05"); }, 20000))
        << desk->cardShown().toStdString();
    EXPECT_TRUE(desk->cardShown().contains("370112********1813"));
    EXPECT_FALSE(desk->cardShown().contains(kChen)) << "the full ID number is never shown";
    desk->setFocus();
    QTest::keyClick(desk, Qt::Key_F5);
    EXPECT_TRUE(desk->busy());
    ASSERT_TRUE(checkedIn.wait(180000)) << desk->statusShown().toStdString();
    EXPECT_EQ(desk->decisionShown(), "PASS") << desk->statusShown().toStdString();
    EXPECT_EQ(seatState(window, "A05"), SeatState::CheckedIn);
    {
        auto row = m_station->db().prepare(
            "SELECT k.decision, k.attempted_by FROM checkin k JOIN enrollment e ON e.candidate_id "
            "= k.candidate_id WHERE e.seat = 'A05'");
        ASSERT_TRUE(*row->step());
        EXPECT_EQ(row->columnText(0), "pass");
        EXPECT_EQ(row->columnText(1), "proctor1");
    }  // the statement ends: no read snapshot held while the station thread writes
    QWidget* deskPage = desk;
    screenshot(*deskPage, "checkin-desk-en");

    // 2. Someone else's card (A06's, another person's photo) with the same face at the door, the
    // proxy sign-in the regulation names: refused, and the impersonation search names A05, who
    // checked in with this face. The proctor overrides with a reason, which the dialog insists
    // on; the seat stays marked as an alert for the inspector.
    QTest::keyClick(desk, Qt::Key_Escape);
    placeCard(kYang, "杨静", "女", face("nuaa_client_0012", 0));
    ASSERT_TRUE(cardRead.wait(20000));
    ASSERT_TRUE(QTest::qWaitFor([&] { return desk->cardShown().contains("A06"); }, 20000));
    QTest::keyClick(desk, Qt::Key_Return);
    ASSERT_TRUE(checkedIn.wait(180000)) << desk->statusShown().toStdString();
    EXPECT_EQ(desk->decisionShown(), "REFUSED");
    EXPECT_TRUE(desk->detailsShown().contains("ALERT: the face matches candidate"))
        << desk->detailsShown().toStdString();
    EXPECT_TRUE(desk->detailsShown().contains("370112********1813 (earlier live capture"))
        << desk->detailsShown().toStdString();
    EXPECT_EQ(seatState(window, "A06"), SeatState::Alert);
    const auto refusedId = desk->lastCheckinId();
    ASSERT_TRUE(refusedId);

    QSignalSpy overridden(desk, &CheckinDesk::overridden);
    bool okDisabledWithoutReason = false;
    whenDialogOpens([&](QWidget* dialog) {
        auto* box = dialog->findChild<QDialogButtonBox*>();
        auto* reason = dialog->findChild<QPlainTextEdit*>("overrideReason");
        ASSERT_TRUE(box && reason);
        okDisabledWithoutReason = !box->button(QDialogButtonBox::Ok)->isEnabled();
        QTest::keyClicks(reason, "   ");
        okDisabledWithoutReason =
            okDisabledWithoutReason && !box->button(QDialogButtonBox::Ok)->isEnabled();
        QTest::keyClicks(reason, "Twin sister; verified by the chief proctor");
        box->button(QDialogButtonBox::Ok)->click();
    });
    QTest::keyClick(desk, Qt::Key_F6);
    ASSERT_TRUE(overridden.count() > 0 || overridden.wait(20000));
    EXPECT_TRUE(okDisabledWithoutReason);
    EXPECT_TRUE(desk->decisionShown().startsWith("PASS")) << desk->decisionShown().toStdString();
    EXPECT_EQ(seatState(window, "A06"), SeatState::Alert);
    {
        auto row = m_station->db().prepare(
            "SELECT override_decision, override_reason FROM checkin WHERE id = ?");
        row->bind(1, *refusedId);
        ASSERT_TRUE(*row->step());
        EXPECT_EQ(row->columnText(0), "pass");
        EXPECT_EQ(row->columnText(1), "Twin sister; verified by the chief proctor");
    }

    // A broken card file is set aside with its reason, never retried or half-read.
    std::ofstream(m_cards / "broken.json") << R"({"id_number": "1234")";
    ASSERT_TRUE(
        QTest::qWaitFor([&] { return fs::exists(m_cards / "rejected" / "broken.json"); }, 20000));
}

TEST_F(ConsoleFlowTest, LoginChecksThePasswordOffTheGuiThreadAndSaysWhatWentWrong) {
    station::UserStore users(*m_station);
    ASSERT_TRUE(users.add("wang.proctor", station::Role::Proctor, "correct horse 9", "test"));
    StationThread worker(options());
    LoginDialog dialog(worker);
    QSignalSpy attempted(&dialog, &LoginDialog::attempted);
    auto* login = dialog.findChild<QLineEdit*>("login");
    auto* password = dialog.findChild<QLineEdit*>("password");
    ASSERT_TRUE(login && password);
    dialog.show();
    QTest::keyClicks(login, "wang.proctor");
    QTest::keyClicks(password, "wrong password");
    QTest::keyClick(password, Qt::Key_Return);
    ASSERT_TRUE(attempted.wait(30000));
    EXPECT_EQ(dialog.errorShown(), "Wrong user name or password.");
    EXPECT_EQ(dialog.result(), QDialog::Rejected);
    EXPECT_TRUE(password->text().isEmpty()) << "a failed password is not left in the field";
    QTest::keyClicks(password, "correct horse 9");
    QTest::keyClick(password, Qt::Key_Return);
    ASSERT_TRUE(attempted.wait(30000));
    EXPECT_EQ(dialog.result(), QDialog::Accepted) << dialog.errorShown().toStdString();
    EXPECT_EQ(dialog.session().login, "wang.proctor");
    EXPECT_EQ(dialog.session().role, station::Role::Proctor);
    EXPECT_TRUE(dialog.session().userId.has_value());
}

TEST_F(ConsoleFlowTest, CameraWallShowsTheRoomsCamerasLiveWithBadgesEnlargesAndKeepsASnapshot) {
    // The camera service's settings name T1-FRONT's stream (here a real recording standing in
    // for the camera); T1-BACK has no address the console can open.
    const fs::path clip =
        fs::path(EXAMGUARD_SHARED_DATA) / "video" / "one-by-one-person-detection.mp4";
    std::ofstream(m_dir / "monitor.toml")
        << "[recording]\ndirectory = \"rec\"\n\n[[camera]]\ncode = \"T1-FRONT\"\nroom = \"T1\"\n"
           "url = \""
        << clip.string() << "\"\n";
    std::ofstream(m_dir / "station.toml", std::ios::app)
        << "\n[cameras]\nmonitor_config = \"" << (m_dir / "monitor.toml").string() << "\"\n";
    // The camera service flagged T1-BACK as covered, still going on.
    {
        auto stmt = m_station->db().prepare(
            "INSERT INTO camera_event (camera_id, sitting_id, kind, start_at, end_at, confidence) "
            "SELECT id, ?, 'covered', '2026-11-24T23:58:00.000Z', NULL, 0.9 FROM camera WHERE "
            "code = 'T1-BACK'");
        stmt->bind(1, m_sitting);
        ASSERT_TRUE(stmt->run());
    }

    MainWindow window(*m_station, options(), proctor());
    ASSERT_TRUE(window.selectSitting(m_sitting));
    window.resize(1280, 800);
    CameraWall* wall = window.cameraWall();
    QSignalSpy loaded(wall, &CameraWall::camerasLoaded);
    QSignalSpy badges(wall, &CameraWall::badgesUpdated);
    window.show();
    QApplication::setActiveWindow(&window);
    ASSERT_TRUE(QTest::qWaitForWindowActive(&window));
    window.tabs()->setCurrentWidget(wall);
    ASSERT_TRUE(loaded.count() > 0 || loaded.wait(20000));
    ASSERT_EQ(wall->tiles().size(), 2U);
    CameraTile* back = wall->tiles()[0];
    CameraTile* front = wall->tiles()[1];
    ASSERT_EQ(back->camera().code, "T1-BACK");
    ASSERT_EQ(front->camera().code, "T1-FRONT");
    EXPECT_TRUE(back->problemShown().contains("monitor_config"))
        << back->problemShown().toStdString();
    ASSERT_NE(front->feed(), nullptr);
    QSignalSpy frames(front->feed(), &LiveFeed::frameReady);
    ASSERT_TRUE(frames.wait(20000)) << front->problemShown().toStdString();
    ASSERT_TRUE(QTest::qWaitFor([&] { return !back->badgeShown().isEmpty(); }, 20000));
    EXPECT_EQ(back->badgeShown(), "covered");
    EXPECT_TRUE(front->badgeShown().isEmpty());
    screenshot(window, "camera-wall-en");

    // Enlarge from the keyboard, then a snapshot with F9: stored encrypted, on the timeline.
    front->setFocus();
    QTest::keyClick(front, Qt::Key_Return);
    ASSERT_EQ(wall->enlarged(), front);
    QSignalSpy stored(wall, &CameraWall::snapshotStored);
    QTest::keyClick(wall, Qt::Key_F9);
    ASSERT_TRUE(stored.wait(20000)) << wall->statusShown().toStdString();
    ASSERT_TRUE(stored.front().front().toBool()) << wall->statusShown().toStdString();
    EXPECT_TRUE(wall->statusShown().contains("T1-FRONT")) << wall->statusShown().toStdString();
    auto entries = station::sittingTimeline(*m_station, m_sitting);
    ASSERT_TRUE(entries);
    ASSERT_FALSE(entries->empty());
    const auto& last = entries->back();
    EXPECT_EQ(last.kind, "camera.snapshot");
    EXPECT_EQ(last.actor, "proctor1");
    auto evidence = station::timelineEvidence(*m_station, last);
    ASSERT_TRUE(evidence) << evidence.error().detail;
    const cv::Mat still = cv::imdecode(evidence->snapshot, cv::IMREAD_COLOR);
    EXPECT_EQ(still.cols, 768) << "the snapshot keeps the camera's full resolution";
    EXPECT_EQ(queryInt("SELECT count(*) FROM camera_event WHERE kind = 'proctor_snapshot' AND "
                       "instr(snapshot, 'JFIF') = 0"),
              1)
        << "the stored picture is encrypted";
    QTest::keyClick(wall, Qt::Key_Escape);
    EXPECT_EQ(wall->enlarged(), nullptr);

    // Leaving the tab stops decoding.
    window.tabs()->setCurrentWidget(window.timeline());
    EXPECT_EQ(front->feed(), nullptr);
}

TEST_F(ConsoleFlowTest, TimelineListsTheSittingsEventsFiltersThemAndShowsTheirEvidence) {
    // Events of this sitting, of another sitting, and a period-wide one.
    const std::int64_t otherSitting =
        queryInt("SELECT id FROM sitting WHERE id <> ? LIMIT 1", m_sitting);
    const std::int64_t periodId = this->periodId();
    ASSERT_TRUE(m_station->log().appendNow(
        {"proctor1", "checkin.attempt", periodId, {{"sitting_id", m_sitting}, {"seat", "A01"}}}));
    ASSERT_TRUE(m_station->log().appendNow({"proctor2",
                                            "checkin.attempt",
                                            periodId,
                                            {{"sitting_id", otherSitting}, {"seat", "B09"}}}));
    ASSERT_TRUE(m_station->log().appendNow(
        {"admin", "netaudit.audit", periodId, {{"packets", 120}, {"source", "lan.pcap"}}}));

    StationThread worker(options());
    Timeline timeline(worker);
    QAbstractItemModelTester tester(timeline.model(),
                                    QAbstractItemModelTester::FailureReportingMode::Fatal);
    QSignalSpy loaded(&timeline, &Timeline::loaded);
    timeline.setSitting(m_sitting);
    ASSERT_TRUE(loaded.wait(20000));
    auto kinds = [&] {
        QStringList out;
        for (int r = 0; r < timeline.filter()->rowCount(); ++r) {
            // The code is the tooltip; the cell shows the event's name.
            out << timeline.filter()
                           ->index(r, TimelineModel::Kind)
                           .data(Qt::ToolTipRole)
                           .toString() +
                       "/" + timeline.filter()->index(r, TimelineModel::Actor).data().toString();
        }
        return out;
    };
    EXPECT_TRUE(kinds().contains("checkin.attempt/proctor1")) << kinds().join(",").toStdString();
    EXPECT_EQ(timeline.filter()->index(0, TimelineModel::Kind).data().toString(),
              "exam period imported");
    EXPECT_TRUE(kinds().contains("netaudit.audit/admin"));
    EXPECT_FALSE(kinds().contains("checkin.attempt/proctor2")) << "another sitting's event";
    const int all = timeline.filter()->rowCount();

    // Only what was logged since comes on the next refresh.
    ASSERT_TRUE(m_station->log().appendNow({"proctor1",
                                            "checkin.override",
                                            periodId,
                                            {{"sitting_id", m_sitting},
                                             {"seat", "A04"},
                                             {"checkin_id", 4},
                                             {"id_number", "370105********9397"},
                                             {"decision", "review"},
                                             {"override", "pass"},
                                             {"reason", "photo 12 years old"}}}));
    timeline.refresh();
    ASSERT_TRUE(loaded.wait(20000));
    EXPECT_EQ(timeline.filter()->rowCount(), all + 1);

    timeline.filter()->setCategory("lan");
    EXPECT_EQ(kinds(), QStringList{"netaudit.audit/admin"});
    timeline.filter()->setCategory({});
    timeline.filter()->setFilterFixedString("A04");
    EXPECT_EQ(kinds(), QStringList{"checkin.override/proctor1"});
    // The summary reads as words, not codes.
    EXPECT_EQ(timeline.filter()->index(0, TimelineModel::Summary).data().toString(),
              "seat A04 · check-in 4 (370105********9397): PROCTOR REVIEW → PASS · reason: photo "
              "12 years old");

    QSignalSpy evidence(&timeline, &Timeline::evidenceShown);
    timeline.select(0);
    ASSERT_TRUE(evidence.wait(20000));
    EXPECT_TRUE(timeline.detailShown().contains("\"seat\": \"A04\""))
        << timeline.detailShown().toStdString();
    timeline.resize(1100, 600);
    screenshot(timeline, "timeline-en");
}

TEST_F(ConsoleFlowTest, LanPanelAuditsARealCaptureAgainstTheFiledMachines) {
    StationThread worker(options());
    LanPanel panel(worker);
    panel.setActor("admin1");
    QAbstractItemModelTester findingTester(panel.findings(),
                                           QAbstractItemModelTester::FailureReportingMode::Fatal);
    QAbstractItemModelTester machineTester(panel.machines(),
                                           QAbstractItemModelTester::FailureReportingMode::Fatal);
    QSignalSpy loaded(&panel, &LanPanel::loaded);
    QSignalSpy finished(&panel, &LanPanel::auditFinished);
    panel.setPeriod(periodId());
    ASSERT_TRUE(loaded.wait(20000));
    EXPECT_EQ(panel.findings()->rowCount(), 0);
    const int filed = panel.machines()->rowCount();
    ASSERT_GT(filed, 0);
    EXPECT_EQ(panel.machines()->index(0, MachineModel::Seen).data().toString(), "not audited yet");

    panel.auditCaptureFile(QString::fromStdString(
        (fs::path(EXAMGUARD_SOURCE_DIR) / "schemas/examples/demo-period/demo-lan.pcap").string()));
    EXPECT_TRUE(panel.auditing());
    ASSERT_TRUE(finished.wait(60000));
    ASSERT_TRUE(finished.takeFirst().at(0).toBool()) << panel.statusShown().toStdString();
    ASSERT_TRUE(loaded.wait(20000));
    // The demo capture holds remote-control traffic and an unfiled device.
    const auto stored = queryInt("SELECT count(*) FROM lan_finding");
    ASSERT_GT(stored, 0) << panel.statusShown().toStdString();
    EXPECT_EQ(panel.findings()->rowCount(), stored);
    QStringList kinds;
    for (int r = 0; r < panel.findings()->rowCount(); ++r) {
        kinds << panel.findings()->index(r, FindingModel::Kind).data().toString();
    }
    EXPECT_TRUE(kinds.contains("remote-control software")) << kinds.join(",").toStdString();
    int seen = 0;
    for (int r = 0; r < filed; ++r) {
        seen += panel.machines()->index(r, MachineModel::Seen).data().toString() == "seen";
    }
    EXPECT_GT(seen, 0);

    // A panel opened later (another desk, the next day) shows what that audit saw.
    LanPanel later(worker);
    QSignalSpy laterLoaded(&later, &LanPanel::loaded);
    later.setPeriod(periodId());
    ASSERT_TRUE(laterLoaded.wait(20000));
    for (int r = 0; r < filed; ++r) {
        EXPECT_EQ(later.machines()->index(r, MachineModel::Seen).data().toString(),
                  panel.machines()->index(r, MachineModel::Seen).data().toString())
            << "row " << r;
    }
    {
        auto logged = m_station->db().prepare(
            "SELECT actor FROM event_log WHERE kind = 'netaudit.audit' ORDER BY seq DESC LIMIT 1");
        ASSERT_TRUE(*logged->step());
        EXPECT_EQ(logged->columnText(0), "admin1");
    }
    panel.resize(1100, 650);
    screenshot(panel, "lan-panel-en");

    // A capture that is not one: a clear error, nothing stored.
    std::ofstream(m_dir / "garbage.pcap") << "not a capture at all";
    panel.auditCaptureFile(QString::fromStdString((m_dir / "garbage.pcap").string()));
    ASSERT_TRUE(finished.wait(60000));
    EXPECT_FALSE(finished.takeFirst().at(0).toBool());
    EXPECT_TRUE(panel.statusShown().contains("garbage.pcap")) << panel.statusShown().toStdString();
    EXPECT_EQ(queryInt("SELECT count(*) FROM lan_finding"), stored);
    EXPECT_EQ(panel.findings()->rowCount(), stored);
}

TEST_F(ConsoleFlowTest, CloseImportsScoresSealsWithProgressAndShowsTheVerification) {
    auto keys = archive::initStationKeys(m_station->keys().directory(),
                                         {"ExamGuard test station", "Test site", 3650, false});
    ASSERT_TRUE(keys) << keys.error().detail;
    StationThread worker(options());
    CloseSitting close(worker);
    close.setActor("proctor1");
    close.setSitting(m_sitting, "2026-DG-011");
    QSignalSpy imported(&close, &CloseSitting::scoresImported);
    QSignalSpy sealed(&close, &CloseSitting::sealed);

    // A bad row stores nothing and names its line and field.
    std::ofstream(m_dir / "bad.csv")
        << "准考证号,成绩,是否合格\n2026110001,88,是\n2026110002,abc,否\n";
    close.importScores(QString::fromStdString((m_dir / "bad.csv").string()));
    ASSERT_TRUE(imported.wait(20000));
    EXPECT_FALSE(imported.takeFirst().at(0).toBool());
    EXPECT_TRUE(close.statusShown().contains("bad.csv:3 points"))
        << close.statusShown().toStdString();
    EXPECT_EQ(queryInt("SELECT count(*) FROM score"), 0);

    std::ofstream(m_dir / "scores.csv")
        << "exam_number,points,passed,absent\n2026110001,88,yes,\n2026110002,52,no,\n"
           "2026110004,,no,yes\n";
    close.importScores(QString::fromStdString((m_dir / "scores.csv").string()));
    ASSERT_TRUE(imported.wait(20000));
    EXPECT_TRUE(imported.takeFirst().at(0).toBool()) << close.statusShown().toStdString();
    EXPECT_EQ(close.statusShown(), "3 scores stored (1 passed, 1 absent).");

    // The room record: the button waits for text; the note goes into the log and the archive.
    QSignalSpy noted(&close, &CloseSitting::noteAdded);
    auto* addNote = close.findChild<QPushButton*>("addRoomNote");
    ASSERT_NE(addNote, nullptr);
    EXPECT_FALSE(addNote->isEnabled());
    QTest::keyClicks(close.noteEditor(), "A07 left early at 10:12 after handing in");
    ASSERT_TRUE(addNote->isEnabled());
    addNote->click();
    ASSERT_TRUE(noted.wait(20000));
    EXPECT_TRUE(noted.takeFirst().at(0).toBool()) << close.statusShown().toStdString();
    EXPECT_TRUE(close.noteEditor()->toPlainText().isEmpty());

    std::vector<int> progress;
    const fs::path archive = m_dir / "archive-2026-DG-011.zip";
    // Every value the bar takes, as it takes it.
    auto* bar = close.findChild<QProgressBar*>();
    ASSERT_NE(bar, nullptr);
    QObject::connect(bar, &QProgressBar::valueChanged, [&](int v) { progress.push_back(v); });
    close.seal(QString::fromStdString(archive.string()));
    EXPECT_TRUE(close.busy());
    ASSERT_TRUE(sealed.wait(120000));
    EXPECT_TRUE(sealed.takeFirst().at(0).toBool()) << close.verdictShown().toStdString();
    EXPECT_EQ(close.progressShown(), 100);
    EXPECT_TRUE(std::any_of(progress.begin(), progress.end(), [](int p) {
        return p > 0 && p < 100;
    })) << "the bar moved through the stages";
    EXPECT_TRUE(close.verdictShown().startsWith("Verification: VALID"));
    EXPECT_TRUE(fs::exists(archive));
    {
        auto report = archive::verifyArchive(archive, {});
        ASSERT_TRUE(report) << report.error().detail;
        const std::string reports = report->kept["data/reports/record-reports.json"];
        EXPECT_NE(reports.find("A07 left early at 10:12 after handing in"), std::string::npos)
            << reports;
    }
    close.resize(1000, 500);
    screenshot(close, "close-en");

    // Cancelled before it starts writing: no archive, the old one untouched. The station
    // thread is held by a job of the test's own until the cancel has been pressed; a small
    // period seals in milliseconds, and would otherwise be finished before the click.
    const auto before = fs::file_size(archive);
    const fs::path second = m_dir / "second.zip";
    QSemaphore hold;
    worker.post<int>(
        &close,
        [&hold](StationContext&) {
            hold.acquire();
            return 0;
        },
        [](int) {});
    close.seal(QString::fromStdString(second.string()));
    close.cancel();
    hold.release();
    ASSERT_TRUE(sealed.wait(120000));
    EXPECT_FALSE(sealed.takeFirst().at(0).toBool());
    EXPECT_TRUE(close.statusShown().contains("cancelled")) << close.statusShown().toStdString();
    EXPECT_FALSE(fs::exists(second));
    EXPECT_EQ(fs::file_size(archive), before);
}

}  // namespace
}  // namespace examguard::console
