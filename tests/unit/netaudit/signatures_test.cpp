#include "netaudit/signatures.h"

#include <gtest/gtest.h>

#include <fstream>
#include <set>
#include <sstream>

namespace examguard::netaudit {
namespace {

TEST(Signatures, BuiltinCoversTheIssueList) {
    auto table = SignatureTable::builtin();
    ASSERT_TRUE(table) << table.error().detail;
    std::set<std::string> apps;
    for (const auto& a : table->apps()) {
        apps.insert(a.app);
        if (a.app == "redspider") {
            EXPECT_FALSE(a.verified);
        }
    }
    for (const char* app : {"teamviewer", "anydesk", "rdp", "vnc", "rustdesk", "todesk", "sunlogin",
                            "chrome_remote_desktop", "splashtop", "radmin", "redspider"}) {
        EXPECT_EQ(apps.count(app), 1U) << app;
    }
}

TEST(Signatures, BuiltinIsTheSchemasFile) {
    // The library embeds schemas/remote_control_signatures.json; both parse to the same table.
    std::ifstream in(std::string(EXAMGUARD_SOURCE_DIR) + "/schemas/remote_control_signatures.json");
    std::stringstream text;
    text << in.rdbuf();
    auto file = SignatureTable::fromJson(text.str());
    auto builtin = SignatureTable::builtin();
    ASSERT_TRUE(file && builtin);
    EXPECT_EQ(file->apps().size(), builtin->apps().size());
}

TEST(Signatures, Matching) {
    auto table = SignatureTable::builtin();
    ASSERT_TRUE(table);
    const auto& apps = table->apps();
    SignatureMatch m;
    ASSERT_TRUE(table->matchDomain("Relay-1234.NET.anydesk.com", m));
    EXPECT_EQ(apps[m.appIndex].app, "anydesk");
    ASSERT_TRUE(table->matchDomain("rs-ny.rustdesk.com", m));
    EXPECT_EQ(apps[m.appIndex].app, "rustdesk");
    ASSERT_TRUE(table->matchDomain("chromoting-oauth.talkgadget.google.com", m));
    EXPECT_EQ(apps[m.appIndex].app, "chrome_remote_desktop");
    ASSERT_TRUE(table->matchDomain("sunlogin.oray.com", m));
    EXPECT_EQ(apps[m.appIndex].app, "sunlogin");
    EXPECT_FALSE(table->matchDomain("notteamviewer.com", m));
    EXPECT_FALSE(table->matchDomain("google.com", m));
    EXPECT_FALSE(table->matchDomain("talkgadget.google.com", m));
    ASSERT_TRUE(table->matchCertSubject("philandro Software GmbH", m));
    EXPECT_EQ(apps[m.appIndex].app, "anydesk");
    ASSERT_TRUE(table->matchUserAgent("Mozilla/4.0 (compatible; DynGate)", m));
    EXPECT_EQ(apps[m.appIndex].app, "teamviewer");

    const std::uint8_t radmin[] = {1, 0, 0, 0, 1, 0, 0, 0, 8, 8};
    ASSERT_TRUE(table->matchPayload(Transport::kTcp, 50000, 4899, radmin, sizeof(radmin), m));
    EXPECT_EQ(m.what, "radmin-client-hello");
    EXPECT_FALSE(table->matchPayload(Transport::kTcp, 50000, 4899, radmin, 9, m));
    const std::uint8_t rfb[] = {'R', 'F', 'B', ' ', '0', '0', '3', '.', '8', '8', '9', '\n'};
    ASSERT_TRUE(table->matchPayload(Transport::kTcp, 5900, 50000, rfb, sizeof(rfb), m));
    EXPECT_EQ(apps[m.appIndex].app, "vnc");
    const std::uint8_t discovery[] = {0x3e, 0xd1, 0x01};
    EXPECT_TRUE(table->matchPayload(Transport::kUdp, 50001, 50001, discovery, 3, m));
    EXPECT_FALSE(table->matchPayload(Transport::kUdp, 40000, 40001, discovery, 3, m));
    ASSERT_TRUE(table->matchPort(Transport::kTcp, 21117, m));
    EXPECT_EQ(apps[m.appIndex].app, "rustdesk");
    EXPECT_FALSE(table->matchPort(Transport::kTcp, 443, m));
}

TEST(Signatures, BadTablesAreRejectedWithReasons) {
    for (
        const char* text :
        {"", "{}", R"({"apps": []})", R"({"apps": [{"name": "x"}]})",
         R"({"apps": [{"app": "x", "payloads": [{"id": "r", "match": [{"offset": 0, "hex": "zz"}]}]}]})",
         R"({"apps": [{"app": "x", "ports": [{"first": 9, "last": 1}]}]})",
         R"({"apps": [{"app": "x", "ports": [{"transport": "sctp", "port": 1}]}]})"}) {
        auto table = SignatureTable::fromJson(text);
        ASSERT_FALSE(table) << text;
        EXPECT_EQ(table.error().code, ErrorCode::kSignaturesInvalid);
        EXPECT_FALSE(table.error().detail.empty());
    }
    auto missing = SignatureTable::fromFile("/nonexistent.json");
    ASSERT_FALSE(missing);
    EXPECT_EQ(missing.error().code, ErrorCode::kFileNotFound);
}

}  // namespace
}  // namespace examguard::netaudit
