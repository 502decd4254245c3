#include "proto/arp/arp.h"

#include <algorithm>

namespace examguard::netaudit::proto {

bool decodeArp(ByteReader& reader, DecodedPacket& out, AnomalyCounters& anomalies) {
    if (!reader.has(8)) {
        anomalies.add(Anomaly::kTruncatedArp);
        return false;
    }
    const std::uint8_t* p = reader.current();
    const std::uint16_t hardware = readBe16(p);
    const std::uint16_t protocol = readBe16(p + 2);
    if (hardware != 1 || protocol != 0x0800 || p[4] != 6 || p[5] != 4) {
        anomalies.add(Anomaly::kUnsupportedArpFormat);
        return false;
    }
    if (!reader.has(28)) {
        anomalies.add(Anomaly::kTruncatedArp);
        return false;
    }
    out.arp.operation = readBe16(p + 6);
    std::copy(p + 8, p + 14, out.arp.senderMac.bytes.begin());
    out.arp.senderIp = IpAddress::v4(p + 14);
    std::copy(p + 18, p + 24, out.arp.targetMac.bytes.begin());
    out.arp.targetIp = IpAddress::v4(p + 24);
    out.hasArp = true;
    return reader.skip(28);
}

}  // namespace examguard::netaudit::proto
