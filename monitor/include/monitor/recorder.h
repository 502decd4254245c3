#pragma once

// Records one camera by stream copy (no re-encoding) with FFmpeg's libavformat into
// fixed-length MPEG-TS segments. A segment is cut on the first video keyframe at or after the
// segment length, written as NAME.ts.part while its SHA-256 is computed from the bytes written,
// fsynced, then renamed to NAME.ts and reported. A network source that drops is reconnected
// with exponential backoff; the gap (last packet before, first keyframe after) is reported as
// signal lost. stop() interrupts any blocking read or connect through libavformat's interrupt
// callback, so shutdown never waits on a dead camera.
#include <chrono>
#include <cstdint>
#include <filesystem>
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include <tl/expected.hpp>

namespace examguard::monitor {

using WallTime = std::chrono::system_clock::time_point;

struct RecorderConfig {
    std::string camera;  // code; names the files (letters, digits, '-', '_', '.')
    // rtsp:// (or rtsps://, http://), a USB camera (/dev/videoN, through V4L2), or a file
    // path. A file is read once, as fast as it decodes, and ends at its end; a network or USB
    // camera is reconnected until stop(). Pictures MPEG-TS cannot carry (a USB camera's MJPEG
    // or raw frames) are encoded to H.264; everything else is copied as it comes.
    std::string url;
    // Options for FFmpeg's demuxer or device, e.g. a USB camera's {"input_format", "mjpeg"},
    // {"video_size", "1280x720"}, {"framerate", "25"}.
    std::vector<std::pair<std::string, std::string>> inputOptions;
    // For a file: the wall time of its first picture (when it was filmed). Default: when it is
    // read.
    std::optional<std::chrono::system_clock::time_point> fileStart;
    std::filesystem::path outputDir;  // segments go straight into it
    // False: the stream is only read for the analysis tap (a camera's sub-stream analysed while
    // its main stream is recorded by another Recorder); nothing is written.
    bool writeSegments = true;
    double segmentSeconds = 60;
    // A read or connect that makes no progress for this long counts as a dropped stream.
    std::chrono::milliseconds ioTimeout{5000};
    std::chrono::milliseconds backoffInitial{500};
    std::chrono::milliseconds backoffMax{30000};
    // Below this much free space in outputDir a segment start reports onDiskLow.
    std::uint64_t minFreeBytes = 0;
};

struct Segment {
    std::string camera;
    std::filesystem::path path;
    WallTime start;  // time of its first packet
    WallTime end;    // time of the packet that followed it (or its last packet's end)
    std::uint64_t bytes = 0;
    std::string sha256;  // lower-case hex of the file's bytes
    std::int64_t packets = 0;
};

struct SignalGap {
    std::string camera;
    WallTime start;     // last packet before the drop (or when recording was started)
    WallTime end;       // first keyframe after the reconnect (or when recording stopped)
    bool open = false;  // recording stopped before the camera came back
};

// A decoded picture handed to the analysis tap: 8-bit BGR, valid during the call only.
struct Frame {
    WallTime time;
    int width = 0;
    int height = 0;
    const std::uint8_t* bgr = nullptr;
    int stride = 0;  // bytes per row
};

struct RecorderCallbacks {
    std::function<void(const Segment&)> onSegment;
    std::function<void(const SignalGap&)> onSignalLost;
    // Free space fell below minFreeBytes (reported once each time it falls).
    std::function<void(const std::filesystem::path& dir, std::uint64_t freeBytes)> onDiskLow;
    // A segment could not be written (disk full, I/O error); recording goes on with the next.
    std::function<void(const std::string& message)> onWriteError;
    // A live camera could not be opened (it is retried after the backoff).
    std::function<void(const std::string& message)> onConnectError;
    // Decimated analysis of the same stream. When wantsFrame is set, the video stream is also
    // decoded (H.264 needs every frame for the next), and each decoded frame's time is offered
    // to wantsFrame; only frames it accepts are converted to BGR and passed to onFrame. The
    // others are passed to onFrameSkipped (they keep the analysis' signal alive).
    std::function<bool(WallTime)> wantsFrame;
    std::function<void(const Frame&)> onFrame;
    std::function<void(WallTime)> onFrameSkipped;
};

struct RecorderStats {
    std::int64_t segments = 0;
    std::int64_t packets = 0;
    std::int64_t connects = 0;  // successful opens of the source
    std::int64_t gaps = 0;
    std::int64_t framesDecoded = 0;
    std::int64_t framesAnalysed = 0;
};

class Recorder {
public:
    Recorder(RecorderConfig config, RecorderCallbacks callbacks);
    ~Recorder();
    Recorder(const Recorder&) = delete;
    Recorder& operator=(const Recorder&) = delete;

    // Records until stop() (or the end of a file source); the segment being written is
    // finished and reported before it returns. An error only for what no retry can fix: the
    // output directory cannot be created, a file source cannot be opened or holds no stream.
    tl::expected<RecorderStats, std::string> run();

    // From any thread; run() returns promptly.
    void stop();
    bool stopping() const;

private:
    struct Impl;
    std::unique_ptr<Impl> m_impl;
};

// Free bytes for an unprivileged user in the file system holding dir (0 when unknown).
std::uint64_t freeBytes(const std::filesystem::path& dir);

}  // namespace examguard::monitor
