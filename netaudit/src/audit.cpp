#include "netaudit/audit.h"

#include <algorithm>
#include <map>
#include <thread>
#include <unordered_map>

#include <fmt/format.h>

#include "flow/flow_table.h"
#include "inventory/inventory.h"
#include "logger.h"
#include "ndpi/ndpi_classifier.h"
#include "netaudit/active.h"
#include "netaudit/decoded_packet.h"
#include "proto/dhcp/dhcp.h"
#include "proto/dns/dns.h"
#include "proto/http/http.h"
#include "proto/tls/tls.h"
#include "reconcile/reconcile.h"

namespace examguard::netaudit {

namespace {

// Byte patterns are checked on the first few payload packets of each direction only: that is
// where every handshake in the table sits, and it bounds the cost per flow.
constexpr std::uint32_t kPatternPackets = 4;
constexpr std::size_t kMaxFlows = 1'000'000;  // beyond this new flows are not tracked
constexpr std::size_t kMaxResolved = 65536;

std::string hexBytes(const std::uint8_t* data, std::size_t length, std::size_t max = 16) {
    std::string s;
    for (std::size_t i = 0; i < std::min(length, max); ++i) {
        s += fmt::format("{}{:02x}", i == 0 ? "" : " ", data[i]);
    }
    if (length > max) {
        s += " ...";
    }
    return s;
}

bool isDnsPort(std::uint16_t p) {
    return p == 53 || p == 5353 || p == 5355;
}

Inventory::Options inventoryOptions(const AuditOptions& options,
                                    const std::vector<RegistryEntry>& registry) {
    Inventory::Options out;
    out.gatewayIps = options.gatewayIps;
    for (const auto& e : registry) {
        out.filedOwners.emplace(e.ip, e.mac);
    }
    return out;
}

class PassiveAuditorImpl final : public PassiveAuditor {
public:
    PassiveAuditorImpl(const AuditOptions& options, int linkType, SignatureTable table,
                       std::vector<RegistryEntry> registry, bool haveRegistry)
        : m_options(options),
          m_linkType(linkType),
          m_table(std::move(table)),
          m_registry(std::move(registry)),
          m_haveRegistry(haveRegistry),
          m_inventory(inventoryOptions(options, m_registry)) {
        if (options.useNdpi) {
            m_ndpi = std::make_unique<NdpiClassifier>(m_table);
        }
        for (const auto& e : m_registry) {
            m_registryIps.push_back(e.ip);
        }
        std::sort(m_registryIps.begin(), m_registryIps.end());
    }

    void process(const RawPacket& raw) override {
        ++m_packets;
        m_bytes += raw.wireLength;
        if (m_firstUs == 0) {
            m_firstUs = raw.timestampUs;
        }
        m_lastUs = std::max(m_lastUs, raw.timestampUs);
        DecodedPacket p;
        const bool ok = decodeFrame(m_linkType, raw.data, raw.capturedLength, p, m_anomalies);
        if (p.hasEthernet) {
            m_inventory.touch(p.srcMac, raw.timestampUs);
        }
        if (!ok) {
            return;
        }
        if (p.hasArp) {
            m_inventory.onArp(p.arp, raw.number, raw.timestampUs, m_findings);
            return;
        }
        if (p.ipVersion == 0) {
            return;
        }
        if (p.hasEthernet && isLocal(p.srcIp)) {
            m_inventory.addIp(p.srcMac, p.srcIp, raw.timestampUs);
        }
        if (!p.hasL4) {
            return;
        }
        onTransport(p, raw);
    }

