#pragma once

// The LAN audit's side of the station store: the filed machines as the audit's registry, and
// an audit's findings stored with their log entry. Shared by the CLI, the demo and the console.
#include <cstdint>
#include <optional>
#include <set>
#include <string>
#include <vector>

#include "netaudit/audit.h"
#include "station/station.h"

namespace examguard::station {

// The filed machines of a period's site, as the LAN audit's registry.
Expected<std::vector<netaudit::RegistryEntry>> registryOfPeriod(Station& station,
                                                                std::int64_t periodId);

// All findings of one audit and one `netaudit.audit` log entry naming them (and the MACs the
// audit saw, `seen_macs`), in one transaction; returns the entry's sequence number. The source is
// lan_active when an active sweep ran alongside the capture, else lan_passive.
Expected<std::int64_t> storeFindings(Station& station, std::int64_t periodId,
                                     const netaudit::AuditReport& report,
                                     const std::string& reportSha256, const std::string& actor);

// A stored finding (lan_finding), for views.
struct StoredFinding {
    std::int64_t id = 0;
    std::string source;  // "lan_passive" | "lan_active" | "agent"
    std::string kind;
    std::string app, ip, mac, seat;  // empty when unknown
    std::string evidence;
    std::string firstSeen, lastSeen;
};
Expected<std::vector<StoredFinding>> findingsOfPeriod(Station& station, std::int64_t periodId);

// What the period's latest LAN audit saw: its log entry and the MACs of the hosts on the wire
// (normal form aa:bb:cc:dd:ee:ff). nullopt when no audit that records them was stored.
struct AuditSighting {
    std::int64_t logSeq = 0;
    std::string recordedAt;
    std::set<std::string> seenMacs;
};
Expected<std::optional<AuditSighting>> latestAuditSighting(Station& station, std::int64_t periodId);

// A short text that changes whenever what a LAN view shows of the period changes (filed
// machines, findings, the latest audit): a view polls it and reloads only on a change.
Expected<std::string> lanRecordsVersion(Station& station, std::int64_t periodId);

// A capture timestamp (microseconds since the epoch) as ISO 8601 UTC; empty for none.
std::string captureTime(std::int64_t us);

}  // namespace examguard::station
