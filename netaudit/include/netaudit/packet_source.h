#pragma once

#include <cstdint>
#include <memory>
#include <string>

#include <tl/expected.hpp>

#include "netaudit/error.h"

namespace examguard::netaudit {

// One captured frame as the source delivered it. `data` stays valid until the next call to next().
struct RawPacket {
    std::uint64_t number = 0;      // 1-based, as Wireshark numbers frames
    std::int64_t timestampUs = 0;  // microseconds since the Unix epoch
    const std::uint8_t* data = nullptr;
    std::uint32_t capturedLength = 0;
    std::uint32_t wireLength = 0;
};

enum class NextResult { kPacket, kTimeout, kEnd };

// Capture files and live interfaces behind one interface, so the audit code cannot tell them apart.
class PacketSource {
public:
    virtual ~PacketSource() = default;
    // kPacket fills `packet`; kTimeout means a live source saw nothing within its read timeout;
    // kEnd means the file is exhausted or the source was stopped.
    virtual tl::expected<NextResult, Error> next(RawPacket& packet) = 0;
    // libpcap DLT_* value of every packet this source yields.
    virtual int linkType() const = 0;
    virtual std::string describe() const = 0;
    // Safe to call from another thread or a signal handler's helper: makes next() return kEnd.
    virtual void stop() = 0;
};

struct LiveOptions {
    std::string interfaceName;
    std::string bpfFilter;  // empty: everything
    int snapLength = 65535;
    bool promiscuous = true;
    int readTimeoutMs = 100;
};

// pcap or pcapng, any link type the decoders know (Ethernet, DLT_NULL, Linux cooked v1/v2, raw IP).
tl::expected<std::unique_ptr<PacketSource>, Error> openCaptureFile(
    const std::string& path, const std::string& bpfFilter = {});
tl::expected<std::unique_ptr<PacketSource>, Error> openLiveCapture(const LiveOptions& options);

}  // namespace examguard::netaudit
