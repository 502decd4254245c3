#include "byte_reader.h"
#include "netaudit/decoded_packet.h"
#include "proto/arp/arp.h"
#include "proto/ethernet/ethernet.h"
#include "proto/ipv4/ipv4.h"
#include "proto/ipv6/ipv6.h"
#include "proto/link/link.h"
#include "proto/tcp/tcp.h"
#include "proto/udp/udp.h"

namespace examguard::netaudit {

bool isSupportedLinkType(int linkType) {
    return proto::isKnownLinkType(linkType);
}

bool decodeFrame(int linkType, const std::uint8_t* data, std::size_t length, DecodedPacket& out,
                 AnomalyCounters& anomalies) {
    ByteReader reader(data, length);
    if (!proto::decodeLinkLayer(linkType, reader, out, anomalies)) {
        return false;
    }
    switch (out.etherType) {
        case proto::kEtherTypeArp:
            return proto::decodeArp(reader, out, anomalies);
        case proto::kEtherTypeIpv4:
            if (!proto::decodeIpv4(reader, out, anomalies)) {
                return false;
            }
            break;
        case proto::kEtherTypeIpv6:
            if (!proto::decodeIpv6(reader, out, anomalies)) {
                return false;
            }
            break;
        default:
            return true;  // other EtherTypes (LLDP, STP...) are legal; nothing to decode
    }
    if (out.ipProtocol == 6) {
        return proto::decodeTcp(reader, out, anomalies);
    }
    if (out.ipProtocol == 17) {
        return proto::decodeUdp(reader, out, anomalies);
    }
    return true;
}

}  // namespace examguard::netaudit
