#include "netaudit/report.h"

#include <gtest/gtest.h>

#include <fstream>
#include <nlohmann/json.hpp>

#include "netaudit/audit.h"
#include "test_support.h"

namespace examguard::netaudit {
namespace {

// The document's shape against the contract in ARCHITECTURE.md and the JSON Schema's required
// keys and enums (read from schemas/cli/netaudit-report.schema.json itself).
TEST(ReportJson, MatchesSchemaContract) {
    std::ifstream in(std::string(EXAMGUARD_SOURCE_DIR) +
                     "/schemas/cli/netaudit-report.schema.json");
    ASSERT_TRUE(in.good());
    const auto schema = nlohmann::json::parse(in);
    AuditOptions options;
    options.captureFile = test::capture("ndpi-anydesk.pcapng");
    options.registry = std::vector<RegistryEntry>{};  // everything seen is unregistered
    auto report = auditCaptureFile(options);
    ASSERT_TRUE(report);
    const auto doc = toJson(*report);

    for (const auto& key : schema.at("required")) {
        EXPECT_TRUE(doc.contains(key.get<std::string>())) << key;
    }
    EXPECT_EQ(doc.at("packets"), 174);
    const auto& findingSchema = schema.at("$defs").at("finding");
    const auto& kinds = findingSchema.at("properties").at("kind").at("enum");
    const auto& apps = findingSchema.at("properties").at("app").at("enum");
    ASSERT_FALSE(doc.at("findings").empty());
    for (const auto& f : doc.at("findings")) {
        for (const auto& key : findingSchema.at("required")) {
            EXPECT_TRUE(f.contains(key.get<std::string>())) << key;
        }
        EXPECT_NE(std::find(kinds.begin(), kinds.end(), f.at("kind")), kinds.end()) << f;
        EXPECT_NE(std::find(apps.begin(), apps.end(), f.at("app")), apps.end()) << f;
        EXPECT_TRUE(f.at("first_seen").is_string());
    }
    const auto& hostSchema = schema.at("$defs").at("host");
    ASSERT_FALSE(doc.at("hosts").empty());
    for (const auto& h : doc.at("hosts")) {
        for (const auto& key : hostSchema.at("required")) {
            EXPECT_TRUE(h.contains(key.get<std::string>())) << key;
        }
    }
    EXPECT_FALSE(doc.contains("flows"));
    EXPECT_TRUE(toJson(*report, true).contains("flows"));
}

TEST(ReportJson, KindNames) {
    EXPECT_EQ(findingKindName(FindingKind::kRemoteControl), "remote_control");
    EXPECT_EQ(findingKindName(FindingKind::kForbiddenDestination), "forbidden_destination");
    EXPECT_EQ(findingKindName(FindingKind::kArpSpoof), "arp_spoof");
}

}  // namespace
}  // namespace examguard::netaudit