    AuditReport finish() override {
        AuditReport report;
        report.linkType = m_linkType;
        report.packets = m_packets;
        report.bytes = m_bytes;
        report.firstPacketUs = m_firstUs;
        report.lastPacketUs = m_lastUs;
        for (auto& [key, flow] : m_flows) {
            if (!flow.ndpiDone && flow.ndpi && m_ndpi) {
                applyNdpi(flow, m_ndpi->giveUp(*flow.ndpi), flow.firstPacket, flow.firstSeenUs);
            }
            flow.ndpi.reset();
            // A port alone is the weakest evidence: used only when nothing better named the app.
            if (!flow.detection && !flow.ndpiDetection && flow.portMatch &&
                flow.serverAnsweredPacket != 0) {
                RawPacket at;
                at.number = flow.serverAnsweredPacket;
                at.timestampUs = flow.serverAnsweredUs;
                detect(flow, flow.portMatch->appIndex,
                       fmt::format("packet {}: server answered on remote-control port {} "
                                   "(port evidence only)",
                                   at.number, flow.portMatch->what),
                       at);
            }
        }
        for (auto& [key, flow] : m_flows) {
            mergeNdpi(flow);
        }
        std::vector<Finding> findings = std::move(m_findings);
        remoteControlFindings(findings);
        egressFindings(findings);
        m_inventory.duplicateIpFindings(findings);
        report.hosts = m_inventory.hosts();
        if (m_haveRegistry) {
            reconcile(report.hosts, m_registry, m_firstUs, m_lastUs, findings);
        }
        std::stable_sort(findings.begin(), findings.end(), [](const Finding& a, const Finding& b) {
            return std::tie(a.kind, a.firstSeenUs) < std::tie(b.kind, b.firstSeenUs);
        });
        report.findings = std::move(findings);
        report.anomalies = m_anomalies.nonZero();
        if (m_options.includeFlows) {
            report.flows = flowSummaries();
        }
        return report;
    }

private:
    bool isLocal(const IpAddress& ip) const {
        if (m_options.localNetworks.empty()) {
            return ip.isPrivate();
        }
        return std::any_of(m_options.localNetworks.begin(), m_options.localNetworks.end(),
                           [&](const IpNetwork& n) { return n.contains(ip); });
    }

    Flow* flowFor(const DecodedPacket& p, const RawPacket& raw) {
        const FlowKey key = FlowKey::of(p);
        auto it = m_flows.find(key);
        if (it != m_flows.end()) {
            return &it->second;
        }
        if (m_flows.size() >= kMaxFlows) {
            return nullptr;
        }
        Flow& flow = m_flows[key];
        flow.key = key;
        flow.protocol = p.ipProtocol;
        // Who started it: the SYN sender; without a SYN (capture began mid-flow) the side with
        // the higher port, which is almost always the ephemeral client port.
        bool srcIsClient = p.srcPort > p.dstPort;
        if (p.ipProtocol == 6 && (p.tcpFlags & tcpflag::kSyn) != 0) {
            srcIsClient = (p.tcpFlags & tcpflag::kAck) == 0;
        } else if (p.ipProtocol == 17 && (isDnsPort(p.dstPort) || p.dstPort == 67)) {
            srcIsClient = true;
        }
        flow.clientIp = srcIsClient ? p.srcIp : p.dstIp;
        flow.serverIp = srcIsClient ? p.dstIp : p.srcIp;
        flow.clientPort = srcIsClient ? p.srcPort : p.dstPort;
        flow.serverPort = srcIsClient ? p.dstPort : p.srcPort;
        flow.firstPacket = raw.number;
        flow.firstSeenUs = raw.timestampUs;
        if (m_ndpi && m_ndpi->ok()) {
            flow.ndpi = std::make_unique<NdpiFlow>();
        } else {
            flow.ndpiDone = true;
        }
        const Transport transport = p.ipProtocol == 6 ? Transport::kTcp : Transport::kUdp;
        SignatureMatch match;
        if (m_table.matchPort(transport, flow.serverPort, match)) {
            flow.portMatch = match;
        }
        return &flow;
    }

    void detect(Flow& flow, std::size_t appIndex, std::string evidence, const RawPacket& raw) {
        if (flow.detection) {
            return;
        }
        const auto& app = m_table.apps()[appIndex];
        if (!app.verified) {
            evidence += " [signature unverified]";
        }
        flow.detection = Detection{appIndex, std::move(evidence), raw.number, raw.timestampUs};
    }

    void applyNdpi(Flow& flow, const NdpiVerdict& verdict, std::uint64_t packet,
                   std::int64_t timestampUs) {
        flow.ndpiDone = flow.ndpiDone || verdict.done;
        if (!verdict.label.empty()) {
            flow.ndpiLabel = verdict.label;
        }
        if (verdict.appIndex && !flow.ndpiDetection) {
            flow.ndpiDetection = Detection{
                *verdict.appIndex,
                fmt::format("packet {}: nDPI classified the flow as {}", packet, verdict.label),
                packet, timestampUs};
        }
    }

