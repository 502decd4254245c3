#pragma once

// Pictures MPEG-TS cannot carry (a USB camera's MJPEG or raw YUYV) are encoded to H.264 with
// libx264: one thread, ultrafast, no B-frames, no look-ahead (a packet leaves with its frame),
// and an IDR picture forced every `keyframeSeconds` of stream time, so segments can be cut on
// time as for a network camera. Everything else is recorded by stream copy; this is the one
// place the recorder re-encodes.
#include <cstdint>
#include <functional>
#include <memory>
#include <string>

#include <tl/expected.hpp>

extern "C" {
#include <libavcodec/avcodec.h>
}

namespace examguard::monitor {

class VideoEncoder {
public:
    // `timeBase` is the time base of the frames' pts (the input stream's); the packets come out
    // in it too. `frameRate` may be {0, 1} when unknown.
    static tl::expected<std::unique_ptr<VideoEncoder>, std::string> open(int width, int height,
                                                                         AVRational timeBase,
                                                                         AVRational frameRate,
                                                                         double keyframeSeconds);
    ~VideoEncoder();
    VideoEncoder(const VideoEncoder&) = delete;
    VideoEncoder& operator=(const VideoEncoder&) = delete;

    using PacketSink = std::function<void(AVPacket*)>;
    // Encodes one decoded picture (any pixel format, the size given at open; others are
    // scaled) and hands every packet that is ready to `sink` (the packet is the sink's to unref).
    tl::expected<void, std::string> encode(const AVFrame* frame, const PacketSink& sink);
    // Drains the encoder at the end of a recording session.
    void flush(const PacketSink& sink);

    const AVCodecParameters* parameters() const;
    AVRational timeBase() const;

    struct State;

private:
    VideoEncoder() = default;
    std::unique_ptr<State> m_state;
};

// True when the MPEG-TS muxer can carry the codec as it is.
bool transportStreamCarries(AVCodecID codec);

}  // namespace examguard::monitor
