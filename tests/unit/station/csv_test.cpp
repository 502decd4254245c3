#include "station/import/csv.h"

#include <filesystem>
#include <random>
#include <string>
#include <vector>

#include <gtest/gtest.h>

#include "station/import/text_encoding.h"

namespace examguard::station::import {
namespace {

using Fields = std::vector<std::string>;

const std::filesystem::path kData = std::filesystem::path(EXAMGUARD_TEST_DATA) / "station";

TEST(CsvParse, SimpleTableWithLf) {
    const CsvTable t = parseCsv("name,seat\n张三,A01\n李四,A02\n");
    ASSERT_TRUE(t.ok());
    EXPECT_EQ(t.headerLine, 1U);
    EXPECT_EQ(t.header, (Fields{"name", "seat"}));
    ASSERT_EQ(t.records.size(), 2U);
    EXPECT_EQ(t.records[0].fields, (Fields{"张三", "A01"}));
    EXPECT_EQ(t.records[0].line, 2U);
    EXPECT_EQ(t.records[1].fields, (Fields{"李四", "A02"}));
    EXPECT_EQ(t.records[1].line, 3U);
}

TEST(CsvParse, CrlfAndNoTrailingLineEnd) {
    const CsvTable t = parseCsv("a,b\r\n1,2\r\n3,4");
    ASSERT_TRUE(t.ok());
    ASSERT_EQ(t.records.size(), 2U);
    EXPECT_EQ(t.records[1].fields, (Fields{"3", "4"}));
    EXPECT_EQ(t.records[1].line, 3U);
}

TEST(CsvParse, LoneCrEndsALine) {
    const CsvTable t = parseCsv("a,b\r1,2\r3,4\r");
    ASSERT_TRUE(t.ok());
    ASSERT_EQ(t.records.size(), 2U);
    EXPECT_EQ(t.records[1].line, 3U);
}

TEST(CsvParse, TrailingEmptyLinesAndBlankRowsAreSkipped) {
    const CsvTable t = parseCsv("a,b\r\n1,2\r\n\r\n,\r\n3,4\r\n\r\n\r\n");
    ASSERT_TRUE(t.ok());
    ASSERT_EQ(t.records.size(), 2U);
    EXPECT_EQ(t.records[1].line, 5U);

    CsvOptions keep;
    keep.skipBlankRecords = false;
    const CsvTable k = parseCsv("a,b\n1,2\n,\n", keep);
    ASSERT_TRUE(k.ok());
    ASSERT_EQ(k.records.size(), 2U);
    EXPECT_EQ(k.records[1].fields, (Fields{"", ""}));
    EXPECT_EQ(k.records[1].line, 3U);
}

TEST(CsvParse, QuotedFieldsWithCommasQuotesAndNewlines) {
    const std::string text =
        "name,note,seat\r\n"
        "\"欧阳, 娜娜\",\"say \"\"hi\"\"\",A01\r\n"
        "李四,\"line one\r\nline two\nline three\",A02\r\n"
        "王五,\"\",A03\r\n";
    const CsvTable t = parseCsv(text);
    ASSERT_TRUE(t.ok()) << t.errors[0].detail;
    ASSERT_EQ(t.records.size(), 3U);
    EXPECT_EQ(t.records[0].fields, (Fields{"欧阳, 娜娜", "say \"hi\"", "A01"}));
    EXPECT_EQ(t.records[0].line, 2U);
    // Line ends inside quotes are data, kept as written.
    EXPECT_EQ(t.records[1].fields[1], "line one\r\nline two\nline three");
    EXPECT_EQ(t.records[1].line, 3U);
    // The record before spans lines 3-5, so this one starts on physical line 6.
    EXPECT_EQ(t.records[2].fields, (Fields{"王五", "", "A03"}));
    EXPECT_EQ(t.records[2].line, 6U);
}

TEST(CsvParse, EmptyFieldsAndTrailingComma) {
    const CsvTable t = parseCsv("a,b,c\n,,\n1,,3\nx,y,\n");
    ASSERT_TRUE(t.ok());
    // ",," is a blank row and skipped by default.
    ASSERT_EQ(t.records.size(), 2U);
    EXPECT_EQ(t.records[0].fields, (Fields{"1", "", "3"}));
    EXPECT_EQ(t.records[1].fields, (Fields{"x", "y", ""}));
}

TEST(CsvParse, HeaderNamesAreTrimmedAndLookedUp) {
    const CsvTable t = parseCsv(" name ,\t座位号\xE3\x80\x80,\xC2\xA0mac\n1,2,3\n");
    ASSERT_TRUE(t.ok());
    EXPECT_EQ(t.header, (Fields{"name", "座位号", "mac"}));
    EXPECT_EQ(t.columnIndex("座位号"), std::optional<std::size_t>(1));
    EXPECT_EQ(t.columnIndex("MAC"), std::optional<std::size_t>(2));
    EXPECT_EQ(t.columnIndex("ip"), std::nullopt);
    // Data fields are not trimmed: that is the validators' decision.
    const CsvTable d = parseCsv("a\n x \n");
    EXPECT_EQ(d.records.at(0).fields[0], " x ");
}

TEST(CsvParse, LeadingBomIsIgnored) {
    const CsvTable t = parseCsv("\xEF\xBB\xBFname\nx\n");
    ASSERT_TRUE(t.ok());
    EXPECT_EQ(t.header, (Fields{"name"}));
}

TEST(CsvParse, BomInsideTheFirstHeaderCellIsTrimmed) {
    // Found by csv_fuzz: tabs, then a BOM pasted in front of the header.
    const CsvTable t = parseCsv("\t\t\xEF\xBB\xBF姓名,身份证号\n");
    ASSERT_TRUE(t.ok());
    EXPECT_EQ(t.header, (Fields{"姓名", "身份证号"}));
}

TEST(CsvParse, DuplicateAndEmptyHeaderNames) {
    const CsvTable t = parseCsv("name,seat, Name ,,seat\n1,2,3,4,5\n");
    ASSERT_EQ(t.errors.size(), 3U);
    EXPECT_EQ(t.errors[0].kind, CsvErrorKind::DuplicateHeaderName);
    EXPECT_EQ(t.errors[0].line, 1U);
    EXPECT_EQ(t.errors[0].field, 3U);
    EXPECT_NE(t.errors[0].detail.find("repeats field 1"), std::string::npos);
    EXPECT_EQ(t.errors[1].kind, CsvErrorKind::EmptyHeaderName);
    EXPECT_EQ(t.errors[1].field, 4U);
    EXPECT_EQ(t.errors[2].kind, CsvErrorKind::DuplicateHeaderName);
    EXPECT_EQ(t.errors[2].field, 5U);
    EXPECT_STREQ(name(t.errors[0].kind), "duplicate_header_name");
}

TEST(CsvParse, MissingHeader) {
    for (const char* text : {"", "\n", "\r\n\r\n", ",,\n"}) {
        const CsvTable t = parseCsv(text);
        ASSERT_EQ(t.errors.size(), 1U) << text;
        EXPECT_EQ(t.errors[0].kind, CsvErrorKind::MissingHeader);
        EXPECT_TRUE(t.header.empty());
    }
}

TEST(CsvParse, FieldCountMismatchCollectsAllErrors) {
    const CsvTable t = parseCsv("a,b,c\n1,2\n1,2,3\n1,2,3,4\n\"x\ny\",2\n5,6,7\n");
    ASSERT_EQ(t.errors.size(), 3U);
    EXPECT_EQ(t.errors[0].kind, CsvErrorKind::FieldCountMismatch);
    EXPECT_EQ(t.errors[0].line, 2U);
    EXPECT_EQ(t.errors[0].detail, "line 2: record has 2 fields but the header has 3");
    EXPECT_EQ(t.errors[1].line, 4U);
    EXPECT_EQ(t.errors[1].detail, "line 4: record has 4 fields but the header has 3");
    EXPECT_EQ(t.errors[2].line, 5U);  // where the multi-line record starts
    ASSERT_EQ(t.records.size(), 2U);
    EXPECT_EQ(t.records[0].line, 3U);
    EXPECT_EQ(t.records[1].line, 7U);
}

TEST(CsvParse, QuoteInsideUnquotedField) {
    const CsvTable t = parseCsv("a,b\n张三,ab\"c\n1,2\n");
    ASSERT_EQ(t.errors.size(), 1U);
    EXPECT_EQ(t.errors[0].kind, CsvErrorKind::QuoteInUnquotedField);
    EXPECT_EQ(t.errors[0].line, 2U);
    EXPECT_EQ(t.errors[0].column, 6U);  // columns count characters, not bytes
    EXPECT_EQ(t.errors[0].field, 2U);
    EXPECT_EQ(t.errors[0].detail.rfind("line 2, column 6: ", 0), 0U);
    ASSERT_EQ(t.records.size(), 1U);
    EXPECT_EQ(t.records[0].line, 3U);
}

TEST(CsvParse, TextAfterClosingQuote) {
    const CsvTable t = parseCsv("a,b\n\"x\ny\"z,2\n1,2\n");
    ASSERT_EQ(t.errors.size(), 1U);
    EXPECT_EQ(t.errors[0].kind, CsvErrorKind::TextAfterClosingQuote);
    EXPECT_EQ(t.errors[0].line, 3U);
    EXPECT_EQ(t.errors[0].column, 3U);
    EXPECT_EQ(t.errors[0].field, 1U);
    ASSERT_EQ(t.records.size(), 1U);
    EXPECT_EQ(t.records[0].line, 4U);
}

TEST(CsvParse, UnterminatedQuoteReportsWhereItOpened) {
    const CsvTable t = parseCsv("a,b\n1,2\n3,\"open\n4,5\n6,7\n");
    ASSERT_EQ(t.errors.size(), 1U);
    EXPECT_EQ(t.errors[0].kind, CsvErrorKind::UnterminatedQuote);
    EXPECT_EQ(t.errors[0].line, 3U);
    EXPECT_EQ(t.errors[0].column, 3U);
    EXPECT_EQ(t.errors[0].field, 2U);
    ASSERT_EQ(t.records.size(), 1U);

    const CsvTable h = parseCsv("\"a,b\n1,2\n");
    ASSERT_EQ(h.errors.size(), 1U);
    EXPECT_EQ(h.errors[0].kind, CsvErrorKind::UnterminatedQuote);
}

TEST(CsvParse, ErrorCountIsCapped) {
    std::string text = "a,b\n";
    for (int i = 0; i < 50; ++i) {
        text += "only-one\n";
    }
    CsvOptions options;
    options.maxErrors = 10;
    const CsvTable t = parseCsv(text, options);
    EXPECT_EQ(t.errors.size(), 10U);
    EXPECT_TRUE(t.errorsTruncated);
    EXPECT_EQ(t.errors.back().line, 11U);

    const CsvTable all = parseCsv(text);
    EXPECT_EQ(all.errors.size(), 50U);
    EXPECT_FALSE(all.errorsTruncated);
}

TEST(CsvParse, FieldAndRecordLimits) {
    CsvOptions options;
    options.maxFields = 3;
    const CsvTable wide = parseCsv("a,b,c,d,e\n", options);
    ASSERT_EQ(wide.errors.size(), 1U);
    EXPECT_EQ(wide.errors[0].kind, CsvErrorKind::TooManyFields);
    EXPECT_EQ(wide.header.size(), 3U);

    const CsvTable ok = parseCsv("a,b\n1,2,3,4,5,6,7\n", options);
    ASSERT_EQ(ok.errors.size(), 1U);
    EXPECT_EQ(ok.errors[0].detail, "line 2: record has 7 fields but the header has 2");

    CsvOptions few;
    few.maxRecords = 2;
    const CsvTable many = parseCsv("a\n1\n2\n3\n4\n", few);
    EXPECT_EQ(many.records.size(), 2U);
    ASSERT_EQ(many.errors.size(), 1U);
    EXPECT_EQ(many.errors[0].kind, CsvErrorKind::TooManyRecords);
    EXPECT_EQ(many.errors[0].line, 4U);
}

TEST(CsvParse, MalformedFixture) {
    const auto decoded = readTextFile(kData / "roster_malformed.csv");
    ASSERT_TRUE(decoded.has_value()) << decoded.error().detail;
    const CsvTable t = parseCsv(decoded->text);
    ASSERT_EQ(t.errors.size(), 3U);
    EXPECT_EQ(t.errors[0].kind, CsvErrorKind::QuoteInUnquotedField);
    EXPECT_EQ(t.errors[0].line, 5U);
    EXPECT_EQ(t.errors[0].column, 14U);
    EXPECT_EQ(t.errors[1].kind, CsvErrorKind::FieldCountMismatch);
    EXPECT_EQ(t.errors[1].line, 6U);
    EXPECT_EQ(t.errors[2].kind, CsvErrorKind::TextAfterClosingQuote);
    EXPECT_EQ(t.errors[2].line, 7U);
    EXPECT_EQ(t.errors[2].column, 5U);
    ASSERT_EQ(t.records.size(), 3U);
    EXPECT_EQ(t.records[0].line, 2U);
    EXPECT_EQ(t.records[1].line, 3U);
    EXPECT_EQ(t.records[1].fields, (Fields{"李\"四", "11010119900307002X", "A\n02"}));
    EXPECT_EQ(t.records[2].line, 8U);
    EXPECT_EQ(t.records[2].fields[0], "钱八");
}

TEST(CsvWrite, Escaping) {
    EXPECT_EQ(csvEscape("plain"), "plain");
    EXPECT_EQ(csvEscape(""), "");
    EXPECT_EQ(csvEscape("张三"), "张三");
    EXPECT_EQ(csvEscape("a,b"), "\"a,b\"");
    EXPECT_EQ(csvEscape("say \"hi\""), "\"say \"\"hi\"\"\"");
    EXPECT_EQ(csvEscape("two\nlines"), "\"two\nlines\"");
    EXPECT_EQ(csvEscape("cr\r"), "\"cr\r\"");
    EXPECT_EQ(csvEscape(" padded"), "\" padded\"");
    EXPECT_EQ(csvEscape("padded\t"), "\"padded\t\"");
    EXPECT_EQ(csvEscape("\xEF\xBB\xBFx"), "\"\xEF\xBB\xBFx\"");
}

TEST(CsvWrite, RowsEndWithCrlf) {
    std::string out(kCsvUtf8Bom);
    writeCsvRow(out, {"姓名", "身份证号", "座位号"});
    writeCsvRow(out, Fields{"欧阳, 娜娜", "11010519491231002X", "A01"});
    writeCsvRow(out, {""});
    EXPECT_EQ(out,
              "\xEF\xBB\xBF姓名,身份证号,座位号\r\n\"欧阳, 娜娜\",11010519491231002X,A01\r\n"
              "\"\"\r\n");
}

TEST(CsvWrite, RoundTripOfRandomTables) {
    std::mt19937 rng(20261122U);
    const std::vector<std::string> pieces = {"a", "张", "\"", ",", "\n", "\r\n", " ", "x y", "\r"};
    CsvOptions options;
    options.skipBlankRecords = false;
    for (int iteration = 0; iteration < 200; ++iteration) {
        const std::size_t columns = 1 + rng() % 4;
        std::vector<Fields> rows;
        std::string out;
        Fields header;
        for (std::size_t c = 0; c < columns; ++c) {
            header.push_back("col" + std::to_string(c));
        }
        writeCsvRow(out, header);
        const std::size_t count = rng() % 6;
        for (std::size_t r = 0; r < count; ++r) {
            Fields row;
            for (std::size_t c = 0; c < columns; ++c) {
                std::string field;
                for (std::size_t k = rng() % 4; k > 0; --k) {
                    field += pieces[rng() % pieces.size()];
                }
                row.push_back(field);
            }
            writeCsvRow(out, row);
            rows.push_back(row);
        }
        const CsvTable t = parseCsv(out, options);
        ASSERT_TRUE(t.ok()) << out;
        EXPECT_EQ(t.header, header);
        ASSERT_EQ(t.records.size(), rows.size()) << out;
        for (std::size_t r = 0; r < rows.size(); ++r) {
            EXPECT_EQ(t.records[r].fields, rows[r]) << out;
        }
    }
}

}  // namespace
}  // namespace examguard::station::import