    // Our own signature's evidence is exact (bytes, names); nDPI's verdict is added to it, or
    // used alone when no signature matched.
    void mergeNdpi(Flow& flow) const {
        if (!flow.ndpiDetection) {
            return;
        }
        if (!flow.detection) {
            flow.detection = std::move(flow.ndpiDetection);
            return;
        }
        if (flow.detection->appIndex == flow.ndpiDetection->appIndex) {
            flow.detection->evidence += fmt::format("; nDPI agrees ({})", flow.ndpiLabel);
        } else {
            flow.detection->evidence +=
                fmt::format("; nDPI says {}", m_table.apps()[flow.ndpiDetection->appIndex].app);
        }
    }

    void onTransport(const DecodedPacket& p, const RawPacket& raw) {
        Flow* flowPtr = flowFor(p, raw);
        if (flowPtr == nullptr) {
            return;
        }
        Flow& flow = *flowPtr;
        ++flow.packets;
        flow.lastSeenUs = std::max(flow.lastSeenUs, raw.timestampUs);
        const int d = (p.srcIp == flow.clientIp && p.srcPort == flow.clientPort) ? 0 : 1;
        FlowDirection& dir = flow.dir[d];
        if (!dir.hasMac && p.hasEthernet) {
            dir.mac = p.srcMac;
            dir.hasMac = true;
        }
        if (d == 1) {
            flow.serverAnswered = true;
        }
        const Transport transport = p.ipProtocol == 6 ? Transport::kTcp : Transport::kUdp;

        if (!flow.ndpiDone && flow.ndpi) {
            ++flow.ndpiPackets;
            const NdpiVerdict verdict =
                m_ndpi->process(*flow.ndpi, p.l3, p.l3Length, raw.timestampUs, flow.ndpiPackets);
            applyNdpi(flow, verdict, raw.number, raw.timestampUs);
            if (flow.ndpiDone) {
                flow.ndpi.reset();  // nDPI's flow state is large; free it as soon as possible
            }
        }

        if (p.payloadLength > 0 && dir.payloadPackets < kPatternPackets) {
            ++dir.payloadPackets;
            SignatureMatch match;
            if (!flow.detection && m_table.matchPayload(transport, p.srcPort, p.dstPort, p.payload,
                                                        p.payloadLength, match)) {
                detect(flow, match.appIndex,
                       fmt::format("packet {}: {} payload matches rule {}: {}", raw.number,
                                   d == 0 ? "client" : "server", match.what,
                                   hexBytes(p.payload, p.payloadLength)),
                       raw);
            }
        }

        if (transport == Transport::kUdp) {
            onUdpPayload(flow, p, raw);
        } else {
            onTcpSegment(flow, dir, d, p, raw);
        }

        // A reset is a refusal, not an answer: a closed port proves nothing about an app.
        const bool refused = transport == Transport::kTcp && (p.tcpFlags & 0x04) != 0;
        if (d == 1 && flow.serverAnsweredPacket == 0 && !refused) {
            flow.serverAnsweredPacket = raw.number;
            flow.serverAnsweredUs = raw.timestampUs;
        }
        if (!flow.detection) {
            if (auto it = m_resolved.find(flow.serverIp); it != m_resolved.end()) {
                detect(flow, it->second.appIndex,
                       fmt::format("packet {}: connection to {}, which DNS resolved from {} in "
                                   "packet {}",
                                   raw.number, flow.serverIp.toString(), it->second.name,
                                   it->second.packet),
                       raw);
            }
        }
    }

