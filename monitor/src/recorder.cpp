#include "monitor/recorder.h"

#include <sys/statvfs.h>

#include <algorithm>
#include <atomic>
#include <condition_variable>
#include <ctime>
#include <limits>
#include <mutex>
#include <optional>

#include <fmt/format.h>
#include <spdlog/spdlog.h>

extern "C" {
#include <libavcodec/avcodec.h>
#include <libavformat/avformat.h>
#include <libavutil/frame.h>
#include <libavutil/log.h>
#include <libswscale/swscale.h>
}

#include "av_util.h"
#include "logger.h"
#include "monitor/redact.h"
#include "segment_writer.h"
#include "transcoder.h"

namespace examguard::monitor {

namespace {

using SteadyClock = std::chrono::steady_clock;

bool isNetworkUrl(const std::string& url) {
    const auto scheme = url.find("://");
    return scheme != std::string::npos && url.compare(0, scheme, "file") != 0;
}

bool isDevice(const std::string& url) {
    return url.rfind("/dev/video", 0) == 0;
}

bool isRtsp(const std::string& url) {
    return url.rfind("rtsp://", 0) == 0 || url.rfind("rtsps://", 0) == 0;
}

// 20261123T043512.123Z: sortable, no ':' (file names on any file system).
std::string compactUtc(WallTime t) {
    const auto ms = std::chrono::duration_cast<std::chrono::milliseconds>(t.time_since_epoch());
    const std::time_t seconds = static_cast<std::time_t>(ms.count() / 1000);
    std::tm tm{};
    gmtime_r(&seconds, &tm);
    return fmt::format("{:04}{:02}{:02}T{:02}{:02}{:02}.{:03}Z", tm.tm_year + 1900, tm.tm_mon + 1,
                       tm.tm_mday, tm.tm_hour, tm.tm_min, tm.tm_sec,
                       static_cast<int>(ms.count() % 1000));
}

std::string safeFileName(std::string name) {
    for (char& c : name) {
        const bool ok = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') ||
                        (c >= '0' && c <= '9') || c == '-' || c == '_' || c == '.';
        if (!ok) {
            c = '_';
        }
    }
    if (name.empty() || name[0] == '.') {
        name.insert(0, "cam");
    }
    return name;
}

struct InputCloser {
    void operator()(AVFormatContext* ctx) const { avformat_close_input(&ctx); }
};
using Input = std::unique_ptr<AVFormatContext, InputCloser>;

struct PacketFree {
    void operator()(AVPacket* p) const { av_packet_free(&p); }
};

struct CodecFree {
    void operator()(AVCodecContext* c) const { avcodec_free_context(&c); }
};
struct FrameFree {
    void operator()(AVFrame* f) const { av_frame_free(&f); }
};
struct ScaleFree {
    void operator()(SwsContext* s) const { sws_freeContext(s); }
};

}  // namespace

struct Recorder::Impl {
    RecorderConfig config;
    RecorderCallbacks callbacks;
    std::atomic<bool> stop{false};
    std::atomic<std::int64_t> deadlineNs{std::numeric_limits<std::int64_t>::max()};
    std::mutex mutex;
    std::condition_variable wake;
    RecorderStats stats;
    std::string shownUrl;

    // The segment being written.
    std::unique_ptr<SegmentWriter> writer;

    // The reference stream's decoder: for the analysis tap (when callbacks.wantsFrame is set)
    // and for the encoder.
    std::unique_ptr<AVCodecContext, CodecFree> decoder;
    // Set when the camera sends pictures MPEG-TS cannot carry (a USB camera's MJPEG or raw
    // frames): the reference stream is then encoded to H.264 instead of copied.
    std::unique_ptr<VideoEncoder> encoder;
    std::unique_ptr<AVFrame, FrameFree> decoded;
    std::unique_ptr<SwsContext, ScaleFree> scaler;
    std::vector<std::uint8_t> bgr;
    WallTime segmentStart;
    std::int64_t segmentStartUs = 0;  // stream time of its first keyframe
    std::int64_t segmentPackets = 0;
    bool diskLow = false;

