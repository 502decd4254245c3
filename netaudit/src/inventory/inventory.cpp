#include "inventory/inventory.h"

#include <algorithm>

#include <fmt/format.h>

namespace examguard::netaudit {

namespace {
enum Reason { kRebind = 0, kUnsolicited = 1, kFlood = 2 };
}

Inventory::HostState& Inventory::state(const MacAddress& mac, std::int64_t timestampUs) {
    if (m_lastState != nullptr && *m_lastMac == mac) {
        return *m_lastState;
    }
    auto [it, inserted] = m_hosts.try_emplace(mac);
    if (inserted) {
        it->second.host.mac = mac;
        it->second.host.firstSeenUs = timestampUs;
        it->second.host.lastSeenUs = timestampUs;
    }
    // unordered_map never moves its nodes, so these stay valid across inserts.
    m_lastMac = &it->first;
    m_lastState = &it->second;
    return it->second;
}

void Inventory::touch(const MacAddress& mac, std::int64_t timestampUs) {
    if (mac.isMulticast() || mac.isZero()) {
        return;
    }
    HostState& s = state(mac, timestampUs);
    s.host.lastSeenUs = std::max(s.host.lastSeenUs, timestampUs);
    s.host.firstSeenUs = std::min(s.host.firstSeenUs, timestampUs);
    ++s.host.packets;
}

void Inventory::addIp(const MacAddress& mac, const IpAddress& ip, std::int64_t timestampUs) {
    if (mac.isMulticast() || mac.isZero() || ip.isUnset() || ip.isMulticastOrBroadcast()) {
        return;
    }
    if (ip.family == 4 && ip.v4HostOrder() == 0) {
        return;  // 0.0.0.0: DHCP discover, ARP probe
    }
    HostState& s = state(mac, timestampUs);
    s.ips.insert(ip);
    auto& claim = m_ipClaims[ip][mac];
    if (claim.firstSeenUs == 0) {
        claim.firstSeenUs = timestampUs;
    }
    claim.lastSeenUs = timestampUs;
}

void Inventory::addHostname(const MacAddress& mac, const std::string& hostname,
                            std::int64_t timestampUs) {
    if (hostname.empty() || mac.isMulticast() || mac.isZero()) {
        return;
    }
    state(mac, timestampUs).hostnames.insert(hostname);
}

bool Inventory::isGateway(const IpAddress& ip) const {
    return std::find(m_options.gatewayIps.begin(), m_options.gatewayIps.end(), ip) !=
           m_options.gatewayIps.end();
}

void Inventory::onArp(const ArpInfo& arp, std::uint64_t packet, std::int64_t timestampUs,
                      std::vector<Finding>& findings) {
    auto raise = [&](int reason, const std::string& evidence) {
        if (!m_reported.insert({arp.senderMac, reason}).second) {
            return;
        }
        Finding f;
        f.kind = FindingKind::kArpSpoof;
        f.ip = arp.senderIp;
        f.mac = arp.senderMac;
        f.evidence = evidence;
        f.packet = packet;
        f.firstSeenUs = timestampUs;
        f.lastSeenUs = timestampUs;
        findings.push_back(std::move(f));
    };
    const bool probe = arp.senderIp.v4HostOrder() == 0;
    const bool gratuitous = !probe && arp.senderIp == arp.targetIp;
    if (!probe) {
        addIp(arp.senderMac, arp.senderIp, timestampUs);
        auto [it, inserted] =
            m_arpBindings.try_emplace(arp.senderIp, Binding{arp.senderMac, packet});
        const auto owner = m_options.filedOwners.find(arp.senderIp);
        const bool ownerReclaims =
            owner != m_options.filedOwners.end() && owner->second == arp.senderMac;
        if (!inserted && it->second.mac != arp.senderMac && ownerReclaims) {
            it->second = Binding{arp.senderMac, packet};
        } else if (!inserted && it->second.mac != arp.senderMac) {
            raise(kRebind,
                  fmt::format(
                      "packet {}: ARP {} claims {}{} for {}; packet {} had it at {}", packet,
                      arp.operation == 2 ? "reply" : "request", arp.senderIp.toString(),
                      isGateway(arp.senderIp) ? " (the gateway)" : "", arp.senderMac.toString(),
                      it->second.packet, it->second.mac.toString()));
            it->second = Binding{arp.senderMac, packet};
        }
    }
    if (arp.operation == 1 && !probe && !gratuitous) {
        m_openRequests.insert({arp.senderIp, arp.targetIp});
    } else if (arp.operation == 2 && !gratuitous) {
        // A reply nobody asked for is how a spoofer redirects a victim's traffic.
        if (m_openRequests.erase({arp.targetIp, arp.senderIp}) == 0) {
            const std::size_t n = ++m_unsolicited[arp.senderMac];
            if (n >= m_options.unsolicitedReplyThreshold) {
                raise(kUnsolicited,
                      fmt::format("packet {}: {} unsolicited ARP replies from {} claiming {}{}, "
                                  "latest to {}",
                                  packet, n, arp.senderMac.toString(), arp.senderIp.toString(),
                                  isGateway(arp.senderIp) ? " (the gateway)" : "",
                                  arp.targetIp.toString()));
            }
        }
    }
    if (gratuitous) {
        auto& times = m_gratuitous[arp.senderMac];
        times.push_back(timestampUs);
        while (!times.empty() && timestampUs - times.front() > m_options.gratuitousFloodWindowUs) {
            times.pop_front();
        }
        if (times.size() >= m_options.gratuitousFloodCount) {
            raise(kFlood,
                  fmt::format("packet {}: {} gratuitous ARPs from {} for {} within {} s", packet,
                              times.size(), arp.senderMac.toString(), arp.senderIp.toString(),
                              m_options.gratuitousFloodWindowUs / 1'000'000));
        }
    }
}

std::vector<Host> Inventory::hosts() const {
    std::vector<Host> out;
    out.reserve(m_hosts.size());
    for (const auto& [mac, s] : m_hosts) {
        Host h = s.host;
        h.ips.assign(s.ips.begin(), s.ips.end());
        h.hostnames.assign(s.hostnames.begin(), s.hostnames.end());
        out.push_back(std::move(h));
    }
    std::sort(out.begin(), out.end(), [](const Host& a, const Host& b) { return a.mac < b.mac; });
    return out;
}

void Inventory::duplicateIpFindings(std::vector<Finding>& findings) const {
    for (const auto& [ip, claims] : m_ipClaims) {
        if (claims.size() < 2) {
            continue;
        }
        std::string macs;
        Finding f;
        f.kind = FindingKind::kDuplicateIp;
        f.ip = ip;
        f.firstSeenUs = INT64_MAX;
        for (const auto& [mac, claim] : claims) {
            macs += (macs.empty() ? "" : ", ") + mac.toString();
            f.firstSeenUs = std::min(f.firstSeenUs, claim.firstSeenUs);
            f.lastSeenUs = std::max(f.lastSeenUs, claim.lastSeenUs);
        }
        f.mac = claims.rbegin()->first;
        f.evidence = fmt::format("{} is used by {} MACs: {}", ip.toString(), claims.size(), macs);
        findings.push_back(std::move(f));
    }
}

}  // namespace examguard::netaudit
