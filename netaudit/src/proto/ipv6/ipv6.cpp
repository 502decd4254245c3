#include "proto/ipv6/ipv6.h"

namespace examguard::netaudit::proto {

namespace {
constexpr int kMaxExtensionHeaders = 8;  // bounds the walk on a crafted chain
}

bool decodeIpv6(ByteReader& reader, DecodedPacket& out, AnomalyCounters& anomalies) {
    if (!reader.has(40)) {
        anomalies.add(Anomaly::kTruncatedIpv6Header);
        return false;
    }
    const std::uint8_t* p = reader.current();
    if ((p[0] >> 4) != 6) {
        anomalies.add(Anomaly::kTruncatedIpv6Header);
        return false;
    }
    std::size_t payloadLength = readBe16(p + 4);
    if (payloadLength > reader.remaining() - 40) {
        payloadLength = reader.remaining() - 40;
    }
    out.ipVersion = 6;
    out.srcIp = IpAddress::v6(p + 8);
    out.dstIp = IpAddress::v6(p + 24);
    out.l3 = p;
    out.l3Length = 40 + payloadLength;
    std::uint8_t next = p[6];
    ByteReader body(p + 40, payloadLength);
    for (int i = 0; i < kMaxExtensionHeaders; ++i) {
        if (next == 0 || next == 43 || next == 60) {  // hop-by-hop, routing, destination options
            if (!body.has(2)) {
                anomalies.add(Anomaly::kTruncatedIpv6ExtensionHeader);
                return false;
            }
            const std::uint8_t following = body.current()[0];
            const std::size_t length = (std::size_t{body.current()[1]} + 1) * 8;
            if (!body.skip(length)) {
                anomalies.add(Anomaly::kTruncatedIpv6ExtensionHeader);
                return false;
            }
            next = following;
        } else if (next == 44) {  // fragment
            if (!body.has(8)) {
                anomalies.add(Anomaly::kTruncatedIpv6ExtensionHeader);
                return false;
            }
            const std::uint8_t following = body.current()[0];
            const std::uint16_t offset = readBe16(body.current() + 2) & 0xfff8U;
            out.isFragment = true;
            body.skip(8);
            next = following;
            if (offset != 0) {
                anomalies.add(Anomaly::kIpv4Fragment);
                out.ipProtocol = next;
                reader = body;
                return false;
            }
        } else {
            break;
        }
    }
    out.ipProtocol = next;
    ByteReader rest(body.current(), body.remaining());
    reader = rest;
    return true;
}

}  // namespace examguard::netaudit::proto
