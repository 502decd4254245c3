#pragma once

#include <cstddef>
#include <cstdint>
#include <string>

#include "netaudit/anomaly.h"
#include "netaudit/types.h"

namespace examguard::netaudit::proto {

struct DhcpMessage {
    std::uint8_t op = 0;           // 1 request, 2 reply
    std::uint8_t messageType = 0;  // option 53: 1 discover, 3 request, 5 ack...
    MacAddress clientMac;
    IpAddress clientIp;     // ciaddr
    IpAddress yourIp;       // yiaddr (what the server hands out)
    IpAddress requestedIp;  // option 50
    std::string hostname;   // option 12
};

// BOOTP/DHCP over UDP 67/68. Returns false (anomaly counted) on a malformed message.
bool decodeDhcp(const std::uint8_t* data, std::size_t length, DhcpMessage& out,
                AnomalyCounters& anomalies);

}  // namespace examguard::netaudit::proto
