#pragma once

// One MPEG-TS segment being written: libavformat's mpegts muxer over our own AVIOContext, so
// the SHA-256 and the byte count are taken from exactly the bytes that reach the file.
#include <cstdint>
#include <filesystem>
#include <memory>
#include <string>
#include <vector>

#include <tl/expected.hpp>

struct AVFormatContext;
struct AVPacket;

namespace examguard::monitor {

struct WrittenSegment {
    std::filesystem::path path;
    std::uint64_t bytes = 0;
    std::string sha256;
};

class SegmentWriter {
public:
    // Creates `final + ".part"` (never overwriting) with one output stream per entry of
    // `inputStreams` (indices into `input`'s streams), parameters copied.
    static tl::expected<std::unique_ptr<SegmentWriter>, std::string> open(
        const std::filesystem::path& final, const AVFormatContext* input,
        const std::vector<int>& inputStreams);
    ~SegmentWriter();  // an unfinished segment's .part file is removed
    SegmentWriter(const SegmentWriter&) = delete;
    SegmentWriter& operator=(const SegmentWriter&) = delete;

    // `outputStream` is the position in inputStreams; the packet's timestamps are in the
    // input stream's time base. The packet is consumed (unreferenced).
    tl::expected<void, std::string> write(AVPacket* packet, int outputStream);
    // Trailer, flush, fsync, rename to the final name, fsync the directory.
    tl::expected<WrittenSegment, std::string> finish();

    struct State;  // defined in segment_writer.cpp

private:
    SegmentWriter() = default;
    std::unique_ptr<State> m_state;
};

}  // namespace examguard::monitor
