#include "monitor/clip_writer.h"

#include <memory>

#include <fmt/format.h>

extern "C" {
#include <libavutil/frame.h>
}

#include "logger.h"
#include "segment_writer.h"
#include "transcoder.h"

namespace examguard::monitor {

tl::expected<void, std::string> writeClip(
    const std::filesystem::path& path, const ClipSpec& spec,
    const std::function<void(int index, std::uint8_t* bgr, int stride)>& draw) {
    if (spec.fps <= 0 || spec.fps > 120 || spec.frames <= 0) {
        return tl::unexpected(fmt::format("{}: {} pictures at {} fps cannot be written",
                                          path.string(), spec.frames, spec.fps));
    }
    setUpFfmpeg();
    const AVRational timeBase{1, spec.fps};
    auto encoder = VideoEncoder::open(spec.width, spec.height, timeBase, {spec.fps, 1}, 1.0);
    if (!encoder) {
        return tl::unexpected(fmt::format("{}: {}", path.string(), encoder.error()));
    }
    std::error_code ec;
    std::filesystem::remove(path, ec);  // a clip from an earlier run is replaced
    auto writer =
        SegmentWriter::open(path, {{(*encoder)->parameters(), timeBase.num, timeBase.den}});
    if (!writer) {
        return tl::unexpected(writer.error());
    }
    std::unique_ptr<AVFrame, void (*)(AVFrame*)> picture(av_frame_alloc(),
                                                         [](AVFrame* f) { av_frame_free(&f); });
    if (!picture) {
        return tl::unexpected(std::string("out of memory"));
    }
    picture->format = AV_PIX_FMT_BGR24;
    picture->width = spec.width;
    picture->height = spec.height;
    if (av_frame_get_buffer(picture.get(), 0) < 0) {
        return tl::unexpected(std::string("out of memory"));
    }
    std::string failure;
    const auto sink = [&](AVPacket* packet) {
        if (auto r = (*writer)->write(packet, 0); !r && failure.empty()) {
            failure = r.error();
        }
    };
    for (int i = 0; i < spec.frames && failure.empty(); ++i) {
        if (av_frame_make_writable(picture.get()) < 0) {
            return tl::unexpected(std::string("out of memory"));
        }
        draw(i, picture->data[0], picture->linesize[0]);
        picture->pts = i;
        picture->best_effort_timestamp = i;
#if LIBAVUTIL_VERSION_INT >= AV_VERSION_INT(57, 30, 100)
        picture->duration = 1;
#else
        picture->pkt_duration = 1;
#endif
        if (auto r = (*encoder)->encode(picture.get(), sink); !r) {
            return tl::unexpected(fmt::format("{}: {}", path.string(), r.error()));
        }
    }
    (*encoder)->flush(sink);
    if (!failure.empty()) {
        return tl::unexpected(failure);  // the writer removes its .part file
    }
    auto done = (*writer)->finish();
    if (!done) {
        return tl::unexpected(done.error());
    }
    return {};
}

}  // namespace examguard::monitor
