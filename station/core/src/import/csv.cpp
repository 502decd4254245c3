#include "station/import/csv.h"

#include <algorithm>
#include <unordered_map>

namespace examguard::station::import {
namespace {

char asciiLower(char c) {
    return c >= 'A' && c <= 'Z' ? static_cast<char>(c - 'A' + 'a') : c;
}

std::string asciiLowerCopy(std::string_view s) {
    std::string out(s);
    std::transform(out.begin(), out.end(), out.begin(), asciiLower);
    return out;
}

// Whitespace a clerk can type into a header cell without seeing it: ASCII space and tab,
// NBSP (U+00A0, from web pages), the ideographic space (U+3000, from Chinese IMEs) and U+FEFF
// (a BOM pasted in from another file).
std::size_t leadingSpace(std::string_view s) {
    if (s.starts_with(' ') || s.starts_with('\t')) {
        return 1;
    }
    if (s.starts_with("\xC2\xA0")) {
        return 2;
    }
    if (s.starts_with("\xE3\x80\x80") || s.starts_with(kCsvUtf8Bom)) {
        return 3;
    }
    return 0;
}

std::size_t trailingSpace(std::string_view s) {
    if (s.ends_with(' ') || s.ends_with('\t')) {
        return 1;
    }
    if (s.ends_with("\xC2\xA0")) {
        return 2;
    }
    if (s.ends_with("\xE3\x80\x80") || s.ends_with(kCsvUtf8Bom)) {
        return 3;
    }
    return 0;
}

std::string trimHeaderName(std::string_view s) {
    while (const std::size_t n = leadingSpace(s)) {
        s.remove_prefix(n);
    }
    while (const std::size_t n = trailingSpace(s)) {
        s.remove_suffix(n);
    }
    return std::string(s);
}

std::string where(std::size_t line, std::size_t column) {
    std::string out = "line " + std::to_string(line);
    if (column != 0) {
        out += ", column " + std::to_string(column);
    }
    return out;
}

// A single pass over the text; the position, line and column move together so every error
// can say where it is without rescanning (a rescan per error would be quadratic on one long
// line).
class Parser {
public:
    Parser(std::string_view text, const CsvOptions& options) : m_text(text), m_options(options) {
        if (m_text.starts_with(kCsvUtf8Bom)) {
            m_text.remove_prefix(kCsvUtf8Bom.size());
        }
    }

    CsvTable run() {
        bool haveHeader = false;
        std::size_t headerCount = 0;
        while (!m_stopped && m_pos < m_text.size()) {
            RawRecord raw = readRecord();
            if (m_stopped) {
                break;  // unterminated quote or error limit: nothing after this is reliable
            }
            if (m_options.skipBlankRecords && raw.blank()) {
                continue;
            }
            if (!haveHeader) {
                haveHeader = true;
                setHeader(raw);
                headerCount = m_table.header.size();
                continue;
            }
            if (raw.bad) {
                continue;
            }
            if (raw.fieldCount != headerCount) {
                addError({CsvErrorKind::FieldCountMismatch, raw.line, 0, 0,
                          where(raw.line, 0) + ": record has " + std::to_string(raw.fieldCount) +
                              " fields but the header has " + std::to_string(headerCount)});
                continue;
            }
            if (m_table.records.size() >= m_options.maxRecords) {
                addError({CsvErrorKind::TooManyRecords, raw.line, 0, 0,
                          where(raw.line, 0) + ": more than " +
                              std::to_string(m_options.maxRecords) + " records"});
                m_stopped = true;
                break;
            }
            m_table.records.push_back(CsvRecord{raw.line, std::move(raw.fields)});
        }
        if (!haveHeader && !m_stopped) {
            addError({CsvErrorKind::MissingHeader, 1, 0, 0, "line 1: the file has no header row"});
        }
        return std::move(m_table);
    }

private:
    struct RawRecord {
        std::size_t line = 0;
        std::vector<std::string> fields;  // at most maxFields + 1 kept
        std::size_t fieldCount = 0;
        bool bad = false;  // an error was reported for this record
        bool blank() const {
            return !bad && std::all_of(fields.begin(), fields.end(),
                                       [](const std::string& f) { return f.empty(); });
        }
    };

