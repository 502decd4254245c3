#include "proto/dhcp/dhcp.h"

#include <algorithm>

#include "byte_reader.h"

namespace examguard::netaudit::proto {

namespace {
constexpr std::size_t kFixedPart = 236;
constexpr std::uint32_t kMagicCookie = 0x63825363;
constexpr std::size_t kMaxHostname = 255;

std::string printable(const std::uint8_t* p, std::size_t n) {
    std::string s;
    s.reserve(n);
    for (std::size_t i = 0; i < n; ++i) {
        if (p[i] == 0) {
            break;  // some clients NUL-terminate the option
        }
        s.push_back(static_cast<char>(p[i]));
    }
    return s;
}
}  // namespace

bool decodeDhcp(const std::uint8_t* data, std::size_t length, DhcpMessage& out,
                AnomalyCounters& anomalies) {
    ByteReader reader(data, length);
    if (!reader.has(kFixedPart + 4)) {
        anomalies.add(Anomaly::kTruncatedDhcp);
        return false;
    }
    out.op = data[0];
    if (data[1] == 1 && data[2] == 6) {  // Ethernet hardware address
        std::copy(data + 28, data + 34, out.clientMac.bytes.begin());
    }
    out.clientIp = IpAddress::v4(data + 12);
    out.yourIp = IpAddress::v4(data + 16);
    reader.skip(kFixedPart);
    std::uint32_t cookie = 0;
    reader.u32(cookie);
    if (cookie != kMagicCookie) {
        return true;  // plain BOOTP: no options
    }
    while (reader.remaining() > 0) {
        std::uint8_t code = 0;
        reader.u8(code);
        if (code == 0) {
            continue;  // pad
        }
        if (code == 255) {
            break;  // end
        }
        std::uint8_t len = 0;
        ByteReader value(nullptr, 0);
        if (!reader.u8(len) || !reader.sub(len, value)) {
            anomalies.add(Anomaly::kBadDhcpOption);
            return false;
        }
        switch (code) {
            case 12:
                out.hostname = printable(value.data(), std::min<std::size_t>(len, kMaxHostname));
                break;
            case 50:
                if (len == 4) {
                    out.requestedIp = IpAddress::v4(value.data());
                }
                break;
            case 53:
                if (len >= 1) {
                    out.messageType = value.data()[0];
                }
                break;
            default:
                break;
        }
    }
    return true;
}

}  // namespace examguard::netaudit::proto
