#include "station/import/validators.h"

#include <chrono>
#include <string>

#include <gtest/gtest.h>

namespace examguard::station::import {
namespace {

using namespace std::chrono;

constexpr year_month_day kToday{year{2026}, month{11}, day{22}};

// Check characters below were computed outside this code base with the GB 11643-1999 weights
// (7 9 10 5 8 4 2 1 6 3 7 9 10 5 8 4 2, sum mod 11 into "10X98765432").
TEST(IdNumber, ValidNumbers) {
    for (const char* id : {"11010519491231002X",  // the sample printed in GB 11643-1999
                           "11010119900307002X", "310115199912318884",
                           "11010120000229000X",   // 29 Feb in a leap century year
                           "510108202402290023",   // 29 Feb 2024
                           "11010520261122001X"})  // born today
    {
        const auto result = validateIdNumber(id, kToday);
        ASSERT_TRUE(result.has_value()) << id << ": " << result.error().detail;
        EXPECT_EQ(result->value, id);
    }
    const auto sample = validateIdNumber("11010519491231002X", kToday);
    EXPECT_EQ(sample->birthDate, (year_month_day{year{1949}, month{12}, day{31}}));
}

TEST(IdNumber, LowercaseXIsNormalised) {
    const auto result = validateIdNumber("11010519491231002x", kToday);
    ASSERT_TRUE(result.has_value());
    EXPECT_EQ(result->value, "11010519491231002X");
}

void expectReason(std::string_view id, FieldReason reason) {
    const auto result = validateIdNumber(id, kToday);
    ASSERT_FALSE(result.has_value()) << id;
    EXPECT_EQ(result.error().reason, reason) << id << ": " << result.error().detail;
    // Details go to logs: they must never repeat the number.
    if (id.size() >= 6) {
        EXPECT_EQ(result.error().detail.find(id), std::string::npos);
    }
}

TEST(IdNumber, Rejections) {
    expectReason("", FieldReason::Empty);
    expectReason("11010519491231002", FieldReason::WrongLength);
    expectReason("11010519491231002X1", FieldReason::WrongLength);
    expectReason("110105194912310", FieldReason::WrongLength);  // 15-digit first generation
    expectReason("1101051949123100AX", FieldReason::NonDigit);
    expectReason("110105X9491231002X", FieldReason::NonDigit);
    expectReason("11010519491231002Y", FieldReason::NonDigit);
    expectReason("11010519491231002 ", FieldReason::NonDigit);
    expectReason("110105194912310021", FieldReason::BadChecksum);
    expectReason("110101199003071234", FieldReason::BadChecksum);
    expectReason("11010119900307002", FieldReason::WrongLength);
    expectReason("110105190002290017", FieldReason::BadBirthDate);  // 1900 is not a leap year
    expectReason("110105199913010013", FieldReason::BadBirthDate);  // month 13
    expectReason("110105199902300015", FieldReason::BadBirthDate);  // 30 February
    expectReason("110105189912310015", FieldReason::BadBirthDate);  // before 1900
    // A much-copied "sample" number; its checksum is right but its holder was born in 1880.
    expectReason("440524188001010014", FieldReason::BadBirthDate);
    expectReason("110105202611230015", FieldReason::BadBirthDate);  // tomorrow
    expectReason("000000199003070014", FieldReason::BadRegion);
    expectReason("1.10105E+17", FieldReason::SpreadsheetNumber);
    expectReason("1.10105e17", FieldReason::SpreadsheetNumber);
    EXPECT_STREQ(name(FieldReason::BadChecksum), "bad_checksum");
    EXPECT_STREQ(name(FieldReason::BadBirthDate), "bad_birth_date");
    EXPECT_STREQ(name(FieldReason::WrongLength), "wrong_length");
    EXPECT_STREQ(name(FieldReason::NonDigit), "non_digit");
    EXPECT_STREQ(name(FieldReason::BadRegion), "bad_region");
}

TEST(IdNumber, RoundedByExcelGetsAHint) {
    const auto result = validateIdNumber("110105194912310000", kToday);
    ASSERT_FALSE(result.has_value());
    EXPECT_EQ(result.error().reason, FieldReason::BadChecksum);
    EXPECT_NE(result.error().detail.find("rounded"), std::string::npos);
}

TEST(IdNumber, Masking) {
    EXPECT_EQ(maskIdNumber("110101199003071234"), "110101********1234");
    EXPECT_EQ(maskIdNumber("11010519491231002X"), "110105********002X");
    EXPECT_EQ(maskIdNumber("110105194912310"), "***********2310");  // 15 characters
    EXPECT_EQ(maskIdNumber("123456789"), "*****6789");
    EXPECT_EQ(maskIdNumber("12345678"), "********");
    EXPECT_EQ(maskIdNumber("1234"), "****");
    EXPECT_EQ(maskIdNumber(""), "");
    EXPECT_EQ(maskIdNumber("张三李四王五赵六钱孙"), "******赵六钱孙");
}

TEST(Mac, AcceptedFormsNormalise) {
    for (const char* mac : {"aa:bb:cc:dd:ee:f0", "AA-BB-CC-DD-EE-F0", "aabb.ccdd.eef0",
                            "AABBCCDDEEF0", "aA:Bb:cC:dD:eE:F0"}) {
        const auto result = normaliseMac(mac);
        ASSERT_TRUE(result.has_value()) << mac << ": " << result.error().detail;
        EXPECT_EQ(*result, "aa:bb:cc:dd:ee:f0") << mac;
    }
    EXPECT_EQ(normaliseMac("02:00:5e:10:00:01").value(), "02:00:5e:10:00:01");  // locally admin.
}

TEST(Mac, Rejections) {
    const auto reason = [](std::string_view mac) { return normaliseMac(mac).error().reason; };
    EXPECT_EQ(reason(""), FieldReason::Empty);
    EXPECT_EQ(reason("00:00:00:00:00:00"), FieldReason::AllZero);
    EXPECT_EQ(reason("000000000000"), FieldReason::AllZero);
    EXPECT_EQ(reason("ff:ff:ff:ff:ff:ff"), FieldReason::Broadcast);
    EXPECT_EQ(reason("FF-FF-FF-FF-FF-FF"), FieldReason::Broadcast);
    EXPECT_EQ(reason("01:00:5e:00:00:01"), FieldReason::Multicast);
    EXPECT_EQ(reason("33:33:00:00:00:01"), FieldReason::Multicast);
    EXPECT_EQ(reason("aa:bb:cc:dd:ee"), FieldReason::WrongLength);
    EXPECT_EQ(reason("aa:bb:cc:dd:ee:ff:00"), FieldReason::WrongLength);
    EXPECT_EQ(reason("a:b:c:d:e:f"), FieldReason::WrongLength);
    EXPECT_EQ(reason("aa:bb-cc:dd:ee:f0"), FieldReason::BadFormat);
    EXPECT_EQ(reason("aa.bb.cc.dd.ee.f0"), FieldReason::BadFormat);
    EXPECT_EQ(reason("aabb:ccdd:eef0"), FieldReason::BadFormat);
    EXPECT_EQ(reason("gg:bb:cc:dd:ee:f0"), FieldReason::BadCharacter);
    EXPECT_EQ(reason("aabbccddeeg0"), FieldReason::BadCharacter);
    EXPECT_EQ(reason(" aabbccddeef"), FieldReason::BadCharacter);
}

TEST(Ipv4, StrictParsing) {
    EXPECT_EQ(parseIpv4("192.168.1.10").value().value, 0xC0A8010AU);
    EXPECT_EQ(parseIpv4("0.0.0.0").value().value, 0U);
    EXPECT_EQ(parseIpv4("255.255.255.255").value().value, 0xFFFFFFFFU);
    EXPECT_EQ(parseIpv4("10.0.0.1").value().toString(), "10.0.0.1");
    const auto reason = [](std::string_view ip) { return parseIpv4(ip).error().reason; };
    EXPECT_EQ(reason(""), FieldReason::Empty);
    EXPECT_EQ(reason("010.1.1.1"), FieldReason::LeadingZero);
    EXPECT_EQ(reason("10.1.1.00"), FieldReason::LeadingZero);
    EXPECT_EQ(reason("256.1.1.1"), FieldReason::OutOfRange);
    EXPECT_EQ(reason("1.1.1.1000"), FieldReason::OutOfRange);
    EXPECT_EQ(reason("1.1.1"), FieldReason::BadFormat);
    EXPECT_EQ(reason("1.1.1.1.1"), FieldReason::BadFormat);
    EXPECT_EQ(reason("1..1.1"), FieldReason::BadFormat);
    EXPECT_EQ(reason("1.1.1."), FieldReason::BadFormat);
    EXPECT_EQ(reason(".1.1.1"), FieldReason::BadFormat);
    EXPECT_EQ(reason(" 1.1.1.1"), FieldReason::Whitespace);
    EXPECT_EQ(reason("1.1.1.1\n"), FieldReason::Whitespace);
    EXPECT_EQ(reason("1.1.1.+1"), FieldReason::BadCharacter);
    EXPECT_EQ(reason("0x7f.0.0.1"), FieldReason::BadCharacter);
    EXPECT_EQ(reason("１.1.1.1"), FieldReason::BadCharacter);  // full-width digit
}

TEST(Ipv4, HostAddresses) {
    EXPECT_TRUE(validateHostIpv4("10.20.30.40").has_value());
    EXPECT_TRUE(validateHostIpv4("192.168.0.255").has_value());  // may be a host in a /23
    const auto reason = [](std::string_view ip) { return validateHostIpv4(ip).error().reason; };
    EXPECT_EQ(reason("0.0.0.0"), FieldReason::Unspecified);
    EXPECT_EQ(reason("0.1.2.3"), FieldReason::Unspecified);
    EXPECT_EQ(reason("255.255.255.255"), FieldReason::Broadcast);
    EXPECT_EQ(reason("127.0.0.1"), FieldReason::Loopback);
    EXPECT_EQ(reason("224.0.0.251"), FieldReason::Multicast);
    EXPECT_EQ(reason("010.1.1.1"), FieldReason::LeadingZero);
}

TEST(Ipv4, Cidr) {
    const auto net = parseIpv4Cidr("10.20.0.0/16");
    ASSERT_TRUE(net.has_value());
    EXPECT_EQ(net->prefixLength, 16);
    EXPECT_EQ(net->toString(), "10.20.0.0/16");
    EXPECT_TRUE(cidrContains(*net, parseIpv4("10.20.0.1").value()));
    EXPECT_TRUE(cidrContains(*net, parseIpv4("10.20.255.255").value()));
    EXPECT_FALSE(cidrContains(*net, parseIpv4("10.21.0.1").value()));
    EXPECT_FALSE(cidrContains(*net, parseIpv4("11.20.0.1").value()));

    const auto all = parseIpv4Cidr("0.0.0.0/0");
    ASSERT_TRUE(all.has_value());
    EXPECT_TRUE(cidrContains(*all, parseIpv4("203.0.113.9").value()));
    const auto one = parseIpv4Cidr("192.168.1.7/32");
    ASSERT_TRUE(one.has_value());
    EXPECT_TRUE(cidrContains(*one, parseIpv4("192.168.1.7").value()));
    EXPECT_FALSE(cidrContains(*one, parseIpv4("192.168.1.6").value()));

    const auto reason = [](std::string_view s) { return parseIpv4Cidr(s).error().reason; };
    EXPECT_EQ(reason("10.20.3.4/16"), FieldReason::HostBitsSet);
    EXPECT_EQ(reason("10.20.0.0/33"), FieldReason::OutOfRange);
    EXPECT_EQ(reason("10.20.0.0/016"), FieldReason::BadFormat);
    EXPECT_EQ(reason("10.20.0.0/08"), FieldReason::LeadingZero);
    EXPECT_EQ(reason("10.20.0.0/"), FieldReason::BadFormat);
    EXPECT_EQ(reason("10.20.0.0"), FieldReason::BadFormat);
    EXPECT_EQ(reason("10.20.0.0/1a"), FieldReason::BadCharacter);
    EXPECT_EQ(reason("10.020.0.0/16"), FieldReason::LeadingZero);
}

TEST(SeatLabel, Normalisation) {
    EXPECT_EQ(normaliseSeatLabel("A01").value(), "A01");
    EXPECT_EQ(normaliseSeatLabel("12").value(), "12");
    EXPECT_EQ(normaliseSeatLabel("p-03").value(), "P-03");
    EXPECT_EQ(normaliseSeatLabel("ABCDEFGHIJ-12345").value(), "ABCDEFGHIJ-12345");  // 16
    const auto reason = [](std::string_view s) { return normaliseSeatLabel(s).error().reason; };
    EXPECT_EQ(reason(""), FieldReason::Empty);
    EXPECT_EQ(reason("ABCDEFGHIJ-123456"), FieldReason::TooLong);
    EXPECT_EQ(reason("A 01"), FieldReason::Whitespace);
    EXPECT_EQ(reason("A01 "), FieldReason::Whitespace);
    EXPECT_EQ(reason("A_01"), FieldReason::BadCharacter);
    EXPECT_EQ(reason("甲01"), FieldReason::BadCharacter);
    EXPECT_EQ(reason("-A01"), FieldReason::BadFormat);
    EXPECT_EQ(reason("A01-"), FieldReason::BadFormat);
    EXPECT_EQ(reason("-"), FieldReason::BadFormat);
}

sys_seconds utc(int y, unsigned mo, unsigned d, int h, int mi, int s = 0) {
    return sys_days{year_month_day{year{y}, month{mo}, day{d}}} + hours{h} + minutes{mi} +
           seconds{s};
}

TEST(DateTime, Iso8601Forms) {
    EXPECT_EQ(parseDateTime("2026-11-22T09:00:00+08:00").value(), utc(2026, 11, 22, 1, 0));
    EXPECT_EQ(parseDateTime("2026-11-22 09:00").value(), utc(2026, 11, 22, 1, 0));
    EXPECT_EQ(parseDateTime("2026-11-22T09:00").value(), utc(2026, 11, 22, 1, 0));
    EXPECT_EQ(parseDateTime("2026-11-22T01:00:30Z").value(), utc(2026, 11, 22, 1, 0, 30));
    EXPECT_EQ(parseDateTime("2026-11-22T09:00:00+0800").value(), utc(2026, 11, 22, 1, 0));
    EXPECT_EQ(parseDateTime("2026-11-22T09:00:00+08").value(), utc(2026, 11, 22, 1, 0));
    EXPECT_EQ(parseDateTime("2026-11-22T06:30:00+05:30").value(), utc(2026, 11, 22, 1, 0));
    EXPECT_EQ(parseDateTime("2026-11-21T20:00:00-05:00").value(), utc(2026, 11, 22, 1, 0));
    // Local time crossing midnight back into the previous UTC day.
    EXPECT_EQ(parseDateTime("2026-01-01 07:59").value(), utc(2025, 12, 31, 23, 59));
    // The default offset is a parameter.
    EXPECT_EQ(parseDateTime("2026-11-22 09:00", minutes{0}).value(), utc(2026, 11, 22, 9, 0));
}

TEST(DateTime, WhatChineseExcelWrites) {
    EXPECT_EQ(parseDateTime("2026/11/22 9:00").value(), utc(2026, 11, 22, 1, 0));
    EXPECT_EQ(parseDateTime("2026/1/5 13:30").value(), utc(2026, 1, 5, 5, 30));
}

TEST(DateTime, Rejections) {
    const auto reason = [](std::string_view s) { return parseDateTime(s).error().reason; };
    EXPECT_EQ(reason(""), FieldReason::Empty);
    EXPECT_EQ(reason(" 2026-11-22 09:00"), FieldReason::Whitespace);
    EXPECT_EQ(reason("2026-11-22"), FieldReason::BadFormat);
    EXPECT_EQ(reason("2026-11/22 09:00"), FieldReason::BadFormat);
    EXPECT_EQ(reason("26-11-22 09:00"), FieldReason::BadFormat);
    EXPECT_EQ(reason("2026-11-22 0900"), FieldReason::BadFormat);
    EXPECT_EQ(reason("2026-11-22 09:00:00.5"), FieldReason::BadFormat);
    EXPECT_EQ(reason("2026-11-22 09:00 "), FieldReason::Whitespace);
    EXPECT_EQ(reason("2026-11-22 09:00+08:00x"), FieldReason::BadFormat);
    EXPECT_EQ(reason("2026-11-22 09:00Zx"), FieldReason::BadFormat);
    EXPECT_EQ(reason("2026-02-30 09:00"), FieldReason::BadDate);
    EXPECT_EQ(reason("2026-13-01 09:00"), FieldReason::BadDate);
    EXPECT_EQ(reason("2026-11-22 24:00"), FieldReason::BadTime);
    EXPECT_EQ(reason("2026-11-22 09:60"), FieldReason::BadTime);
    EXPECT_EQ(reason("2026-11-22 09:00:60"), FieldReason::BadTime);
    EXPECT_EQ(reason("2026-11-22 09:00+15:00"), FieldReason::BadOffset);
    EXPECT_EQ(reason("2026-11-22 09:00+08:60"), FieldReason::BadOffset);
    EXPECT_EQ(reason("2026-11-22 09:00+8"), FieldReason::BadOffset);
}

TEST(FieldError, ToError) {
    const Error e = toError(normaliseMac("ff:ff:ff:ff:ff:ff").error());
    EXPECT_EQ(e.code, ErrorCode::BadInput);
    EXPECT_EQ(e.detail.rfind("broadcast: ", 0), 0U);
}

}  // namespace
}  // namespace examguard::station::import
