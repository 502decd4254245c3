#include "transcoder.h"

#include <cmath>

#include <fmt/format.h>

extern "C" {
#include <libavutil/frame.h>
#include <libavutil/opt.h>
#include <libswscale/swscale.h>
}

#include "av_util.h"

namespace examguard::monitor {

struct VideoEncoder::State {
    AVCodecContext* ctx = nullptr;
    AVCodecParameters* parameters = nullptr;
    AVFrame* picture = nullptr;  // the frame converted to the encoder's size and format
    AVPacket* packet = nullptr;
    SwsContext* scaler = nullptr;
    std::int64_t keyframeInterval = 0;  // in the time base
    std::int64_t nextKeyframe = AV_NOPTS_VALUE;
    std::int64_t lastPts = AV_NOPTS_VALUE;

    ~State() {
        sws_freeContext(scaler);
        av_packet_free(&packet);
        av_frame_free(&picture);
        avcodec_parameters_free(&parameters);
        avcodec_free_context(&ctx);
    }

    void drain(const PacketSink& sink) {
        while (avcodec_receive_packet(ctx, packet) == 0) {
            sink(packet);
        }
    }
};

bool transportStreamCarries(AVCodecID codec) {
    // The codecs FFmpeg's MPEG-TS muxer gives a standard stream type (libavformat/mpegtsenc.c);
    // anything else it would write as private data that no player decodes.
    // avformat_query_codec cannot tell: the muxer has no codec table.
    switch (codec) {
        case AV_CODEC_ID_MPEG1VIDEO:
        case AV_CODEC_ID_MPEG2VIDEO:
        case AV_CODEC_ID_MPEG4:
        case AV_CODEC_ID_H264:
        case AV_CODEC_ID_HEVC:
        case AV_CODEC_ID_CAVS:
        case AV_CODEC_ID_VC1:
        case AV_CODEC_ID_MP2:
        case AV_CODEC_ID_MP3:
        case AV_CODEC_ID_AAC:
        case AV_CODEC_ID_AAC_LATM:
        case AV_CODEC_ID_AC3:
        case AV_CODEC_ID_EAC3:
        case AV_CODEC_ID_OPUS:
            return true;
        default:
            return false;
    }
}

tl::expected<std::unique_ptr<VideoEncoder>, std::string> VideoEncoder::open(
    int width, int height, AVRational timeBase, AVRational frameRate, double keyframeSeconds) {
    if (width <= 0 || height <= 0 || width > 8192 || height > 8192 || timeBase.num <= 0 ||
        timeBase.den <= 0) {
        return tl::unexpected(fmt::format("cannot encode a {}x{} picture", width, height));
    }
    const AVCodec* codec = avcodec_find_encoder_by_name("libx264");
    if (codec == nullptr) {
        return tl::unexpected(std::string("libavcodec has no H.264 encoder (libx264)"));
    }
    std::unique_ptr<VideoEncoder> e(new VideoEncoder());
    e->m_state = std::make_unique<State>();
    State& s = *e->m_state;
    s.ctx = avcodec_alloc_context3(codec);
    s.parameters = avcodec_parameters_alloc();
    s.picture = av_frame_alloc();
    s.packet = av_packet_alloc();
    if (!s.ctx || !s.parameters || !s.picture || !s.packet) {
        return tl::unexpected(std::string("out of memory"));
    }
    // Even sizes: 4:2:0 chroma is subsampled in both directions.
    s.ctx->width = width & ~1;
    s.ctx->height = height & ~1;
    if (s.ctx->width == 0 || s.ctx->height == 0) {
        return tl::unexpected(fmt::format("cannot encode a {}x{} picture", width, height));
    }
    s.ctx->pix_fmt = AV_PIX_FMT_YUV420P;
    s.ctx->time_base = timeBase;
    if (frameRate.num > 0 && frameRate.den > 0) {
        s.ctx->framerate = frameRate;
    }
    s.ctx->max_b_frames = 0;
    s.ctx->gop_size = 600;  // IDR pictures are forced on time (below); this is a backstop
    s.ctx->thread_count = 1;
    av_opt_set(s.ctx->priv_data, "preset", "ultrafast", 0);
    av_opt_set(s.ctx->priv_data, "tune", "zerolatency", 0);
    av_opt_set(s.ctx->priv_data, "crf", "23", 0);
    av_opt_set(s.ctx->priv_data, "forced-idr", "1", 0);
    // No global header: SPS and PPS repeat before every IDR picture, so each segment plays alone.
    if (int rc = avcodec_open2(s.ctx, codec, nullptr); rc < 0) {
        return tl::unexpected(fmt::format("the H.264 encoder does not open: {}", avError(rc)));
    }
    if (avcodec_parameters_from_context(s.parameters, s.ctx) < 0) {
        return tl::unexpected(std::string("out of memory"));
    }
    s.picture->format = s.ctx->pix_fmt;
    s.picture->width = s.ctx->width;
    s.picture->height = s.ctx->height;
    if (av_frame_get_buffer(s.picture, 0) < 0) {
        return tl::unexpected(std::string("out of memory"));
    }
    s.keyframeInterval = std::max<std::int64_t>(
        1, std::llround(keyframeSeconds * timeBase.den / static_cast<double>(timeBase.num)));
    return e;
}

VideoEncoder::~VideoEncoder() = default;

tl::expected<void, std::string> VideoEncoder::encode(const AVFrame* frame, const PacketSink& sink) {
    State& s = *m_state;
    const std::int64_t pts =
        frame->best_effort_timestamp != AV_NOPTS_VALUE ? frame->best_effort_timestamp : frame->pts;
    if (pts == AV_NOPTS_VALUE || (s.lastPts != AV_NOPTS_VALUE && pts <= s.lastPts) ||
        frame->width <= 0 || frame->height <= 0) {
        return {};  // the encoder takes strictly increasing time stamps only
    }
    s.scaler = sws_getCachedContext(
        s.scaler, frame->width, frame->height, static_cast<AVPixelFormat>(frame->format),
        s.ctx->width, s.ctx->height, s.ctx->pix_fmt, SWS_BILINEAR, nullptr, nullptr, nullptr);
    if (s.scaler == nullptr || av_frame_make_writable(s.picture) < 0) {
        return tl::unexpected(fmt::format("cannot convert a {}x{} picture of format {}",
                                          frame->width, frame->height, frame->format));
    }
    if (sws_scale(s.scaler, frame->data, frame->linesize, 0, frame->height, s.picture->data,
                  s.picture->linesize) != s.ctx->height) {
        return tl::unexpected(std::string("picture conversion failed"));
    }
    s.lastPts = pts;
    s.picture->pts = pts;
    s.picture->pict_type = AV_PICTURE_TYPE_NONE;
    if (s.nextKeyframe == AV_NOPTS_VALUE || pts >= s.nextKeyframe) {
        s.picture->pict_type = AV_PICTURE_TYPE_I;
        s.nextKeyframe = pts + s.keyframeInterval;
    }
    if (int rc = avcodec_send_frame(s.ctx, s.picture); rc < 0) {
        return tl::unexpected(fmt::format("H.264 encoding failed: {}", avError(rc)));
    }
#if LIBAVUTIL_VERSION_INT >= AV_VERSION_INT(57, 30, 100)
    const std::int64_t duration = frame->duration;
#else
    const std::int64_t duration = frame->pkt_duration;
#endif
    // Without B-frames or look-ahead the packet is this picture's: the encoder does not carry
    // the duration over, and the segment's end is its last picture's end.
    s.drain([&](AVPacket* p) {
        if (p->duration <= 0 && p->pts == pts) {
            p->duration = duration;
        }
        sink(p);
    });
    return {};
}

void VideoEncoder::flush(const PacketSink& sink) {
    State& s = *m_state;
    if (avcodec_send_frame(s.ctx, nullptr) == 0) {
        s.drain(sink);
    }
}

const AVCodecParameters* VideoEncoder::parameters() const {
    return m_state->parameters;
}

AVRational VideoEncoder::timeBase() const {
    return m_state->ctx->time_base;
}

}  // namespace examguard::monitor
