#include "proto/tcp/tcp.h"

namespace examguard::netaudit::proto {

bool decodeTcp(ByteReader& reader, DecodedPacket& out, AnomalyCounters& anomalies) {
    if (!reader.has(20)) {
        anomalies.add(Anomaly::kTruncatedTcpHeader);
        return false;
    }
    const std::uint8_t* p = reader.current();
    const std::size_t headerLength = static_cast<std::size_t>(p[12] >> 4) * 4;
    if (headerLength < 20) {
        anomalies.add(Anomaly::kBadTcpHeaderLength);
        return false;
    }
    if (!reader.has(headerLength)) {
        anomalies.add(Anomaly::kTruncatedTcpHeader);
        return false;
    }
    out.srcPort = readBe16(p);
    out.dstPort = readBe16(p + 2);
    out.tcpSeq = readBe32(p + 4);
    out.tcpAck = readBe32(p + 8);
    out.tcpFlags = p[13];
    out.hasL4 = true;
    out.payload = p + headerLength;
    out.payloadLength = reader.remaining() - headerLength;
    return true;
}

}  // namespace examguard::netaudit::proto
