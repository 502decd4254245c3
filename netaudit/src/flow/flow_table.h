#pragma once

#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <unordered_map>
#include <vector>

#include "ndpi/ndpi_classifier.h"
#include "netaudit/decoded_packet.h"
#include "netaudit/signatures.h"
#include "netaudit/types.h"

namespace examguard::netaudit {

// Direction-independent 5-tuple: both directions of a conversation find the same flow.
struct FlowKey {
    IpAddress a;
    IpAddress b;
    std::uint16_t portA = 0;
    std::uint16_t portB = 0;
    std::uint8_t protocol = 0;

    static FlowKey of(const DecodedPacket& p);
    bool operator==(const FlowKey&) const = default;
};

struct FlowKeyHash {
    std::size_t operator()(const FlowKey& k) const noexcept {
        const IpHash h;
        return h(k.a) * 31 + h(k.b) * 17 + (std::size_t{k.portA} << 16 | k.portB) * 7 + k.protocol;
    }
};

// The first bytes of one direction of a TCP stream, in sequence order. Enough to read a TLS
// ClientHello or certificate split over segments; later bytes are not kept.
class StreamBuffer {
public:
    static constexpr std::size_t kMaxBytes = 16 * 1024;
    static constexpr std::size_t kMaxPending = 8;

    // Returns true when new in-order bytes were appended.
    bool add(std::uint32_t seq, bool syn, const std::uint8_t* data, std::size_t length,
             std::uint64_t packetNumber);
    const std::vector<std::uint8_t>& bytes() const { return m_bytes; }
    bool full() const { return m_bytes.size() >= kMaxBytes; }
    void release() {
        m_bytes = {};
        m_pending = {};
    }
    bool sawGap() const { return m_gap; }

private:
    struct Pending {
        std::uint32_t seq;
        std::vector<std::uint8_t> data;
    };
    void append(const std::uint8_t* data, std::size_t length);

    bool m_seqKnown = false;
    std::uint32_t m_nextSeq = 0;
    bool m_gap = false;
    std::vector<std::uint8_t> m_bytes;
    std::vector<Pending> m_pending;
};

struct Detection {
    std::size_t appIndex = 0;
    std::string evidence;
    std::uint64_t packet = 0;
    std::int64_t timestampUs = 0;
};

struct FlowDirection {
    MacAddress mac;
    bool hasMac = false;
    std::uint32_t payloadPackets = 0;
    StreamBuffer stream;
    bool inspecting = true;
};

struct Flow {
    FlowKey key;
    std::uint8_t protocol = 0;
    IpAddress clientIp;
    IpAddress serverIp;
    std::uint16_t clientPort = 0;
    std::uint16_t serverPort = 0;
    std::uint64_t firstPacket = 0;
    std::int64_t firstSeenUs = 0;
    std::int64_t lastSeenUs = 0;
    std::uint64_t packets = 0;
    bool serverAnswered = false;
    std::uint64_t serverAnsweredPacket = 0;
    std::int64_t serverAnsweredUs = 0;
    FlowDirection dir[2];  // 0: client to server

    bool tlsClientDone = false;
    bool tlsServerDone = false;
    bool httpDone = false;
    std::string serverName;  // SNI or HTTP Host

    std::optional<Detection> detection;       // from the signature table
    std::optional<Detection> ndpiDetection;   // from nDPI
    std::optional<SignatureMatch> portMatch;  // reported only once the server answers

    std::unique_ptr<NdpiFlow> ndpi;
    bool ndpiDone = false;
    std::uint32_t ndpiPackets = 0;
    std::string ndpiLabel;

    std::string describe() const;  // "tcp 10.0.2.15:35732 -> 162.250.2.170:5938"
};

}  // namespace examguard::netaudit