    bool atEnd() const { return m_pos >= m_text.size(); }
    char peek() const { return m_text[m_pos]; }
    bool atLineEnd() const { return !atEnd() && (peek() == '\n' || peek() == '\r'); }

    // Advances over one byte that is not a line end; columns count code points, so UTF-8
    // continuation bytes do not move the column.
    void advance() {
        const auto byte = static_cast<unsigned char>(m_text[m_pos]);
        if ((byte & 0xC0) != 0x80) {
            ++m_column;
        }
        ++m_pos;
    }

    // Consumes CRLF, LF or a lone CR and returns the bytes consumed.
    std::string_view consumeLineEnd() {
        const std::size_t start = m_pos;
        if (peek() == '\r' && m_pos + 1 < m_text.size() && m_text[m_pos + 1] == '\n') {
            m_pos += 2;
        } else {
            m_pos += 1;
        }
        ++m_line;
        m_column = 1;
        return m_text.substr(start, m_pos - start);
    }

    void addError(CsvError error) {
        if (m_table.errors.size() >= m_options.maxErrors) {
            m_table.errorsTruncated = true;
            m_stopped = true;
            return;
        }
        m_table.errors.push_back(std::move(error));
    }

    void addField(RawRecord& record, std::string&& value) {
        ++record.fieldCount;
        if (record.fields.size() <= m_options.maxFields) {
            record.fields.push_back(std::move(value));
        }
    }

    RawRecord readRecord() {
        RawRecord record;
        record.line = m_line;
        while (true) {
            std::string value;
            if (!atEnd() && peek() == '"') {
                if (!readQuoted(record, value)) {
                    record.bad = true;
                    return record;
                }
            } else {
                readUnquoted(record, value);
            }
            addField(record, std::move(value));
            if (atEnd()) {
                return record;
            }
            if (peek() == ',') {
                advance();
                continue;
            }
            consumeLineEnd();  // readQuoted/readUnquoted stop only at ',', a line end or the end
            return record;
        }
    }

    void readUnquoted(RawRecord& record, std::string& value) {
        const std::size_t start = m_pos;
        bool reported = false;
        while (!atEnd() && peek() != ',' && !atLineEnd()) {
            if (peek() == '"' && !reported) {
                reported = true;
                record.bad = true;
                addError({CsvErrorKind::QuoteInUnquotedField, m_line, m_column,
                          record.fieldCount + 1,
                          where(m_line, m_column) +
                              ": quote inside a field that does not start with a quote (wrap "
                              "the field in quotes and double the quote)"});
            }
            advance();
        }
        value.assign(m_text.substr(start, m_pos - start));
    }

    // Returns false when the closing quote is missing, which consumes the rest of the file.
    bool readQuoted(RawRecord& record, std::string& value) {
        const std::size_t openLine = m_line;
        const std::size_t openColumn = m_column;
        advance();  // opening quote
        while (true) {
            if (atEnd()) {
                addError({CsvErrorKind::UnterminatedQuote, openLine, openColumn,
                          record.fieldCount + 1,
                          where(openLine, openColumn) +
                              ": quoted field is never closed (missing closing quote)"});
                m_stopped = true;
                return false;
            }
            const char c = peek();
            if (c == '"') {
                if (m_pos + 1 < m_text.size() && m_text[m_pos + 1] == '"') {
                    value.push_back('"');
                    advance();
                    advance();
                    continue;
                }
                advance();  // closing quote
                break;
            }
            if (c == '\r' || c == '\n') {
                value.append(consumeLineEnd());
                continue;
            }
            // Copy a run of ordinary bytes at once rather than byte by byte.
            const std::size_t start = m_pos;
            while (!atEnd() && peek() != '"' && !atLineEnd()) {
                advance();
            }
            value.append(m_text.substr(start, m_pos - start));
        }
        if (!atEnd() && peek() != ',' && !atLineEnd()) {
            record.bad = true;
            addError(
                {CsvErrorKind::TextAfterClosingQuote, m_line, m_column, record.fieldCount + 1,
                 where(m_line, m_column) + ": text after the closing quote of a quoted field"});
            while (!atEnd() && peek() != ',' && !atLineEnd()) {
                advance();
            }
        }
        return true;
    }

