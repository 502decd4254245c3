#include "proto/udp/udp.h"

namespace examguard::netaudit::proto {

bool decodeUdp(ByteReader& reader, DecodedPacket& out, AnomalyCounters& anomalies) {
    if (!reader.has(8)) {
        anomalies.add(Anomaly::kTruncatedUdpHeader);
        return false;
    }
    const std::uint8_t* p = reader.current();
    out.srcPort = readBe16(p);
    out.dstPort = readBe16(p + 2);
    std::size_t length = readBe16(p + 4);
    if (length < 8) {
        anomalies.add(Anomaly::kBadUdpLength);
        return false;
    }
    // Trust the smaller of the header and what was captured (snap length, padding).
    if (length > reader.remaining()) {
        length = reader.remaining();
    }
    out.hasL4 = true;
    out.payload = p + 8;
    out.payloadLength = length - 8;
    return true;
}

}  // namespace examguard::netaudit::proto
