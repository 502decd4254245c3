// libFuzzer target for the text side of CSV import: arbitrary bytes go through decodeText,
// parseCsv and every validator, as a clerk's (or an attacker's) file would.
#include <chrono>
#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <string>
#include <string_view>

#include "station/import/csv.h"
#include "station/import/text_encoding.h"
#include "station/import/validators.h"

namespace {

using namespace examguard::station::import;

void check(bool condition) {
    if (!condition) {
        std::abort();
    }
}

void validateField(std::string_view field) {
    constexpr std::chrono::year_month_day kToday{std::chrono::year{2026}, std::chrono::month{11},
                                                 std::chrono::day{22}};
    if (const auto id = validateIdNumber(field, kToday)) {
        check(id->value.size() == 18);
        check(validateIdNumber(id->value, kToday).has_value());
    }
    const std::string masked = maskIdNumber(field);
    check(!findInvalidUtf8(field) ? !findInvalidUtf8(masked) : true);
    if (const auto mac = normaliseMac(field)) {
        check(mac->size() == 17);
        check(normaliseMac(*mac).value() == *mac);  // normal form is a fixed point
    }
    if (const auto ip = parseIpv4(field)) {
        check(ip->toString() == field);  // strict parsing means a unique spelling
    }
    (void)validateHostIpv4(field);
    if (const auto cidr = parseIpv4Cidr(field)) {
        check(cidrContains(*cidr, cidr->network));
    }
    if (const auto seat = normaliseSeatLabel(field)) {
        check(normaliseSeatLabel(*seat).value() == *seat);
    }
    (void)parseDateTime(field);
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
    const std::string_view bytes(reinterpret_cast<const char*>(data), size);
    DecodeOptions decodeOptions;
    decodeOptions.maxBytes = 1 << 20;
    const auto decoded = decodeText(bytes, decodeOptions);
    if (!decoded) {
        return 0;
    }
    check(!findInvalidUtf8(decoded->text).has_value());

    CsvOptions csvOptions;
    csvOptions.maxErrors = 50;
    csvOptions.maxFields = 64;
    const CsvTable table = parseCsv(decoded->text, csvOptions);
    check(table.errors.size() <= csvOptions.maxErrors);
    for (const CsvError& error : table.errors) {
        check(error.line >= 1);
        check(name(error.kind) != nullptr);
    }
    for (const CsvRecord& record : table.records) {
        check(record.fields.size() == table.header.size());
        check(record.line > table.headerLine);
        for (const std::string& field : record.fields) {
            validateField(field);
        }
    }
    for (const std::string& field : table.header) {
        validateField(field);
    }

    // Writing the parsed table back out and parsing it again must give the same data.
    if (table.ok()) {
        std::string out;
        writeCsvRow(out, table.header);
        for (const CsvRecord& record : table.records) {
            writeCsvRow(out, record.fields);
        }
        const CsvTable again = parseCsv(out, csvOptions);
        check(again.ok());
        check(again.header == table.header);
        check(again.records.size() == table.records.size());
        for (std::size_t i = 0; i < table.records.size(); ++i) {
            check(again.records[i].fields == table.records[i].fields);
        }
    }
    return 0;
}
