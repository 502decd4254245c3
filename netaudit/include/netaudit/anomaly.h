#pragma once

#include <array>
#include <cstdint>
#include <map>
#include <string>
#include <string_view>

namespace examguard::netaudit {

// Malformed input is counted under a stable name and skipped (Zeek's "weird" events), never fatal.
enum class Anomaly : std::uint8_t {
    kTruncatedLinkHeader,
    kUnknownLinkFamily,
    kTruncatedEthernetHeader,
    kTruncatedVlanHeader,
    kTruncatedPppoeHeader,
    kTruncatedArp,
    kUnsupportedArpFormat,
    kTruncatedIpv4Header,
    kBadIpv4HeaderLength,
    kBadIpv4TotalLength,
    kIpv4Fragment,
    kTruncatedIpv6Header,
    kTruncatedIpv6ExtensionHeader,
    kTruncatedUdpHeader,
    kBadUdpLength,
    kTruncatedTcpHeader,
    kBadTcpHeaderLength,
    kTruncatedDhcp,
    kBadDhcpOption,
    kTruncatedDns,
    kDnsCompressionLoop,
    kBadDnsName,
    kTruncatedTlsRecord,
    kBadTlsHandshake,
    kBadX509Certificate,
    kBadHttpRequest,
    kTcpStreamGap,
    kCount
};

std::string_view anomalyName(Anomaly anomaly);  // e.g. "truncated_ipv4_header"

class AnomalyCounters {
public:
    void add(Anomaly anomaly) { ++m_counts[static_cast<std::size_t>(anomaly)]; }
    std::uint64_t count(Anomaly anomaly) const {
        return m_counts[static_cast<std::size_t>(anomaly)];
    }
    std::uint64_t total() const;
    std::map<std::string, std::uint64_t> nonZero() const;

private:
    std::array<std::uint64_t, static_cast<std::size_t>(Anomaly::kCount)> m_counts{};
};

}  // namespace examguard::netaudit
