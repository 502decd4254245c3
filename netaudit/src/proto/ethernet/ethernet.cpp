#include "proto/ethernet/ethernet.h"

#include <algorithm>

namespace examguard::netaudit::proto {

namespace {
constexpr std::uint16_t kVlan = 0x8100;
constexpr std::uint16_t kQinQ = 0x88a8;
constexpr std::uint16_t kPppoeSession = 0x8864;
constexpr int kMaxVlanTags = 4;  // deeper stacks are not seen on exam LANs; stop a crafted loop
}  // namespace

bool decodeEthernet(ByteReader& reader, DecodedPacket& out, AnomalyCounters& anomalies) {
    if (!reader.has(14)) {
        anomalies.add(Anomaly::kTruncatedEthernetHeader);
        return false;
    }
    const std::uint8_t* p = reader.current();
    std::copy(p, p + 6, out.dstMac.bytes.begin());
    std::copy(p + 6, p + 12, out.srcMac.bytes.begin());
    reader.skip(12);
    out.hasEthernet = true;
    std::uint16_t type = 0;
    reader.u16(type);
    for (int tags = 0; (type == kVlan || type == kQinQ) && tags < kMaxVlanTags; ++tags) {
        std::uint16_t tci = 0;
        if (!reader.u16(tci) || !reader.u16(type)) {
            anomalies.add(Anomaly::kTruncatedVlanHeader);
            return false;
        }
        out.vlanId = tci & 0x0fff;
    }
    if (type == kPppoeSession) {
        // PPPoE session: version/type, code, session id, length, then the PPP protocol number.
        std::uint16_t pppProtocol = 0;
        if (!reader.skip(6) || !reader.u16(pppProtocol)) {
            anomalies.add(Anomaly::kTruncatedPppoeHeader);
            return false;
        }
        type = pppProtocol == 0x0021 ? kEtherTypeIpv4 : pppProtocol == 0x0057 ? kEtherTypeIpv6 : 0;
    }
    out.etherType = type;
    return true;
}

}  // namespace examguard::netaudit::proto
