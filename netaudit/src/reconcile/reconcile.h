#pragma once

#include <vector>

#include "netaudit/registry.h"
#include "netaudit/report.h"

namespace examguard::netaudit {

// Compares what was seen with what was filed: missing_device, unregistered_device and
// mac_ip_mismatch. Also fills Host::seat for filed MACs.
void reconcile(std::vector<Host>& hosts, const std::vector<RegistryEntry>& registry,
               std::int64_t auditStartUs, std::int64_t auditEndUs, std::vector<Finding>& findings);

}  // namespace examguard::netaudit