    void onUdpPayload(Flow& flow, const DecodedPacket& p, const RawPacket& raw) {
        if (p.payloadLength == 0) {
            return;
        }
        if (isDnsPort(p.srcPort) || isDnsPort(p.dstPort)) {
            proto::DnsMessage dns;
            if (!proto::decodeDns(p.payload, p.payloadLength, dns, m_anomalies)) {
                return;
            }
            SignatureMatch match;
            if (!dns.isResponse) {
                for (const auto& q : dns.questions) {
                    if (m_table.matchDomain(q, match)) {
                        detect(flow, match.appIndex,
                               fmt::format("packet {}: DNS query for {} (matches {})", raw.number,
                                           q, match.what),
                               raw);
                    }
                }
            }
            for (const auto& a : dns.answers) {
                if (m_resolved.size() < kMaxResolved && m_table.matchDomain(a.name, match)) {
                    m_resolved.emplace(a.address, Resolved{match.appIndex, a.name, raw.number});
                }
            }
            return;
        }
        if ((p.srcPort == 67 || p.srcPort == 68) && (p.dstPort == 67 || p.dstPort == 68)) {
            proto::DhcpMessage dhcp;
            if (!proto::decodeDhcp(p.payload, p.payloadLength, dhcp, m_anomalies)) {
                return;
            }
            if (dhcp.clientMac.isZero()) {
                return;
            }
            m_inventory.touch(dhcp.clientMac, raw.timestampUs);
            m_inventory.addHostname(dhcp.clientMac, dhcp.hostname, raw.timestampUs);
            m_inventory.addIp(dhcp.clientMac, dhcp.clientIp, raw.timestampUs);
            if (dhcp.messageType == 5) {  // ACK: the address is the client's now
                m_inventory.addIp(dhcp.clientMac, dhcp.yourIp, raw.timestampUs);
            }
            // A client asking for an address (option 50) is claiming it: record it.
            m_inventory.addIp(dhcp.clientMac, dhcp.requestedIp, raw.timestampUs);
        }
    }

    void onTcpSegment(Flow& flow, FlowDirection& dir, int d, const DecodedPacket& p,
                      const RawPacket& raw) {
        if (!dir.inspecting) {
            return;
        }
        const bool syn = (p.tcpFlags & tcpflag::kSyn) != 0;
        if (!dir.stream.add(p.tcpSeq, syn, p.payload, p.payloadLength, raw.number)) {
            return;
        }
        const auto& bytes = dir.stream.bytes();
        SignatureMatch match;
        if (d == 0) {
            if (!flow.tlsClientDone) {
                proto::TlsClientHello hello;
                const auto status =
                    proto::parseTlsClientHello(bytes.data(), bytes.size(), hello, m_anomalies);
                if (status != proto::ParseStatus::kNeedMore) {
                    flow.tlsClientDone = true;
                }
                if (status == proto::ParseStatus::kOk) {
                    flow.serverName = hello.serverName;
                    if (!hello.serverName.empty() && m_table.matchDomain(hello.serverName, match)) {
                        detect(flow, match.appIndex,
                               fmt::format("packet {}: TLS ClientHello SNI {} (matches {})",
                                           raw.number, hello.serverName, match.what),
                               raw);
                    }
                    for (const auto& alpn : hello.alpn) {
                        if (m_table.matchAlpn(alpn, match)) {
                            detect(
                                flow, match.appIndex,
                                fmt::format("packet {}: TLS ClientHello ALPN {}", raw.number, alpn),
                                raw);
                        }
                    }
                }
            }
            if (!flow.httpDone) {
                proto::HttpRequest request;
                const auto status =
                    proto::parseHttpRequest(bytes.data(), bytes.size(), request, m_anomalies);
                if (status != proto::ParseStatus::kNeedMore) {
                    flow.httpDone = true;
                }
                if (status == proto::ParseStatus::kOk) {
                    if (flow.serverName.empty()) {
                        flow.serverName = request.host;
                    }
                    std::string host = request.host.substr(0, request.host.find(':'));
                    if (!host.empty() && m_table.matchDomain(host, match)) {
                        detect(flow, match.appIndex,
                               fmt::format("packet {}: HTTP Host {} (matches {})", raw.number,
                                           request.host, match.what),
                               raw);
                    } else if (m_table.matchUserAgent(request.userAgent, match)) {
                        detect(flow, match.appIndex,
                               fmt::format("packet {}: HTTP User-Agent \"{}\" contains {}",
                                           raw.number, request.userAgent, match.what),
                               raw);
                    }
                }
            }
            if ((flow.tlsClientDone && flow.httpDone) || dir.stream.full()) {
                dir.inspecting = false;
                dir.stream.release();
            }
        } else {
            if (!flow.tlsServerDone) {
                proto::TlsServerHandshake server;
                const auto status =
                    proto::parseTlsServerHandshake(bytes.data(), bytes.size(), server, m_anomalies);
                if (status != proto::ParseStatus::kNeedMore) {
                    flow.tlsServerDone = true;
                }
                if (status == proto::ParseStatus::kOk) {
                    for (const auto* value : {&server.certCommonName, &server.certOrganization}) {
                        if (!value->empty() && m_table.matchCertSubject(*value, match)) {
                            detect(
                                flow, match.appIndex,
                                fmt::format("packet {}: TLS server certificate subject {}={}",
                                            raw.number,
                                            value == &server.certCommonName ? "CN" : "O", *value),
                                raw);
                        }
                    }
                }
            }
            if (flow.tlsServerDone || dir.stream.full()) {
                dir.inspecting = false;
                dir.stream.release();
            }
        }
    }

