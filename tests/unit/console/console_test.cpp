// The console on a real station store holding the demo period, under Qt's offscreen platform:
// the seat model checked by QAbstractItemModelTester, the main window and the waiting-room
// display in zh_CN and en_US, and the archive viewer verifying a real sealed archive off the
// GUI thread. Each screen is saved as PNG under the build tree for people to look at.
#include <gtest/gtest.h>

#include <QAbstractItemModelTester>
#include <QApplication>
#include <QDir>
#include <QFile>
#include <QSignalSpy>
#include <QTabWidget>
#include <QTest>

#include <fstream>

#include "archive/seal.h"
#include "archive/signing.h"
#include "console/archive_viewer.h"
#include "console/call_announcer.h"
#include "console/call_display.h"
#include "console/languages.h"
#include "console/main_window.h"
#include "console/seat_map.h"
#include "console/seat_model.h"
#include "console/session.h"
#include "console_fixture.h"

namespace examguard::console {
namespace {

namespace fs = std::filesystem;
using station::SeatState;

class QtEnvironment : public ::testing::Environment {
public:
    void SetUp() override {
        qputenv("QT_QPA_PLATFORM", "offscreen");
        static int argc = 1;
        static char name[] = "console_tests";
        static char* argv[] = {name, nullptr};
        m_app = std::make_unique<QApplication>(argc, argv);
    }
    void TearDown() override { m_app.reset(); }

private:
    std::unique_ptr<QApplication> m_app;
};
const auto* const kQt = ::testing::AddGlobalTestEnvironment(new QtEnvironment);

TEST_F(ConsoleTest, SeatModelPassesTheModelTesterThroughRefreshes) {
    SeatModel model;
    QAbstractItemModelTester tester(&model, QAbstractItemModelTester::FailureReportingMode::Fatal);
    auto seats = station::seatStatuses(m_station->db(), m_sitting, m_clock.now());
    ASSERT_TRUE(seats);
    model.setSeats(*seats);
    ASSERT_EQ(model.rowCount(), 12);
    attempt("A05", "pass");
    seats = station::seatStatuses(m_station->db(), m_sitting, m_clock.now());
    model.setSeats(*seats);  // same seats: dataChanged, not a reset
    EXPECT_EQ(model.count(SeatState::CheckedIn), 3);
    model.setSeats({});
    EXPECT_EQ(model.rowCount(), 0);
    // The ID column never shows a full number.
    model.setSeats(*seats);
    for (int row = 0; row < model.rowCount(); ++row) {
        const QString id = model.index(row, SeatModel::IdNumber).data().toString();
        EXPECT_TRUE(id.contains('*')) << id.toStdString();
    }
}

class ConsoleLanguageTest : public ConsoleTest,
                            public ::testing::WithParamInterface<const char*> {};

TEST_P(ConsoleLanguageTest, MainWindowSeatMapAndCallDisplayShowTheSitting) {
    const QString lang = GetParam();
    ASSERT_TRUE(installLanguage(app(), lang));
    const bool zh = lang == "zh_CN";
    MainWindow window(*m_station, options(), proctor());
    ASSERT_TRUE(window.selectSitting(m_sitting));
    window.show();
    auto* model = window.seatModel();
    ASSERT_EQ(model->rowCount(), 12);
    EXPECT_EQ(model->count(SeatState::CheckedIn), 2);
    EXPECT_EQ(model->count(SeatState::Refused), 1);
    EXPECT_EQ(model->count(SeatState::Review), 1);
    EXPECT_EQ(model->count(SeatState::NotYet), 8);
    EXPECT_EQ(model->index(0, SeatModel::State).data().toString(),
              zh ? QStringLiteral("已签到") : QStringLiteral("Checked in"));
    EXPECT_EQ(model->index(1, SeatModel::State).data().toString(),
              zh ? QStringLiteral("已拒绝") : QStringLiteral("Refused"));
    EXPECT_TRUE(window.summaryText().contains(zh ? QStringLiteral("已签到 2")
                                                 : QStringLiteral("2 checked in")))
        << window.summaryText().toStdString();
    EXPECT_EQ(window.windowTitle(), zh ? QStringLiteral("ExamGuard 监考台 — proctor1")
                                       : QStringLiteral("ExamGuard monitor desk — proctor1"));
    screenshot(window, "seat-map-" + lang);

    // Clicking a seat shows its details: state, masked ID, the latest reason.
    window.tabs()->setCurrentIndex(1);
    SeatMap* map = window.seatMap();
    const QModelIndex a02 = model->index(1, 0);
    QTest::mouseClick(map->viewport(), Qt::LeftButton, {}, map->visualRect(a02).center());
    const QString details = window.seatDetailsShown();
    EXPECT_TRUE(details.contains(zh ? QStringLiteral("座位 A02") : QStringLiteral("Seat A02")))
        << details.toStdString();
    EXPECT_TRUE(details.contains(zh ? QStringLiteral("已拒绝") : QStringLiteral("Refused")))
        << details.toStdString();
    EXPECT_TRUE(details.contains('*')) << "the ID number is masked";

    // The waiting room calls the next not-yet seats: A05 onwards, never names or ID numbers.
    CallDisplay* call = window.openCallDisplay();
    const QString shown = call->shownText();
    EXPECT_TRUE(shown.contains(zh ? QStringLiteral("座位 A05") : QStringLiteral("Seat A05")))
        << shown.toStdString();
    EXPECT_FALSE(shown.contains(QStringLiteral("A04")));
    EXPECT_FALSE(shown.contains('*'));
    screenshot(*call, "call-display-" + lang);

    // The spoken call, synthesised by espeak-ng into WAV files here: the head of the list is
    // called by exam number and seat, read character by character, in the desk's language.
    QSignalSpy spoken(call->announcer(), &CallAnnouncer::spoken);
    call->announcer()->setWaveDirectory(QString::fromStdString((m_dir / "calls").string()));
    window.setSpokenCall(true);
    ASSERT_TRUE(spoken.wait(30000));
    const auto first = spoken.takeFirst();
    EXPECT_TRUE(first.at(1).toBool()) << first.at(2).toString().toStdString();
    EXPECT_TRUE(first.at(0).toString().contains(QStringLiteral("2 0 2 6 1 1 0 0 0 5")))
        << first.at(0).toString().toStdString();
    EXPECT_TRUE(first.at(0).toString().contains(zh ? QStringLiteral("座位是 A 0 5")
                                                   : QStringLiteral("seat is A 0 5")))
        << first.at(0).toString().toStdString();
    QFile wav(call->announcer()->lastWaveFile());
    ASSERT_TRUE(wav.open(QIODevice::ReadOnly));
    const QByteArray audio = wav.readAll();
    ASSERT_GT(audio.size(), 44 + 16000) << "at least half a second of 16-bit speech";
    EXPECT_TRUE(audio.startsWith("RIFF"));
    EXPECT_GT(audio.mid(44).count('\0'), 0);
    EXPECT_LT(audio.mid(44).count('\0'), audio.size() - 44) << "not silence";

    // A check-in arriving in the store reaches the screen on the next refresh, and the next
    // candidate is called.
    attempt("A05", "pass");
    window.refresh();
    EXPECT_EQ(model->count(SeatState::CheckedIn), 3);
    EXPECT_FALSE(call->shownText().contains(QStringLiteral("A05")));
    ASSERT_TRUE(spoken.wait(30000));
    EXPECT_TRUE(spoken.takeFirst().at(0).toString().contains(QStringLiteral("A 0 6")));
    window.setSpokenCall(false);
    call->close();
}

INSTANTIATE_TEST_SUITE_P(Languages, ConsoleLanguageTest, ::testing::Values("zh_CN", "en"));

TEST_F(ConsoleTest, ArchiveViewerVerifiesARealArchiveOffTheGuiThread) {
    ASSERT_TRUE(installLanguage(app(), "en"));
    auto keys = archive::initStationKeys(m_station->keys().directory(),
                                         {"ExamGuard test station", "Test site", 3650, false});
    ASSERT_TRUE(keys) << keys.error().detail;
    archive::SealOptions options;
    options.periodCode = "2026-DG-011";
    options.out = m_dir / "period.zip";
    auto sealed = archive::sealPeriod(*m_station, options);
    ASSERT_TRUE(sealed) << sealed.error().detail;
    const QString cert = QString::fromStdString(
        archive::KeyPaths::in(m_station->keys().directory()).certificate.string());

    ArchiveViewer viewer;
    QSignalSpy done(&viewer, &ArchiveViewer::verified);
    viewer.openArchive(QString::fromStdString(options.out.string()), cert);
    ASSERT_TRUE(done.wait(60000));
    EXPECT_TRUE(viewer.verdictText().startsWith("Archive VALID"))
        << viewer.verdictText().toStdString();
    EXPECT_EQ(viewer.failureCount(), 0);
    EXPECT_TRUE(viewer.reportHtml().contains("2026-DG-011"));
    viewer.resize(1000, 700);
    screenshot(viewer, "archive-viewer-en");

    // One byte changed: not valid, every failure listed.
    std::string bytes;
    {
        std::ifstream in(options.out, std::ios::binary);
        bytes.assign(std::istreambuf_iterator<char>(in), {});
    }
    bytes[bytes.size() / 2] = static_cast<char>(bytes[bytes.size() / 2] ^ 0x01);
    const fs::path broken = m_dir / "broken.zip";
    std::ofstream(broken, std::ios::binary) << bytes;
    viewer.openArchive(QString::fromStdString(broken.string()), cert);
    ASSERT_TRUE(done.wait(60000));
    EXPECT_TRUE(viewer.verdictText().startsWith("Archive NOT VALID"))
        << viewer.verdictText().toStdString();
    EXPECT_GE(viewer.failureCount(), 1);

    viewer.openArchive(QString::fromStdString((m_dir / "missing.zip").string()));
    ASSERT_TRUE(done.wait(60000));
    EXPECT_TRUE(viewer.verdictText().startsWith("The archive cannot be read"));
}

}  // namespace
}  // namespace examguard::console
