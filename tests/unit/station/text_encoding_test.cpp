#include "station/import/text_encoding.h"

#include <iconv.h>

#include <filesystem>
#include <fstream>
#include <stdexcept>
#include <string>

#include <gtest/gtest.h>

#include "station/import/csv.h"

namespace examguard::station::import {
namespace {

const std::filesystem::path kData = std::filesystem::path(EXAMGUARD_TEST_DATA) / "station";

// Converts UTF-8 to a legacy encoding with iconv(3), so GBK input is produced at test time
// rather than typed in as hex.
std::string fromUtf8(const std::string& utf8, const char* to) {
    iconv_t cd = ::iconv_open(to, "UTF-8");
    if (cd == reinterpret_cast<iconv_t>(-1)) {
        throw std::runtime_error("iconv_open failed");
    }
    std::string out(utf8.size() * 4 + 16, '\0');
    char* in = const_cast<char*>(utf8.data());
    std::size_t inLeft = utf8.size();
    char* outPtr = out.data();
    std::size_t outLeft = out.size();
    const std::size_t rc = ::iconv(cd, &in, &inLeft, &outPtr, &outLeft);
    ::iconv_close(cd);
    if (rc == static_cast<std::size_t>(-1)) {
        throw std::runtime_error("iconv failed");
    }
    out.resize(out.size() - outLeft);
    return out;
}

std::string readBytes(const std::filesystem::path& path) {
    std::ifstream in(path, std::ios::binary);
    return std::string(std::istreambuf_iterator<char>(in), {});
}

const std::string kRosterUtf8 =
    "姓名,身份证号,座位号\r\n"
    "张三,11010519491231002X,A01\r\n"
    "李四,11010119900307002X,A02\r\n"
    "欧阳娜娜,310115199912318884,A03\r\n";

TEST(TextEncoding, PlainUtf8IsAcceptedAsIs) {
    const auto decoded = decodeText(kRosterUtf8);
    ASSERT_TRUE(decoded.has_value()) << decoded.error().detail;
    EXPECT_EQ(decoded->encoding, TextEncoding::Utf8);
    EXPECT_FALSE(decoded->hadBom);
    EXPECT_EQ(decoded->text, kRosterUtf8);
}

TEST(TextEncoding, EmptyInputIsEmptyUtf8) {
    const auto decoded = decodeText("");
    ASSERT_TRUE(decoded.has_value());
    EXPECT_EQ(decoded->text, "");
    EXPECT_EQ(decoded->encoding, TextEncoding::Utf8);
}

TEST(TextEncoding, Utf8BomIsStripped) {
    const auto decoded = decodeText("\xEF\xBB\xBF" + kRosterUtf8);
    ASSERT_TRUE(decoded.has_value()) << decoded.error().detail;
    EXPECT_EQ(decoded->encoding, TextEncoding::Utf8);
    EXPECT_TRUE(decoded->hadBom);
    EXPECT_EQ(decoded->text, kRosterUtf8);
}

TEST(TextEncoding, GbkMadeByIconvIsDetectedAndConverted) {
    const std::string gbk = fromUtf8(kRosterUtf8, "GBK");
    ASSERT_NE(gbk, kRosterUtf8);
    ASSERT_TRUE(findInvalidUtf8(gbk).has_value()) << "test input must not be valid UTF-8";
    const auto decoded = decodeText(gbk);
    ASSERT_TRUE(decoded.has_value()) << decoded.error().detail;
    EXPECT_EQ(decoded->encoding, TextEncoding::Gbk);
    EXPECT_EQ(decoded->text, kRosterUtf8);
}

TEST(TextEncoding, Gb18030FourByteCharacterIsDetectedAsGb18030) {
    // U+9FA6 is outside GBK; GB18030 encodes it in four bytes. Rare characters like this occur
    // in real names.
    const std::string utf8 = "姓名\r\n张\xE9\xBE\xA6\r\n";
    const std::string gb = fromUtf8(utf8, "GB18030");
    const auto decoded = decodeText(gb);
    ASSERT_TRUE(decoded.has_value()) << decoded.error().detail;
    EXPECT_EQ(decoded->encoding, TextEncoding::Gb18030);
    EXPECT_EQ(decoded->text, utf8);
}

TEST(TextEncoding, ExplicitEncodingOverridesDetection) {
    const std::string gbk = fromUtf8("张三,李四\n", "GBK");
    DecodeOptions options;
    options.encoding = TextEncoding::Gb18030;
    const auto decoded = decodeText(gbk, options);
    ASSERT_TRUE(decoded.has_value()) << decoded.error().detail;
    EXPECT_EQ(decoded->encoding, TextEncoding::Gb18030);
    EXPECT_EQ(decoded->text, "张三,李四\n");

    // Forcing UTF-8 on GBK bytes fails at the first byte of 张.
    options.encoding = TextEncoding::Utf8;
    const auto forced = decodeText(gbk, options);
    ASSERT_FALSE(forced.has_value());
    EXPECT_EQ(forced.error().code, ErrorCode::BadInput);
    EXPECT_NE(forced.error().detail.find("offset 0 (line 1)"), std::string::npos)
        << forced.error().detail;

    // ASCII is the same in every encoding; an override must not fail on it.
    options.encoding = TextEncoding::Gbk;
    const auto ascii = decodeText("seat,mac\nA01,aa:bb:cc:dd:ee:ff\n", options);
    ASSERT_TRUE(ascii.has_value());
    EXPECT_EQ(ascii->encoding, TextEncoding::Gbk);
    EXPECT_EQ(ascii->text, "seat,mac\nA01,aa:bb:cc:dd:ee:ff\n");
}

TEST(TextEncoding, GbkOverrideOnBomFileIsRefused) {
    DecodeOptions options;
    options.encoding = TextEncoding::Gbk;
    const auto decoded = decodeText("\xEF\xBB\xBF" + kRosterUtf8, options);
    ASSERT_FALSE(decoded.has_value());
    EXPECT_NE(decoded.error().detail.find("BOM"), std::string::npos);
}

TEST(TextEncoding, ParseEncodingNames) {
    EXPECT_EQ(parseTextEncoding("utf-8").value(), TextEncoding::Utf8);
    EXPECT_EQ(parseTextEncoding("UTF8").value(), TextEncoding::Utf8);
    EXPECT_EQ(parseTextEncoding("GBK").value(), TextEncoding::Gbk);
    EXPECT_EQ(parseTextEncoding("cp936").value(), TextEncoding::Gbk);
    EXPECT_EQ(parseTextEncoding("gb18030").value(), TextEncoding::Gb18030);
    EXPECT_FALSE(parseTextEncoding("latin1").has_value());
    EXPECT_FALSE(parseTextEncoding("").has_value());
    EXPECT_STREQ(name(TextEncoding::Utf8), "utf-8");
    EXPECT_STREQ(name(TextEncoding::Gbk), "gbk");
    EXPECT_STREQ(name(TextEncoding::Gb18030), "gb18030");
}

TEST(TextEncoding, InvalidByteReportsOffsetAndLine) {
    // 0xFF is neither UTF-8 nor GB18030; it is the 10th byte, on line 3.
    const std::string bytes = "a,b\r\nc,d\nx\xFFy\n";
    const auto decoded = decodeText(bytes);
    ASSERT_FALSE(decoded.has_value());
    EXPECT_EQ(decoded.error().code, ErrorCode::BadInput);
    EXPECT_NE(decoded.error().detail.find("0xFF at offset 10 (line 3)"), std::string::npos)
        << decoded.error().detail;
}

TEST(TextEncoding, TruncatedGbkSequenceAtEndIsReported) {
    // A GBK file cut in the middle of its last character (a lead byte with no trail byte).
    std::string gbk = fromUtf8("名\n张", "GBK");
    gbk.pop_back();
    DecodeOptions options;
    options.encoding = TextEncoding::Gbk;
    const auto decoded = decodeText(gbk, options);
    ASSERT_FALSE(decoded.has_value());
    EXPECT_NE(decoded.error().detail.find("offset 3 (line 2)"), std::string::npos)
        << decoded.error().detail;
}

TEST(TextEncoding, StrictUtf8Validation) {
    EXPECT_EQ(findInvalidUtf8("plain ascii"), std::nullopt);
    EXPECT_EQ(findInvalidUtf8("张三 \xF0\x9F\x98\x80"), std::nullopt);              // 4-byte emoji
    EXPECT_EQ(findInvalidUtf8("ab\xC0\xAF"), std::optional<std::size_t>(2));        // overlong '/'
    EXPECT_EQ(findInvalidUtf8("\xE0\x80\xAF"), std::optional<std::size_t>(0));      // overlong
    EXPECT_EQ(findInvalidUtf8("\xED\xA0\x80"), std::optional<std::size_t>(0));      // surrogate
    EXPECT_EQ(findInvalidUtf8("\xF4\x90\x80\x80"), std::optional<std::size_t>(0));  // >10FFFF
    EXPECT_EQ(findInvalidUtf8("x\xE5\xBC"), std::optional<std::size_t>(1));         // truncated
    EXPECT_EQ(findInvalidUtf8("\x80"), std::optional<std::size_t>(0));  // lone continuation
    // "联通" in GBK (C1 AA CD A8) famously passes lax UTF-8 checks; strict ones reject C1.
    EXPECT_EQ(findInvalidUtf8(fromUtf8("联通", "GBK")), std::optional<std::size_t>(0));
}

TEST(TextEncoding, LianTongInGbkIsNotMistakenForUtf8) {
    const auto decoded = decodeText(fromUtf8("联通", "GBK"));
    ASSERT_TRUE(decoded.has_value());
    EXPECT_EQ(decoded->encoding, TextEncoding::Gbk);
    EXPECT_EQ(decoded->text, "联通");
}

TEST(TextEncoding, NulByteIsRejected) {
    const std::string bytes("a,b\nc\0d\n", 8);
    const auto decoded = decodeText(bytes);
    ASSERT_FALSE(decoded.has_value());
    EXPECT_EQ(decoded.error().code, ErrorCode::BadInput);
    EXPECT_NE(decoded.error().detail.find("NUL byte at offset 5 (line 2)"), std::string::npos)
        << decoded.error().detail;
}

TEST(TextEncoding, Utf16IsRejectedByName) {
    const std::string bytes(
        "\xFF\xFE"
        "a\0,\0b\0",
        8);
    const auto decoded = decodeText(bytes);
    ASSERT_FALSE(decoded.has_value());
    EXPECT_NE(decoded.error().detail.find("UTF-16"), std::string::npos);
}

TEST(TextEncoding, SizeLimit) {
    DecodeOptions options;
    options.maxBytes = 8;
    EXPECT_TRUE(decodeText("12345678", options).has_value());
    const auto tooBig = decodeText("123456789", options);
    ASSERT_FALSE(tooBig.has_value());
    EXPECT_EQ(tooBig.error().code, ErrorCode::BadInput);
    EXPECT_NE(tooBig.error().detail.find("limit of 8 bytes"), std::string::npos);
    EXPECT_EQ(DecodeOptions{}.maxBytes, std::size_t{64} * 1024 * 1024);
}

TEST(TextEncodingFixtures, GbkRosterFile) {
    const auto decoded = readTextFile(kData / "roster_gbk.csv");
    ASSERT_TRUE(decoded.has_value()) << decoded.error().detail;
    EXPECT_EQ(decoded->encoding, TextEncoding::Gbk);
    EXPECT_EQ(decoded->text, kRosterUtf8);
    const CsvTable table = parseCsv(decoded->text);
    ASSERT_TRUE(table.ok());
    ASSERT_EQ(table.records.size(), 3U);
    EXPECT_EQ(table.header[0], "姓名");
    EXPECT_EQ(table.records[2].fields[0], "欧阳娜娜");
    EXPECT_EQ(table.records[2].line, 4U);
}

TEST(TextEncodingFixtures, BomRosterFile) {
    const auto decoded = readTextFile(kData / "roster_utf8_bom.csv");
    ASSERT_TRUE(decoded.has_value()) << decoded.error().detail;
    EXPECT_EQ(decoded->encoding, TextEncoding::Utf8);
    EXPECT_TRUE(decoded->hadBom);
    EXPECT_EQ(decoded->text, kRosterUtf8);
    // Both fixtures carry the same roster.
    EXPECT_EQ(readTextFile(kData / "roster_gbk.csv")->text, decoded->text);
}

TEST(TextEncodingFixtures, InvalidBytesFile) {
    const std::string bytes = readBytes(kData / "roster_invalid_bytes.csv");
    ASSERT_EQ(static_cast<unsigned char>(bytes.at(68)), 0xFF);
    const auto decoded = readTextFile(kData / "roster_invalid_bytes.csv");
    ASSERT_FALSE(decoded.has_value());
    EXPECT_EQ(decoded.error().code, ErrorCode::BadInput);
    EXPECT_NE(decoded.error().detail.find("0xFF at offset 68 (line 3)"), std::string::npos)
        << decoded.error().detail;
}

TEST(TextEncodingFixtures, FileErrors) {
    const auto missing = readTextFile(kData / "no_such_file.csv");
    ASSERT_FALSE(missing.has_value());
    EXPECT_EQ(missing.error().code, ErrorCode::Io);

    DecodeOptions options;
    options.maxBytes = 10;
    const auto tooBig = readTextFile(kData / "roster_gbk.csv", options);
    ASSERT_FALSE(tooBig.has_value());
    EXPECT_EQ(tooBig.error().code, ErrorCode::BadInput);
}

}  // namespace
}  // namespace examguard::station::import
