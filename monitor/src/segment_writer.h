#pragma once

// One MPEG-TS segment being written: libavformat's mpegts muxer over our own AVIOContext, so
// the SHA-256 and the byte count are taken from exactly the bytes that reach the file.
#include <cstdint>
#include <filesystem>
#include <memory>
#include <string>
#include <vector>

#include <tl/expected.hpp>

struct AVCodecParameters;
struct AVPacket;

namespace examguard::monitor {

struct WrittenSegment {
    std::filesystem::path path;
    std::uint64_t bytes = 0;
    std::string sha256;
};

// One stream of a segment: the parameters of what is written (an input stream's, copied, or
// the encoder's) and the time base of the packets handed to write().
struct OutputStream {
    const AVCodecParameters* parameters = nullptr;
    int timeBaseNum = 1;
    int timeBaseDen = 90000;
};

class SegmentWriter {
public:
    // Creates `final + ".part"` (never overwriting) with one output stream per entry.
    static tl::expected<std::unique_ptr<SegmentWriter>, std::string> open(
        const std::filesystem::path& final, const std::vector<OutputStream>& streams);
    ~SegmentWriter();  // an unfinished segment's .part file is removed
    SegmentWriter(const SegmentWriter&) = delete;
    SegmentWriter& operator=(const SegmentWriter&) = delete;

    // `outputStream` is the position in `streams`; the packet's timestamps are in that
    // stream's time base. The packet is consumed (unreferenced).
    tl::expected<void, std::string> write(AVPacket* packet, int outputStream);
    // Trailer, flush, fsync, rename to the final name, fsync the directory.
    tl::expected<WrittenSegment, std::string> finish();

    struct State;  // defined in segment_writer.cpp

private:
    SegmentWriter() = default;
    std::unique_ptr<State> m_state;
};

}  // namespace examguard::monitor