    void setHeader(RawRecord& raw) {
        m_table.headerLine = raw.line;
        if (raw.fieldCount > m_options.maxFields) {
            addError({CsvErrorKind::TooManyFields, raw.line, 0, 0,
                      where(raw.line, 0) + ": header has " + std::to_string(raw.fieldCount) +
                          " columns, more than the limit of " +
                          std::to_string(m_options.maxFields)});
            raw.fields.resize(m_options.maxFields);
        }
        std::unordered_map<std::string, std::size_t> seen;  // lower-cased name -> 1-based field
        for (std::size_t i = 0; i < raw.fields.size(); ++i) {
            std::string name = trimHeaderName(raw.fields[i]);
            if (name.empty()) {
                addError(
                    {CsvErrorKind::EmptyHeaderName, raw.line, 0, i + 1,
                     where(raw.line, 0) + ": header field " + std::to_string(i + 1) + " is empty"});
            } else if (auto [it, inserted] = seen.emplace(asciiLowerCopy(name), i + 1); !inserted) {
                addError({CsvErrorKind::DuplicateHeaderName, raw.line, 0, i + 1,
                          where(raw.line, 0) + ": header field " + std::to_string(i + 1) + " '" +
                              name + "' repeats field " + std::to_string(it->second)});
            }
            m_table.header.push_back(std::move(name));
        }
    }

    std::string_view m_text;
    const CsvOptions& m_options;
    CsvTable m_table;
    std::size_t m_pos = 0;
    std::size_t m_line = 1;
    std::size_t m_column = 1;
    bool m_stopped = false;
};

template <typename Range>
void writeRow(std::string& out, const Range& fields) {
    if (fields.size() == 1 && std::string_view(*fields.begin()).empty()) {
        out += "\"\"\r\n";
        return;
    }
    bool first = true;
    for (const auto& field : fields) {
        if (!first) {
            out.push_back(',');
        }
        first = false;
        out += csvEscape(field);
    }
    out += "\r\n";
}

}  // namespace

const char* name(CsvErrorKind kind) {
    switch (kind) {
        case CsvErrorKind::MissingHeader:
            return "missing_header";
        case CsvErrorKind::EmptyHeaderName:
            return "empty_header_name";
        case CsvErrorKind::DuplicateHeaderName:
            return "duplicate_header_name";
        case CsvErrorKind::UnterminatedQuote:
            return "unterminated_quote";
        case CsvErrorKind::QuoteInUnquotedField:
            return "quote_in_unquoted_field";
        case CsvErrorKind::TextAfterClosingQuote:
            return "text_after_closing_quote";
        case CsvErrorKind::FieldCountMismatch:
            return "field_count_mismatch";
        case CsvErrorKind::TooManyFields:
            return "too_many_fields";
        case CsvErrorKind::TooManyRecords:
            return "too_many_records";
    }
    return "unknown";
}

std::optional<std::size_t> CsvTable::columnIndex(std::string_view name) const {
    const std::string wanted = asciiLowerCopy(name);
    for (std::size_t i = 0; i < header.size(); ++i) {
        if (asciiLowerCopy(header[i]) == wanted) {
            return i;
        }
    }
    return std::nullopt;
}

CsvTable parseCsv(std::string_view text, const CsvOptions& options) {
    return Parser(text, options).run();
}

std::string csvEscape(std::string_view field) {
    // A leading U+FEFF is quoted because a reader at the start of a file would take it for a
    // BOM and drop it.
    const bool needsQuotes = field.find_first_of(",\"\r\n") != std::string_view::npos ||
                             field.starts_with(kCsvUtf8Bom) ||
                             (!field.empty() && (field.front() == ' ' || field.front() == '\t' ||
                                                 field.back() == ' ' || field.back() == '\t'));
    if (!needsQuotes) {
        return std::string(field);
    }
    std::string out;
    out.reserve(field.size() + 2);
    out.push_back('"');
    for (const char c : field) {
        if (c == '"') {
            out.push_back('"');
        }
        out.push_back(c);
    }
    out.push_back('"');
    return out;
}

void writeCsvRow(std::string& out, std::span<const std::string> fields) {
    writeRow(out, fields);
}

void writeCsvRow(std::string& out, std::initializer_list<std::string_view> fields) {
    writeRow(out, fields);
}

}  // namespace examguard::station::import
