#pragma once

#include <QImage>
#include <QMutex>
#include <QThread>
#include <atomic>
#include <memory>
#include <vector>

#include "station/identity/identity_engine.h"

namespace examguard::console {

using FrameBatch = std::shared_ptr<const std::vector<station::identity::Frame>>;

// One video source read on its own thread: a V4L2 camera (/dev/videoN), an rtsp:// stream or a
// recorded file (played at its own frame rate and looped, so a recording stands in for a
// camera). It hands preview images to the GUI at a modest rate and, on request, collects the
// frames of one check-in. A source that fails or ends is reported, never waited on.
class LiveFeed final : public QThread {
    Q_OBJECT
public:
    explicit LiveFeed(QString source, QObject* parent = nullptr);
    ~LiveFeed() override;

    const QString& source() const { return m_source; }
    // "camera", "stream" or "video": what the check-in records as the live source.
    QString kind() const;

    // Starts collecting frames for up to `maxMs` of the source's time or `maxFrames` frames;
    // `collected` follows. A recorded file is read as fast as it decodes meanwhile: it is not
    // live, so there is nothing to wait for.
    void collect(int maxMs, int maxFrames);
    // The newest frame (8-bit BGR), for a snapshot or a face box; empty before the first.
    cv::Mat latest() const;
    void stop();
    // Preview images at most every `intervalMs` and at most `maxWidth` pixels wide (0: the
    // source's width); a wall of many cameras asks for fewer, smaller images than the desk.
    void setPreview(int intervalMs, int maxWidth);

signals:
    void frameReady(const QImage& image);
    void collected(FrameBatch frames);
    // The source could not be opened or stopped delivering; `detail` names it (URL credentials
    // masked).
    void failed(const QString& detail);

protected:
    void run() override;

private:
    QString m_source;
    std::atomic_bool m_stop{false};
    std::atomic_int m_collectMs{0};
    std::atomic_int m_collectFrames{0};
    std::atomic_int m_previewMs{66};  // ~15 images a second is plenty for a preview
    std::atomic_int m_previewWidth{0};
    mutable QMutex m_latestLock;
    cv::Mat m_latest;
};

QImage toQImage(const cv::Mat& bgr);

}  // namespace examguard::console

Q_DECLARE_METATYPE(examguard::console::FrameBatch)
