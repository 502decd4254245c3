#include "reconcile/reconcile.h"

#include <algorithm>
#include <map>

#include <fmt/format.h>

namespace examguard::netaudit {

namespace {
std::string label(const RegistryEntry& e) {
    return fmt::format("seat {} ({})", e.seat.empty() ? "?" : e.seat,
                       e.hostname.empty() ? "no hostname" : e.hostname);
}

Finding make(FindingKind kind, const Host* host, std::string evidence) {
    Finding f;
    f.kind = kind;
    f.evidence = std::move(evidence);
    if (host != nullptr) {
        f.mac = host->mac;
        f.firstSeenUs = host->firstSeenUs;
        f.lastSeenUs = host->lastSeenUs;
    }
    return f;
}
}  // namespace

void reconcile(std::vector<Host>& hosts, const std::vector<RegistryEntry>& registry,
               std::int64_t auditStartUs, std::int64_t auditEndUs, std::vector<Finding>& findings) {
    std::map<MacAddress, const RegistryEntry*> byMac;
    std::map<IpAddress, const RegistryEntry*> byIp;
    for (const auto& e : registry) {
        byMac.emplace(e.mac, &e);
        byIp.emplace(e.ip, &e);
    }
    std::map<MacAddress, const Host*> seenMac;
    std::map<IpAddress, const Host*> seenIp;
    for (auto& h : hosts) {
        if (auto it = byMac.find(h.mac); it != byMac.end()) {
            h.seat = it->second->seat;
        }
        seenMac.emplace(h.mac, &h);
        for (const auto& ip : h.ips) {
            seenIp.emplace(ip, &h);
        }
    }
    for (const auto& h : hosts) {
        const auto filed = byMac.find(h.mac);
        bool holdsFiledIp = false;
        for (const auto& ip : h.ips) {
            const auto owner = byIp.find(ip);
            if (owner == byIp.end() || owner->second->mac == h.mac) {
                continue;
            }
            holdsFiledIp = true;
            Finding f = make(FindingKind::kMacIpMismatch, &h,
                             fmt::format("filed IP {} of {} (MAC {}) is used by MAC {}",
                                         ip.toString(), label(*owner->second),
                                         owner->second->mac.toString(), h.mac.toString()));
            f.ip = ip;
            findings.push_back(std::move(f));
        }
        if (filed != byMac.end()) {
            const IpAddress& filedIp = filed->second->ip;
            const bool hasFiledIp = std::find(h.ips.begin(), h.ips.end(), filedIp) != h.ips.end();
            std::string others;
            for (const auto& ip : h.ips) {
                if (ip.family == filedIp.family && ip != filedIp && byIp.find(ip) == byIp.end()) {
                    others += (others.empty() ? "" : ", ") + ip.toString();
                }
            }
            if (!hasFiledIp && !others.empty()) {
                Finding f = make(FindingKind::kMacIpMismatch, &h,
                                 fmt::format("filed MAC {} of {} uses IP {} instead of filed {}",
                                             h.mac.toString(), label(*filed->second), others,
                                             filedIp.toString()));
                f.ip = filedIp;
                findings.push_back(std::move(f));
            }
        } else if (!holdsFiledIp) {
            std::string ips;
            for (const auto& ip : h.ips) {
                ips += (ips.empty() ? "" : ", ") + ip.toString();
            }
            Finding f = make(FindingKind::kUnregisteredDevice, &h,
                             fmt::format("MAC {} ({}) is not in the machine registry",
                                         h.mac.toString(), ips.empty() ? "no IP seen" : ips));
            if (!h.ips.empty()) {
                f.ip = h.ips.front();
            }
            findings.push_back(std::move(f));
        }
    }
    for (const auto& e : registry) {
        if (seenMac.count(e.mac) != 0 || seenIp.count(e.ip) != 0) {
            continue;  // present, or its IP is in use (reported above as a mismatch)
        }
        Finding f = make(FindingKind::kMissingDevice, nullptr,
                         fmt::format("{} MAC {} IP {} was not seen", label(e), e.mac.toString(),
                                     e.ip.toString()));
        f.mac = e.mac;
        f.ip = e.ip;
        f.firstSeenUs = auditStartUs;
        f.lastSeenUs = auditEndUs;
        findings.push_back(std::move(f));
    }
}

}  // namespace examguard::netaudit
