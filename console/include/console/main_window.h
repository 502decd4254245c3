#pragma once

#include <QMainWindow>

#include "station/station.h"

class QComboBox;
class QLabel;
class QTabWidget;
class QTimer;

namespace examguard::console {

class ArchiveViewer;
class CallDisplay;
class SeatMap;
class SeatModel;

// The monitor-desk window: choose the sitting, watch its seat map (refreshed from the store),
// open the waiting-room display, review archives. Every figure comes from the station core.
class MainWindow final : public QMainWindow {
    Q_OBJECT
public:
    explicit MainWindow(station::Station& station, QWidget* parent = nullptr);

    // Re-reads the seat states of the chosen sitting (also every few seconds on a timer).
    void refresh();
    bool selectSitting(std::int64_t sittingId);
    SeatModel* seatModel() const { return m_seats; }
    QTabWidget* tabs() const { return m_tabs; }
    ArchiveViewer* archiveViewer() const { return m_archive; }
    CallDisplay* openCallDisplay();
    QString summaryText() const;

private:
    void loadSittings();

    station::Station& m_station;
    SeatModel* m_seats;
    QComboBox* m_sitting;
    QLabel* m_summary;
    QTabWidget* m_tabs;
    SeatMap* m_map;
    ArchiveViewer* m_archive;
    CallDisplay* m_call = nullptr;
    QTimer* m_timer;
};

}  // namespace examguard::console
