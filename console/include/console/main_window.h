#pragma once

#include <QMainWindow>

#include "console/session.h"
#include "station/station.h"

class QAction;
class QComboBox;
class QLabel;
class QTabWidget;
class QTimer;

namespace examguard::console {

class ArchiveViewer;
class CameraWall;
class CallDisplay;
class CheckinDesk;
class CloseSitting;
class LanPanel;
class StationThread;
class Timeline;
class SeatMap;
class SeatModel;

// The monitor-desk window: choose the sitting, watch its seat map (refreshed from the store),
// open the waiting-room display, review archives. Every figure comes from the station core.
class MainWindow final : public QMainWindow {
    Q_OBJECT
public:
    // `station` serves the GUI thread's small reads; `options` opens the station thread's own
    // connection for the long work.
    MainWindow(station::Station& station, const station::StationOptions& options, Session session,
               QWidget* parent = nullptr);
    ~MainWindow() override;

    // Re-reads the seat states of the chosen sitting (also every few seconds on a timer).
    void refresh();
    bool selectSitting(std::int64_t sittingId);
    SeatModel* seatModel() const { return m_seats; }
    QTabWidget* tabs() const { return m_tabs; }
    ArchiveViewer* archiveViewer() const { return m_archive; }
    CheckinDesk* desk() const { return m_desk; }
    Timeline* timeline() const { return m_timeline; }
    CameraWall* cameraWall() const { return m_cameras; }
    LanPanel* lanPanel() const { return m_lan; }
    CloseSitting* closeSitting() const { return m_close; }
    StationThread& worker() const { return *m_worker; }
    std::int64_t currentSitting() const;
    void chooseDeskCamera();
    CallDisplay* openCallDisplay();
    // Calls candidates aloud on the waiting-room display (View menu).
    void setSpokenCall(bool spoken);
    QString summaryText() const;
    // The seat map's details pane: the clicked seat's state, masked ID and latest reason.
    void showSeatDetails(const QModelIndex& index);
    QString seatDetailsShown() const;
    SeatMap* seatMap() const { return m_map; }

private:
    void loadSittings();
    void applyRole();

    station::Station& m_station;
    Session m_session;
    StationThread* m_worker;
    SeatModel* m_seats;
    QComboBox* m_sitting;
    QLabel* m_summary;
    QTabWidget* m_tabs;
    SeatMap* m_map;
    QLabel* m_seatDetails;
    ArchiveViewer* m_archive;
    CheckinDesk* m_desk;
    CameraWall* m_cameras;
    Timeline* m_timeline;
    LanPanel* m_lan;
    CloseSitting* m_close;
    CallDisplay* m_call = nullptr;
    QAction* m_spokenCall = nullptr;
    QTimer* m_timer;
};

}  // namespace examguard::console
