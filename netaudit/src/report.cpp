#include "netaudit/report.h"

#include <nlohmann/json.hpp>

namespace examguard::netaudit {

std::string_view findingKindName(FindingKind kind) {
    switch (kind) {
        case FindingKind::kRemoteControl:
            return "remote_control";
        case FindingKind::kUnregisteredDevice:
            return "unregistered_device";
        case FindingKind::kMissingDevice:
            return "missing_device";
        case FindingKind::kMacIpMismatch:
            return "mac_ip_mismatch";
        case FindingKind::kDuplicateIp:
            return "duplicate_ip";
        case FindingKind::kArpSpoof:
            return "arp_spoof";
        case FindingKind::kForbiddenDestination:
            return "forbidden_destination";
    }
    return "unknown";
}

namespace {
nlohmann::json timestampOrNull(std::int64_t us) {
    return us == 0 ? nlohmann::json(nullptr) : nlohmann::json(formatTimestampUs(us));
}
}  // namespace

nlohmann::json toJson(const AuditReport& report, bool includeFlows) {
    using nlohmann::json;
    json hosts = json::array();
    for (const auto& h : report.hosts) {
        json ips = json::array();
        for (const auto& ip : h.ips) {
            ips.push_back(ip.toString());
        }
        hosts.push_back({{"mac", h.mac.toString()},
                         {"ips", ips},
                         {"hostnames", h.hostnames},
                         {"seat", h.seat ? json(*h.seat) : json(nullptr)},
                         {"packets", h.packets},
                         {"first_seen", timestampOrNull(h.firstSeenUs)},
                         {"last_seen", timestampOrNull(h.lastSeenUs)}});
    }
    json findings = json::array();
    for (const auto& f : report.findings) {
        findings.push_back({{"kind", findingKindName(f.kind)},
                            {"ip", f.ip ? json(f.ip->toString()) : json(nullptr)},
                            {"mac", f.mac ? json(f.mac->toString()) : json(nullptr)},
                            {"app", f.app ? json(*f.app) : json(nullptr)},
                            {"evidence", f.evidence},
                            {"flow", f.flow ? json(*f.flow) : json(nullptr)},
                            {"packet", f.packet == 0 ? json(nullptr) : json(f.packet)},
                            {"first_seen", timestampOrNull(f.firstSeenUs)},
                            {"last_seen", timestampOrNull(f.lastSeenUs)}});
    }
    json doc = {{"source", report.source},
                {"packets", report.packets},
                {"bytes", report.bytes},
                {"first_packet", timestampOrNull(report.firstPacketUs)},
                {"last_packet", timestampOrNull(report.lastPacketUs)},
                {"hosts", hosts},
                {"findings", findings},
                {"anomalies", report.anomalies}};
    if (report.active) {
        doc["active"] = {{"arp_requests", report.active->arpRequests},
                         {"answered", report.active->answered},
                         {"probes", report.active->probes},
                         {"open", report.active->open},
                         {"sweep_s", report.active->sweepSeconds},
                         {"probe_s", report.active->probeSeconds}};
    }
    if (includeFlows) {
        json flows = json::array();
        for (const auto& f : report.flows) {
            flows.push_back({{"transport", f.transport},
                             {"client", f.clientIp.toString()},
                             {"client_port", f.clientPort},
                             {"server", f.serverIp.toString()},
                             {"server_port", f.serverPort},
                             {"packets", f.packets},
                             {"first_packet", f.firstPacket},
                             {"app", f.app ? json(*f.app) : json(nullptr)},
                             {"ndpi", f.ndpiName ? json(*f.ndpiName) : json(nullptr)},
                             {"server_name", f.serverName}});
        }
        doc["flows"] = flows;
    }
    return doc;
}

}  // namespace examguard::netaudit