    // What segments hold (the input streams recorded, one encoded) and, for each input stream,
    // its output index.
    std::vector<OutputStream> outputs;
    std::vector<int> outputOf;
    int reference = -1;  // the video stream segments are cut on

    static int interrupted(void* opaque) {
        auto* self = static_cast<Impl*>(opaque);
        if (self->stop.load()) {
            return 1;
        }
        const std::int64_t now = SteadyClock::now().time_since_epoch().count();
        return now > self->deadlineNs.load() ? 1 : 0;
    }

    void arm() {
        const auto deadline = SteadyClock::now() + config.ioTimeout;
        deadlineNs.store(
            std::chrono::duration_cast<SteadyClock::duration>(deadline.time_since_epoch()).count());
    }

    void waitFor(std::chrono::milliseconds delay) {
        std::unique_lock lock(mutex);
        wake.wait_for(lock, delay, [this] { return stop.load(); });
    }

    tl::expected<Input, std::string> openInput() {
        AVFormatContext* raw = avformat_alloc_context();
        if (raw == nullptr) {
            return tl::unexpected(std::string("out of memory"));
        }
        raw->interrupt_callback.callback = &Impl::interrupted;
        raw->interrupt_callback.opaque = this;
        // The first RTP packets carry no time stamp: let libavformat generate them.
        raw->flags |= AVFMT_FLAG_GENPTS;
        AVDictionary* options = nullptr;
        if (isRtsp(config.url)) {
            av_dict_set(&options, "rtsp_transport", "tcp", 0);
        }
        for (const auto& [key, value] : config.inputOptions) {
            av_dict_set(&options, key.c_str(), value.c_str(), 0);
        }
        const AVInputFormat* format = nullptr;
        if (isDevice(config.url)) {
            format = av_find_input_format("video4linux2");
            if (format == nullptr) {
                av_dict_free(&options);
                avformat_free_context(raw);
                return tl::unexpected(fmt::format("{}: libavdevice has no V4L2 input", shownUrl));
            }
        }
        arm();
        int rc = avformat_open_input(&raw, config.url.c_str(), format, &options);
        av_dict_free(&options);
        if (rc < 0) {  // raw was freed
            return tl::unexpected(fmt::format("{}: {}", shownUrl, avError(rc)));
        }
        Input input(raw);
        arm();
        rc = avformat_find_stream_info(raw, nullptr);
        if (rc < 0) {
            return tl::unexpected(
                fmt::format("{}: no stream information: {}", shownUrl, avError(rc)));
        }
        outputs.clear();
        outputOf.assign(raw->nb_streams, -1);
        reference = -1;
        for (unsigned i = 0; i < raw->nb_streams; ++i) {
            const AVStream* stream = raw->streams[i];
            const AVCodecParameters* par = stream->codecpar;
            const bool video = par->codec_type == AVMEDIA_TYPE_VIDEO &&
                               !(stream->disposition & AV_DISPOSITION_ATTACHED_PIC);
            if (!(video || par->codec_type == AVMEDIA_TYPE_AUDIO) ||
                par->codec_id == AV_CODEC_ID_NONE) {
                continue;
            }
            if (video && reference < 0) {
                reference = static_cast<int>(i);  // encoded below when MPEG-TS cannot carry it
            } else if (!transportStreamCarries(par->codec_id)) {
                logger().warn("camera {}: stream {} ({}) cannot go into MPEG-TS; not recorded",
                              config.camera, i, avcodec_get_name(par->codec_id));
                continue;
            }
            outputOf[i] = static_cast<int>(outputs.size());
            outputs.push_back({par, stream->time_base.num, stream->time_base.den});
        }
        if (reference < 0) {
            return tl::unexpected(fmt::format("{}: no video stream", shownUrl));
        }
        const AVStream* video = raw->streams[reference];
        const bool encode =
            config.writeSegments && !transportStreamCarries(video->codecpar->codec_id);
        openDecoder(video, encode);
        encoder.reset();
        if (encode) {
            if (!decoder) {
                return tl::unexpected(fmt::format("{}: cannot decode {} pictures to record them",
                                                  shownUrl,
                                                  avcodec_get_name(video->codecpar->codec_id)));
            }
            // A keyframe a second: segments are cut within a second of their length.
            auto opened = VideoEncoder::open(video->codecpar->width, video->codecpar->height,
                                             video->time_base, video->avg_frame_rate, 1.0);
            if (!opened) {
                return tl::unexpected(fmt::format("{}: {}", shownUrl, opened.error()));
            }
            encoder = std::move(*opened);
            const AVRational tb = encoder->timeBase();
            outputs[static_cast<std::size_t>(outputOf[static_cast<std::size_t>(reference)])] = {
                encoder->parameters(), tb.num, tb.den};
            logger().info("camera {}: {} pictures are encoded to H.264", config.camera,
                          avcodec_get_name(video->codecpar->codec_id));
        }
        return input;
    }

