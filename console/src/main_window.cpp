#include "console/main_window.h"

#include <QComboBox>
#include <QDateTime>
#include <QHBoxLayout>
#include <QInputDialog>
#include <QLabel>
#include <QMenuBar>
#include <QStatusBar>
#include <QTabWidget>
#include <QTimer>
#include <QVBoxLayout>

#include "console/archive_viewer.h"
#include "console/call_display.h"
#include "console/camera_wall.h"
#include "console/checkin_desk.h"
#include "console/checkin_texts.h"
#include "console/close_sitting.h"
#include "console/lan_panel.h"
#include "console/local_time.h"
#include "console/seat_map.h"
#include "console/seat_model.h"
#include "console/station_thread.h"
#include "console/timeline.h"

namespace examguard::console {

using station::SeatState;

namespace {

constexpr int kPeriodCodeRole = Qt::UserRole + 1;
constexpr int kPeriodIdRole = Qt::UserRole + 2;

QString subjectText(const std::string& subject, const std::string& round) {
    const QString s = subject == "theory" ? MainWindow::tr("Theory") : MainWindow::tr("Practical");
    const QString r = round == "main" ? MainWindow::tr("main") : MainWindow::tr("retake");
    return MainWindow::tr("%1 (%2)").arg(s, r);
}

// Sittings and checks as the desk's local time, to the minute.
QString minuteTime(const std::string& isoUtc) {
    return localTime(isoUtc, QStringLiteral("yyyy-MM-dd HH:mm"));
}

}  // namespace

MainWindow::MainWindow(station::Station& station, const station::StationOptions& options,
                       Session session, QWidget* parent)
    : QMainWindow(parent),
      m_station(station),
      m_session(std::move(session)),
      m_worker(new StationThread(options, this)),
      m_seats(new SeatModel(this)),
      m_sitting(new QComboBox(this)),
      m_summary(new QLabel(this)),
      m_tabs(new QTabWidget(this)),
      m_map(new SeatMap(m_seats, this)),
      m_seatDetails(new QLabel(this)),
      m_archive(new ArchiveViewer(this)),
      m_desk(new CheckinDesk(*m_worker, m_seats, this)),
      m_cameras(new CameraWall(*m_worker, m_session.login, this)),
      m_timeline(new Timeline(*m_worker, this)),
      m_lan(new LanPanel(*m_worker, this)),
      m_close(new CloseSitting(*m_worker, this)),
      m_timer(new QTimer(this)) {
    setWindowTitle(m_session.demo ? tr("ExamGuard monitor desk — DEMO (sample data)")
                                  : tr("ExamGuard monitor desk — %1").arg(m_session.login));
    m_desk->setSession(m_session);
    m_lan->setActor(m_session.login);
    m_close->setActor(m_session.login);
    m_close->setArchiveDirectory(
        QString::fromStdString(options.databasePath.parent_path().string()));
    auto* central = new QWidget(this);
    auto* layout = new QVBoxLayout(central);
    auto* top = new QHBoxLayout;
    auto* sittingLabel = new QLabel(tr("&Sitting:"), central);
    sittingLabel->setBuddy(m_sitting);
    top->addWidget(sittingLabel);
    top->addWidget(m_sitting, 1);
    layout->addLayout(top);
    auto* seatPage = new QWidget(central);
    auto* seatLayout = new QVBoxLayout(seatPage);
    seatLayout->addWidget(m_summary);
    auto* seatRow = new QHBoxLayout;
    seatRow->addWidget(m_map, 1);
    m_seatDetails->setObjectName(QStringLiteral("seatDetails"));
    m_seatDetails->setTextFormat(Qt::PlainText);
    m_seatDetails->setWordWrap(true);
    m_seatDetails->setAlignment(Qt::AlignTop | Qt::AlignLeft);
    m_seatDetails->setMinimumWidth(260);
    m_seatDetails->setMaximumWidth(360);
    m_seatDetails->setText(tr("Click a seat for its details."));
    seatRow->addWidget(m_seatDetails);
    seatLayout->addLayout(seatRow, 1);
    connect(m_map, &QAbstractItemView::clicked, this, &MainWindow::showSeatDetails);
    connect(m_map, &QAbstractItemView::activated, this, &MainWindow::showSeatDetails);
    m_tabs->addTab(m_desk, tr("Check-in desk"));
    m_tabs->addTab(seatPage, tr("Seat map"));
    m_tabs->addTab(m_cameras, tr("Cameras"));
    m_tabs->addTab(m_timeline, tr("Timeline"));
    m_tabs->addTab(m_lan, tr("LAN"));
    m_tabs->addTab(m_close, tr("Close and seal"));
    m_tabs->addTab(m_archive, tr("Archives"));
    layout->addWidget(m_tabs, 1);
    setCentralWidget(central);
    applyRole();

    auto* view = menuBar()->addMenu(tr("&View"));
    view->addAction(tr("&Waiting-room display"), QKeySequence(Qt::Key_F8), this,
                    [this] { openCallDisplay(); });
    m_spokenCall = view->addAction(tr("&Spoken call in the waiting room"));
    m_spokenCall->setCheckable(true);
    connect(m_spokenCall, &QAction::toggled, this,
            [this](bool on) { openCallDisplay()->setSpoken(on); });
    view->addAction(tr("Desk &camera…"), this, &MainWindow::chooseDeskCamera);
    // Not QKeySequence::Refresh: on Linux that is F5, which the check-in desk owns; an
    // ambiguous shortcut fires neither.
    view->addAction(tr("&Refresh"), QKeySequence(Qt::CTRL | Qt::Key_R), this, &MainWindow::refresh);

    connect(m_desk, &CheckinDesk::checkedIn, this, &MainWindow::refresh);
    connect(m_desk, &CheckinDesk::overridden, this, &MainWindow::refresh);
    connect(m_lan, &LanPanel::auditFinished, this, &MainWindow::refresh);
    connect(m_close, &CloseSitting::sealed, this, &MainWindow::refresh);
    connect(m_close, &CloseSitting::scoresImported, this, &MainWindow::refresh);
    loadSittings();
    connect(m_sitting, &QComboBox::currentIndexChanged, this, &MainWindow::refresh);
    connect(m_timer, &QTimer::timeout, this, &MainWindow::refresh);
    // The LAN records are read when the panel is shown, not on every refresh.
    connect(m_tabs, &QTabWidget::currentChanged, this, [this] {
        if (m_tabs->currentWidget() == m_lan && !m_lan->auditing()) {
            m_lan->refresh();
        }
    });
    m_timer->start(2000);
    refresh();
    resize(1280, 800);
}

MainWindow::~MainWindow() {
    // Results of jobs still queued must not reach widgets being destroyed.
    m_worker->stop();
}

void MainWindow::applyRole() {
    using station::Role;
    const Role role = m_session.role;
    const bool admin = role == Role::Admin;
    const auto show = [this](QWidget* page, bool visible) {
        m_tabs->setTabVisible(m_tabs->indexOf(page), visible);
    };
    // An inspector reviews; a LAN administrator audits; a proctor runs the room.
    show(m_desk, admin || role == Role::Proctor);
    show(m_close, admin || role == Role::Proctor);
    show(m_lan, admin || role == Role::Proctor || role == Role::Sysadmin);
    show(m_cameras, admin || role == Role::Proctor);
    show(m_timeline, true);
    for (int i = 0; i < m_tabs->count(); ++i) {
        if (m_tabs->isTabVisible(i)) {
            m_tabs->setCurrentIndex(i);
            break;
        }
    }
}

std::int64_t MainWindow::currentSitting() const {
    return m_sitting->currentIndex() < 0 ? 0 : m_sitting->currentData().toLongLong();
}

void MainWindow::chooseDeskCamera() {
    bool ok = false;
    const QString source = QInputDialog::getText(
        this, tr("Desk camera"), tr("Camera device, rtsp:// address or recorded file:"),
        QLineEdit::Normal,
        m_desk->feed() != nullptr ? m_desk->feed()->source() : QStringLiteral("/dev/video0"), &ok);
    if (ok) {
        m_desk->setLiveSource(source.trimmed());
    }
}

void MainWindow::loadSittings() {
    auto stmt = m_station.db().prepare(
        "SELECT st.id, p.code, st.subject, st.round, r.name, st.planned_start, p.id FROM sitting "
        "st JOIN period p ON p.id = st.period_id JOIN room r ON r.id = st.room_id ORDER BY "
        "st.planned_start");
    if (!stmt) {
        statusBar()->showMessage(QString::fromStdString(stmt.error().detail));
        return;
    }
    (void)stmt->forEachRow([&](station::Statement& row) {
        m_sitting->addItem(
            tr("%1 · %2 · %3 · %4")
                .arg(QString::fromStdString(row.columnText(1)),
                     subjectText(row.columnText(2), row.columnText(3)),
                     QString::fromStdString(row.columnText(4)), minuteTime(row.columnText(5))),
            QVariant::fromValue<qlonglong>(row.columnInt(0)));
        m_sitting->setItemData(m_sitting->count() - 1, QString::fromStdString(row.columnText(1)),
                               kPeriodCodeRole);
        m_sitting->setItemData(m_sitting->count() - 1,
                               QVariant::fromValue<qlonglong>(row.columnInt(6)), kPeriodIdRole);
    });
}

bool MainWindow::selectSitting(std::int64_t sittingId) {
    const int i = m_sitting->findData(QVariant::fromValue<qlonglong>(sittingId));
    if (i < 0) {
        return false;
    }
    m_sitting->setCurrentIndex(i);
    refresh();
    return true;
}

void MainWindow::refresh() {
    if (m_sitting->currentIndex() < 0) {
        m_summary->setText(tr("No sitting: import an exam period first."));
        return;
    }
    const std::int64_t sitting = currentSitting();
    m_desk->setSitting(sitting);
    m_cameras->setSitting(sitting);
    m_timeline->setSitting(sitting);
    m_timeline->refresh();
    m_lan->setPeriod(m_sitting->currentData(kPeriodIdRole).toLongLong());
    if (m_tabs->currentWidget() == m_lan && !m_lan->auditing()) {
        m_lan->refresh();
    }
    m_close->setSitting(sitting, m_sitting->currentData(kPeriodCodeRole).toString());
    auto seats = station::seatStatuses(m_station.db(), sitting, m_station.clock().now());
    if (!seats) {
        statusBar()->showMessage(
            tr("Cannot read the seats: %1").arg(QString::fromStdString(seats.error().detail)));
        return;
    }
    m_seats->setSeats(std::move(*seats));
    m_summary->setText(tr("%1 seats · %2 checked in · %3 awaiting review · %4 refused · %5 "
                          "absent · %6 alerts · %7 not yet")
                           .arg(m_seats->rowCount())
                           .arg(m_seats->count(SeatState::CheckedIn))
                           .arg(m_seats->count(SeatState::Review))
                           .arg(m_seats->count(SeatState::Refused))
                           .arg(m_seats->count(SeatState::Absent))
                           .arg(m_seats->count(SeatState::Alert))
                           .arg(m_seats->count(SeatState::NotYet)));
}

QString MainWindow::summaryText() const {
    return m_summary->text();
}

void MainWindow::setSpokenCall(bool spoken) {
    m_spokenCall->setChecked(spoken);
}

void MainWindow::showSeatDetails(const QModelIndex& index) {
    const auto& seats = m_seats->seats();
    if (!index.isValid() || index.row() >= static_cast<int>(seats.size())) {
        return;
    }
    const auto& s = seats[static_cast<std::size_t>(index.row())];
    QStringList lines;
    lines << tr("Seat %1").arg(QString::fromStdString(s.seat));
    lines << tr("Exam number: %1").arg(QString::fromStdString(s.examNumber));
    lines << tr("ID number: %1").arg(QString::fromStdString(s.idNumberMasked));
    lines << tr("State: %1").arg(SeatModel::stateText(s.state));
    if (!s.lastAttemptAt.empty()) {
        lines << tr("Last check: %1").arg(minuteTime(s.lastAttemptAt));
    }
    if (!s.reason.empty()) {
        lines << tr("Reason: %1").arg(reasonText(s.reason));
    }
    m_seatDetails->setText(lines.join(QLatin1Char('\n')));
}

QString MainWindow::seatDetailsShown() const {
    return m_seatDetails->text();
}

CallDisplay* MainWindow::openCallDisplay() {
    if (m_call == nullptr) {
        m_call = new CallDisplay(m_seats);
        m_call->setAttribute(Qt::WA_DeleteOnClose, false);
        connect(this, &QObject::destroyed, m_call, &QObject::deleteLater);
        m_call->resize(1280, 720);
    }
    m_call->show();
    m_call->raise();
    return m_call;
}

}  // namespace examguard::console
