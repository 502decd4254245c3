#include <pcap/pcap.h>
#include <poll.h>
#include <sys/stat.h>

#include <algorithm>
#include <atomic>

#include <fmt/format.h>

#include "logger.h"
#include "netaudit/decoded_packet.h"
#include "netaudit/packet_source.h"

namespace examguard::netaudit {

namespace {

struct PcapCloser {
    void operator()(pcap_t* p) const { pcap_close(p); }
};
using PcapHandle = std::unique_ptr<pcap_t, PcapCloser>;

tl::expected<void, Error> applyFilter(pcap_t* handle, const std::string& filter,
                                      const std::string& what) {
    if (filter.empty()) {
        return {};
    }
    bpf_program program{};
    if (pcap_compile(handle, &program, filter.c_str(), 1, PCAP_NETMASK_UNKNOWN) != 0) {
        return tl::unexpected(
            Error{ErrorCode::kBadFilter,
                  fmt::format("{}: filter '{}': {}", what, filter, pcap_geterr(handle))});
    }
    const int rc = pcap_setfilter(handle, &program);
    pcap_freecode(&program);
    if (rc != 0) {
        return tl::unexpected(
            Error{ErrorCode::kBadFilter, fmt::format("{}: {}", what, pcap_geterr(handle))});
    }
    return {};
}

class PcapSource final : public PacketSource {
public:
    PcapSource(PcapHandle handle, std::string description, int pollTimeoutMs = -1)
        : m_handle(std::move(handle)),
          m_description(std::move(description)),
          m_pollTimeoutMs(pollTimeoutMs),
          m_linkType(pcap_datalink(m_handle.get())) {}

    tl::expected<NextResult, Error> next(RawPacket& packet) override {
        if (m_stopped.load(std::memory_order_relaxed)) {
            return NextResult::kEnd;
        }
        if (m_pollTimeoutMs >= 0) {
            // Live: libpcap's read timeout does not fire on Linux while the ring stays empty, so
            // wait on the descriptor ourselves; a quiet interface must not block a timed audit.
            pollfd fd{pcap_get_selectable_fd(m_handle.get()), POLLIN, 0};
            const int ready = poll(&fd, 1, m_pollTimeoutMs);
            if (m_stopped.load(std::memory_order_relaxed)) {
                return NextResult::kEnd;
            }
            if (ready == 0) {
                return NextResult::kTimeout;
            }
        }
        pcap_pkthdr* header = nullptr;
        const u_char* data = nullptr;
        const int rc = pcap_next_ex(m_handle.get(), &header, &data);
        if (rc == 1) {
            packet.number = ++m_count;
            packet.timestampUs =
                std::int64_t{header->ts.tv_sec} * 1000000 + std::int64_t{header->ts.tv_usec};
            packet.data = data;
            packet.capturedLength = header->caplen;
            packet.wireLength = header->len;
            return NextResult::kPacket;
        }
        if (rc == 0) {
            return NextResult::kTimeout;
        }
        if (rc == PCAP_ERROR_BREAK) {
            return NextResult::kEnd;
        }
        return tl::unexpected(Error{ErrorCode::kCaptureReadFailed,
                                    fmt::format("{}: after packet {}: {}", m_description, m_count,
                                                pcap_geterr(m_handle.get()))});
    }

    int linkType() const override { return m_linkType; }
    std::string describe() const override { return m_description; }
    void stop() override {
        m_stopped.store(true, std::memory_order_relaxed);
        pcap_breakloop(m_handle.get());
    }

private:
    PcapHandle m_handle;
    std::string m_description;
    int m_pollTimeoutMs;
    int m_linkType;
    std::uint64_t m_count = 0;
    std::atomic<bool> m_stopped{false};
};

}  // namespace

tl::expected<std::unique_ptr<PacketSource>, Error> openCaptureFile(const std::string& path,
                                                                   const std::string& bpfFilter) {
    struct stat info {};
    if (stat(path.c_str(), &info) != 0) {
        return tl::unexpected(
            Error{ErrorCode::kFileNotFound, fmt::format("{}: no such file", path)});
    }
    char errbuf[PCAP_ERRBUF_SIZE] = {};
    PcapHandle handle(
        pcap_open_offline_with_tstamp_precision(path.c_str(), PCAP_TSTAMP_PRECISION_MICRO, errbuf));
    if (!handle) {
        return tl::unexpected(
            Error{ErrorCode::kCaptureOpenFailed,
                  fmt::format("{}: not a readable pcap/pcapng file: {}", path, errbuf)});
    }
    const int linkType = pcap_datalink(handle.get());
    if (!isSupportedLinkType(linkType)) {
        const char* name = pcap_datalink_val_to_name(linkType);
        return tl::unexpected(Error{ErrorCode::kUnsupportedLinkType,
                                    fmt::format("{}: link type {} ({}) is not supported", path,
                                                linkType, name ? name : "unknown")});
    }
    if (auto ok = applyFilter(handle.get(), bpfFilter, path); !ok) {
        return tl::unexpected(ok.error());
    }
    logger().debug("opened capture file {} (link type {})", path, linkType);
    return std::make_unique<PcapSource>(std::move(handle), path);
}

tl::expected<std::unique_ptr<PacketSource>, Error> openLiveCapture(const LiveOptions& options) {
    if (options.interfaceName.empty()) {
        return tl::unexpected(Error{ErrorCode::kInvalidArgument, "no capture interface given"});
    }
    if (options.snapLength < 64 || options.snapLength > 262144) {
        return tl::unexpected(
            Error{ErrorCode::kInvalidArgument,
                  fmt::format("snap length {} outside 64..262144", options.snapLength)});
    }
    char errbuf[PCAP_ERRBUF_SIZE] = {};
    PcapHandle handle(pcap_create(options.interfaceName.c_str(), errbuf));
    if (!handle) {
        return tl::unexpected(Error{ErrorCode::kCaptureOpenFailed,
                                    fmt::format("{}: {}", options.interfaceName, errbuf)});
    }
    pcap_set_snaplen(handle.get(), options.snapLength);
    pcap_set_promisc(handle.get(), options.promiscuous ? 1 : 0);
    pcap_set_timeout(handle.get(), options.readTimeoutMs);
    pcap_set_immediate_mode(handle.get(), 1);
    const int rc = pcap_activate(handle.get());
    if (rc < 0) {
        return tl::unexpected(Error{ErrorCode::kCaptureOpenFailed,
                                    fmt::format("{}: {} ({})", options.interfaceName,
                                                pcap_statustostr(rc), pcap_geterr(handle.get()))});
    }
    if (rc > 0) {
        logger().warn("{}: {}", options.interfaceName, pcap_statustostr(rc));
    }
    const int linkType = pcap_datalink(handle.get());
    if (!isSupportedLinkType(linkType)) {
        return tl::unexpected(Error{
            ErrorCode::kUnsupportedLinkType,
            fmt::format("{}: link type {} is not supported", options.interfaceName, linkType)});
    }
    if (auto ok = applyFilter(handle.get(), options.bpfFilter, options.interfaceName); !ok) {
        return tl::unexpected(ok.error());
    }
    if (pcap_setnonblock(handle.get(), 1, errbuf) != 0) {
        return tl::unexpected(Error{ErrorCode::kCaptureOpenFailed,
                                    fmt::format("{}: {}", options.interfaceName, errbuf)});
    }
    return std::make_unique<PcapSource>(std::move(handle), "live:" + options.interfaceName,
                                        std::max(options.readTimeoutMs, 1));
}

}  // namespace examguard::netaudit
