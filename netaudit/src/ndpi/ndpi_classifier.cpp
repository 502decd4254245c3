#include "ndpi/ndpi_classifier.h"

#include <cstring>

// nDPI 4.2 headers are C and noisy under our warning set.
#pragma GCC diagnostic push
#pragma GCC diagnostic ignored "-Wpedantic"
#pragma GCC diagnostic ignored "-Wold-style-cast"
#pragma GCC diagnostic ignored "-Wshadow"
#include <ndpi/ndpi_api.h>
#pragma GCC diagnostic pop

#include "logger.h"

namespace examguard::netaudit {

namespace {
// nDPI settles most flows within a handful of packets; past this it is guessing.
constexpr std::uint32_t kMaxNdpiPackets = 24;
}  // namespace

NdpiFlow::NdpiFlow()
    : m_flow(static_cast<ndpi_flow_struct*>(ndpi_flow_malloc(SIZEOF_FLOW_STRUCT))) {
    if (m_flow != nullptr) {
        std::memset(static_cast<void*>(m_flow), 0, SIZEOF_FLOW_STRUCT);
    }
}

NdpiFlow::~NdpiFlow() {
    if (m_flow != nullptr) {
        ndpi_free_flow(m_flow);
    }
}

NdpiClassifier::NdpiClassifier(const SignatureTable& table) {
    m_module = ndpi_init_detection_module(ndpi_no_prefs);
    if (m_module == nullptr) {
        logger().error("nDPI initialisation failed; using the signature table only");
        return;
    }
    NDPI_PROTOCOL_BITMASK all;
    NDPI_BITMASK_SET_ALL(all);
    ndpi_set_protocol_detection_bitmask2(m_module, &all);
    ndpi_finalize_initialization(m_module);
    for (std::size_t i = 0; i < table.apps().size(); ++i) {
        for (const auto& name : table.apps()[i].ndpiProtocols) {
            std::string mutableName = name;  // nDPI's API takes char*
            const int id = ndpi_get_protocol_id(m_module, mutableName.data());
            if (id < 0) {
                logger().debug("nDPI {} does not know protocol '{}' (app {}); signatures only",
                               ndpi_revision(), name, table.apps()[i].app);
                continue;
            }
            m_appByProtocol.emplace(static_cast<std::uint16_t>(id), i);
        }
    }
}

NdpiClassifier::~NdpiClassifier() {
    if (m_module != nullptr) {
        ndpi_exit_detection_module(m_module);
    }
}

NdpiVerdict NdpiClassifier::verdictFor(std::uint16_t master, std::uint16_t app, bool done) {
    NdpiVerdict verdict;
    verdict.done = done;
    if (master == NDPI_PROTOCOL_UNKNOWN && app == NDPI_PROTOCOL_UNKNOWN) {
        return verdict;
    }
    ndpi_protocol proto{};
    proto.master_protocol = master;
    proto.app_protocol = app;
    char buffer[64] = {};
    verdict.label = ndpi_protocol2name(m_module, proto, buffer, sizeof(buffer));
    for (const std::uint16_t id : {app, master}) {
        if (auto it = m_appByProtocol.find(id); it != m_appByProtocol.end()) {
            verdict.appIndex = it->second;
            break;
        }
    }
    return verdict;
}

NdpiVerdict NdpiClassifier::process(NdpiFlow& flow, const std::uint8_t* ipPacket,
                                    std::size_t length, std::int64_t timestampUs,
                                    std::uint32_t packetsSoFar) {
    if (m_module == nullptr || flow.get() == nullptr || length > 0xffff) {
        return NdpiVerdict{true, {}, {}};
    }
    const ndpi_protocol proto = ndpi_detection_process_packet(
        m_module, flow.get(), ipPacket, static_cast<unsigned short>(length),
        static_cast<std::uint64_t>(timestampUs / 1000));
    const bool known = proto.master_protocol != NDPI_PROTOCOL_UNKNOWN ||
                       proto.app_protocol != NDPI_PROTOCOL_UNKNOWN;
    const bool done = (known && ndpi_extra_dissection_possible(m_module, flow.get()) == 0) ||
                      packetsSoFar >= kMaxNdpiPackets;
    return verdictFor(proto.master_protocol, proto.app_protocol, done);
}

NdpiVerdict NdpiClassifier::giveUp(NdpiFlow& flow) {
    if (m_module == nullptr || flow.get() == nullptr) {
        return NdpiVerdict{true, {}, {}};
    }
    std::uint8_t guessed = 0;
    const ndpi_protocol proto = ndpi_detection_giveup(m_module, flow.get(), 0, &guessed);
    return verdictFor(proto.master_protocol, proto.app_protocol, true);
}

}  // namespace examguard::netaudit
