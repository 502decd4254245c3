#include "netaudit/anomaly.h"

#include <numeric>

namespace examguard::netaudit {

namespace {
// Order matches enum Anomaly.
constexpr std::array<std::string_view, static_cast<std::size_t>(Anomaly::kCount)> kNames = {
    "truncated_link_header",
    "unknown_link_family",
    "truncated_ethernet_header",
    "truncated_vlan_header",
    "truncated_pppoe_header",
    "truncated_arp",
    "unsupported_arp_format",
    "truncated_ipv4_header",
    "bad_ipv4_header_length",
    "bad_ipv4_total_length",
    "ipv4_fragment",
    "truncated_ipv6_header",
    "truncated_ipv6_extension_header",
    "truncated_udp_header",
    "bad_udp_length",
    "truncated_tcp_header",
    "bad_tcp_header_length",
    "truncated_dhcp",
    "bad_dhcp_option",
    "truncated_dns",
    "dns_compression_loop",
    "bad_dns_name",
    "truncated_tls_record",
    "bad_tls_handshake",
    "bad_x509_certificate",
    "bad_http_request",
    "tcp_stream_gap",
};
}  // namespace

std::string_view anomalyName(Anomaly anomaly) {
    const auto index = static_cast<std::size_t>(anomaly);
    return index < kNames.size() ? kNames[index] : "unknown_anomaly";
}

std::uint64_t AnomalyCounters::total() const {
    return std::accumulate(m_counts.begin(), m_counts.end(), std::uint64_t{0});
}

std::map<std::string, std::uint64_t> AnomalyCounters::nonZero() const {
    std::map<std::string, std::uint64_t> out;
    for (std::size_t i = 0; i < m_counts.size(); ++i) {
        if (m_counts[i] != 0) {
            out.emplace(std::string(anomalyName(static_cast<Anomaly>(i))), m_counts[i]);
        }
    }
    return out;
}

}  // namespace examguard::netaudit
