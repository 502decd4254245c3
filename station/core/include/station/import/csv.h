#pragma once

#include <cstddef>
#include <initializer_list>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

namespace examguard::station::import {

enum class CsvErrorKind {
    MissingHeader,          // no header row (empty file or only blank lines)
    EmptyHeaderName,        // a header cell is empty after trimming
    DuplicateHeaderName,    // two header cells name the same column
    UnterminatedQuote,      // a quoted field runs to the end of the file
    QuoteInUnquotedField,   // ab"c
    TextAfterClosingQuote,  // "ab"c
    FieldCountMismatch,     // more or fewer fields than the header
    TooManyFields,          // header wider than CsvOptions::maxFields
    TooManyRecords,         // more data records than CsvOptions::maxRecords
};

// snake_case name for JSON, e.g. "field_count_mismatch".
const char* name(CsvErrorKind kind);

struct CsvError {
    CsvErrorKind kind;
    std::size_t line = 0;    // 1-based physical line in the file
    std::size_t column = 0;  // 1-based, in characters (code points) on that line; 0 = n/a
    std::size_t field = 0;   // 1-based field index in the record; 0 = n/a
    std::string detail;      // English, without the file name: "line 12, column 5: ..."
};

struct CsvRecord {
    std::size_t line = 0;  // 1-based physical line where the record starts
    std::vector<std::string> fields;
};

struct CsvOptions {
    std::size_t maxErrors = 1000;
    // Bounds on what a hostile or broken file can make us allocate: 64 MiB of commas would
    // otherwise become tens of millions of std::string objects.
    std::size_t maxFields = 1024;
    std::size_t maxRecords = 1'000'000;
    // Spreadsheets leave blank lines and rows of bare commas below the data; skip records whose
    // fields are all empty instead of reporting them.
    bool skipBlankRecords = true;
};

struct CsvTable {
    std::size_t headerLine = 0;
    std::vector<std::string> header;  // trimmed names
    // Only the well-formed records; a record with an error is reported in `errors` instead.
    std::vector<CsvRecord> records;
    std::vector<CsvError> errors;
    bool errorsTruncated = false;  // maxErrors was reached and parsing stopped there

    bool ok() const { return errors.empty(); }
    // Index of a header name (ASCII case-insensitive, like duplicate detection).
    std::optional<std::size_t> columnIndex(std::string_view name) const;
};

// RFC 4180 with a header row over UTF-8 text (as returned by decodeText). Accepts CRLF, LF and
// lone CR line ends, a trailing line end, and a leading BOM. Header names are trimmed of
// spaces, tabs, NBSP and the ideographic space U+3000. Never throws; all problems up to
// options.maxErrors are collected in CsvTable::errors.
CsvTable parseCsv(std::string_view text, const CsvOptions& options = {});

// UTF-8 BOM to put in front of an exported file: Excel on Chinese Windows reads a CSV without
// it as GBK.
inline constexpr std::string_view kCsvUtf8Bom = "\xEF\xBB\xBF";

// RFC 4180 quoting: fields containing a comma, quote, CR or LF, starting or ending with a space
// or tab, or starting with U+FEFF are wrapped in quotes with inner quotes doubled; others are
// returned as is.
std::string csvEscape(std::string_view field);

// Appends one record terminated by CRLF. A record of one empty field is written as "" so that
// it does not turn into a blank line.
void writeCsvRow(std::string& out, std::span<const std::string> fields);
void writeCsvRow(std::string& out, std::initializer_list<std::string_view> fields);

}  // namespace examguard::station::import
