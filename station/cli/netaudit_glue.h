#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "netaudit/audit.h"
#include "station/station.h"

namespace examguard::cli {

// The filed machines of a period's site, as the LAN audit's registry.
station::Expected<std::vector<netaudit::RegistryEntry>> registryOfPeriod(station::Station& station,
                                                                         std::int64_t periodId);

// All findings of one audit and one `netaudit.audit` log entry naming them, in one
// transaction; returns the entry's sequence number. The source is lan_active when an active
// sweep ran alongside the capture, else lan_passive.
station::Expected<std::int64_t> storeFindings(station::Station& station, std::int64_t periodId,
                                              const netaudit::AuditReport& report,
                                              const std::string& reportSha256);

}  // namespace examguard::cli
