// The parts of the active audit that need no network: the port list from the signature table,
// confinement and size limits of the sweep, banner evidence and merging with passive findings.
// The sweep itself runs on a real namespace LAN in tests/integration/netaudit.
#include <gtest/gtest.h>

#include <algorithm>

#include "netaudit/active.h"

namespace examguard::netaudit {
namespace {

IpAddress ip(const char* text) {
    return *IpAddress::parse(text);
}

InterfaceInfo iface24() {
    InterfaceInfo i;
    i.name = "eth0";
    i.mac = *MacAddress::parse("02:00:00:00:00:01");
    i.ip = ip("10.9.0.1");
    i.subnet = *IpNetwork::parse("10.9.0.0/24");
    return i;
}

TEST(ActiveAudit, PortsComeFromTheTableTcpOnlyAndNarrow) {
    const auto table = SignatureTable::builtin();
    ASSERT_TRUE(table);
    const auto ports = remoteControlPorts(*table);
    for (const std::uint16_t p : {3389, 5900, 5938, 7070}) {
        EXPECT_TRUE(std::binary_search(ports.begin(), ports.end(), p)) << p;
    }
    EXPECT_TRUE(std::is_sorted(ports.begin(), ports.end()));
    EXPECT_LT(ports.size(), 200U);  // wide ranges are not probed
}

TEST(ActiveAudit, SweepStaysInsideTheInterfaceSubnetAndSize) {
    ActiveOptions o;
    o.iface = iface24();
    o.subnet = *IpNetwork::parse("10.9.1.0/24");  // the neighbour's network
    auto r = runActiveAudit(o);
    ASSERT_FALSE(r);
    EXPECT_EQ(r.error().code, ErrorCode::kInvalidArgument);
    EXPECT_NE(r.error().detail.find("not inside"), std::string::npos) << r.error().detail;

    o.subnet = *IpNetwork::parse("10.9.0.0/16");  // wider than the interface's own
    EXPECT_FALSE(runActiveAudit(o));

    o.subnet.reset();
    o.iface.subnet = *IpNetwork::parse("10.0.0.0/16");
    r = runActiveAudit(o);
    ASSERT_FALSE(r);
    EXPECT_NE(r.error().detail.find("65536 addresses"), std::string::npos) << r.error().detail;
}

TEST(ActiveAudit, BannerMatchIsStrongPortOnlyIsWeakAndPassiveFindingsAreExtended) {
    const auto table = SignatureTable::builtin();
    ASSERT_TRUE(table);
    ActiveResult result;
    result.answered = {{ip("10.9.0.24"), *MacAddress::parse("02:00:00:00:00:24")},
                       {ip("10.9.0.30"), *MacAddress::parse("02:00:00:00:00:30")}};
    result.open = {{ip("10.9.0.24"), 5900, "RFB 003.008\n"}, {ip("10.9.0.30"), 5938, ""}};
    AuditReport report;
    addActiveFindings(result, *table, report);
    ASSERT_EQ(report.findings.size(), 2U);
    EXPECT_EQ(report.findings[0].app, "vnc");
    EXPECT_EQ(report.findings[0].mac->toString(), "02:00:00:00:00:24");
    EXPECT_NE(report.findings[0].evidence.find("tcp 10.9.0.24:5900 accepted; banner RFB 003.008"),
              std::string::npos)
        << report.findings[0].evidence;
    EXPECT_EQ(report.findings[1].app, "teamviewer");
    EXPECT_NE(report.findings[1].evidence.find("weak evidence"), std::string::npos);

    // The passive path already named the VNC server: one finding, both pieces of evidence.
    AuditReport passive;
    Finding f;
    f.ip = ip("10.9.0.24");
    f.app = "vnc";
    f.evidence = "packet 7: server payload matches rule vnc-rfb-version";
    passive.findings.push_back(f);
    result.open.resize(1);
    addActiveFindings(result, *table, passive);
    ASSERT_EQ(passive.findings.size(), 1U);
    EXPECT_NE(passive.findings[0].evidence.find("; active probe: tcp 10.9.0.24:5900"),
              std::string::npos);
}

TEST(ActiveAudit, BannersAreOneLineOfPrintableText) {
    EXPECT_EQ(printableBanner("RFB 003.008\n"), "RFB 003.008");
    EXPECT_EQ(printableBanner(std::string("\x00\x01ok\r\n", 6)), "\\x00\\x01ok");
    EXPECT_EQ(printableBanner(std::string(100, 'a')).size(), 48U);
}

}  // namespace
}  // namespace examguard::netaudit