    using HostRef = std::pair<IpAddress, std::optional<MacAddress>>;

    // The hosts a flow finding is about. A flow to the app's own port on a local server means
    // that server runs the app (a VNC or RDP server on an exam PC): it is named, and so is a
    // local client controlling it. Otherwise (a name, certificate or ALPN of the vendor's
    // cloud) the local client is named; the server only when it is the only local end.
    std::vector<HostRef> flowHosts(const Flow& flow) const {
        auto ref = [&](bool client) {
            const FlowDirection& dir = flow.dir[client ? 0 : 1];
            return HostRef{client ? flow.clientIp : flow.serverIp,
                           dir.hasMac ? std::optional(dir.mac) : std::nullopt};
        };
        const bool clientLocal = isLocal(flow.clientIp);
        const bool serverLocal = isLocal(flow.serverIp);
        const bool serverRunsApp =
            flow.portMatch && flow.portMatch->appIndex == flow.detection->appIndex;
        // The station's own connections (its active probes) are about the server only.
        const bool clientIsStation =
            std::find(m_options.stationAddresses.begin(), m_options.stationAddresses.end(),
                      flow.clientIp) != m_options.stationAddresses.end();
        std::vector<HostRef> hosts;
        if (serverLocal && (serverRunsApp || !clientLocal || clientIsStation)) {
            hosts.push_back(ref(false));
        }
        if ((clientLocal || !serverLocal) && !clientIsStation) {
            hosts.push_back(ref(true));
        }
        return hosts;
    }

    void remoteControlFindings(std::vector<Finding>& findings) const {
        // One finding per (app, host): the first flow's evidence, the span of all of them.
        std::map<std::pair<std::size_t, IpAddress>, std::pair<Finding, std::size_t>> grouped;
        std::vector<const Flow*> flows;
        for (const auto& [key, flow] : m_flows) {
            if (flow.detection) {
                flows.push_back(&flow);
            }
        }
        std::sort(flows.begin(), flows.end(), [](const Flow* a, const Flow* b) {
            return a->detection->packet < b->detection->packet;
        });
        for (const Flow* flow : flows) {
            for (const auto& [ip, mac] : flowHosts(*flow)) {
                auto [it, inserted] = grouped.try_emplace({flow->detection->appIndex, ip});
                Finding& f = it->second.first;
                if (inserted) {
                    f.kind = FindingKind::kRemoteControl;
                    f.ip = ip;
                    f.mac = mac;
                    f.app = m_table.apps()[flow->detection->appIndex].app;
                    f.evidence = flow->detection->evidence;
                    f.flow = flow->describe();
                    f.packet = flow->detection->packet;
                    f.firstSeenUs = flow->firstSeenUs;
                    f.lastSeenUs = flow->lastSeenUs;
                } else {
                    f.firstSeenUs = std::min(f.firstSeenUs, flow->firstSeenUs);
                    f.lastSeenUs = std::max(f.lastSeenUs, flow->lastSeenUs);
                }
                ++it->second.second;
            }
        }
        for (auto& [key, value] : grouped) {
            if (value.second > 1) {
                value.first.evidence += fmt::format(" (and {} more flows)", value.second - 1);
            }
            findings.push_back(std::move(value.first));
        }
    }

