#include "segment_writer.h"

#include <fcntl.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>

#include <fmt/format.h>
#include <openssl/evp.h>

extern "C" {
#include <libavformat/avformat.h>
#include <libavutil/error.h>
}

#include "av_util.h"

namespace examguard::monitor {

struct SegmentWriter::State {
    std::filesystem::path final;
    std::filesystem::path part;
    int fd = -1;
    AVFormatContext* out = nullptr;
    AVIOContext* io = nullptr;
    EVP_MD_CTX* sha = nullptr;
    std::uint64_t bytes = 0;
    int writeErrno = 0;  // first failed write(2)
    std::vector<std::int64_t> lastDts;
    std::vector<AVRational> inputTimeBase;
    bool headerWritten = false;
    bool finished = false;

    ~State() {
        if (out != nullptr) {
            avformat_free_context(out);
        }
        if (io != nullptr) {
            av_freep(&io->buffer);
            avio_context_free(&io);
        }
        if (fd >= 0) {
            ::close(fd);
        }
        if (!finished && !part.empty()) {
            std::error_code ec;
            std::filesystem::remove(part, ec);
        }
        EVP_MD_CTX_free(sha);
    }
};

namespace {

// FFmpeg 6.1 made the write callback's buffer const.
#if LIBAVFORMAT_VERSION_MAJOR >= 61
using WriteBuffer = const std::uint8_t*;
#else
using WriteBuffer = std::uint8_t*;
#endif

// avio write callback: every byte of the file goes through here.
int writeBytes(void* opaque, WriteBuffer data, int size) {
    auto* s = static_cast<SegmentWriter::State*>(opaque);
    int left = size;
    while (left > 0) {
        const ssize_t n = ::write(s->fd, data + (size - left), static_cast<std::size_t>(left));
        if (n < 0) {
            if (errno == EINTR) {
                continue;
            }
            s->writeErrno = errno;
            return AVERROR(errno);
        }
        left -= static_cast<int>(n);
    }
    EVP_DigestUpdate(s->sha, data, static_cast<std::size_t>(size));
    s->bytes += static_cast<std::uint64_t>(size);
    return size;
}

std::string hex(const unsigned char* data, unsigned size) {
    static constexpr char kDigits[] = "0123456789abcdef";
    std::string out;
    out.reserve(size * 2);
    for (unsigned i = 0; i < size; ++i) {
        out.push_back(kDigits[data[i] >> 4]);
        out.push_back(kDigits[data[i] & 15]);
    }
    return out;
}

tl::expected<void, std::string> syncDirectory(const std::filesystem::path& dir) {
    const int fd = ::open(dir.c_str(), O_RDONLY | O_DIRECTORY | O_CLOEXEC);
    if (fd < 0) {
        return tl::unexpected(fmt::format("{}: {}", dir.string(), std::strerror(errno)));
    }
    const int rc = ::fsync(fd);
    const int err = errno;
    ::close(fd);
    if (rc != 0) {
        return tl::unexpected(fmt::format("{}: fsync: {}", dir.string(), std::strerror(err)));
    }
    return {};
}

}  // namespace

tl::expected<std::unique_ptr<SegmentWriter>, std::string> SegmentWriter::open(
    const std::filesystem::path& final, const std::vector<OutputStream>& streams) {
    std::unique_ptr<SegmentWriter> w(new SegmentWriter());
    w->m_state = std::make_unique<State>();
    State& s = *w->m_state;
    s.final = final;
    s.part = final;
    s.part += ".part";
    std::error_code ec;
    if (std::filesystem::exists(final, ec)) {
        return tl::unexpected(fmt::format("{}: already exists", final.string()));
    }
    s.fd = ::open(s.part.c_str(), O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0640);
    if (s.fd < 0) {
        const int err = errno;
        s.part.clear();  // not ours: never remove it
        return tl::unexpected(fmt::format("{}: {}", final.string() + ".part", std::strerror(err)));
    }
    s.sha = EVP_MD_CTX_new();
    if (s.sha == nullptr || EVP_DigestInit_ex(s.sha, EVP_sha256(), nullptr) != 1) {
        return tl::unexpected(std::string("SHA-256 is not available"));
    }
    if (avformat_alloc_output_context2(&s.out, nullptr, "mpegts", nullptr) < 0 ||
        s.out == nullptr) {
        return tl::unexpected(std::string("libavformat has no MPEG-TS muxer"));
    }
    constexpr int kBufferSize = 64 * 1024;
    auto* buffer = static_cast<unsigned char*>(av_malloc(kBufferSize));
    s.io = buffer == nullptr
               ? nullptr
               : avio_alloc_context(buffer, kBufferSize, 1, &s, nullptr, writeBytes, nullptr);
    if (s.io == nullptr) {
        av_free(buffer);
        return tl::unexpected(std::string("out of memory"));
    }
    s.out->pb = s.io;
    s.out->flags |= AVFMT_FLAG_CUSTOM_IO;
    for (const OutputStream& in : streams) {
        AVStream* st = avformat_new_stream(s.out, nullptr);
        if (st == nullptr || avcodec_parameters_copy(st->codecpar, in.parameters) < 0) {
            return tl::unexpected(std::string("out of memory"));
        }
        st->codecpar->codec_tag = 0;
        st->time_base = AVRational{in.timeBaseNum, in.timeBaseDen};
        s.inputTimeBase.push_back(st->time_base);
        s.lastDts.push_back(AV_NOPTS_VALUE);
    }
    const int rc = avformat_write_header(s.out, nullptr);
    if (rc < 0) {
        return tl::unexpected(
            fmt::format("{}: cannot start MPEG-TS: {}", final.string(), avError(rc)));
    }
    s.headerWritten = true;
    return w;
}

SegmentWriter::~SegmentWriter() = default;

tl::expected<void, std::string> SegmentWriter::write(AVPacket* packet, int outputStream) {
    State& s = *m_state;
    if (outputStream < 0 || outputStream >= static_cast<int>(s.lastDts.size())) {
        av_packet_unref(packet);
        return {};
    }
    // Cameras send no B-frames: a packet with only a pts decodes when it is presented.
    if (packet->dts == AV_NOPTS_VALUE) {
        packet->dts = packet->pts;
    }
    std::int64_t& last = s.lastDts[static_cast<std::size_t>(outputStream)];
    if (packet->dts == AV_NOPTS_VALUE || (last != AV_NOPTS_VALUE && packet->dts <= last)) {
        av_packet_unref(packet);  // no time stamp or going backwards: the muxer would reject it
        return {};
    }
    last = packet->dts;
    AVStream* st = s.out->streams[outputStream];
    av_packet_rescale_ts(packet, s.inputTimeBase[static_cast<std::size_t>(outputStream)],
                         st->time_base);
    packet->stream_index = outputStream;
    packet->pos = -1;
    const int rc = av_interleaved_write_frame(s.out, packet);
    av_packet_unref(packet);
    if (rc < 0) {
        return tl::unexpected(fmt::format(
            "{}: {}", s.final.string(),
            s.writeErrno != 0 ? std::string(std::strerror(s.writeErrno)) : avError(rc)));
    }
    return {};
}

tl::expected<WrittenSegment, std::string> SegmentWriter::finish() {
    State& s = *m_state;
    const int rc = av_write_trailer(s.out);
    avio_flush(s.io);
    if (rc < 0 || s.writeErrno != 0 || s.io->error < 0) {
        return tl::unexpected(fmt::format("{}: {}", s.final.string(),
                                          s.writeErrno != 0
                                              ? std::string(std::strerror(s.writeErrno))
                                              : avError(rc < 0 ? rc : s.io->error)));
    }
    if (::fsync(s.fd) != 0) {
        return tl::unexpected(fmt::format("{}: fsync: {}", s.part.string(), std::strerror(errno)));
    }
    if (::close(s.fd) != 0) {
        s.fd = -1;
        return tl::unexpected(fmt::format("{}: close: {}", s.part.string(), std::strerror(errno)));
    }
    s.fd = -1;
    // Never replace a file someone else created meanwhile.
    if (::link(s.part.c_str(), s.final.c_str()) != 0) {
        return tl::unexpected(fmt::format("{}: {}", s.final.string(), std::strerror(errno)));
    }
    std::error_code ec;
    std::filesystem::remove(s.part, ec);
    s.finished = true;
    if (auto synced = syncDirectory(s.final.parent_path()); !synced) {
        return tl::unexpected(synced.error());
    }
    unsigned char digest[EVP_MAX_MD_SIZE];
    unsigned length = 0;
    EVP_DigestFinal_ex(s.sha, digest, &length);
    return WrittenSegment{s.final, s.bytes, hex(digest, length)};
}

}  // namespace examguard::monitor
