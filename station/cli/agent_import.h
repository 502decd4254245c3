#pragma once

#include <cstdint>
#include <string>

#include <nlohmann/json.hpp>

#include "archive/agent_pki.h"
#include "station/error.h"
#include "station/period_import.h"
#include "station/station.h"

namespace examguard::cli {

struct CliContext;

// The station and the period a command works on.
struct StationAndPeriod {
    station::Station station;
    station::PeriodRef period;
};
station::Expected<StationAndPeriod> openWithPeriod(const CliContext& ctx, const std::string& code);

// The station's agent CA ("ExamGuard agent CA <site code>"), created on first use.
station::Expected<archive::AgentCa> agentCaOf(StationAndPeriod& opened);

// What `agent import` and `agent serve` print for an imported report.
struct AgentImport {
    nlohmann::json document;  // {"imported": true, "seat", "nonce", "findings": [...], "log_seq"}
    std::string hostname;
    std::string seat;
    std::size_t findings = 0;
};

// Verifies one signed report (its file's bytes) against the key enrolled for its PC, refuses
// replays, reconciles it with the period's registry and stores its findings with one
// `agent.import` entry, in one transaction. `source` names the report in messages (a file, or
// "tls 10.0.0.5" for a delivery). When `requiredKeyFingerprint` is not empty the report must be
// signed by that key (the one the TLS peer's certificate certifies). A refusal (Invalid) is
// recorded as `agent.import_refused` before it is returned.
station::Expected<AgentImport> importAgentReport(station::Station& station,
                                                 const station::PeriodRef& period,
                                                 const std::string& text, const std::string& source,
                                                 const std::string& requiredKeyFingerprint = {});

// A refusal that never reached importAgentReport (a certificate the CA did not issue, a
// malformed delivery), on record like the others.
void logAgentRefusal(station::Station& station, std::int64_t periodId, const std::string& reason,
                     const std::string& reportSha256);

// `examguard agent serve` (agent_serve.cpp).
struct ServeOptions {
    std::string period;
    std::string listen;
    std::vector<std::string> names;  // extra names or addresses for the listener's certificate
    int timeoutSeconds = 30;
};
int runAgentServe(const CliContext& ctx, const ServeOptions& options);

}  // namespace examguard::cli
