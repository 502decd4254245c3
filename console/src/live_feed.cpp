#include "console/live_feed.h"

#include <QElapsedTimer>
#include <algorithm>
#include <opencv2/imgproc.hpp>
#include <opencv2/videoio.hpp>

#include "station/privacy.h"

namespace examguard::console {

namespace {

constexpr int kMaxPixels = 4096 * 4096;

bool isStream(const QString& source) {
    return source.contains(QStringLiteral("://"));
}

bool isCamera(const QString& source) {
    return source.startsWith(QStringLiteral("/dev/video"));
}

}  // namespace

QImage toQImage(const cv::Mat& bgr) {
    if (bgr.empty() || bgr.type() != CV_8UC3) {
        return {};
    }
    cv::Mat rgb;
    cv::cvtColor(bgr, rgb, cv::COLOR_BGR2RGB);
    return QImage(rgb.data, rgb.cols, rgb.rows, static_cast<qsizetype>(rgb.step),
                  QImage::Format_RGB888)
        .copy();
}

LiveFeed::LiveFeed(QString source, QObject* parent) : QThread(parent), m_source(std::move(source)) {
    qRegisterMetaType<FrameBatch>();
}

LiveFeed::~LiveFeed() {
    stop();
}

QString LiveFeed::kind() const {
    return isCamera(m_source)   ? QStringLiteral("camera")
           : isStream(m_source) ? QStringLiteral("stream")
                                : QStringLiteral("video");
}

void LiveFeed::collect(int maxMs, int maxFrames) {
    m_collectFrames = maxFrames;
    m_collectMs = maxMs;
}

void LiveFeed::setPreview(int intervalMs, int maxWidth) {
    m_previewMs = std::max(intervalMs, 10);
    m_previewWidth = std::max(maxWidth, 0);
}

cv::Mat LiveFeed::latest() const {
    QMutexLocker lock(&m_latestLock);
    return m_latest.clone();
}

void LiveFeed::stop() {
    m_stop = true;
    wait();
}

void LiveFeed::run() {
    const std::string source = m_source.toStdString();
    const QString shown = QString::fromStdString(station::maskUrlCredentials(source));
    cv::VideoCapture capture;
    try {
        capture.open(source, isCamera(m_source) ? cv::CAP_V4L2 : cv::CAP_FFMPEG);
    } catch (const cv::Exception&) {
    }
    if (!capture.isOpened()) {
        emit failed(tr("cannot open the video source %1").arg(shown));
        return;
    }
    const bool file = !isCamera(m_source) && !isStream(m_source);
    const double fps = capture.get(cv::CAP_PROP_FPS);
    const int frameMs = file && fps > 1 && fps < 121 ? static_cast<int>(1000 / fps) : 0;
    QElapsedTimer clock;
    clock.start();
    qint64 lastPreview = -m_previewMs;
    qint64 nextFrameAt = 0;
    auto batch = std::make_shared<std::vector<station::identity::Frame>>();
    qint64 batchStart = -1;
    bool delivered = false;
    cv::Mat image;
    while (!m_stop) {
        const bool collecting = m_collectFrames > 0;
        // A file plays at its own pace for the preview; a live source paces itself.
        if (file && !collecting && frameMs > 0) {
            const qint64 wait = nextFrameAt - clock.elapsed();
            if (wait > 0) {
                msleep(static_cast<unsigned long>(std::min<qint64>(wait, 50)));
                continue;
            }
            nextFrameAt = clock.elapsed() + frameMs;
        }
        bool ok = false;
        try {
            ok = capture.read(image);
        } catch (const cv::Exception&) {
        }
        if (ok && (image.type() != CV_8UC3 || image.total() > kMaxPixels)) {
            emit failed(
                tr("%1 delivers frames that are not 8-bit colour of a sane size").arg(shown));
            return;
        }
        if (!ok || image.empty()) {
            if (file && delivered && capture.set(cv::CAP_PROP_POS_FRAMES, 0)) {
                if (collecting && !batch->empty()) {
                    // The recording ended mid-collection: the check uses what it has.
                    m_collectFrames = 0;
                    emit collected(std::exchange(
                        batch, std::make_shared<std::vector<station::identity::Frame>>()));
                    batchStart = -1;
                }
                continue;  // a recording stands in for a camera: play it again
            }
            emit failed(tr("%1 stopped delivering frames").arg(shown));
            return;
        }
        delivered = true;
        {
            QMutexLocker lock(&m_latestLock);
            image.copyTo(m_latest);
        }
        const qint64 sourceMs =
            file ? static_cast<qint64>(capture.get(cv::CAP_PROP_POS_MSEC)) : clock.elapsed();
        if (collecting) {
            if (batchStart < 0) {
                batchStart = sourceMs;
            }
            const qint64 ms = sourceMs - batchStart;
            if (ms <= m_collectMs) {
                batch->push_back({image.clone(), ms});
            }
            if (ms > m_collectMs || static_cast<int>(batch->size()) >= m_collectFrames) {
                m_collectFrames = 0;
                emit collected(std::exchange(
                    batch, std::make_shared<std::vector<station::identity::Frame>>()));
                batchStart = -1;
            }
        }
        if (clock.elapsed() - lastPreview >= m_previewMs) {
            lastPreview = clock.elapsed();
            const int width = m_previewWidth;
            if (width > 0 && image.cols > width) {
                cv::Mat small;
                cv::resize(image, small, cv::Size(width, image.rows * width / image.cols), 0, 0,
                           cv::INTER_AREA);
                emit frameReady(toQImage(small));
            } else {
                emit frameReady(toQImage(image));
            }
        }
    }
}

}  // namespace examguard::console
