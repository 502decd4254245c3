// Protocol decoders on real frames from the shared captures, on those frames cut short at every
// length, and on the handful of hostile shapes (compression loops, bad lengths) seen in the wild.
#include <gtest/gtest.h>
#include <pcap/dlt.h>

#include "netaudit/decoded_packet.h"
#include "proto/dhcp/dhcp.h"
#include "proto/dns/dns.h"
#include "proto/http/http.h"
#include "proto/tls/tls.h"
#include "test_support.h"

namespace examguard::netaudit {
namespace {

using test::capture;

test::Frame frameOf(const std::string& file, std::size_t index, int* linkType = nullptr) {
    auto frames = test::readFrames(capture(file), linkType);
    EXPECT_GT(frames.size(), index);
    return frames.at(index);
}

TEST(Decoders, EthernetIpv4Tcp) {
    const auto f = frameOf("ndpi-teamviewer.pcap", 0);
    DecodedPacket p;
    AnomalyCounters a;
    ASSERT_TRUE(decodeFrame(DLT_EN10MB, f.bytes.data(), f.bytes.size(), p, a));
    EXPECT_EQ(p.ipVersion, 4);
    EXPECT_EQ(p.ipProtocol, 6);
    EXPECT_EQ(p.srcIp.toString(), "10.0.2.15");
    EXPECT_EQ(p.dstPort, 5938);
    EXPECT_NE(p.tcpFlags & tcpflag::kSyn, 0);
    EXPECT_EQ(a.total(), 0U);
}

TEST(Decoders, NullLoopback) {
    int link = 0;
    const auto f = frameOf("ndpi-rdp.pcap", 0, &link);
    ASSERT_EQ(link, DLT_NULL);
    DecodedPacket p;
    AnomalyCounters a;
    ASSERT_TRUE(decodeFrame(link, f.bytes.data(), f.bytes.size(), p, a));
    EXPECT_FALSE(p.hasEthernet);
    EXPECT_TRUE(p.hasL4);
    EXPECT_TRUE(p.srcPort == 3389 || p.dstPort == 3389);
}

TEST(Decoders, Ipv6) {
    // ndpi-sites carries IPv6 TLS flows; find one frame and check the decode.
    int link = 0;
    const auto frames = test::readFrames(capture("ndpi-sites.pcapng"), &link);
    int seen = 0;
    for (const auto& f : frames) {
        DecodedPacket p;
        AnomalyCounters a;
        if (decodeFrame(link, f.bytes.data(), f.bytes.size(), p, a) && p.ipVersion == 6 &&
            p.hasL4) {
            ++seen;
            EXPECT_EQ(p.srcIp.family, 6);
        }
    }
    EXPECT_GT(seen, 0);
}

TEST(Decoders, VlanPppoe) {
    const auto f = frameOf("ndpi-dns.pcap", 3);
    DecodedPacket p;
    AnomalyCounters a;
    ASSERT_TRUE(decodeFrame(DLT_EN10MB, f.bytes.data(), f.bytes.size(), p, a));
    EXPECT_EQ(p.vlanId, 785);
    EXPECT_EQ(p.srcIp.toString(), "82.178.113.245");
    EXPECT_EQ(p.dstPort, 53);
}

TEST(Decoders, Arp) {
    const auto f = frameOf("chrissanders-arp_resolution.pcapng", 1);
    DecodedPacket p;
    AnomalyCounters a;
    ASSERT_TRUE(decodeFrame(DLT_EN10MB, f.bytes.data(), f.bytes.size(), p, a));
    ASSERT_TRUE(p.hasArp);
    EXPECT_EQ(p.arp.operation, 2);
    EXPECT_EQ(p.arp.senderIp.toString(), "192.168.0.1");
    EXPECT_EQ(p.arp.senderMac.toString(), "00:13:46:0b:22:ba");
}

// Every prefix of every frame of several captures: decoders must count, never crash or read
// past the end (ASan builds check the latter).
TEST(Decoders, EveryTruncationIsCountedNotFatal) {
    std::uint64_t anomalies = 0;
    for (const char* file : {"ndpi-teamviewer.pcap", "ndpi-rdp.pcap", "ndpi-dns.pcap",
                             "zeek-dhcp.pcap", "chrissanders-arp_resolution.pcapng"}) {
        int link = 0;
        const auto frames = test::readFrames(capture(file), &link);
        for (std::size_t i = 0; i < std::min<std::size_t>(frames.size(), 20); ++i) {
            const auto& bytes = frames[i].bytes;
            for (std::size_t n = 0; n < bytes.size(); ++n) {
                // A copy of exactly n bytes, so reading byte n would be an overflow.
                std::vector<std::uint8_t> cut(bytes.begin(), bytes.begin() + static_cast<long>(n));
                DecodedPacket p;
                AnomalyCounters a;
                decodeFrame(link, cut.data(), cut.size(), p, a);
                if (p.hasL4 && p.payloadLength > 0) {
                    proto::DnsMessage dns;
                    proto::decodeDns(p.payload, p.payloadLength, dns, a);
                    proto::DhcpMessage dhcp;
                    proto::decodeDhcp(p.payload, p.payloadLength, dhcp, a);
                }
                anomalies += a.total();
            }
        }
    }
    EXPECT_GT(anomalies, 0U);
}

TEST(Decoders, TruncatedIpv4HeaderHasItsName) {
    const auto f = frameOf("ndpi-teamviewer.pcap", 0);
    DecodedPacket p;
    AnomalyCounters a;
    EXPECT_FALSE(decodeFrame(DLT_EN10MB, f.bytes.data(), 14 + 10, p, a));
    EXPECT_EQ(a.count(Anomaly::kTruncatedIpv4Header), 1U);
    EXPECT_EQ(anomalyName(Anomaly::kTruncatedIpv4Header), "truncated_ipv4_header");
    EXPECT_EQ(a.nonZero().at("truncated_ipv4_header"), 1U);
}

TEST(Decoders, DnsQueryAndAnswer) {
    const auto f = frameOf("chrissanders-dns_query_response.pcapng", 1);
    DecodedPacket p;
    AnomalyCounters a;
    ASSERT_TRUE(decodeFrame(DLT_EN10MB, f.bytes.data(), f.bytes.size(), p, a));
    proto::DnsMessage dns;
    ASSERT_TRUE(proto::decodeDns(p.payload, p.payloadLength, dns, a));
    EXPECT_TRUE(dns.isResponse);
    ASSERT_EQ(dns.questions.size(), 1U);
    EXPECT_FALSE(dns.questions[0].empty());
    EXPECT_FALSE(dns.answers.empty());
    EXPECT_EQ(a.total(), 0U);
}

TEST(Decoders, DnsCompressionLoopIsCounted) {
    // Header with one question whose name is a pointer to itself (offset 12).
    const std::vector<std::uint8_t> msg = {0x12, 0x34, 0x01, 0x00, 0x00, 0x01, 0x00, 0x00, 0x00,
                                           0x00, 0x00, 0x00, 0xc0, 0x0c, 0x00, 0x01, 0x00, 0x01};
    proto::DnsMessage dns;
    AnomalyCounters a;
    EXPECT_FALSE(proto::decodeDns(msg.data(), msg.size(), dns, a));
    EXPECT_EQ(a.count(Anomaly::kDnsCompressionLoop), 1U);

    // Two pointers to each other.
    std::vector<std::uint8_t> pair = msg;
    pair[12] = 0xc0;
    pair[13] = 0x10;
    pair.resize(18);
    pair[16] = 0xc0;
    pair[17] = 0x0c;
    AnomalyCounters b;
    EXPECT_FALSE(proto::decodeDns(pair.data(), pair.size(), dns, b));
    EXPECT_EQ(b.count(Anomaly::kDnsCompressionLoop), 1U);
}

TEST(Decoders, DhcpHostnameAndRequestedIp) {
    const auto f = frameOf("chrissanders-dhcp_inlease_renewal.pcapng", 0);
    DecodedPacket p;
    AnomalyCounters a;
    ASSERT_TRUE(decodeFrame(DLT_EN10MB, f.bytes.data(), f.bytes.size(), p, a));
    proto::DhcpMessage dhcp;
    ASSERT_TRUE(proto::decodeDhcp(p.payload, p.payloadLength, dhcp, a));
    EXPECT_EQ(dhcp.clientMac.toString(), "00:0c:29:59:fd:21");
    EXPECT_EQ(dhcp.hostname, "ubuntu2");
    EXPECT_EQ(dhcp.messageType, 3);
    EXPECT_EQ(dhcp.requestedIp.toString(), "192.168.1.10");

    // An option whose length runs past the end.
    std::vector<std::uint8_t> cut(p.payload, p.payload + 240);
    cut.push_back(12);
    cut.push_back(200);
    cut.push_back('x');
    AnomalyCounters b;
    proto::DhcpMessage broken;
    EXPECT_FALSE(proto::decodeDhcp(cut.data(), cut.size(), broken, b));
    EXPECT_EQ(b.count(Anomaly::kBadDhcpOption), 1U);
}

std::vector<std::uint8_t> tcpPayloadOfFirstPacketWith(const std::string& file, std::uint8_t first,
                                                      std::uint16_t srcPort) {
    int link = 0;
    for (const auto& f : test::readFrames(capture(file), &link)) {
        DecodedPacket p;
        AnomalyCounters a;
        if (decodeFrame(link, f.bytes.data(), f.bytes.size(), p, a) && p.payloadLength > 0 &&
            p.payload[0] == first && (srcPort == 0 || p.srcPort == srcPort)) {
            return {p.payload, p.payload + p.payloadLength};
        }
    }
    return {};
}

TEST(Decoders, TlsClientHelloWholeAndByteByByte) {
    const auto hello = tcpPayloadOfFirstPacketWith("ndpi-443-firefox.pcap", 0x16, 53096);
    ASSERT_FALSE(hello.empty());
    AnomalyCounters a;
    proto::TlsClientHello out;
    ASSERT_EQ(proto::parseTlsClientHello(hello.data(), hello.size(), out, a),
              proto::ParseStatus::kOk);
    EXPECT_EQ(out.serverName, "www.ntop.org");
    EXPECT_FALSE(out.alpn.empty());
    // Every shorter prefix is "need more", never a wrong answer or an anomaly.
    for (std::size_t n = 1; n < hello.size(); ++n) {
        proto::TlsClientHello partial;
        EXPECT_EQ(proto::parseTlsClientHello(hello.data(), n, partial, a),
                  proto::ParseStatus::kNeedMore)
            << n;
    }
    EXPECT_EQ(a.total(), 0U);
}

TEST(Decoders, TlsCertificateSubject) {
    // The AnyDesk LAN session's server flight (TLS 1.2) carries CN "AnyDesk Client".
    int link = 0;
    std::vector<std::uint8_t> stream;
    for (const auto& f : test::readFrames(capture("ndpi-anydesk.pcapng"), &link)) {
        DecodedPacket p;
        AnomalyCounters a;
        if (decodeFrame(link, f.bytes.data(), f.bytes.size(), p, a) && p.srcPort == 7070 &&
            p.dstPort == 52039 && p.payloadLength > 0) {
            stream.insert(stream.end(), p.payload, p.payload + p.payloadLength);
        }
    }
    ASSERT_FALSE(stream.empty());
    AnomalyCounters a;
    proto::TlsServerHandshake server;
    ASSERT_EQ(proto::parseTlsServerHandshake(stream.data(), stream.size(), server, a),
              proto::ParseStatus::kOk);
    EXPECT_TRUE(server.sawServerHello);
    EXPECT_EQ(server.certCommonName, "AnyDesk Client");
    std::string cn;
    std::string o;
    EXPECT_FALSE(proto::parseCertificateSubject(stream.data(), 3, cn, o));
}

TEST(Decoders, HttpRequest) {
    const std::string request =
        "GET /din.aspx?s=1 HTTP/1.1\r\nHost: master1.teamviewer.com\r\nUser-Agent: DynGate\r\n\r\n";
    AnomalyCounters a;
    proto::HttpRequest out;
    const auto* bytes = reinterpret_cast<const std::uint8_t*>(request.data());
    ASSERT_EQ(proto::parseHttpRequest(bytes, request.size(), out, a), proto::ParseStatus::kOk);
    EXPECT_EQ(out.method, "GET");
    EXPECT_EQ(out.host, "master1.teamviewer.com");
    EXPECT_EQ(out.userAgent, "DynGate");
    EXPECT_EQ(proto::parseHttpRequest(bytes, 30, out, a), proto::ParseStatus::kNeedMore);
    EXPECT_EQ(proto::parseHttpRequest(bytes + 1, 10, out, a), proto::ParseStatus::kNotThisProtocol);
    const std::string broken = "GET /x\r\n\r\n";
    EXPECT_EQ(proto::parseHttpRequest(reinterpret_cast<const std::uint8_t*>(broken.data()),
                                      broken.size(), out, a),
              proto::ParseStatus::kMalformed);
    EXPECT_EQ(a.count(Anomaly::kBadHttpRequest), 1U);
}

}  // namespace
}  // namespace examguard::netaudit
