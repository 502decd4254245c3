#pragma once

#include <cstddef>
#include <cstdint>

#include "netaudit/anomaly.h"
#include "netaudit/types.h"

namespace examguard::netaudit {

struct ArpInfo {
    std::uint16_t operation = 0;  // 1 request, 2 reply
    MacAddress senderMac;
    IpAddress senderIp;
    MacAddress targetMac;
    IpAddress targetIp;
};

namespace tcpflag {
inline constexpr std::uint8_t kFin = 0x01;
inline constexpr std::uint8_t kSyn = 0x02;
inline constexpr std::uint8_t kRst = 0x04;
inline constexpr std::uint8_t kAck = 0x10;
}  // namespace tcpflag

// Layers 2-4 of one frame. Pointers refer into the frame buffer and are valid only while it is.
struct DecodedPacket {
    bool hasEthernet = false;
    MacAddress srcMac;
    MacAddress dstMac;
    std::uint16_t vlanId = 0;
    std::uint16_t etherType = 0;

    bool hasArp = false;
    ArpInfo arp;

    std::uint8_t ipVersion = 0;  // 0 when there is no (decodable) IP layer
    IpAddress srcIp;
    IpAddress dstIp;
    std::uint8_t ipProtocol = 0;  // 6 TCP, 17 UDP
    bool isFragment = false;
    const std::uint8_t* l3 = nullptr;  // start of the IP header (what nDPI wants)
    std::size_t l3Length = 0;

    bool hasL4 = false;  // TCP or UDP header decoded
    std::uint16_t srcPort = 0;
    std::uint16_t dstPort = 0;
    std::uint32_t tcpSeq = 0;
    std::uint32_t tcpAck = 0;
    std::uint8_t tcpFlags = 0;
    const std::uint8_t* payload = nullptr;
    std::size_t payloadLength = 0;
};

// DLT_* values the decoders understand.
bool isSupportedLinkType(int linkType);

// Decodes link, network and transport layers. Returns false (after counting an anomaly) when
// the frame is malformed; partially filled fields may remain and must be ignored.
bool decodeFrame(int linkType, const std::uint8_t* data, std::size_t length, DecodedPacket& out,
                 AnomalyCounters& anomalies);

}  // namespace examguard::netaudit
