#include <gtest/gtest.h>

#include <fstream>
#include <random>
#include <set>
#include <sstream>

#include "agent/report.h"
#include "agent/report_import.h"

namespace examguard::agent {
namespace {

namespace fs = std::filesystem;

class Import : public ::testing::Test {
protected:
    void SetUp() override {
        m_dir =
            fs::temp_directory_path() / ("agent-import-" + std::to_string(std::random_device{}()));
        fs::create_directories(m_dir);
        ASSERT_TRUE(generateKey(m_dir / "a.pem", m_dir / "a.pub"));
        std::ifstream in(m_dir / "a.pub");
        std::stringstream s;
        s << in.rdbuf();
        m_pub = s.str();
    }
    void TearDown() override { fs::remove_all(m_dir); }

    nlohmann::json signedReport(const std::string& ip) {
        Inventory inv;
        inv.host.hostname = "PC07";
        NetworkAdapter lo{.name = "lo", .mac = "00:00:00:00:00:00", .loopback = true};
        NetworkAdapter nic{.name = "eth0", .mac = "3c:7c:3f:00:00:07", .physical = true};
        nic.addresses = {ip, "fe80::1"};
        inv.adapters = {lo, nic};
        const std::vector<Detection> detections = {{"remote_control",
                                                    "anydesk",
                                                    "AnyDesk",
                                                    "pid 42 C:\\x\\svch0st.exe",
                                                    {{"original_filename", "AnyDesk.exe"}},
                                                    true},
                                                   {"wireless_peripheral",
                                                    "046d:c52b",
                                                    "Logitech Unifying Receiver",
                                                    "usb 1-1",
                                                    {{"usb_id", "046d:c52b"}},
                                                    false}};
        return *signReport(buildReport(inv, detections, "2026-11-23T02:30:00Z", randomNonce()),
                           m_dir / "a.pem");
    }

    fs::path m_dir;
    std::string m_pub;
    std::set<std::string> m_seen;
    std::function<bool(const std::string&)> seen() {
        return [this](const std::string& n) { return m_seen.count(n) > 0; };
    }
    const std::vector<FiledMachine> m_registry = {
        {"A01", "PC01", "3C-7C-3F-00-00-01", "10.1.0.101"},
        {"A07", "PC07", "3C-7C-3F-00-00-07", "10.1.0.107"}};
};

TEST_F(Import, FiledPcDetectionsBecomeFindingsWithTheSeat) {
    const auto envelope = signedReport("10.1.0.107");
    const auto r = importReport(envelope, m_pub, seen(), m_registry);
    ASSERT_TRUE(r) << r.error().detail;
    EXPECT_EQ(r->seat, "A07");
    EXPECT_EQ(r->hostname, "PC07");
    ASSERT_EQ(r->findings.size(), 2u);
    EXPECT_EQ(r->findings[0].kind, "remote_control");
    EXPECT_EQ(r->findings[0].app, "anydesk");
    EXPECT_EQ(r->findings[0].seat, "A07");
    EXPECT_EQ(r->findings[0].mac, "3c:7c:3f:00:00:07");
    EXPECT_EQ(r->findings[0].ip, "10.1.0.107");
    EXPECT_EQ(r->findings[0].evidence,
              "agent: AnyDesk (pid 42 C:\\x\\svch0st.exe) by original_filename=AnyDesk.exe "
              "[renamed]");
    EXPECT_EQ(r->findings[1].kind, "wireless_peripheral");

    // The caller stores the nonce; the same report again is a replay.
    m_seen.insert(r->nonce);
    const auto again = importReport(envelope, m_pub, seen(), m_registry);
    ASSERT_FALSE(again);
    EXPECT_EQ(again.error().code, ErrorCode::kReplayed);
    EXPECT_NE(again.error().detail.find(r->nonce), std::string::npos);
}

TEST_F(Import, WrongIpAndUnfiledPc) {
    const auto wrongIp = importReport(signedReport("10.1.0.199"), m_pub, seen(), m_registry);
    ASSERT_TRUE(wrongIp);
    ASSERT_EQ(wrongIp->findings.size(), 3u);
    EXPECT_EQ(wrongIp->findings[0].kind, "mac_ip_mismatch");
    EXPECT_EQ(wrongIp->findings[0].evidence,
              "seat A07 is filed with 3C-7C-3F-00-00-07 / 10.1.0.107, the agent reports "
              "10.1.0.199 fe80::1 on eth0");

    const auto unfiled = importReport(signedReport("10.1.0.107"), m_pub, seen(), {m_registry[0]});
    ASSERT_TRUE(unfiled);
    EXPECT_EQ(unfiled->seat, "");
    EXPECT_EQ(unfiled->findings[0].kind, "unregistered_device");
    EXPECT_EQ(unfiled->findings[0].mac, "3c:7c:3f:00:00:07");
}

TEST_F(Import, ForgedReportsAreRefusedBeforeAnythingElse) {
    auto envelope = signedReport("10.1.0.107");
    envelope["report"]["detections"] = nlohmann::json::array();
    const auto r = importReport(envelope, m_pub, seen(), m_registry);
    ASSERT_FALSE(r);
    EXPECT_EQ(r.error().code, ErrorCode::kSignatureInvalid);
}

TEST_F(Import, FieldsOfTheWrongTypeAreIgnoredNotThrown) {
    // Found by agent_report_import_fuzz: a validly signed report (a genuine key on a compromised
    // PC can sign anything) whose flags and signature fields have other types than expected.
    auto report = signedReport("10.1.0.107")["report"];
    report["adapters"][0]["loopback"] = "yes";
    report["detections"][0]["renamed"] = 1;
    report["detections"][1]["reasons"] = nlohmann::json::array({"not an object", 7});
    const auto r = importReport(*signReport(report, m_dir / "a.pem"), m_pub, seen(), m_registry);
    ASSERT_TRUE(r) << r.error().detail;
    EXPECT_EQ(r->seat, "A07");
    EXPECT_EQ(r->findings[0].evidence.find("[renamed]"), std::string::npos);

    auto envelope = signedReport("10.1.0.107");
    envelope["signature"]["algorithm"] = 25519;
    const auto wrongAlgorithm = importReport(envelope, m_pub, seen(), m_registry);
    ASSERT_FALSE(wrongAlgorithm);
    EXPECT_EQ(wrongAlgorithm.error().code, ErrorCode::kSignatureInvalid);
    envelope = signedReport("10.1.0.107");
    envelope["signature"]["public_key_sha256"] = nlohmann::json::array();
    const auto wrongKey = importReport(envelope, m_pub, seen(), m_registry);
    ASSERT_FALSE(wrongKey);
    EXPECT_EQ(wrongKey.error().code, ErrorCode::kSignatureInvalid);
    envelope["report"]["schema"] = 1;
    EXPECT_FALSE(importReport(envelope, m_pub, seen(), m_registry));
}

}  // namespace
}  // namespace examguard::agent
