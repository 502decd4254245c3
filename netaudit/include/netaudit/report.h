#pragma once

#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <vector>

#include <nlohmann/json_fwd.hpp>

#include "netaudit/types.h"

namespace examguard::netaudit {

enum class FindingKind {
    kRemoteControl,
    kUnregisteredDevice,
    kMissingDevice,
    kMacIpMismatch,
    kDuplicateIp,
    kArpSpoof,
    kForbiddenDestination,
};

std::string_view findingKindName(FindingKind kind);  // "remote_control" ...

// One thing the administrator must look at. Other sources (the exam-PC agent, later) can produce
// the same struct.
struct Finding {
    FindingKind kind = FindingKind::kRemoteControl;
    std::optional<IpAddress> ip;
    std::optional<MacAddress> mac;
    std::optional<std::string> app;   // remote_control only
    std::string evidence;             // exact: packet numbers, matched names or bytes
    std::optional<std::string> flow;  // "tcp 10.0.2.15:35732 -> 162.250.2.170:5938"
    std::uint64_t packet = 0;         // first packet that shows it (0: none, e.g. missing_device)
    std::int64_t firstSeenUs = 0;
    std::int64_t lastSeenUs = 0;
};

struct Host {
    MacAddress mac;
    std::vector<IpAddress> ips;
    std::vector<std::string> hostnames;
    std::optional<std::string> seat;  // from the registry when the MAC is filed
    std::int64_t firstSeenUs = 0;
    std::int64_t lastSeenUs = 0;
    std::uint64_t packets = 0;
};

struct FlowSummary {
    std::string transport;  // "tcp" / "udp"
    IpAddress clientIp;
    std::uint16_t clientPort = 0;
    IpAddress serverIp;
    std::uint16_t serverPort = 0;
    std::uint64_t packets = 0;
    std::uint64_t firstPacket = 0;
    std::optional<std::string> app;       // remote-control app, if any
    std::optional<std::string> ndpiName;  // nDPI's own label ("TLS.AnyDesk"), if it had one
    std::string serverName;               // SNI or HTTP Host
};

struct AuditReport {
    std::string source;  // file path or "live:eth0"
    int linkType = 0;
    std::uint64_t packets = 0;
    std::uint64_t bytes = 0;
    std::int64_t firstPacketUs = 0;
    std::int64_t lastPacketUs = 0;
    std::vector<Host> hosts;
    std::vector<Finding> findings;
    std::vector<FlowSummary> flows;
    std::map<std::string, std::uint64_t> anomalies;
    // Set when an active sweep ran alongside the capture.
    struct Active {
        std::uint64_t arpRequests = 0;
        std::uint64_t answered = 0;
        std::uint64_t probes = 0;
        std::uint64_t open = 0;
        double sweepSeconds = 0;
        double probeSeconds = 0;
    };
    std::optional<Active> active;
};

// The document `examguard netaudit pcap FILE --json` prints; schema in
// schemas/cli/netaudit-report.schema.json. Flows are included only when asked for.
nlohmann::json toJson(const AuditReport& report, bool includeFlows = false);

}  // namespace examguard::netaudit
