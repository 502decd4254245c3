#include "console/camera_wall.h"

#include <QCoreApplication>
#include <QGridLayout>
#include <QHBoxLayout>
#include <QKeyEvent>
#include <QLabel>
#include <QPushButton>
#include <QShortcut>
#include <QStackedWidget>
#include <QTimer>
#include <QVBoxLayout>
#include <cmath>
#include <map>
#include <opencv2/imgcodecs.hpp>

#include "console/camera_sources.h"
#include "console/live_feed.h"
#include "console/station_thread.h"

namespace examguard::console {

namespace {

constexpr int kTilePreviewMs = 250;  // 4 images a second per tile: a wall of 16 stays light
constexpr int kTilePreviewWidth = 640;
constexpr int kBadgePollMs = 2000;
constexpr auto kRecentEvents = std::chrono::minutes(10);

QPixmap fitted(const QImage& image, const QSize& box) {
    if (image.isNull() || box.isEmpty()) {
        return {};
    }
    return QPixmap::fromImage(image.scaled(box, Qt::KeepAspectRatio, Qt::SmoothTransformation));
}

}  // namespace

QString cameraEventText(const std::string& kind) {
    static const std::pair<const char*, const char*> kKinds[] = {
        {"covered", QT_TRANSLATE_NOOP("CameraWall", "covered")},
        {"defocused", QT_TRANSLATE_NOOP("CameraWall", "out of focus")},
        {"moved", QT_TRANSLATE_NOOP("CameraWall", "moved")},
        {"frozen", QT_TRANSLATE_NOOP("CameraWall", "frozen picture")},
        {"signal_lost", QT_TRANSLATE_NOOP("CameraWall", "signal lost")},
        {"too_dark", QT_TRANSLATE_NOOP("CameraWall", "too dark")},
        {"too_bright", QT_TRANSLATE_NOOP("CameraWall", "too bright")},
        {"colour_cast", QT_TRANSLATE_NOOP("CameraWall", "colour cast")},
        {"seat_empty", QT_TRANSLATE_NOOP("CameraWall", "seat empty")},
        {"extra_person", QT_TRANSLATE_NOOP("CameraWall", "extra person")},
        {"proctor_absent", QT_TRANSLATE_NOOP("CameraWall", "proctor absent")},
        {"headcount_mismatch", QT_TRANSLATE_NOOP("CameraWall", "head count differs")},
    };
    for (const auto& [code, text] : kKinds) {
        if (kind == code) {
            return QCoreApplication::translate("CameraWall", text);
        }
    }
    return QString::fromStdString(kind);  // a kind newer than this console
}

CameraTile::CameraTile(station::RoomCamera camera, QString liveSource, QWidget* parent)
    : QFrame(parent),
      m_camera(std::move(camera)),
      m_source(std::move(liveSource)),
      m_title(new QLabel(this)),
      m_picture(new QLabel(this)),
      m_badge(new QLabel(this)) {
    setFrameShape(QFrame::StyledPanel);
    setFocusPolicy(Qt::StrongFocus);
    setObjectName(QString::fromStdString(m_camera.code));
    m_title->setText(QStringLiteral("%1  %2").arg(QString::fromStdString(m_camera.code),
                                                  QString::fromStdString(m_camera.name)));
    m_title->setStyleSheet(QStringLiteral("font-weight: bold;"));
    m_picture->setAlignment(Qt::AlignCenter);
    m_picture->setMinimumSize(240, 135);
    m_picture->setSizePolicy(QSizePolicy::Ignored, QSizePolicy::Ignored);
    m_picture->setStyleSheet(QStringLiteral("background: #202020; color: #e0e0e0;"));
    m_badge->setVisible(false);
    m_badge->setWordWrap(true);
    m_badge->setStyleSheet(
        QStringLiteral("background: #c62828; color: white; font-weight: bold; padding: 2px;"));
    auto* layout = new QVBoxLayout(this);
    layout->setContentsMargins(4, 4, 4, 4);
    layout->addWidget(m_title);
    layout->addWidget(m_picture, 1);
    layout->addWidget(m_badge);
    if (m_source.isEmpty()) {
        m_problem =
            tr("No stream address for this camera: name the camera service's settings "
               "under [cameras] monitor_config in station.toml.");
    }
    m_picture->setWordWrap(true);
    m_picture->setText(m_problem.isEmpty() ? tr("Connecting…") : m_problem);
}

CameraTile::~CameraTile() {
    setLive(false);
}

void CameraTile::setLive(bool live) {
    if (!live) {
        if (m_feed != nullptr) {
            m_feed->stop();
            delete m_feed;
            m_feed = nullptr;
        }
        return;
    }
    if (m_feed != nullptr || m_source.isEmpty()) {
        return;
    }
    m_feed = new LiveFeed(m_source, this);
    m_feed->setPreview(kTilePreviewMs, kTilePreviewWidth);
    connect(m_feed, &LiveFeed::frameReady, this, [this](const QImage& image) {
        m_image = image;
        m_problem.clear();
        showImage();
        emit imageChanged(image);
    });
    connect(m_feed, &LiveFeed::failed, this, [this](const QString& detail) {
        m_problem = detail;
        m_image = {};
        m_picture->setPixmap({});
        m_picture->setText(detail);
    });
    m_feed->start();
}

void CameraTile::setBadges(const QStringList& badges) {
    m_badge->setText(badges.join(QStringLiteral(" · ")));
    m_badge->setVisible(!badges.isEmpty());
}

QString CameraTile::badgeShown() const {
    return m_badge->isVisible() ? m_badge->text() : QString();
}

QString CameraTile::problemShown() const {
    return m_problem;
}

void CameraTile::showImage() {
    m_picture->setPixmap(fitted(m_image, m_picture->size()));
}

void CameraTile::mouseDoubleClickEvent(QMouseEvent* event) {
    QFrame::mouseDoubleClickEvent(event);
    emit enlargeRequested(this);
}

void CameraTile::keyPressEvent(QKeyEvent* event) {
    if (event->key() == Qt::Key_Return || event->key() == Qt::Key_Enter) {
        emit enlargeRequested(this);
        return;
    }
    QFrame::keyPressEvent(event);
}

void CameraTile::resizeEvent(QResizeEvent* event) {
    QFrame::resizeEvent(event);
    if (!m_image.isNull()) {
        showImage();
    }
}

CameraWall::CameraWall(StationThread& worker, QString actor, QWidget* parent)
    : QWidget(parent),
      m_worker(worker),
      m_actor(std::move(actor)),
      m_pages(new QStackedWidget(this)),
      m_gridPage(new QWidget(this)),
      m_grid(new QGridLayout(m_gridPage)),
      m_empty(new QLabel(this)),
      m_bigTitle(new QLabel(this)),
      m_bigPicture(new QLabel(this)),
      m_bigBadge(new QLabel(this)),
      m_back(new QPushButton(tr("Back to all cameras (Esc)"), this)),
      m_snapshot(new QPushButton(tr("Snapshot (F9)"), this)),
      m_status(new QLabel(this)),
      m_badgeTimer(new QTimer(this)) {
    m_empty->setAlignment(Qt::AlignCenter);
    m_empty->setWordWrap(true);
    m_grid->setSpacing(6);

    auto* bigPage = new QWidget(this);
    auto* big = new QVBoxLayout(bigPage);
    m_bigTitle->setStyleSheet(QStringLiteral("font-size: 16pt; font-weight: bold;"));
    m_bigPicture->setAlignment(Qt::AlignCenter);
    m_bigPicture->setSizePolicy(QSizePolicy::Ignored, QSizePolicy::Ignored);
    m_bigPicture->setStyleSheet(QStringLiteral("background: #202020; color: #e0e0e0;"));
    m_bigBadge->setStyleSheet(
        QStringLiteral("background: #c62828; color: white; font-weight: bold; padding: 4px;"));
    big->addWidget(m_bigTitle);
    big->addWidget(m_bigPicture, 1);
    big->addWidget(m_bigBadge);
    auto* bigButtons = new QHBoxLayout;
    bigButtons->addWidget(m_back);
    bigButtons->addStretch(1);
    big->addLayout(bigButtons);

    m_pages->addWidget(m_gridPage);
    m_pages->addWidget(m_empty);
    m_pages->addWidget(bigPage);

    auto* bar = new QHBoxLayout;
    bar->addWidget(m_status, 1);
    bar->addWidget(m_snapshot);
    auto* layout = new QVBoxLayout(this);
    layout->addWidget(m_pages, 1);
    layout->addLayout(bar);

    connect(m_back, &QPushButton::clicked, this, &CameraWall::showGrid);
    connect(m_snapshot, &QPushButton::clicked, this, &CameraWall::takeSnapshot);
    auto* esc = new QShortcut(QKeySequence(Qt::Key_Escape), this, [this] { showGrid(); });
    esc->setContext(Qt::WidgetWithChildrenShortcut);
    auto* f9 = new QShortcut(QKeySequence(Qt::Key_F9), this, [this] { takeSnapshot(); });
    f9->setContext(Qt::WidgetWithChildrenShortcut);
    connect(m_badgeTimer, &QTimer::timeout, this, &CameraWall::refreshBadges);
    m_empty->setText(tr("Choose a sitting first."));
    m_pages->setCurrentWidget(m_empty);
    m_snapshot->setEnabled(false);
}

void CameraWall::setSitting(std::int64_t sittingId) {
    if (sittingId == m_sittingId) {
        return;  // the console refreshes often; the feeds keep running
    }
    m_sittingId = sittingId;
    rebuild({});
    if (sittingId == 0) {
        m_empty->setText(tr("Choose a sitting first."));
        return;
    }
    m_empty->setText(tr("Reading the room's cameras…"));
    struct Loaded {
        station::Expected<std::vector<Source>> sources;
    };
    m_worker.post<Loaded>(
        this,
        [sittingId](StationContext& ctx) -> Loaded {
            auto st = ctx.station();
            auto config = ctx.config();
            if (!st || !config) {
                return {tl::unexpected(!st ? st.error() : config.error())};
            }
            auto found = cameraSources(**st, **config, sittingId);
            if (!found) {
                return {tl::unexpected(found.error())};
            }
            std::vector<Source> sources;
            for (auto& f : *found) {
                sources.push_back({std::move(f.camera), QString::fromStdString(f.live)});
            }
            return {std::move(sources)};
        },
        [this, sittingId](Loaded loaded) {
            if (sittingId != m_sittingId) {
                return;  // another sitting was chosen meanwhile
            }
            if (!loaded.sources) {
                m_empty->setText(tr("The cameras cannot be read: %1")
                                     .arg(QString::fromStdString(loaded.sources.error().detail)));
                emit camerasLoaded(0);
                return;
            }
            rebuild(*loaded.sources);
            if (m_tiles.empty()) {
                m_empty->setText(tr("No camera is filed for this room."));
            }
            emit camerasLoaded(static_cast<int>(m_tiles.size()));
            refreshBadges();
        });
}

void CameraWall::rebuild(const std::vector<Source>& sources) {
    showGrid();
    for (auto* tile : m_tiles) {
        delete tile;
    }
    m_tiles.clear();
    const int columns =
        std::max(1, static_cast<int>(std::ceil(std::sqrt(static_cast<double>(sources.size())))));
    for (const auto& source : sources) {
        auto* tile = new CameraTile(source.camera, source.live, m_gridPage);
        const int i = static_cast<int>(m_tiles.size());
        m_grid->addWidget(tile, i / columns, i % columns);
        connect(tile, &CameraTile::enlargeRequested, this, &CameraWall::enlarge);
        m_tiles.push_back(tile);
    }
    m_pages->setCurrentWidget(m_tiles.empty() ? static_cast<QWidget*>(m_empty) : m_gridPage);
    m_snapshot->setEnabled(!m_tiles.empty());
    setLive(isVisible());
}

void CameraWall::enlarge(CameraTile* tile) {
    if (tile == nullptr) {
        return;
    }
    if (m_enlarged != nullptr) {
        disconnect(m_enlarged, &CameraTile::imageChanged, this, nullptr);
    }
    m_enlarged = tile;
    m_bigTitle->setText(tr("Camera %1 · %2")
                            .arg(QString::fromStdString(tile->camera().code),
                                 QString::fromStdString(tile->camera().name)));
    const auto show = [this](const QImage& image) {
        m_bigPicture->setPixmap(fitted(image, m_bigPicture->size()));
    };
    if (tile->lastImage().isNull()) {
        m_bigPicture->setText(tile->problemShown());
    } else {
        show(tile->lastImage());
    }
    connect(tile, &CameraTile::imageChanged, this, show);
    // The enlarged picture deserves the full resolution and rate of a preview.
    if (tile->feed() != nullptr) {
        tile->feed()->setPreview(66, 0);
    }
    m_bigBadge->setText(tile->badgeShown());
    m_bigBadge->setVisible(!tile->badgeShown().isEmpty());
    m_pages->setCurrentIndex(2);
    m_bigPicture->setFocus();
}

void CameraWall::showGrid() {
    if (m_enlarged != nullptr) {
        disconnect(m_enlarged, &CameraTile::imageChanged, this, nullptr);
        if (m_enlarged->feed() != nullptr) {
            m_enlarged->feed()->setPreview(kTilePreviewMs, kTilePreviewWidth);
        }
        CameraTile* was = m_enlarged;
        m_enlarged = nullptr;
        m_pages->setCurrentWidget(m_gridPage);
        was->setFocus();
        return;
    }
    if (!m_tiles.empty()) {
        m_pages->setCurrentWidget(m_gridPage);
    }
}

void CameraWall::takeSnapshot() {
    CameraTile* tile = m_enlarged;
    if (tile == nullptr) {
        for (auto* t : m_tiles) {
            if (t->hasFocus()) {
                tile = t;
            }
        }
    }
    if (tile == nullptr && m_tiles.size() == 1) {
        tile = m_tiles.front();
    }
    if (tile == nullptr) {
        setStatus(tr("Select a camera first (Tab, or enlarge it)."));
        return;
    }
    cv::Mat frame = tile->feed() != nullptr ? tile->feed()->latest() : cv::Mat();
    if (frame.empty()) {
        setStatus(tr("Camera %1 shows no picture to keep.")
                      .arg(QString::fromStdString(tile->camera().code)));
        emit snapshotStored(false);
        return;
    }
    const std::int64_t sitting = m_sittingId;
    const std::int64_t cameraId = tile->camera().id;
    const QString code = QString::fromStdString(tile->camera().code);
    const std::string actor = m_actor.toStdString();
    setStatus(tr("Keeping a snapshot of %1…").arg(code));
    m_worker.post<station::Expected<std::int64_t>>(
        this,
        [frame, sitting, cameraId, actor](StationContext& ctx) -> station::Expected<std::int64_t> {
            auto st = ctx.station();
            if (!st) {
                return tl::unexpected(st.error());
            }
            std::vector<unsigned char> jpeg;
            if (!cv::imencode(".jpg", frame, jpeg, {cv::IMWRITE_JPEG_QUALITY, 90})) {
                return station::fail(station::ErrorCode::Invalid,
                                     "the picture cannot be encoded as JPEG");
            }
            return station::storeProctorSnapshot(**st, sitting, cameraId, jpeg, actor);
        },
        [this, code](station::Expected<std::int64_t> seq) {
            if (!seq) {
                setStatus(tr("The snapshot of %1 was not stored: %2")
                              .arg(code, QString::fromStdString(seq.error().detail)));
                emit snapshotStored(false);
                return;
            }
            setStatus(tr("Snapshot of %1 stored, encrypted; log entry %2.").arg(code).arg(*seq));
            emit snapshotStored(true);
        });
}

QString CameraWall::statusShown() const {
    return m_status->text();
}

void CameraWall::refreshBadges() {
    if (m_sittingId == 0 || m_tiles.empty() || m_badgesPending) {
        return;
    }
    m_badgesPending = true;
    const std::int64_t sitting = m_sittingId;
    m_worker.post<station::Expected<std::vector<station::CameraBadge>>>(
        this,
        [sitting](StationContext& ctx) -> station::Expected<std::vector<station::CameraBadge>> {
            auto st = ctx.station();
            if (!st) {
                return tl::unexpected(st.error());
            }
            return station::cameraBadges(**st, sitting, kRecentEvents);
        },
        [this, sitting](station::Expected<std::vector<station::CameraBadge>> badges) {
            m_badgesPending = false;
            if (sitting != m_sittingId) {
                return;
            }
            if (!badges) {
                setStatus(tr("The camera events cannot be read: %1")
                              .arg(QString::fromStdString(badges.error().detail)));
                return;
            }
            std::map<std::int64_t, QStringList> byCamera;
            for (const auto& b : *badges) {
                QString text = cameraEventText(b.kind);
                if (!b.open) {
                    text = tr("%1 (ended)").arg(text);
                }
                if (!byCamera[b.cameraId].contains(text)) {
                    byCamera[b.cameraId] << text;
                }
            }
            for (auto* tile : m_tiles) {
                tile->setBadges(byCamera[tile->camera().id]);
            }
            if (m_enlarged != nullptr) {
                m_bigBadge->setText(m_enlarged->badgeShown());
                m_bigBadge->setVisible(!m_enlarged->badgeShown().isEmpty());
            }
            emit badgesUpdated();
        });
}

void CameraWall::setLive(bool live) {
    for (auto* tile : m_tiles) {
        tile->setLive(live);
    }
    if (live && m_sittingId != 0) {
        m_badgeTimer->start(kBadgePollMs);
    } else {
        m_badgeTimer->stop();
    }
}

void CameraWall::setStatus(const QString& text) {
    m_status->setText(text);
}

void CameraWall::showEvent(QShowEvent* event) {
    QWidget::showEvent(event);
    setLive(true);
    refreshBadges();
}

void CameraWall::hideEvent(QHideEvent* event) {
    QWidget::hideEvent(event);
    setLive(false);
}

}  // namespace examguard::console
