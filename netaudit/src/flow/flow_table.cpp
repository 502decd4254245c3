#include "flow/flow_table.h"

#include <algorithm>
#include <tuple>

#include <fmt/format.h>

namespace examguard::netaudit {

FlowKey FlowKey::of(const DecodedPacket& p) {
    FlowKey k;
    k.protocol = p.ipProtocol;
    if (std::tie(p.srcIp, p.srcPort) < std::tie(p.dstIp, p.dstPort)) {
        k.a = p.srcIp;
        k.portA = p.srcPort;
        k.b = p.dstIp;
        k.portB = p.dstPort;
    } else {
        k.a = p.dstIp;
        k.portA = p.dstPort;
        k.b = p.srcIp;
        k.portB = p.srcPort;
    }
    return k;
}

void StreamBuffer::append(const std::uint8_t* data, std::size_t length) {
    const std::size_t room = kMaxBytes - std::min(kMaxBytes, m_bytes.size());
    m_bytes.insert(m_bytes.end(), data, data + std::min(room, length));
}

bool StreamBuffer::add(std::uint32_t seq, bool syn, const std::uint8_t* data, std::size_t length,
                       std::uint64_t /*packetNumber*/) {
    if (syn) {
        m_seqKnown = true;
        m_nextSeq = seq + 1;
        return false;
    }
    if (length == 0 || full()) {
        return false;
    }
    if (!m_seqKnown) {
        // Capture started mid-connection: take the first payload we see as the start.
        m_seqKnown = true;
        m_nextSeq = seq;
    }
    // Signed distance handles sequence-number wrap-around.
    const auto delta = static_cast<std::int32_t>(seq - m_nextSeq);
    if (delta > 0) {
        if (m_pending.size() < kMaxPending) {
            m_pending.push_back({seq, std::vector<std::uint8_t>(data, data + length)});
        } else {
            m_gap = true;
        }
        return false;
    }
    const auto overlap = static_cast<std::size_t>(-static_cast<std::int64_t>(delta));
    if (overlap >= length) {
        return false;  // pure retransmission
    }
    append(data + overlap, length - overlap);
    m_nextSeq += static_cast<std::uint32_t>(length - overlap);
    // Segments that arrived early may now fit.
    for (bool progressed = true; progressed && !m_pending.empty();) {
        progressed = false;
        for (auto it = m_pending.begin(); it != m_pending.end(); ++it) {
            const auto d = static_cast<std::int32_t>(it->seq - m_nextSeq);
            if (d > 0) {
                continue;
            }
            const auto skip = static_cast<std::size_t>(-static_cast<std::int64_t>(d));
            if (skip < it->data.size()) {
                append(it->data.data() + skip, it->data.size() - skip);
                m_nextSeq += static_cast<std::uint32_t>(it->data.size() - skip);
            }
            m_pending.erase(it);
            progressed = true;
            break;
        }
    }
    return true;
}

std::string Flow::describe() const {
    const char* name = protocol == 6 ? "tcp" : protocol == 17 ? "udp" : "ip";
    auto endpoint = [](const IpAddress& ip, std::uint16_t port) {
        return ip.family == 6 ? fmt::format("[{}]:{}", ip.toString(), port)
                              : fmt::format("{}:{}", ip.toString(), port);
    };
    return fmt::format("{} {} -> {}", name, endpoint(clientIp, clientPort),
                       endpoint(serverIp, serverPort));
}

}  // namespace examguard::netaudit
