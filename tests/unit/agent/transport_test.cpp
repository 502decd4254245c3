// The delivery protocol's framing and addresses (agent/transport.h): what a station reads from
// an untrusted connection before any import.
#include <gtest/gtest.h>

#include "agent/transport.h"

namespace examguard::agent {
namespace {

TEST(ReportHeader, RoundTripsEveryAcceptedLength) {
    for (std::size_t n : {std::size_t{1}, std::size_t{4096}, kMaxReportBytes}) {
        std::string header = reportHeader(n);
        ASSERT_EQ(header.back(), '\n');
        header.pop_back();
        auto parsed = parseReportHeader(header);
        ASSERT_TRUE(parsed) << parsed.error().detail;
        EXPECT_EQ(*parsed, n);
    }
}

TEST(ReportHeader, RefusesWhatIsNotAPlainLengthWithinTheLimit) {
    for (const std::string& line :
         {std::string(""), std::string("GET / HTTP/1.1"), std::string("EXAMGUARD-REPORT/1"),
          std::string("EXAMGUARD-REPORT/1 "), std::string("EXAMGUARD-REPORT/2 10"),
          std::string("EXAMGUARD-REPORT/1  10"), std::string("EXAMGUARD-REPORT/1 -1"),
          std::string("EXAMGUARD-REPORT/1 +1"), std::string("EXAMGUARD-REPORT/1 0"),
          std::string("EXAMGUARD-REPORT/1 010"), std::string("EXAMGUARD-REPORT/1 10 "),
          std::string("EXAMGUARD-REPORT/1 0x10"), std::string("EXAMGUARD-REPORT/1 1e3"),
          std::string("EXAMGUARD-REPORT/1 99999999999999999999"),
          "EXAMGUARD-REPORT/1 " + std::to_string(kMaxReportBytes + 1),
          "EXAMGUARD-REPORT/1 " + std::string(100, '1')}) {
        auto parsed = parseReportHeader(line);
        ASSERT_FALSE(parsed) << "accepted '" << line << "'";
        EXPECT_EQ(parsed.error().code, ErrorCode::kMalformedData);
        EXPECT_NE(parsed.error().detail.find("report header"), std::string::npos);
    }
}

TEST(Address, HostAndPortIncludingBracketedIpv6) {
    auto v4 = parseAddress("10.20.1.2:7443");
    ASSERT_TRUE(v4);
    EXPECT_EQ(v4->host, "10.20.1.2");
    EXPECT_EQ(v4->port, 7443);
    auto name = parseAddress("station.exam.local:1");
    ASSERT_TRUE(name);
    EXPECT_EQ(name->host, "station.exam.local");
    auto v6 = parseAddress("[fd00::1]:65535");
    ASSERT_TRUE(v6);
    EXPECT_EQ(v6->host, "fd00::1");
    EXPECT_EQ(v6->port, 65535);
    auto any = parseAddress("127.0.0.1:0", /*allowPortZero=*/true);
    ASSERT_TRUE(any);
    EXPECT_EQ(any->port, 0);
}

TEST(Address, RefusalsNameTheAddress) {
    for (const char* bad :
         {"", "10.0.0.1", ":7443", "10.0.0.1:", "10.0.0.1:0", "10.0.0.1:65536", "10.0.0.1:-1",
          "10.0.0.1:74x", "fd00::1:7443", "[fd00::1]7443", "[fd00::1:7443"}) {
        auto parsed = parseAddress(bad);
        ASSERT_FALSE(parsed) << "accepted '" << bad << "'";
        EXPECT_EQ(parsed.error().code, ErrorCode::kInvalidArgument);
        EXPECT_NE(parsed.error().detail.find(std::string("'") + bad + "'"), std::string::npos);
    }
}

}  // namespace
}  // namespace examguard::agent
