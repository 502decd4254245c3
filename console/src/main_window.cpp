#include "console/main_window.h"

#include <QComboBox>
#include <QDateTime>
#include <QHBoxLayout>
#include <QLabel>
#include <QMenuBar>
#include <QStatusBar>
#include <QTabWidget>
#include <QTimer>
#include <QVBoxLayout>

#include "console/archive_viewer.h"
#include "console/call_display.h"
#include "console/seat_map.h"
#include "console/seat_model.h"

namespace examguard::console {

using station::SeatState;

namespace {

QString subjectText(const std::string& subject, const std::string& round) {
    const QString s = subject == "theory" ? MainWindow::tr("Theory") : MainWindow::tr("Practical");
    const QString r = round == "main" ? MainWindow::tr("main") : MainWindow::tr("retake");
    return MainWindow::tr("%1 (%2)").arg(s, r);
}

// The planned start as the desk's local time (the store keeps UTC).
QString localTime(const std::string& isoUtc) {
    const QDateTime t = QDateTime::fromString(QString::fromStdString(isoUtc), Qt::ISODateWithMs);
    return t.isValid() ? t.toLocalTime().toString(QStringLiteral("yyyy-MM-dd HH:mm"))
                       : QString::fromStdString(isoUtc);
}

}  // namespace

MainWindow::MainWindow(station::Station& station, QWidget* parent)
    : QMainWindow(parent),
      m_station(station),
      m_seats(new SeatModel(this)),
      m_sitting(new QComboBox(this)),
      m_summary(new QLabel(this)),
      m_tabs(new QTabWidget(this)),
      m_map(new SeatMap(m_seats, this)),
      m_archive(new ArchiveViewer(this)),
      m_timer(new QTimer(this)) {
    setWindowTitle(tr("ExamGuard monitor desk"));
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
    seatLayout->addWidget(m_map, 1);
    m_tabs->addTab(seatPage, tr("Seat map"));
    m_tabs->addTab(m_archive, tr("Archives"));
    layout->addWidget(m_tabs, 1);
    setCentralWidget(central);

    auto* view = menuBar()->addMenu(tr("&View"));
    view->addAction(tr("&Waiting-room display"), QKeySequence(Qt::Key_F8), this,
                    [this] { openCallDisplay(); });
    view->addAction(tr("&Refresh"), QKeySequence::Refresh, this, &MainWindow::refresh);

    loadSittings();
    connect(m_sitting, &QComboBox::currentIndexChanged, this, &MainWindow::refresh);
    connect(m_timer, &QTimer::timeout, this, &MainWindow::refresh);
    m_timer->start(2000);
    refresh();
    resize(1100, 720);
}

void MainWindow::loadSittings() {
    auto stmt = m_station.db().prepare(
        "SELECT st.id, p.code, st.subject, st.round, r.name, st.planned_start FROM sitting st JOIN "
        "period p ON p.id = st.period_id JOIN room r ON r.id = st.room_id ORDER BY "
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
                     QString::fromStdString(row.columnText(4)), localTime(row.columnText(5))),
            QVariant::fromValue<qlonglong>(row.columnInt(0)));
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
    auto seats = station::seatStatuses(m_station.db(), m_sitting->currentData().toLongLong(),
                                       m_station.clock().now());
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
