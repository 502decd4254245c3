#include "proto/link/link.h"

#include <pcap/dlt.h>

#include "proto/ethernet/ethernet.h"

namespace examguard::netaudit::proto {

namespace {

std::uint16_t etherTypeFromIpVersion(const ByteReader& reader) {
    if (!reader.has(1)) {
        return 0;
    }
    const std::uint8_t version = reader.current()[0] >> 4;
    return version == 4 ? kEtherTypeIpv4 : version == 6 ? kEtherTypeIpv6 : 0;
}

bool decodeNull(int linkType, ByteReader& reader, DecodedPacket& out, AnomalyCounters& anomalies) {
    if (!reader.has(4)) {
        anomalies.add(Anomaly::kTruncatedLinkHeader);
        return false;
    }
    const std::uint8_t* p = reader.current();
    // DLT_NULL stores the AF_ value in the writer's byte order, DLT_LOOP in network order; the
    // value is small, so whichever end holds the non-zero byte tells us.
    std::uint32_t family = 0;
    if (linkType == DLT_LOOP || (p[0] == 0 && p[1] == 0)) {
        family = readBe32(p);
    } else {
        family = std::uint32_t{p[0]} | (std::uint32_t{p[1]} << 8) | (std::uint32_t{p[2]} << 16) |
                 (std::uint32_t{p[3]} << 24);
    }
    reader.skip(4);
    switch (family) {
        case 2:
            out.etherType = kEtherTypeIpv4;
            return true;
        case 10:  // Linux
        case 24:  // NetBSD, OpenBSD
        case 28:  // FreeBSD
        case 30:  // macOS
            out.etherType = kEtherTypeIpv6;
            return true;
        default:
            anomalies.add(Anomaly::kUnknownLinkFamily);
            return false;
    }
}

}  // namespace

bool isKnownLinkType(int linkType) {
    switch (linkType) {
        case DLT_EN10MB:
        case DLT_NULL:
        case DLT_LOOP:
        case DLT_LINUX_SLL:
        case DLT_LINUX_SLL2:
        case DLT_RAW:
        case DLT_IPV4:
        case DLT_IPV6:
            return true;
        default:
            return false;
    }
}

bool decodeLinkLayer(int linkType, ByteReader& reader, DecodedPacket& out,
                     AnomalyCounters& anomalies) {
    switch (linkType) {
        case DLT_EN10MB:
            return decodeEthernet(reader, out, anomalies);
        case DLT_NULL:
        case DLT_LOOP:
            return decodeNull(linkType, reader, out, anomalies);
        case DLT_LINUX_SLL: {
            // type(2) arphrd(2) addrlen(2) addr(8) protocol(2)
            if (!reader.has(16)) {
                anomalies.add(Anomaly::kTruncatedLinkHeader);
                return false;
            }
            const std::uint8_t* p = reader.current();
            if (readBe16(p + 4) == 6) {
                std::copy(p + 6, p + 12, out.srcMac.bytes.begin());
                out.hasEthernet = true;
            }
            out.etherType = readBe16(p + 14);
            return reader.skip(16);
        }
        case DLT_LINUX_SLL2: {
            // protocol(2) reserved(2) ifindex(4) arphrd(2) pkttype(1) addrlen(1) addr(8)
            if (!reader.has(20)) {
                anomalies.add(Anomaly::kTruncatedLinkHeader);
                return false;
            }
            const std::uint8_t* p = reader.current();
            out.etherType = readBe16(p);
            if (p[11] == 6) {
                std::copy(p + 12, p + 18, out.srcMac.bytes.begin());
                out.hasEthernet = true;
            }
            return reader.skip(20);
        }
        case DLT_RAW:
        case DLT_IPV4:
        case DLT_IPV6:
            out.etherType = etherTypeFromIpVersion(reader);
            if (out.etherType == 0) {
                anomalies.add(Anomaly::kUnknownLinkFamily);
                return false;
            }
            return true;
        default:
            anomalies.add(Anomaly::kUnknownLinkFamily);
            return false;
    }
}

}  // namespace examguard::netaudit::proto