    void egressFindings(std::vector<Finding>& findings) const {
        if (m_options.egressAllowlist.empty()) {
            return;
        }
        std::map<std::pair<IpAddress, IpAddress>, Finding> grouped;
        for (const auto& [key, flow] : m_flows) {
            const IpAddress& src = flow.clientIp;
            const IpAddress& dst = flow.serverIp;
            const bool examPc =
                m_haveRegistry ? std::binary_search(m_registryIps.begin(), m_registryIps.end(), src)
                               : isLocal(src);
            if (!examPc || isLocal(dst) || dst.isMulticastOrBroadcast()) {
                continue;
            }
            const bool allowed =
                std::any_of(m_options.egressAllowlist.begin(), m_options.egressAllowlist.end(),
                            [&](const IpNetwork& n) { return n.contains(dst); });
            if (allowed) {
                continue;
            }
            auto [it, inserted] = grouped.try_emplace({src, dst});
            Finding& f = it->second;
            if (inserted) {
                f.kind = FindingKind::kForbiddenDestination;
                f.ip = src;
                if (flow.dir[0].hasMac) {
                    f.mac = flow.dir[0].mac;
                }
                f.evidence =
                    fmt::format("packet {}: {} reached {}{} outside the allowlist",
                                flow.firstPacket, src.toString(), dst.toString(),
                                flow.serverName.empty() ? "" : " (" + flow.serverName + ")");
                f.flow = flow.describe();
                f.packet = flow.firstPacket;
                f.firstSeenUs = flow.firstSeenUs;
                f.lastSeenUs = flow.lastSeenUs;
            } else if (flow.firstPacket < f.packet) {
                f.packet = flow.firstPacket;
                f.firstSeenUs = std::min(f.firstSeenUs, flow.firstSeenUs);
                f.lastSeenUs = std::max(f.lastSeenUs, flow.lastSeenUs);
            } else {
                f.lastSeenUs = std::max(f.lastSeenUs, flow.lastSeenUs);
            }
        }
        for (auto& [key, f] : grouped) {
            findings.push_back(std::move(f));
        }
    }

    std::vector<FlowSummary> flowSummaries() const {
        std::vector<FlowSummary> out;
        for (const auto& [key, flow] : m_flows) {
            FlowSummary s;
            s.transport = flow.protocol == 6 ? "tcp" : "udp";
            s.clientIp = flow.clientIp;
            s.clientPort = flow.clientPort;
            s.serverIp = flow.serverIp;
            s.serverPort = flow.serverPort;
            s.packets = flow.packets;
            s.firstPacket = flow.firstPacket;
            if (flow.detection) {
                s.app = m_table.apps()[flow.detection->appIndex].app;
            }
            if (!flow.ndpiLabel.empty()) {
                s.ndpiName = flow.ndpiLabel;
            }
            s.serverName = flow.serverName;
            out.push_back(std::move(s));
        }
        std::sort(out.begin(), out.end(), [](const FlowSummary& a, const FlowSummary& b) {
            return a.firstPacket < b.firstPacket;
        });
        return out;
    }

    struct Resolved {
        std::size_t appIndex;
        std::string name;
        std::uint64_t packet;
    };