    // The reference stream's decoder, when the analysis tap or the encoder needs one. Without
    // one the analysis is skipped (the recording goes on); the encoder cannot do without.
    void openDecoder(const AVStream* stream, bool forEncoder) {
        decoder.reset();
        scaler.reset();
        if (!callbacks.wantsFrame && !forEncoder) {
            return;
        }
        const AVCodec* codec = avcodec_find_decoder(stream->codecpar->codec_id);
        std::unique_ptr<AVCodecContext, CodecFree> ctx(codec ? avcodec_alloc_context3(codec)
                                                             : nullptr);
        if (!ctx || avcodec_parameters_to_context(ctx.get(), stream->codecpar) < 0) {
            logger().warn("camera {}: no decoder for {}", config.camera,
                          avcodec_get_name(stream->codecpar->codec_id));
            return;
        }
        ctx->thread_count = 1;  // one camera, one core at most
        ctx->pkt_timebase = stream->time_base;
        if (avcodec_open2(ctx.get(), codec, nullptr) < 0) {
            logger().warn("camera {}: the decoder for {} does not open", config.camera,
                          avcodec_get_name(stream->codecpar->codec_id));
            return;
        }
        decoder = std::move(ctx);
        if (!decoded) {
            decoded.reset(av_frame_alloc());
        }
    }

    // Decodes one packet of the reference stream (null: drains the decoder at the end of a
    // session) and hands each picture to `onPicture`.
    template <typename OnPicture>
    void decode(const AVPacket* packet, OnPicture&& onPicture) {
        if (!decoder || !decoded || avcodec_send_packet(decoder.get(), packet) < 0) {
            return;  // a damaged packet: the picture is skipped, the recording is not
        }
        while (avcodec_receive_frame(decoder.get(), decoded.get()) == 0) {
            ++stats.framesDecoded;
            onPicture(decoded.get());
            av_frame_unref(decoded.get());
        }
    }

    // Offers a decoded picture to the analysis tap; the ones it takes go out in BGR.
    // `toWall` maps a time stamp (microseconds of stream time) to wall time.
    template <typename ToWall>
    void analyse(const AVFrame* f, AVRational timeBase, ToWall&& toWall) {
        if (!callbacks.wantsFrame) {
            return;
        }
        const std::int64_t ts = f->best_effort_timestamp;
        if (ts == AV_NOPTS_VALUE) {
            return;
        }
        const WallTime t = toWall(av_rescale_q(ts, timeBase, AV_TIME_BASE_Q));
        if (!callbacks.wantsFrame(t)) {
            if (callbacks.onFrameSkipped) {
                callbacks.onFrameSkipped(t);
            }
            return;
        }
        scaler.reset(sws_getCachedContext(
            scaler.release(), f->width, f->height, static_cast<AVPixelFormat>(f->format), f->width,
            f->height, AV_PIX_FMT_BGR24, SWS_BILINEAR, nullptr, nullptr, nullptr));
        const int stride = f->width * 3;
        bgr.resize(static_cast<std::size_t>(stride) * static_cast<std::size_t>(f->height));
        std::uint8_t* planes[4] = {bgr.data(), nullptr, nullptr, nullptr};
        int strides[4] = {stride, 0, 0, 0};
        if (scaler && f->width > 0 && f->height > 0 &&
            sws_scale(scaler.get(), f->data, f->linesize, 0, f->height, planes, strides) ==
                f->height) {
            ++stats.framesAnalysed;
            if (callbacks.onFrame) {
                callbacks.onFrame(Frame{t, f->width, f->height, bgr.data(), stride});
            }
        }
    }

