#pragma once

#include <QLabel>
#include <QWidget>

namespace examguard::console {

class CallAnnouncer;
class SeatModel;

// The waiting-room call display (叫号, REQUIREMENTS ORG-1): a window for a second monitor
// showing, in large type, the next candidates to enter and their seats. Exam numbers and seats
// only: no names or ID numbers on a public screen.
class CallDisplay final : public QWidget {
    Q_OBJECT
public:
    explicit CallDisplay(SeatModel* model, int count = 6, QWidget* parent = nullptr);
    QString shownText() const;  // what the screen says, for tests
    // The spoken call (optional): whenever a new candidate heads the list, they are called
    // aloud with their exam number and seat.
    void setSpoken(bool spoken);
    bool spoken() const { return m_spoken; }
    CallAnnouncer* announcer() const { return m_announcer; }

private:
    void refresh();
    SeatModel* m_model;
    int m_count;
    bool m_spoken = false;
    QString m_lastCalled;  // exam number last called aloud
    CallAnnouncer* m_announcer;
    QLabel* m_title;
    QLabel* m_list;
};

}  // namespace examguard::console
