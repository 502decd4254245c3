#pragma once

#include <atomic>
#include <chrono>
#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include <tl/expected.hpp>

#include "netaudit/error.h"
#include "netaudit/report.h"
#include "netaudit/signatures.h"
#include "netaudit/types.h"

namespace examguard::netaudit {

// What the station knows about the interface it audits from.
struct InterfaceInfo {
    std::string name;
    MacAddress mac;
    IpAddress ip;                      // the interface's first IPv4 address
    IpNetwork subnet;                  // its IPv4 subnet
    std::optional<IpAddress> gateway;  // IPv4 default route through this interface, if any
};

// Reads the interface's MAC, IPv4 address and netmask, and the default gateway from
// /proc/net/route. Fails when the interface does not exist or has no IPv4 address.
tl::expected<InterfaceInfo, Error> describeInterface(const std::string& name);

// Active audit: an ARP sweep of the subnet (frames injected with pcap_inject), then TCP
// connect/banner probes of remote-control ports on every host that answered. It only generates
// traffic and reports what answered; a passive audit running on the same interface at the same
// time turns the replies into inventory entries and findings with packet-level evidence.
struct ActiveOptions {
    InterfaceInfo iface;
    // The range to sweep; empty: the interface's subnet. Must lie inside the interface's subnet.
    std::optional<IpNetwork> subnet;
    std::vector<std::uint16_t> ports;  // TCP ports to probe, e.g. remoteControlPorts(table)
    int arpPerSecond = 1000;           // rate limit of ARP requests
    int connectsPerSecond = 500;       // rate limit of TCP connection attempts
    int maxParallelConnects = 64;
    std::chrono::milliseconds replyWait{500};       // after the last ARP request
    std::chrono::milliseconds connectTimeout{500};  // per probe
    std::chrono::milliseconds bannerWait{300};      // after a connection is accepted
    // Refuses larger sweeps: 1024 addresses is a /22; an exam room's LAN is far smaller, and
    // a larger range is more likely a mistyped interface than an exam network.
    std::size_t maxAddresses = 1024;
};

struct OpenPort {
    IpAddress ip;
    std::uint16_t port = 0;
    std::string banner;  // first bytes the server sent, if any (may be binary)
};

struct ActiveResult {
    std::uint64_t arpRequests = 0;
    std::vector<std::pair<IpAddress, MacAddress>> answered;  // ARP replies, in order
    std::uint64_t probes = 0;
    std::vector<OpenPort> open;
    double sweepSeconds = 0;
    double probeSeconds = 0;
};

// TCP ports named in the signature table (port entries and port-bound payload rules).
std::vector<std::uint16_t> remoteControlPorts(const SignatureTable& table);

// Runs the sweep and probes. `stop` (may be null) ends it early.
tl::expected<ActiveResult, Error> runActiveAudit(const ActiveOptions& options,
                                                 const std::atomic<bool>* stop = nullptr);

// What the probes found, as remote_control findings: a banner matching one of the table's
// payload rules is strong evidence ("tcp 10.9.0.23:5900 accepted; banner RFB 003.008"); an
// accepted connection on a remote-control port with no matching banner is marked weak. A
// finding the passive audit already made for the same host and application gets the probe's
// evidence appended instead of a second finding.
void addActiveFindings(const ActiveResult& result, const SignatureTable& table,
                       AuditReport& report);

// A banner as printable text for evidence: ASCII kept, other bytes as \xNN, at most 48 bytes.
std::string printableBanner(std::string_view banner);

}  // namespace examguard::netaudit