    void checkDisk() {
        if (config.minFreeBytes == 0) {
            return;
        }
        const std::uint64_t free = freeBytes(config.outputDir);
        const bool low = free < config.minFreeBytes;
        if (low && !diskLow && callbacks.onDiskLow) {
            callbacks.onDiskLow(config.outputDir, free);
        }
        diskLow = low;
    }

    void openSegment(WallTime start) {
        checkDisk();
        const std::string base = safeFileName(config.camera) + "-" + compactUtc(start);
        std::filesystem::path path = config.outputDir / (base + ".ts");
        std::error_code ec;
        for (int n = 1; std::filesystem::exists(path, ec) && n < 1000; ++n) {
            path = config.outputDir / fmt::format("{}-{}.ts", base, n);
        }
        auto opened = SegmentWriter::open(path, outputs);
        if (!opened) {
            reportWriteError(opened.error());
            return;
        }
        writer = std::move(*opened);
        segmentStart = start;
        segmentPackets = 0;
    }

    void finishSegment(WallTime end) {
        if (!writer) {
            return;
        }
        auto done = writer->finish();
        writer.reset();
        if (!done) {
            reportWriteError(done.error());
            return;
        }
        ++stats.segments;
        if (callbacks.onSegment) {
            callbacks.onSegment(Segment{config.camera, done->path, segmentStart,
                                        std::max(end, segmentStart), done->bytes, done->sha256,
                                        segmentPackets});
        }
    }

    void reportWriteError(const std::string& message) {
        logger().error("camera {}: {}", config.camera, message);
        if (callbacks.onWriteError) {
            callbacks.onWriteError(message);
        }
    }

    struct SessionEnd {
        bool gotPackets = false;
        WallTime lastPacket;
    };

