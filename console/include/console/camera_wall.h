#pragma once

#include <QFrame>
#include <QPointer>
#include <QString>
#include <cstdint>
#include <vector>

#include "station/cameras.h"

class QLabel;
class QGridLayout;
class QPushButton;
class QStackedWidget;
class QTimer;

namespace examguard::console {

class LiveFeed;
class StationThread;

// One camera of the wall: its live picture, its name and what the camera service has flagged
// on it. Double-click or Enter enlarges it.
class CameraTile final : public QFrame {
    Q_OBJECT
public:
    CameraTile(station::RoomCamera camera, QString liveSource, QWidget* parent = nullptr);
    ~CameraTile() override;

    const station::RoomCamera& camera() const { return m_camera; }
    LiveFeed* feed() const { return m_feed; }
    // Starts or stops the live feed; a wall that is not shown decodes nothing.
    void setLive(bool live);
    void setBadges(const QStringList& badges);
    QString badgeShown() const;
    QString problemShown() const;
    const QImage& lastImage() const { return m_image; }

signals:
    void enlargeRequested(CameraTile* tile);
    void imageChanged(const QImage& image);

protected:
    void mouseDoubleClickEvent(QMouseEvent* event) override;
    void keyPressEvent(QKeyEvent* event) override;
    void resizeEvent(QResizeEvent* event) override;

private:
    void showImage();

    station::RoomCamera m_camera;
    QString m_source;
    LiveFeed* m_feed = nullptr;
    QLabel* m_title;
    QLabel* m_picture;
    QLabel* m_badge;
    QImage m_image;
    QString m_problem;
};

// The camera wall (REQUIREMENTS CAM-1..CAM-3): every camera of the sitting's room live, with
// the camera service's open events as badges; one enlarged; a snapshot the proctor takes is
// stored encrypted and logged, so it appears on the timeline.
class CameraWall final : public QWidget {
    Q_OBJECT
public:
    CameraWall(StationThread& worker, QString actor, QWidget* parent = nullptr);

    void setSitting(std::int64_t sittingId);
    const std::vector<CameraTile*>& tiles() const { return m_tiles; }
    CameraTile* enlarged() const { return m_enlarged; }
    void enlarge(CameraTile* tile);
    void showGrid();
    // A snapshot of the enlarged camera, or of the tile with focus.
    void takeSnapshot();
    QString statusShown() const;

signals:
    void camerasLoaded(int count);
    void badgesUpdated();
    void snapshotStored(bool ok);

protected:
    void showEvent(QShowEvent* event) override;
    void hideEvent(QHideEvent* event) override;

private:
    struct Source {
        station::RoomCamera camera;
        QString live;  // empty: no address to open
    };
    void rebuild(const std::vector<Source>& sources);
    void refreshBadges();
    void setLive(bool live);
    void setStatus(const QString& text);

    StationThread& m_worker;
    QString m_actor;
    std::int64_t m_sittingId = 0;
    QStackedWidget* m_pages;
    QWidget* m_gridPage;
    QGridLayout* m_grid;
    QLabel* m_empty;
    QLabel* m_bigTitle;
    QLabel* m_bigPicture;
    QLabel* m_bigBadge;
    QPushButton* m_back;
    QPushButton* m_snapshot;
    QLabel* m_status;
    QTimer* m_badgeTimer;
    std::vector<CameraTile*> m_tiles;
    QPointer<CameraTile> m_enlarged;
    bool m_badgesPending = false;
};

// The camera service's event kind in the proctor's language.
QString cameraEventText(const std::string& kind);

}  // namespace examguard::console
