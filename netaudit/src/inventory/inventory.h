#pragma once

#include <cstdint>
#include <deque>
#include <functional>
#include <map>
#include <set>
#include <string>
#include <unordered_map>
#include <vector>

#include "netaudit/decoded_packet.h"
#include "netaudit/report.h"
#include "netaudit/types.h"

namespace examguard::netaudit {

// Per-MAC inventory of the LAN segment and the ARP watch (bindings, unsolicited replies,
// gratuitous floods). Findings it raises are appended to the caller's list.
class Inventory {
public:
    struct Options {
        std::vector<IpAddress> gatewayIps;
        // The filed MAC of each registered IP: its owner claiming it back is not spoofing.
        std::map<IpAddress, MacAddress> filedOwners;
        std::size_t unsolicitedReplyThreshold = 3;
        std::size_t gratuitousFloodCount = 10;
        std::int64_t gratuitousFloodWindowUs = 10'000'000;
    };

    explicit Inventory(Options options) : m_options(std::move(options)) {}

    void touch(const MacAddress& mac, std::int64_t timestampUs);
    void addIp(const MacAddress& mac, const IpAddress& ip, std::int64_t timestampUs);
    void addHostname(const MacAddress& mac, const std::string& hostname, std::int64_t timestampUs);
    void onArp(const ArpInfo& arp, std::uint64_t packet, std::int64_t timestampUs,
               std::vector<Finding>& findings);

    // Hosts sorted by MAC; duplicate_ip findings for IPs held by several MACs.
    std::vector<Host> hosts() const;
    void duplicateIpFindings(std::vector<Finding>& findings) const;

private:
    struct HostState {
        Host host;
        std::set<IpAddress> ips;
        std::set<std::string> hostnames;
    };
    struct Binding {
        MacAddress mac;
        std::uint64_t packet = 0;
    };
    struct IpClaim {
        std::uint64_t packet = 0;
        std::int64_t firstSeenUs = 0;
        std::int64_t lastSeenUs = 0;
    };

    HostState& state(const MacAddress& mac, std::int64_t timestampUs);
    bool isGateway(const IpAddress& ip) const;

    Options m_options;
    std::unordered_map<MacAddress, HostState, MacHash> m_hosts;
    const MacAddress* m_lastMac = nullptr;  // fast path: consecutive frames from one sender
    HostState* m_lastState = nullptr;
    std::map<IpAddress, std::map<MacAddress, IpClaim>> m_ipClaims;
    std::map<IpAddress, Binding> m_arpBindings;
    std::set<std::pair<IpAddress, IpAddress>> m_openRequests;  // (asker, asked-for)
    std::map<MacAddress, std::size_t> m_unsolicited;
    std::map<MacAddress, std::deque<std::int64_t>> m_gratuitous;
    std::set<std::pair<MacAddress, int>> m_reported;  // (mac, reason) already raised
};

}  // namespace examguard::netaudit