    // Records packets until the stream ends, fails, stalls or stop(): copied, or for a camera
    // whose pictures MPEG-TS cannot carry, decoded and encoded first. The pending gap is
    // reported at the first usable packet.
    SessionEnd record(AVFormatContext* input, std::optional<WallTime>& gapStart, bool live) {
        SessionEnd end;
        std::unique_ptr<AVPacket, PacketFree> packet(av_packet_alloc());
        if (!packet) {
            return end;
        }
        bool started = false;
        const auto segmentUs = static_cast<std::int64_t>(config.segmentSeconds * 1e6);
        std::int64_t retryAtUs = std::numeric_limits<std::int64_t>::min();
        WallTime wallBase;
        std::int64_t baseUs = 0;
        WallTime last;
        const auto toWall = [&](std::int64_t frameUs) {
            return wallBase + std::chrono::microseconds(frameUs - baseUs);
        };
        const int encodedOutput = encoder ? outputOf[static_cast<std::size_t>(reference)] : -1;
        const AVRational videoTimeBase = input->streams[reference]->time_base;

        // One packet of output stream `out` (time stamps in `tb`): anchors the wall clock,
        // cuts segments on the reference stream's keyframes, feeds a copied reference stream's
        // analysis, writes. Consumes the packet.
        const auto writePacket = [&](AVPacket* p, int out, AVRational tb, bool isReference) {
            const std::int64_t ts = p->pts != AV_NOPTS_VALUE ? p->pts : p->dts;
            const bool key = isReference && (p->flags & AV_PKT_FLAG_KEY) != 0;
            if (!started && (!key || ts == AV_NOPTS_VALUE)) {
                av_packet_unref(p);  // recording starts on a keyframe with a time stamp
                return;
            }
            const std::int64_t us =
                ts == AV_NOPTS_VALUE ? AV_NOPTS_VALUE : av_rescale_q(ts, tb, AV_TIME_BASE_Q);
            const auto arrival = std::chrono::system_clock::now();
            if (!started) {
                started = true;
                baseUs = us;
                // A file stands for the time it was filmed when the configuration says when.
                wallBase = !live && config.fileStart ? *config.fileStart : arrival;
                if (gapStart) {
                    ++stats.gaps;
                    if (callbacks.onSignalLost) {
                        callbacks.onSignalLost(
                            SignalGap{config.camera, *gapStart, std::max(arrival, *gapStart)});
                    }
                    gapStart.reset();
                }
            }
            WallTime t = last;
            if (us != AV_NOPTS_VALUE) {
                const auto media = std::chrono::microseconds(us - baseUs);
                t = wallBase + media;
                // A live camera's packet is never from the future: the anchor follows the
                // least delayed packet (the first ones arrive in a burst after probing), and
                // a clock that jumps back (camera reset) is re-anchored.
                if (live && (t > arrival || t < arrival - std::chrono::seconds(10))) {
                    wallBase = arrival - media;
                    t = arrival;
                }
            }
            if (!config.writeSegments) {  // a sub-stream read for the analysis tap only
                last = std::max(last, t);
                ++stats.packets;
                end.gotPackets = true;
                end.lastPacket = last;
                if (decoder && isReference) {
                    decode(p, [&](const AVFrame* f) { analyse(f, videoTimeBase, toWall); });
                }
                av_packet_unref(p);
                return;
            }
            if (key) {
                // Cut on the stream's own clock: the wall-clock anchor may move a little.
                const bool due =
                    writer && us != AV_NOPTS_VALUE &&
                    static_cast<double>(us - segmentStartUs) >= config.segmentSeconds * 1e6;
                if (due) {
                    finishSegment(t);
                }
                // After a write failure the next try is at the next segment boundary, so a
                // full disk gives one error a segment, not one a keyframe.
                if (!writer && us != AV_NOPTS_VALUE && us >= retryAtUs) {
                    openSegment(t);
                    segmentStartUs = us;
                    if (!writer) {
                        retryAtUs = us + segmentUs;
                    }
                }
            }
            if (!writer) {
                av_packet_unref(p);
                return;
            }
            if (isReference && p->duration > 0 && us != AV_NOPTS_VALUE) {
                last = std::max(last, t + std::chrono::microseconds(
                                              av_rescale_q(p->duration, tb, AV_TIME_BASE_Q)));
            } else {
                last = std::max(last, t);
            }
            ++stats.packets;
            ++segmentPackets;
            end.gotPackets = true;
            end.lastPacket = last;
            if (decoder && !encoder && isReference) {  // the analysis tap of a copied stream
                decode(p, [&](const AVFrame* f) { analyse(f, videoTimeBase, toWall); });
            }
            if (auto written = writer->write(p, out); !written) {
                writer.reset();  // removes the .part file
                retryAtUs = segmentStartUs + segmentUs;
                reportWriteError(written.error());
            }
        };
        // A decoded picture of a camera whose pictures are encoded: to the encoder first (its
        // packet anchors the clock), then to the analysis tap.
        const auto encodePicture = [&](const AVFrame* picture) {
            auto encoded = encoder->encode(picture, [&](AVPacket* p) {
                writePacket(p, encodedOutput, encoder->timeBase(), true);
            });
            if (!encoded) {
                logger().warn("camera {}: {}", config.camera, encoded.error());
            }
            if (started) {
                analyse(picture, videoTimeBase, toWall);
            }
        };

        while (!stop.load()) {
            arm();
            const int rc = av_read_frame(input, packet.get());
            if (rc == AVERROR(EAGAIN)) {
                continue;
            }
            if (rc < 0) {
                if (rc != AVERROR_EOF && rc != AVERROR_EXIT) {
                    logger().warn("camera {}: {}: {}", config.camera, shownUrl, avError(rc));
                }
                break;
            }
            AVPacket* p = packet.get();
            const int out =
                p->stream_index >= 0 && p->stream_index < static_cast<int>(outputOf.size())
                    ? outputOf[static_cast<std::size_t>(p->stream_index)]
                    : -1;
            if (out < 0) {
                av_packet_unref(p);
                continue;
            }
            const bool isReference = p->stream_index == reference;
            if (encoder && isReference) {
                decode(p, encodePicture);
                av_packet_unref(p);
                continue;
            }
            writePacket(p, out, input->streams[p->stream_index]->time_base, isReference);
        }
        if (encoder) {  // the pictures and packets still held
            decode(nullptr, encodePicture);
            encoder->flush(
                [&](AVPacket* p) { writePacket(p, encodedOutput, encoder->timeBase(), true); });
        } else if (decoder && started) {
            decode(nullptr, [&](const AVFrame* f) { analyse(f, videoTimeBase, toWall); });
        }
        if (writer) {
            finishSegment(last);
        }
        return end;
    }
};

Recorder::Recorder(RecorderConfig config, RecorderCallbacks callbacks)
    : m_impl(std::make_unique<Impl>()) {
    setUpFfmpeg();
    m_impl->config = std::move(config);
    m_impl->callbacks = std::move(callbacks);
    m_impl->shownUrl = redactUrl(m_impl->config.url);
}

Recorder::~Recorder() = default;

void Recorder::stop() {
    m_impl->stop.store(true);
    { std::lock_guard lock(m_impl->mutex); }
    m_impl->wake.notify_all();
}

bool Recorder::stopping() const {
    return m_impl->stop.load();
}

tl::expected<RecorderStats, std::string> Recorder::run() {
    Impl& s = *m_impl;
    const RecorderConfig& c = s.config;
    if (!(c.segmentSeconds > 0)) {
        return tl::unexpected(std::string("the segment length must be positive"));
    }
    std::error_code ec;
    if (c.writeSegments) {
        std::filesystem::create_directories(c.outputDir, ec);
    }
    if (c.writeSegments && (ec || !std::filesystem::is_directory(c.outputDir, ec))) {
        return tl::unexpected(
            fmt::format("{}: cannot create the directory: {}", c.outputDir.string(), ec.message()));
    }
    // A live camera, or a USB camera (unplugged and plugged back): reconnected until stop().
    const bool live = isNetworkUrl(c.url) || isDevice(c.url);
    std::optional<WallTime> gapStart;
    auto backoff = c.backoffInitial;
    while (!s.stop.load()) {
        auto input = s.openInput();
        if (!input) {
            if (!live) {
                return tl::unexpected(input.error());
            }
            if (!gapStart) {
                gapStart = std::chrono::system_clock::now();
            }
            if (s.stop.load()) {
                break;
            }
            logger().warn("camera {}: {}; retrying in {} ms", c.camera, input.error(),
                          backoff.count());
            if (s.callbacks.onConnectError) {
                s.callbacks.onConnectError(input.error());
            }
            s.waitFor(backoff);
            backoff = std::min(backoff * 2, c.backoffMax);
            continue;
        }
        ++s.stats.connects;
        logger().info("camera {}: recording {}", c.camera, s.shownUrl);
        const auto session = s.record(input->get(), gapStart, live);
        input.value().reset();
        if (!live || s.stop.load()) {
            break;
        }
        if (session.gotPackets) {
            gapStart = session.lastPacket;
            backoff = c.backoffInitial;
        } else if (!gapStart) {
            gapStart = std::chrono::system_clock::now();
        }
        logger().warn("camera {}: the stream dropped; reconnecting in {} ms", c.camera,
                      backoff.count());
        s.waitFor(backoff);
        backoff = std::min(backoff * 2, c.backoffMax);
    }
    if (gapStart && live) {
        ++s.stats.gaps;
        if (s.callbacks.onSignalLost) {
            const auto now = std::chrono::system_clock::now();
            s.callbacks.onSignalLost(
                SignalGap{c.camera, *gapStart, std::max(now, *gapStart), true});
        }
    }
    return s.stats;
}

std::uint64_t freeBytes(const std::filesystem::path& dir) {
    struct statvfs info {};
    if (::statvfs(dir.c_str(), &info) != 0) {
        return 0;
    }
    return static_cast<std::uint64_t>(info.f_bavail) * info.f_frsize;
}

}  // namespace examguard::monitor
