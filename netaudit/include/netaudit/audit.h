#pragma once

#include <atomic>
#include <chrono>
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include <tl/expected.hpp>

#include "netaudit/error.h"
#include "netaudit/packet_source.h"
#include "netaudit/registry.h"
#include "netaudit/report.h"
#include "netaudit/signatures.h"
#include "netaudit/types.h"

namespace examguard::netaudit {

struct AuditOptions {
    // Passive source: a capture file, or a live interface (auditLive).
    std::string captureFile;
    LiveOptions live;
    std::string bpfFilter;  // applies to files as well

    // Machine registry: entries given directly win over a CSV path; neither: no reconciliation.
    std::optional<std::vector<RegistryEntry>> registry;
    std::string registryCsvPath;

    // Signature table file; empty: the built-in copy of schemas/remote_control_signatures.json.
    std::string signaturesPath;
    bool useNdpi = true;

    // Addresses that must never change MAC (the default gateway above all).
    std::vector<IpAddress> gatewayIps;
    // The exam LAN. Empty: private (RFC 1918 / ULA / link-local) sources count as local hosts.
    std::vector<IpNetwork> localNetworks;
    // Egress policy: when non-empty, an exam PC reaching anything outside these networks (and
    // the local networks) is a forbidden_destination finding.
    std::vector<IpNetwork> egressAllowlist;

    // Live only: stop after this long (0: until stopFlag is set). Time comes from `clock` so tests
    // and callers can drive it.
    std::chrono::milliseconds duration{0};
    const std::atomic<bool>* stopFlag = nullptr;
    std::function<std::chrono::steady_clock::time_point()> clock;

    bool includeFlows = false;  // fill AuditReport::flows
    // Live only: also sweep the interface's IPv4 subnet with ARP and probe remote-control ports
    // on the hosts that answer (netaudit/active.h), started once the capture is open so the
    // passive path sees every reply. Sweeps over a /22 are refused unless activeForceLarge.
    bool active = false;
    bool activeForceLarge = false;
    // This station's own addresses: connections it opens (the active probes) are evidence about
    // the server they reach, never about the station. auditLive adds the interface's address
    // when active.
    std::vector<IpAddress> stationAddresses;
};

// Streaming passive analysis: feed frames, then take the report. One instance per capture; not
// thread-safe. Used by auditCaptureFile/auditLive and directly by benchmarks.
class PassiveAuditor {
public:
    static tl::expected<std::unique_ptr<PassiveAuditor>, Error> create(const AuditOptions& options,
                                                                       int linkType);
    virtual ~PassiveAuditor() = default;
    virtual void process(const RawPacket& packet) = 0;
    virtual AuditReport finish() = 0;
};

tl::expected<AuditReport, Error> auditCaptureFile(const AuditOptions& options);
tl::expected<AuditReport, Error> auditLive(const AuditOptions& options);
// Any source (tests plug in a file source where a live one would go).
tl::expected<AuditReport, Error> auditSource(PacketSource& source, const AuditOptions& options);

}  // namespace examguard::netaudit
