#include "console/call_display.h"

#include <QVBoxLayout>

#include "console/call_announcer.h"
#include "console/seat_model.h"

namespace examguard::console {

CallDisplay::CallDisplay(SeatModel* model, int count, QWidget* parent)
    : QWidget(parent), m_model(model), m_count(count), m_announcer(new CallAnnouncer(this)) {
    setWindowTitle(tr("Waiting room"));
    setAutoFillBackground(true);
    QPalette p = palette();
    p.setColor(QPalette::Window, QColor(0x10, 0x2a, 0x43));
    p.setColor(QPalette::WindowText, Qt::white);
    setPalette(p);
    m_title = new QLabel(this);
    m_list = new QLabel(this);
    QFont title = font();
    title.setPointSize(40);
    title.setBold(true);
    m_title->setFont(title);
    QFont list = font();
    list.setPointSize(34);
    m_list->setFont(list);
    m_list->setTextFormat(Qt::PlainText);
    auto* layout = new QVBoxLayout(this);
    layout->setContentsMargins(48, 36, 48, 36);
    layout->addWidget(m_title);
    layout->addSpacing(24);
    layout->addWidget(m_list, 1, Qt::AlignTop);
    connect(model, &QAbstractItemModel::modelReset, this, &CallDisplay::refresh);
    connect(model, &QAbstractItemModel::dataChanged, this, &CallDisplay::refresh);
    refresh();
}

void CallDisplay::refresh() {
    const auto next = station::nextToCall(m_model->seats(), static_cast<std::size_t>(m_count));
    m_title->setText(next.empty() ? tr("All candidates have been called")
                                  : tr("Please come to the entrance"));
    QStringList lines;
    for (const auto& s : next) {
        lines << tr("Exam number %1   Seat %2")
                     .arg(QString::fromStdString(s.examNumber), QString::fromStdString(s.seat));
    }
    m_list->setText(lines.join('\n'));
    const QString head = next.empty() ? QString() : QString::fromStdString(next.front().examNumber);
    if (m_spoken && !head.isEmpty() && head != m_lastCalled) {
        m_lastCalled = head;
        m_announcer->announce(tr("Exam number %1, please come to the entrance. Your seat is %2.")
                                  .arg(spacedForSpeech(head),
                                       spacedForSpeech(QString::fromStdString(next.front().seat))));
    }
}

void CallDisplay::setSpoken(bool spoken) {
    m_spoken = spoken;
    m_lastCalled.clear();
    refresh();
}

QString CallDisplay::shownText() const {
    return m_title->text() + '\n' + m_list->text();
}

}  // namespace examguard::console
