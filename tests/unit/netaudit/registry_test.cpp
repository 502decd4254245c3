#include "netaudit/registry.h"

#include <gtest/gtest.h>

#include <fstream>

#include "test_support.h"

namespace examguard::netaudit {
namespace {

TEST(Registry, EnglishHeader) {
    auto r = parseRegistryCsv(
        "seat,hostname,mac,ip\r\nA01,EXAM-PC01,00:1B:21:3A:50:10,10.20.1.101\r\n"
        "\"A,02\",\"EXAM \"\"PC\"\"\",00-1b-21-3a-50-11, 10.20.1.102 \r\n\r\n");
    ASSERT_TRUE(r) << r.error().detail;
    ASSERT_EQ(r->size(), 2U);
    EXPECT_EQ((*r)[0].seat, "A01");
    EXPECT_EQ((*r)[0].mac.toString(), "00:1b:21:3a:50:10");
    EXPECT_EQ((*r)[1].seat, "A,02");
    EXPECT_EQ((*r)[1].hostname, "EXAM \"PC\"");
    EXPECT_EQ((*r)[1].ip.toString(), "10.20.1.102");
}

TEST(Registry, ChineseTemplateWithBom) {
    // The project's own template (schemas/examples/demo-period/machines.csv) as clerks fill it.
    const std::string path =
        std::string(EXAMGUARD_SOURCE_DIR) + "/schemas/examples/demo-period/machines.csv";
    std::ifstream probe(path);
    ASSERT_TRUE(probe.good()) << path;
    auto r = loadRegistryCsv(path);
    ASSERT_TRUE(r) << r.error().detail;
    ASSERT_FALSE(r->empty());
    EXPECT_EQ(r->front().seat, "SERVER");
    EXPECT_EQ(r->front().hostname, "EXAM-SRV");
    EXPECT_EQ(r->front().mac.toString(), "00:1b:21:3a:4f:01");
}

TEST(Registry, ErrorsNameLineAndValue) {
    auto noHeader = parseRegistryCsv("a,b\n1,2\n");
    ASSERT_FALSE(noHeader);
    EXPECT_EQ(noHeader.error().code, ErrorCode::kRegistryInvalid);
    EXPECT_NE(noHeader.error().detail.find("header"), std::string::npos);

    auto badIp = parseRegistryCsv("seat,hostname,mac,ip\nA01,PC,00:1b:21:3a:50:10,10.20.1\n");
    ASSERT_FALSE(badIp);
    EXPECT_NE(badIp.error().detail.find("line 2"), std::string::npos);
    EXPECT_NE(badIp.error().detail.find("10.20.1"), std::string::npos);

    auto shortRow = parseRegistryCsv("seat,hostname,mac,ip\nA01\n");
    ASSERT_FALSE(shortRow);
    EXPECT_NE(shortRow.error().detail.find("line 2"), std::string::npos);

    auto unterminated =
        parseRegistryCsv("seat,hostname,mac,ip\n\"A01,PC,00:1b:21:3a:50:10,1.2.3.4\n");
    ASSERT_FALSE(unterminated);
    EXPECT_NE(unterminated.error().detail.find("unterminated"), std::string::npos);

    EXPECT_FALSE(parseRegistryCsv(""));
    auto missing = loadRegistryCsv("/nonexistent/machines.csv");
    ASSERT_FALSE(missing);
    EXPECT_EQ(missing.error().code, ErrorCode::kFileNotFound);
}

TEST(Types, AddressParsing) {
    EXPECT_FALSE(MacAddress::parse("00:11:22:33:44"));
    EXPECT_FALSE(MacAddress::parse("zz:11:22:33:44:55"));
    EXPECT_EQ(MacAddress::parse("001122334455")->toString(), "00:11:22:33:44:55");
    const auto net = IpNetwork::parse("10.20.1.0/24");
    ASSERT_TRUE(net);
    EXPECT_TRUE(net->contains(*IpAddress::parse("10.20.1.200")));
    EXPECT_FALSE(net->contains(*IpAddress::parse("10.20.2.1")));
    EXPECT_FALSE(net->contains(*IpAddress::parse("::1")));
    EXPECT_FALSE(IpNetwork::parse("10.0.0.0/33"));
    EXPECT_TRUE(IpNetwork::parse("fd00::/8")->contains(*IpAddress::parse("fd12::1")));
    EXPECT_EQ(formatTimestampUs(1'600'000'000'123'456), "2020-09-13T12:26:40.123456Z");
}

}  // namespace
}  // namespace examguard::netaudit