    AuditOptions m_options;
    int m_linkType;
    SignatureTable m_table;
    std::vector<RegistryEntry> m_registry;
    std::vector<IpAddress> m_registryIps;
    bool m_haveRegistry;
    std::unique_ptr<NdpiClassifier> m_ndpi;
    AnomalyCounters m_anomalies;
    Inventory m_inventory;
    std::unordered_map<FlowKey, Flow, FlowKeyHash> m_flows;
    std::unordered_map<IpAddress, Resolved, IpHash> m_resolved;
    std::vector<Finding> m_findings;
    std::uint64_t m_packets = 0;
    std::uint64_t m_bytes = 0;
    std::int64_t m_firstUs = 0;
    std::int64_t m_lastUs = 0;
};

}  // namespace

tl::expected<std::unique_ptr<PassiveAuditor>, Error> PassiveAuditor::create(
    const AuditOptions& options, int linkType) {
    if (!isSupportedLinkType(linkType)) {
        return tl::unexpected(Error{ErrorCode::kUnsupportedLinkType,
                                    fmt::format("link type {} is not supported", linkType)});
    }
    auto table = options.signaturesPath.empty() ? SignatureTable::builtin()
                                                : SignatureTable::fromFile(options.signaturesPath);
    if (!table) {
        return tl::unexpected(table.error());
    }
    std::vector<RegistryEntry> registry;
    bool haveRegistry = false;
    if (options.registry) {
        registry = *options.registry;
        haveRegistry = true;
    } else if (!options.registryCsvPath.empty()) {
        auto loaded = loadRegistryCsv(options.registryCsvPath);
        if (!loaded) {
            return tl::unexpected(loaded.error());
        }
        registry = std::move(*loaded);
        haveRegistry = true;
    }
    return std::make_unique<PassiveAuditorImpl>(options, linkType, std::move(*table),
                                                std::move(registry), haveRegistry);
}

tl::expected<AuditReport, Error> auditSource(PacketSource& source, const AuditOptions& options) {
    auto auditor = PassiveAuditor::create(options, source.linkType());
    if (!auditor) {
        return tl::unexpected(auditor.error());
    }
    const auto clock =
        options.clock ? options.clock : [] { return std::chrono::steady_clock::now(); };
    const auto start = clock();
    RawPacket packet;
    while (true) {
        if (options.stopFlag != nullptr && options.stopFlag->load()) {
            break;
        }
        if (options.duration.count() > 0 && clock() - start >= options.duration) {
            break;
        }
        auto result = source.next(packet);
        if (!result) {
            return tl::unexpected(result.error());
        }
        if (*result == NextResult::kEnd) {
            break;
        }
        if (*result == NextResult::kPacket) {
            (*auditor)->process(packet);
        }
    }
    AuditReport report = (*auditor)->finish();
    report.source = source.describe();
    return report;
}

tl::expected<AuditReport, Error> auditCaptureFile(const AuditOptions& options) {
    auto source = openCaptureFile(options.captureFile, options.bpfFilter);
    if (!source) {
        return tl::unexpected(source.error());
    }
    return auditSource(**source, options);
}

tl::expected<AuditReport, Error> auditLive(const AuditOptions& options) {
    LiveOptions live = options.live;
    if (live.bpfFilter.empty()) {
        live.bpfFilter = options.bpfFilter;
    }
    auto source = openLiveCapture(live);
    if (!source) {
        return tl::unexpected(source.error());
    }
    logger().info("auditing {} {}", (*source)->describe(),
                  options.duration.count() > 0 ? fmt::format("for {} ms", options.duration.count())
                                               : std::string("until stopped"));
    if (!options.active) {
        return auditSource(**source, options);
    }
    auto table = options.signaturesPath.empty() ? SignatureTable::builtin()
                                                : SignatureTable::fromFile(options.signaturesPath);
    if (!table) {
        return tl::unexpected(table.error());
    }
    auto iface = describeInterface(live.interfaceName);
    if (!iface) {
        return tl::unexpected(iface.error());
    }
    ActiveOptions active;
    active.iface = *iface;
    active.ports = remoteControlPorts(*table);
    if (options.activeForceLarge) {
        active.maxAddresses = 65536;
    }
    // The capture is open: every ARP reply and banner from here on is seen by the passive path.
    std::atomic<bool> stopActive = false;
    tl::expected<ActiveResult, Error> swept = tl::unexpected(Error{ErrorCode::kInternal, ""});
    AuditOptions passive = options;
    passive.stationAddresses.push_back(iface->ip);
    std::thread sweeper([&] { swept = runActiveAudit(active, &stopActive); });
    auto report = auditSource(**source, passive);
    if (options.stopFlag != nullptr && options.stopFlag->load()) {
        stopActive = true;
    }
    sweeper.join();
    if (!report) {
        return report;
    }
    if (!swept) {
        return tl::unexpected(swept.error());
    }
    if (swept->sweepSeconds + swept->probeSeconds >
        std::chrono::duration<double>(options.duration).count()) {
        logger().warn(
            "the active sweep took {:.1f} s, longer than the capture: hosts that "
            "answered late are in the probe results but not in the passive inventory",
            swept->sweepSeconds + swept->probeSeconds);
    }
    addActiveFindings(*swept, *table, *report);
    report->active =
        AuditReport::Active{swept->arpRequests, swept->answered.size(), swept->probes,
                            swept->open.size(), swept->sweepSeconds,    swept->probeSeconds};
    return report;
}

}  // namespace examguard::netaudit
