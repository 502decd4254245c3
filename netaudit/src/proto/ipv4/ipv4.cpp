#include "proto/ipv4/ipv4.h"

namespace examguard::netaudit::proto {

bool decodeIpv4(ByteReader& reader, DecodedPacket& out, AnomalyCounters& anomalies) {
    if (!reader.has(20)) {
        anomalies.add(Anomaly::kTruncatedIpv4Header);
        return false;
    }
    const std::uint8_t* p = reader.current();
    const std::size_t headerLength = std::size_t{p[0] & 0x0fU} * 4;
    if ((p[0] >> 4) != 4 || headerLength < 20) {
        anomalies.add(Anomaly::kBadIpv4HeaderLength);
        return false;
    }
    if (!reader.has(headerLength)) {
        anomalies.add(Anomaly::kTruncatedIpv4Header);
        return false;
    }
    std::size_t totalLength = readBe16(p + 2);
    if (totalLength == 0) {
        // Captured on the sender with TCP segmentation offload: the NIC fills the length in later.
        totalLength = reader.remaining();
    }
    if (totalLength < headerLength) {
        anomalies.add(Anomaly::kBadIpv4TotalLength);
        return false;
    }
    // A snap length shorter than the datagram is normal for live capture: decode what we have.
    if (totalLength > reader.remaining()) {
        totalLength = reader.remaining();
    }
    out.ipVersion = 4;
    out.srcIp = IpAddress::v4(p + 12);
    out.dstIp = IpAddress::v4(p + 16);
    out.ipProtocol = p[9];
    out.l3 = p;
    out.l3Length = totalLength;
    const std::uint16_t fragment = readBe16(p + 6);
    out.isFragment = (fragment & 0x3fffU) != 0;  // MF set or a non-zero offset
    ByteReader payload(p + headerLength, totalLength - headerLength);
    reader = payload;
    if (out.isFragment && (fragment & 0x1fffU) != 0) {
        // Later fragments carry no transport header; they are counted, not decoded.
        anomalies.add(Anomaly::kIpv4Fragment);
        return false;
    }
    return true;
}

}  // namespace examguard::netaudit::proto
