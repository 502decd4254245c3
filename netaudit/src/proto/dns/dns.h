#pragma once

#include <cstddef>
#include <cstdint>
#include <string>
#include <vector>

#include "netaudit/anomaly.h"
#include "netaudit/types.h"

namespace examguard::netaudit::proto {

struct DnsAnswer {
    std::string name;
    IpAddress address;  // A or AAAA record data
};

struct DnsMessage {
    std::uint16_t id = 0;
    bool isResponse = false;
    std::vector<std::string> questions;  // lower-case, no trailing dot
    std::vector<DnsAnswer> answers;      // A and AAAA only
};

// DNS over UDP (and mDNS/LLMNR, same format). Names may use compression; pointer chains are
// bounded so a loop is counted as "dns_compression_loop" instead of hanging.
bool decodeDns(const std::uint8_t* data, std::size_t length, DnsMessage& out,
               AnomalyCounters& anomalies);

}  // namespace examguard::netaudit::proto
