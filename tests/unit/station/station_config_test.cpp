#include <gtest/gtest.h>

#include "station/station_config.h"
#include "test_support.h"

namespace examguard::station {
namespace {

TEST(StationConfigTest, MissingFileMeansDefaults) {
    testing::TempDir dir;
    auto config = loadStationConfig(dir / "station.toml");
    ASSERT_TRUE(config);
    EXPECT_FALSE(config->checkin.matchThreshold);
    EXPECT_FALSE(config->platform.enabled);
    EXPECT_EQ(defaultConfigPath(dir / "station.db"), dir / "station.toml");
}

TEST(StationConfigTest, ReadsEverySection) {
    auto config = parseStationConfig(R"(
[checkin]
match_threshold = 0.9
review_margin = 0.1
require_liveness = false

[id_card]
drop_folder = "/var/lib/examguard/idcard"

[cameras]
monitor_config = "/etc/examguard/monitor.toml"

[platform]
enabled = true
base_url = "https://platform.example"
app_id = "SD-JN-0001"
private_key_file = "keys/platform.pem"
device_mac = "00:1b:21:3a:4f:01"
timeout_ms = 3000

[archive]
authority_certificate = "/etc/examguard/authority.pem"
include_recordings = true
tsa_url = "http://tsa.example/tsa"
)",
                                     "station.toml");
    ASSERT_TRUE(config) << config.error().detail;
    EXPECT_DOUBLE_EQ(*config->checkin.matchThreshold, 0.9);
    EXPECT_DOUBLE_EQ(config->checkin.reviewMargin, 0.1);
    EXPECT_FALSE(config->checkin.requireLiveness);
    EXPECT_EQ(config->idCard.dropFolder, "/var/lib/examguard/idcard");
    EXPECT_EQ(config->cameras.monitorConfig, "/etc/examguard/monitor.toml");
    EXPECT_TRUE(config->platform.enabled);
    EXPECT_EQ(config->platform.appId, "SD-JN-0001");
    EXPECT_EQ(config->platform.timeoutMs, 3000);
    EXPECT_EQ(config->archive.authorityCertificate, "/etc/examguard/authority.pem");
    EXPECT_TRUE(config->archive.includeRecordings);
    EXPECT_EQ(config->archive.tsaUrl, "http://tsa.example/tsa");
}

TEST(StationConfigTest, ErrorsNameFileLineAndKey) {
    const std::vector<std::pair<std::string, std::string>> cases = {
        {"[checkin\nmatch_threshold = 1", "station.toml:1:"},
        {"\n[checkin]\nmatch_treshold = 0.5",
         "station.toml:3: unknown key [checkin] match_treshold"},
        {"[checkin]\nmatch_threshold = \"0.5\"",
         "station.toml:2: [checkin] match_threshold has the wrong type"},
        {"[checkin]\nmatch_threshold = 5.0", "thresholds must be"},
        {"checkin = 3", "[checkin] is not a table"},
        {"[platform]\nenabled = true", "needs base_url"},
        {"[platform]\nbase_url = \"ftp://x\"", "must start with https://"},
        {"[platform]\ndigest = \"md5\"", "digest must be"},
        {"[platform]\ntimeout_ms = 1", "timeout_ms must be"},
        {"[nonsense]", "unknown key [] nonsense"},
        {"[cameras]\nmonitor = \"m.toml\"", "station.toml:2: unknown key [cameras] monitor"},
        {"[archive]\ntsa_url = \"ldap://tsa\"", "tsa_url must be an http:// or https:// URL"},
    };
    for (const auto& [text, expected] : cases) {
        auto config = parseStationConfig(text, "station.toml");
        ASSERT_FALSE(config) << text;
        EXPECT_EQ(config.error().code, ErrorCode::BadInput);
        EXPECT_NE(config.error().detail.find(expected), std::string::npos)
            << text << " -> " << config.error().detail;
    }
}

}  // namespace
}  // namespace examguard::station
