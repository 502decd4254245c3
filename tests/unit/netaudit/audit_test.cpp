// End-to-end passive audits of the real captures in ../shared/data/pcap, and of captures derived
// from them at test time (split TLS handshakes, ARP spoofing, registry mismatches).
#include "netaudit/audit.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <fstream>
#include <map>
#include <regex>
#include <set>

#include "netaudit/decoded_packet.h"
#include "test_support.h"

namespace examguard::netaudit {
namespace {

using test::capture;

AuditReport audit(const std::string& file, AuditOptions options = {}) {
    options.captureFile = file;
    options.includeFlows = true;
    auto report = auditCaptureFile(options);
    EXPECT_TRUE(report.has_value()) << (report ? "" : report.error().detail);
    return report ? *report : AuditReport{};
}

std::vector<const Finding*> findingsOf(const AuditReport& r, FindingKind kind) {
    std::vector<const Finding*> out;
    for (const auto& f : r.findings) {
        if (f.kind == kind) {
            out.push_back(&f);
        }
    }
    return out;
}

std::set<std::string> remoteApps(const AuditReport& r) {
    std::set<std::string> apps;
    for (const auto* f : findingsOf(r, FindingKind::kRemoteControl)) {
        apps.insert(f->app.value_or("?"));
    }
    return apps;
}

const Host* hostWithMac(const AuditReport& r, const std::string& mac) {
    for (const auto& h : r.hosts) {
        if (h.mac.toString() == mac) {
            return &h;
        }
    }
    return nullptr;
}

bool hasIp(const Host& h, const std::string& ip) {
    return std::any_of(h.ips.begin(), h.ips.end(),
                       [&](const IpAddress& a) { return a.toString() == ip; });
}

struct RemoteCase {
    const char* file;
    const char* app;
};

std::string testName(std::string name) {
    std::replace_if(
        name.begin(), name.end(), [](char c) { return !std::isalnum(c); }, '_');
    return name;
}

std::string remoteCaseName(const ::testing::TestParamInfo<RemoteCase>& p) {
    return testName(p.param.file);
}

std::string fileName(const ::testing::TestParamInfo<const char*>& p) {
    return testName(p.param);
}

class RemoteControlCapture : public ::testing::TestWithParam<RemoteCase> {};

TEST_P(RemoteControlCapture, YieldsItsAppWithExactEvidence) {
    const auto report = audit(capture(GetParam().file));
    EXPECT_EQ(remoteApps(report), std::set<std::string>{GetParam().app});
    for (const auto* f : findingsOf(report, FindingKind::kRemoteControl)) {
        EXPECT_TRUE(f->ip.has_value());
        EXPECT_TRUE(f->flow.has_value());
        EXPECT_GT(f->packet, 0U);
        EXPECT_NE(f->evidence.find("packet " + std::to_string(f->packet)), std::string::npos)
            << f->evidence;
        EXPECT_LE(f->firstSeenUs, f->lastSeenUs);
    }
    EXPECT_TRUE(report.anomalies.empty());
}

INSTANTIATE_TEST_SUITE_P(SharedCaptures, RemoteControlCapture,
                         ::testing::Values(RemoteCase{"ndpi-teamviewer.pcap", "teamviewer"},
                                           RemoteCase{"ndpi-anydesk.pcapng", "anydesk"},
                                           RemoteCase{"ndpi-rdp.pcap", "rdp"},
                                           RemoteCase{"ndpi-rdp_over_tls.pcap", "rdp"},
                                           RemoteCase{"ndpi-vnc.pcap", "vnc"},
                                           RemoteCase{"ndpi-radmin3.pcapng", "radmin"}),
                         remoteCaseName);

class OrdinaryCapture : public ::testing::TestWithParam<const char*> {};

TEST_P(OrdinaryCapture, RaisesNoRemoteControlFinding) {
    const auto report = audit(capture(GetParam()));
    EXPECT_GT(report.packets, 0U);
    for (const auto* f : findingsOf(report, FindingKind::kRemoteControl)) {
        ADD_FAILURE() << "unexpected " << *f->app << ": " << f->evidence;
    }
    // No registry, no gateway configured: nothing else to report either.
    EXPECT_TRUE(report.findings.empty());
}

INSTANTIATE_TEST_SUITE_P(SharedCaptures, OrdinaryCapture,
                         ::testing::Values("ndpi-sites.pcapng", "ndpi-443-firefox.pcap",
                                           "ndpi-dns.pcap", "chrissanders-arp_gratuitous.pcapng",
                                           "chrissanders-arp_resolution.pcapng",
                                           "chrissanders-dhcp_inlease_renewal.pcapng",
                                           "chrissanders-dhcp_nolease_initialization.pcapng",
                                           "chrissanders-dns_query_response.pcapng",
                                           "zeek-dhcp.pcap"),
                         fileName);

TEST(AuditInventory, DhcpHostnamesAndAddresses) {
    const auto zeek = audit(capture("zeek-dhcp.pcap"));
    const Host* client = hostWithMac(zeek, "90:b1:1c:99:49:29");
    ASSERT_NE(client, nullptr);
    EXPECT_EQ(client->hostnames, std::vector<std::string>{"btest.is.cool"});
    EXPECT_TRUE(hasIp(*client, "192.168.211.194"));  // option 50, requested address

    for (const char* file : {"chrissanders-dhcp_inlease_renewal.pcapng",
                             "chrissanders-dhcp_nolease_initialization.pcapng"}) {
        const auto r = audit(capture(file));
        const Host* h = hostWithMac(r, "00:0c:29:59:fd:21");
        ASSERT_NE(h, nullptr) << file;
        EXPECT_EQ(h->hostnames, std::vector<std::string>{"ubuntu2"}) << file;
        EXPECT_TRUE(hasIp(*h, "192.168.1.10")) << file;
        EXPECT_LE(h->firstSeenUs, h->lastSeenUs);
    }
}

TEST(AuditInventory, ArpPairs) {
    const auto r = audit(capture("chrissanders-arp_resolution.pcapng"));
    ASSERT_EQ(r.packets, 2U);
    const Host* asker = hostWithMac(r, "00:16:ce:6e:8b:24");
    const Host* gateway = hostWithMac(r, "00:13:46:0b:22:ba");
    ASSERT_NE(asker, nullptr);
    ASSERT_NE(gateway, nullptr);
    EXPECT_TRUE(hasIp(*asker, "192.168.0.114"));
    EXPECT_TRUE(hasIp(*gateway, "192.168.0.1"));

    const auto g = audit(capture("chrissanders-arp_gratuitous.pcapng"));
    const Host* announcer = hostWithMac(g, "00:03:47:b7:f2:f5");
    ASSERT_NE(announcer, nullptr);
    EXPECT_TRUE(hasIp(*announcer, "24.6.125.19"));
}

TEST(AuditInventory, NullLoopbackAndPppoeFramesAreDecoded) {
    const auto rdp = audit(capture("ndpi-rdp.pcap"));  // DLT_NULL
    EXPECT_EQ(rdp.linkType, 0);
    ASSERT_FALSE(rdp.flows.empty());
    EXPECT_EQ(rdp.flows.front().serverPort, 3389);

    const auto dns = audit(capture("ndpi-dns.pcap"));  // VLAN-in-VLAN + PPPoE frames
    EXPECT_EQ(dns.flows.size(), 2U);
}

TEST(AuditTls, SniAlpnAndCertificateAreRead) {
    const auto firefox = audit(capture("ndpi-443-firefox.pcap"));
    ASSERT_EQ(firefox.flows.size(), 1U);
    EXPECT_EQ(firefox.flows.front().serverName, "www.ntop.org");

    AuditOptions signaturesOnly;
    signaturesOnly.useNdpi = false;
    const auto anydesk = audit(capture("ndpi-anydesk.pcapng"), signaturesOnly);
    std::string evidence;
    for (const auto* f : findingsOf(anydesk, FindingKind::kRemoteControl)) {
        evidence += f->evidence + "\n";
    }
    EXPECT_NE(evidence.find("CN=AnyDesk Client"), std::string::npos) << evidence;
    EXPECT_NE(evidence.find("CN=AnyNet Relay"), std::string::npos) << evidence;
    EXPECT_NE(evidence.find("ALPN anydesk/"), std::string::npos) << evidence;
    EXPECT_NE(evidence.find("DNS query for relay-"), std::string::npos) << evidence;
}

// Splits the TCP segment in `frame` (Ethernet/IPv4/TCP) into pieces of `size` payload bytes.
std::vector<test::Frame> splitSegment(const test::Frame& frame, std::size_t size) {
    DecodedPacket p;
    AnomalyCounters anomalies;
    EXPECT_TRUE(decodeFrame(1, frame.bytes.data(), frame.bytes.size(), p, anomalies));
    const std::size_t headerBytes = static_cast<std::size_t>(p.payload - frame.bytes.data());
    const std::size_t ipOffset = static_cast<std::size_t>(p.l3 - frame.bytes.data());
    std::vector<test::Frame> out;
    for (std::size_t off = 0; off < p.payloadLength; off += size) {
        const std::size_t n = std::min(size, p.payloadLength - off);
        test::Frame piece;
        piece.timestampUs = frame.timestampUs;
        piece.bytes.assign(frame.bytes.begin(),
                           frame.bytes.begin() + static_cast<long>(headerBytes));
        piece.bytes.insert(piece.bytes.end(), p.payload + off, p.payload + off + n);
        const std::size_t ipTotal = headerBytes - ipOffset + n;
        piece.bytes[ipOffset + 2] = static_cast<std::uint8_t>(ipTotal >> 8);
        piece.bytes[ipOffset + 3] = static_cast<std::uint8_t>(ipTotal);
        const std::size_t tcpOffset = ipOffset + std::size_t{(piece.bytes[ipOffset] & 0x0fU)} * 4U;
        const std::uint32_t seq = p.tcpSeq + static_cast<std::uint32_t>(off);
        for (int i = 0; i < 4; ++i) {
            piece.bytes[tcpOffset + 4 + static_cast<std::size_t>(i)] =
                static_cast<std::uint8_t>(seq >> (24 - 8 * i));
        }
        out.push_back(std::move(piece));
    }
    return out;
}

TEST(AuditTls, ClientHelloSplitOverSegmentsOutOfOrder) {
    int linkType = 0;
    auto frames = test::readFrames(capture("ndpi-anydesk.pcapng"), &linkType);
    // Packet 124 carries the ClientHello whose ALPN names AnyDesk (see the unsplit audit).
    const std::size_t index = 123;
    ASSERT_GT(frames.size(), index);
    auto pieces = splitSegment(frames[index], 100);
    ASSERT_GE(pieces.size(), 3U);
    std::swap(pieces[1], pieces[2]);  // one segment arrives early
    std::vector<test::Frame> derived(frames.begin(), frames.begin() + static_cast<long>(index));
    derived.insert(derived.end(), pieces.begin(), pieces.end());
    derived.insert(derived.end(), frames.begin() + static_cast<long>(index) + 1, frames.end());

    test::TempDir dir;
    const auto path = dir.path() / "split.pcap";
    test::writePcap(path, linkType, derived);
    AuditOptions options;
    options.useNdpi = false;
    const auto report = audit(path.string(), options);
    bool found = false;
    for (const auto* f : findingsOf(report, FindingKind::kRemoteControl)) {
        if (f->evidence.find("ALPN anydesk/6.2.0/linux") != std::string::npos) {
            found = true;
            EXPECT_EQ(f->ip->toString(), "192.168.1.128");
        }
    }
    EXPECT_TRUE(found);
}

// --- ground truth ---------------------------------------------------------------------------

struct ExpectedFlow {
    std::string a;
    std::string b;
    std::string label;
};

std::vector<ExpectedFlow> readGroundTruth(const std::string& path) {
    std::ifstream in(path);
    const std::regex line(R"(^\s+\d+\s+(TCP|UDP) (\S+) <-> (\S+) .*?\[proto: [0-9.]+/([^\]]+)\])");
    std::vector<ExpectedFlow> out;
    std::string text;
    while (std::getline(in, text)) {
        std::smatch m;
        if (std::regex_search(text, m, line)) {
            out.push_back({m[2], m[3], m[4]});
        }
    }
    return out;
}

std::string endpoint(const IpAddress& ip, std::uint16_t port) {
    return (ip.family == 6 ? "[" + ip.toString() + "]" : ip.toString()) + ":" +
           std::to_string(port);
}

class GroundTruth : public ::testing::TestWithParam<const char*> {};

TEST_P(GroundTruth, AppPerFlowAgreesWithNdpi) {
    const std::string file = capture(GetParam());
    const auto expected = readGroundTruth(file + ".ndpi-expected.txt");
    ASSERT_FALSE(expected.empty());
    const auto table = SignatureTable::builtin();
    ASSERT_TRUE(table);
    // nDPI label parts ("TLS.AnyDesk") mapped to our app names through the table's "ndpi" field.
    std::map<std::string, std::string> appByNdpiName;
    for (const auto& app : table->apps()) {
        for (const auto& n : app.ndpiProtocols) {
            appByNdpiName[n] = app.app;
        }
    }
    const auto report = audit(file);
    std::map<std::pair<std::string, std::string>, const FlowSummary*> ours;
    for (const auto& f : report.flows) {
        const auto c = endpoint(f.clientIp, f.clientPort);
        const auto s = endpoint(f.serverIp, f.serverPort);
        ours[{c, s}] = &f;
        ours[{s, c}] = &f;
    }
    int compared = 0;
    for (const auto& e : expected) {
        std::string expectedApp;
        std::size_t start = 0;
        while (start <= e.label.size()) {
            const std::size_t dot = e.label.find('.', start);
            const std::string part = e.label.substr(start, dot - start);
            if (auto it = appByNdpiName.find(part); it != appByNdpiName.end()) {
                expectedApp = it->second;
            }
            if (dot == std::string::npos) {
                break;
            }
            start = dot + 1;
        }
        const auto it = ours.find({e.a, e.b});
        ASSERT_NE(it, ours.end()) << "flow " << e.a << " <-> " << e.b << " not seen";
        const FlowSummary& flow = *it->second;
        if (!expectedApp.empty()) {
            ++compared;
            EXPECT_EQ(flow.app.value_or("(none)"), expectedApp)
                << e.a << " <-> " << e.b << " nDPI: " << e.label;
        } else {
            EXPECT_FALSE(flow.app.has_value())
                << e.a << " <-> " << e.b << " nDPI: " << e.label << ", ours: " << *flow.app;
        }
    }
    const bool remoteCapture = std::string(GetParam()).find("sites") == std::string::npos &&
                               std::string(GetParam()).find("firefox") == std::string::npos &&
                               std::string(GetParam()).find("dns") == std::string::npos;
    if (remoteCapture) {
        EXPECT_GT(compared, 0);
    }
}

INSTANTIATE_TEST_SUITE_P(SharedCaptures, GroundTruth,
                         ::testing::Values("ndpi-teamviewer.pcap", "ndpi-anydesk.pcapng",
                                           "ndpi-rdp.pcap", "ndpi-rdp_over_tls.pcap",
                                           "ndpi-vnc.pcap", "ndpi-radmin3.pcapng",
                                           "ndpi-sites.pcapng", "ndpi-443-firefox.pcap",
                                           "ndpi-dns.pcap"),
                         fileName);

// --- ARP watch and registry -----------------------------------------------------------------

void setMac(std::vector<std::uint8_t>& frame, std::size_t offset, const MacAddress& mac) {
    std::copy(mac.bytes.begin(), mac.bytes.end(), frame.begin() + static_cast<long>(offset));
}

TEST(AuditArp, GatewayClaimedByNewMacIsSpoofing) {
    int linkType = 0;
    auto frames = test::readFrames(capture("chrissanders-arp_resolution.pcapng"), &linkType);
    ASSERT_EQ(frames.size(), 2U);  // request from .114 for .1, reply from .1
    const MacAddress attacker = *MacAddress::parse("02:de:ad:be:ef:01");
    std::vector<test::Frame> derived = frames;
    for (int i = 0; i < 3; ++i) {
        test::Frame forged = frames[1];
        forged.timestampUs += 1000000 * (i + 1);
        setMac(forged.bytes, 6, attacker);   // Ethernet source
        setMac(forged.bytes, 22, attacker);  // ARP sender hardware address
        derived.push_back(forged);
    }
    test::TempDir dir;
    const auto path = dir.path() / "spoof.pcap";
    test::writePcap(path, linkType, derived);

    AuditOptions options;
    options.gatewayIps = {*IpAddress::parse("192.168.0.1")};
    const auto report = audit(path.string(), options);
    const auto spoofs = findingsOf(report, FindingKind::kArpSpoof);
    ASSERT_EQ(spoofs.size(), 2U);  // the rebinding, then the unsolicited replies
    EXPECT_EQ(spoofs[0]->mac->toString(), "02:de:ad:be:ef:01");
    EXPECT_EQ(spoofs[0]->ip->toString(), "192.168.0.1");
    EXPECT_EQ(spoofs[0]->packet, 3U);
    EXPECT_NE(spoofs[0]->evidence.find("(the gateway)"), std::string::npos);
    EXPECT_NE(spoofs[0]->evidence.find("packet 2 had it at 00:13:46:0b:22:ba"), std::string::npos)
        << spoofs[0]->evidence;
    EXPECT_NE(spoofs[1]->evidence.find("unsolicited"), std::string::npos);
    const auto duplicates = findingsOf(report, FindingKind::kDuplicateIp);
    ASSERT_EQ(duplicates.size(), 1U);
    EXPECT_EQ(duplicates[0]->ip->toString(), "192.168.0.1");
}

TEST(AuditArp, GratuitousFloodIsSpoofingButOneIsNot) {
    int linkType = 0;
    auto frames = test::readFrames(capture("chrissanders-arp_gratuitous.pcapng"), &linkType);
    ASSERT_EQ(frames.size(), 1U);
    std::vector<test::Frame> flood;
    for (int i = 0; i < 12; ++i) {
        test::Frame f = frames[0];
        f.timestampUs += 100000 * i;
        flood.push_back(f);
    }
    test::TempDir dir;
    const auto path = dir.path() / "flood.pcap";
    test::writePcap(path, linkType, flood);
    const auto report = audit(path.string());
    const auto spoofs = findingsOf(report, FindingKind::kArpSpoof);
    ASSERT_EQ(spoofs.size(), 1U);
    EXPECT_NE(spoofs[0]->evidence.find("gratuitous"), std::string::npos);
    EXPECT_EQ(spoofs[0]->packet, 10U);
}

RegistryEntry entry(const char* seat, const char* host, const char* mac, const char* ip) {
    return RegistryEntry{seat, host, *MacAddress::parse(mac), *IpAddress::parse(ip)};
}

TEST(AuditRegistry, MatchingRegistryGivesNoFindings) {
    AuditOptions options;
    options.registry =
        std::vector<RegistryEntry>{entry("A01", "EXAM-PC01", "00:16:ce:6e:8b:24", "192.168.0.114"),
                                   entry("GW", "gateway", "00:13:46:0b:22:ba", "192.168.0.1")};
    const auto report = audit(capture("chrissanders-arp_resolution.pcapng"), options);
    EXPECT_TRUE(report.findings.empty());
    const Host* pc = hostWithMac(report, "00:16:ce:6e:8b:24");
    ASSERT_NE(pc, nullptr);
    EXPECT_EQ(pc->seat.value_or(""), "A01");
}

TEST(AuditRegistry, MissingUnregisteredAndMismatch) {
    AuditOptions options;
    options.registry = std::vector<RegistryEntry>{
        entry("A01", "EXAM-PC01", "00:16:ce:6e:8b:24", "192.168.0.50"),   // filed MAC, other IP
        entry("A02", "EXAM-PC02", "00:1b:21:3a:50:11", "192.168.0.102"),  // never seen
    };
    const auto report = audit(capture("chrissanders-arp_resolution.pcapng"), options);
    const auto mismatch = findingsOf(report, FindingKind::kMacIpMismatch);
    ASSERT_EQ(mismatch.size(), 1U);
    EXPECT_EQ(mismatch[0]->mac->toString(), "00:16:ce:6e:8b:24");
    EXPECT_NE(mismatch[0]->evidence.find("192.168.0.114"), std::string::npos);
    const auto missing = findingsOf(report, FindingKind::kMissingDevice);
    ASSERT_EQ(missing.size(), 1U);
    EXPECT_EQ(missing[0]->ip->toString(), "192.168.0.102");
    const auto unregistered = findingsOf(report, FindingKind::kUnregisteredDevice);
    ASSERT_EQ(unregistered.size(), 1U);  // the gateway was not filed
    EXPECT_EQ(unregistered[0]->mac->toString(), "00:13:46:0b:22:ba");
}

TEST(AuditRegistry, FiledIpWithAnotherMac) {
    AuditOptions options;
    options.registry = std::vector<RegistryEntry>{
        entry("A01", "EXAM-PC01", "00:16:ce:6e:8b:24", "192.168.0.114"),
        entry("SRV", "EXAM-SRV", "00:1b:21:3a:4f:01", "192.168.0.1"),  // .1 is filed elsewhere
    };
    const auto report = audit(capture("chrissanders-arp_resolution.pcapng"), options);
    const auto mismatch = findingsOf(report, FindingKind::kMacIpMismatch);
    ASSERT_EQ(mismatch.size(), 1U);
    EXPECT_EQ(mismatch[0]->mac->toString(), "00:13:46:0b:22:ba");
    EXPECT_EQ(mismatch[0]->ip->toString(), "192.168.0.1");
    EXPECT_TRUE(findingsOf(report, FindingKind::kUnregisteredDevice).empty());
    EXPECT_TRUE(findingsOf(report, FindingKind::kMissingDevice).empty());
}

TEST(AuditRegistry, CsvPathIsReadAndErrorsPropagate) {
    test::TempDir dir;
    const auto good = dir.path() / "machines.csv";
    std::ofstream(good) << "seat,hostname,mac,ip\nA01,EXAM-PC01,00:16:ce:6e:8b:24,192.168.0.114\n";
    AuditOptions options;
    options.captureFile = capture("chrissanders-arp_resolution.pcapng");
    options.registryCsvPath = good.string();
    auto report = auditCaptureFile(options);
    ASSERT_TRUE(report);
    EXPECT_EQ(findingsOf(*report, FindingKind::kUnregisteredDevice).size(), 1U);

    const auto bad = dir.path() / "bad.csv";
    std::ofstream(bad) << "seat,hostname,mac,ip\nA01,PC,not-a-mac,192.168.0.114\n";
    options.registryCsvPath = bad.string();
    report = auditCaptureFile(options);
    ASSERT_FALSE(report);
    EXPECT_EQ(report.error().code, ErrorCode::kRegistryInvalid);
    EXPECT_NE(report.error().detail.find("line 2"), std::string::npos) << report.error().detail;
}

TEST(AuditEgress, DestinationsOutsideAllowlistAreForbidden) {
    AuditOptions options;
    options.egressAllowlist = {*IpNetwork::parse("178.62.197.0/24")};
    const auto allowed = audit(capture("ndpi-443-firefox.pcap"), options);
    EXPECT_TRUE(findingsOf(allowed, FindingKind::kForbiddenDestination).empty());

    options.egressAllowlist = {*IpNetwork::parse("10.99.0.0/16")};
    const auto report = audit(capture("ndpi-443-firefox.pcap"), options);
    const auto forbidden = findingsOf(report, FindingKind::kForbiddenDestination);
    ASSERT_EQ(forbidden.size(), 1U);
    EXPECT_EQ(forbidden[0]->ip->toString(), "192.168.1.13");
    EXPECT_NE(forbidden[0]->evidence.find("178.62.197.130"), std::string::npos);
    EXPECT_NE(forbidden[0]->evidence.find("www.ntop.org"), std::string::npos);
}

TEST(AuditSignatures, AddingAnAppIsADataRow) {
    // A made-up app keyed on the SNI of an ordinary capture: no code involved.
    test::TempDir dir;
    const auto path = dir.path() / "signatures.json";
    std::ofstream(path) << R"({"apps": [{"app": "other_remote_control", "name": "Test",
        "domains": ["ntop.org"]}]})";
    AuditOptions options;
    options.signaturesPath = path.string();
    const auto report = audit(capture("ndpi-443-firefox.pcap"), options);
    ASSERT_EQ(remoteApps(report), std::set<std::string>{"other_remote_control"});
    EXPECT_NE(report.findings[0].evidence.find("SNI www.ntop.org"), std::string::npos);
}

}  // namespace
}  // namespace examguard::netaudit
