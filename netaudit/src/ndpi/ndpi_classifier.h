#pragma once

#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <unordered_map>
#include <vector>

#include "netaudit/signatures.h"

struct ndpi_detection_module_struct;
struct ndpi_flow_struct;

namespace examguard::netaudit {

// Per-flow nDPI state; nDPI's flow struct is large, so it is freed as soon as detection ends.
class NdpiFlow {
public:
    NdpiFlow();
    ~NdpiFlow();
    NdpiFlow(const NdpiFlow&) = delete;
    NdpiFlow& operator=(const NdpiFlow&) = delete;
    ndpi_flow_struct* get() const { return m_flow; }

private:
    ndpi_flow_struct* m_flow;
};

struct NdpiVerdict {
    bool done = false;                    // stop feeding this flow
    std::string label;                    // "TLS.AnyDesk"; empty while unknown
    std::optional<std::size_t> appIndex;  // signature-table app nDPI's label means
};

// nDPI's detection module plus the mapping from its protocol ids to signature-table apps (the
// table's "ndpi" names), so that mapping is data too.
class NdpiClassifier {
public:
    explicit NdpiClassifier(const SignatureTable& table);
    ~NdpiClassifier();
    NdpiClassifier(const NdpiClassifier&) = delete;
    NdpiClassifier& operator=(const NdpiClassifier&) = delete;

    bool ok() const { return m_module != nullptr; }
    // `ipPacket` starts at the IP header. `packetsSoFar` counts calls for this flow.
    NdpiVerdict process(NdpiFlow& flow, const std::uint8_t* ipPacket, std::size_t length,
                        std::int64_t timestampUs, std::uint32_t packetsSoFar);
    // Final answer for a flow that never reached a verdict (no port-based guessing).
    NdpiVerdict giveUp(NdpiFlow& flow);

private:
    NdpiVerdict verdictFor(std::uint16_t master, std::uint16_t app, bool done);

    ndpi_detection_module_struct* m_module = nullptr;
    std::unordered_map<std::uint16_t, std::size_t> m_appByProtocol;
};

}  // namespace examguard::netaudit
