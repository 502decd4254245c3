#pragma once

#include <functional>
#include <optional>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>
#include <tl/expected.hpp>

#include "agent/error.h"

namespace examguard::agent {

// The station's side of a report, kept free of the station library so it is tested here and the
// station command (`examguard agent import`, not built yet) stays glue: verify, refuse replays,
// reconcile with the machine registry, turn detections into LAN-audit-style findings.

struct FiledMachine {
    std::string seat;
    std::string hostname;
    std::string mac;  // any case, ':' or '-' separated
    std::string ip;
};

// Same kinds as the LAN audit's findings (remote_control, unregistered_device,
// mac_ip_mismatch) plus installed_software, wireless_peripheral, virtual_machine.
struct AgentFinding {
    std::string kind;
    std::string app;  // empty when not about an application
    std::string mac;
    std::string ip;
    std::string seat;  // empty when the PC is not in the registry
    std::string evidence;
};

struct ImportedReport {
    std::string nonce;
    std::string timestamp;
    std::string hostname;
    std::string seat;  // matched through an adapter's MAC; empty when unfiled
    std::string mac;
    std::string ip;
    std::vector<AgentFinding> findings;
};

// Verifies the envelope against the PC's enrolled public key, refuses a nonce for which
// `nonceSeen` returns true (kReplayed), and reconciles. Nothing is stored here: the caller
// records the nonce and findings in one transaction.
tl::expected<ImportedReport, Error> importReport(
    const nlohmann::json& envelope, const std::string& publicKeyPem,
    const std::function<bool(const std::string& nonce)>& nonceSeen,
    const std::vector<FiledMachine>& registry);

}  // namespace examguard::agent
