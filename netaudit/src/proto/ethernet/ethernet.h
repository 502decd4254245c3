#pragma once

#include "byte_reader.h"
#include "netaudit/decoded_packet.h"

namespace examguard::netaudit::proto {

inline constexpr std::uint16_t kEtherTypeIpv4 = 0x0800;
inline constexpr std::uint16_t kEtherTypeArp = 0x0806;
inline constexpr std::uint16_t kEtherTypeIpv6 = 0x86dd;

// Ethernet II with up to four 802.1Q / 802.1ad tags and PPPoE sessions. On success the reader is
// positioned at the network layer and out.etherType names it.
bool decodeEthernet(ByteReader& reader, DecodedPacket& out, AnomalyCounters& anomalies);

}  // namespace examguard::netaudit::proto
