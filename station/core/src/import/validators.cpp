#include "station/import/validators.h"

#include <array>
#include <optional>

namespace examguard::station::import {
namespace {

bool isDigit(char c) {
    return c >= '0' && c <= '9';
}

bool isAsciiSpace(char c) {
    return c == ' ' || c == '\t' || c == '\r' || c == '\n' || c == '\v' || c == '\f';
}

int hexValue(char c) {
    if (c >= '0' && c <= '9') {
        return c - '0';
    }
    if (c >= 'a' && c <= 'f') {
        return c - 'a' + 10;
    }
    if (c >= 'A' && c <= 'F') {
        return c - 'A' + 10;
    }
    return -1;
}

tl::unexpected<FieldError> reject(FieldReason reason, std::string detail) {
    return tl::unexpected<FieldError>(FieldError{reason, std::move(detail)});
}

int digitsValue(std::string_view digits) {
    int value = 0;
    for (const char c : digits) {
        value = value * 10 + (c - '0');
    }
    return value;
}

// 1.10105E+17: what Excel writes for an 18-digit number in a cell formatted as Number.
bool looksLikeSpreadsheetNumber(std::string_view s) {
    const auto e = s.find_first_of("Ee");
    if (e == std::string_view::npos || e == 0 || e + 2 > s.size()) {
        return false;
    }
    const std::string_view mantissa = s.substr(0, e);
    std::string_view exponent = s.substr(e + 1);
    if (exponent.front() == '+') {
        exponent.remove_prefix(1);
    }
    if (exponent.empty()) {
        return false;
    }
    for (const char c : exponent) {
        if (!isDigit(c)) {
            return false;
        }
    }
    bool seenDot = false;
    for (const char c : mantissa) {
        if (c == '.' && !seenDot) {
            seenDot = true;
        } else if (!isDigit(c)) {
            return false;
        }
    }
    return true;
}

std::size_t utf8Length(std::string_view s) {
    std::size_t n = 0;
    for (const char c : s) {
        if ((static_cast<unsigned char>(c) & 0xC0) != 0x80) {
            ++n;
        }
    }
    return n;
}

}  // namespace

const char* name(FieldReason reason) {
    switch (reason) {
        case FieldReason::Empty:
            return "empty";
        case FieldReason::WrongLength:
            return "wrong_length";
        case FieldReason::NonDigit:
            return "non_digit";
        case FieldReason::BadChecksum:
            return "bad_checksum";
        case FieldReason::BadBirthDate:
            return "bad_birth_date";
        case FieldReason::BadRegion:
            return "bad_region";
        case FieldReason::SpreadsheetNumber:
            return "spreadsheet_number";
        case FieldReason::BadCharacter:
            return "bad_character";
        case FieldReason::BadFormat:
            return "bad_format";
        case FieldReason::AllZero:
            return "all_zero";
        case FieldReason::Broadcast:
            return "broadcast";
        case FieldReason::Multicast:
            return "multicast";
        case FieldReason::Loopback:
            return "loopback";
        case FieldReason::Whitespace:
            return "whitespace";
        case FieldReason::LeadingZero:
            return "leading_zero";
        case FieldReason::OutOfRange:
            return "out_of_range";
        case FieldReason::Unspecified:
            return "unspecified";
        case FieldReason::HostBitsSet:
            return "host_bits_set";
        case FieldReason::TooLong:
            return "too_long";
        case FieldReason::BadDate:
            return "bad_date";
        case FieldReason::BadTime:
            return "bad_time";
        case FieldReason::BadOffset:
            return "bad_offset";
    }
    return "unknown";
}

Error toError(const FieldError& error) {
    return Error{ErrorCode::BadInput, std::string(name(error.reason)) + ": " + error.detail};
}

// --- ID number ---

Validated<IdNumber> validateIdNumber(std::string_view text, std::chrono::year_month_day today) {
    using namespace std::chrono;
    if (text.empty()) {
        return reject(FieldReason::Empty, "ID number is empty");
    }
    if (looksLikeSpreadsheetNumber(text)) {
        return reject(FieldReason::SpreadsheetNumber,
                      "ID number was turned into a number by the spreadsheet; format the column "
                      "as Text and enter it again");
    }
    if (text.size() != 18) {
        return reject(
            FieldReason::WrongLength,
            "ID number has " + std::to_string(utf8Length(text)) + " characters instead of 18");
    }
    for (std::size_t i = 0; i < 17; ++i) {
        if (!isDigit(text[i])) {
            return reject(FieldReason::NonDigit,
                          "ID number character " + std::to_string(i + 1) + " is not a digit");
        }
    }
    const char last = text[17];
    if (!isDigit(last) && last != 'X' && last != 'x') {
        return reject(FieldReason::NonDigit, "ID number character 18 is not a digit or X");
    }
    if (text.substr(0, 6) == "000000") {
        return reject(FieldReason::BadRegion, "ID number region code is 000000");
    }
    const year_month_day birth{year{digitsValue(text.substr(6, 4))},
                               month{static_cast<unsigned>(digitsValue(text.substr(10, 2)))},
                               day{static_cast<unsigned>(digitsValue(text.substr(12, 2)))}};
    if (!birth.ok()) {
        return reject(FieldReason::BadBirthDate, "ID number birth date is not a calendar date");
    }
    if (birth.year() < year{1900}) {
        return reject(FieldReason::BadBirthDate, "ID number birth date is before 1900");
    }
    if (sys_days{birth} > sys_days{today}) {
        return reject(FieldReason::BadBirthDate, "ID number birth date is in the future");
    }
    static constexpr std::array<int, 17> kWeights = {7, 9, 10, 5,  8, 4, 2, 1, 6,
                                                     3, 7, 9,  10, 5, 8, 4, 2};
    static constexpr std::string_view kCheckChars = "10X98765432";
    int sum = 0;
    for (std::size_t i = 0; i < 17; ++i) {
        sum += (text[i] - '0') * kWeights[i];
    }
    const char expected = kCheckChars[static_cast<std::size_t>(sum % 11)];
    const char normalisedLast = last == 'x' ? 'X' : last;
    if (normalisedLast != expected) {
        std::string detail = "ID number check character does not match (a digit is mistyped)";
        if (text.ends_with("000")) {
            // Excel keeps 15 significant digits and zeroes the rest of a numeric cell.
            detail +=
                "; if it ends in 000 the spreadsheet may have rounded it: format the "
                "column as Text";
        }
        return reject(FieldReason::BadChecksum, std::move(detail));
    }
    IdNumber result{std::string(text), birth};
    result.value[17] = normalisedLast;
    return result;
}

std::string maskIdNumber(std::string_view text) {
    if (text.size() == 18 && utf8Length(text) == 18) {
        return std::string(text.substr(0, 6)) + std::string(8, '*') + std::string(text.substr(14));
    }
    const std::size_t length = utf8Length(text);
    if (length <= 8) {
        return std::string(length, '*');
    }
    // Keep the last 4 code points; walk back over whole UTF-8 sequences.
    std::size_t keepFrom = text.size();
    for (std::size_t kept = 0; kept < 4 && keepFrom > 0;) {
        --keepFrom;
        if ((static_cast<unsigned char>(text[keepFrom]) & 0xC0) != 0x80) {
            ++kept;
        }
    }
    return std::string(length - 4, '*') + std::string(text.substr(keepFrom));
}

// --- MAC address ---

Validated<std::string> normaliseMac(std::string_view text) {
    if (text.empty()) {
        return reject(FieldReason::Empty, "MAC address is empty");
    }
    // Classify by content first, so the reason says what the clerk got wrong: a character that
    // does not belong, a missing or extra digit, or digits grouped the wrong way.
    std::string hex;
    for (const char c : text) {
        if (hexValue(c) >= 0) {
            hex.push_back(c);
        } else if (c != ':' && c != '-' && c != '.') {
            return reject(FieldReason::BadCharacter,
                          "MAC address contains a character that is not a hex digit or "
                          "separator");
        }
    }
    if (hex.size() != 12) {
        return reject(FieldReason::WrongLength, "MAC address has " + std::to_string(hex.size()) +
                                                    " hex digits instead of 12");
    }
    const auto groupedBy = [text](std::size_t groupSize, char sep) {
        for (std::size_t i = 0; i < text.size(); ++i) {
            const bool sepHere = (i + 1) % (groupSize + 1) == 0;
            if (sepHere != (text[i] == sep)) {
                return false;
            }
        }
        return true;
    };
    const bool wellFormed = (text.size() == 17 && (groupedBy(2, ':') || groupedBy(2, '-'))) ||
                            (text.size() == 14 && groupedBy(4, '.')) || text.size() == 12;
    if (!wellFormed) {
        return reject(FieldReason::BadFormat,
                      "MAC address must be written as aa:bb:cc:dd:ee:ff, aa-bb-cc-dd-ee-ff, "
                      "aabb.ccdd.eeff or aabbccddeeff");
    }
    std::array<int, 6> octets{};
    for (std::size_t i = 0; i < 12; ++i) {
        octets[i / 2] = octets[i / 2] * 16 + hexValue(hex[i]);
    }
    bool allZero = true;
    bool allOnes = true;
    for (const int o : octets) {
        allZero = allZero && o == 0;
        allOnes = allOnes && o == 0xFF;
    }
    if (allZero) {
        return reject(FieldReason::AllZero, "MAC address is all zeros");
    }
    if (allOnes) {
        return reject(FieldReason::Broadcast, "MAC address is the broadcast address");
    }
    if ((octets[0] & 1) != 0) {
        return reject(FieldReason::Multicast,
                      "MAC address is a multicast address (first octet is odd)");
    }
    static constexpr std::string_view kHex = "0123456789abcdef";
    std::string out;
    out.reserve(17);
    for (std::size_t i = 0; i < 6; ++i) {
        if (i > 0) {
            out.push_back(':');
        }
        out.push_back(kHex[static_cast<std::size_t>(octets[i] >> 4)]);
        out.push_back(kHex[static_cast<std::size_t>(octets[i] & 0xF)]);
    }
    return out;
}

// --- IPv4 ---

std::string Ipv4Address::toString() const {
    return std::to_string(value >> 24) + '.' + std::to_string((value >> 16) & 0xFF) + '.' +
           std::to_string((value >> 8) & 0xFF) + '.' + std::to_string(value & 0xFF);
}

std::string Ipv4Cidr::toString() const {
    return network.toString() + '/' + std::to_string(prefixLength);
}

Validated<Ipv4Address> parseIpv4(std::string_view text) {
    if (text.empty()) {
        return reject(FieldReason::Empty, "IPv4 address is empty");
    }
    for (const char c : text) {
        if (isAsciiSpace(c)) {
            return reject(FieldReason::Whitespace, "IPv4 address contains whitespace");
        }
    }
    std::uint32_t value = 0;
    std::size_t parts = 0;
    std::size_t start = 0;
    while (true) {
        const std::size_t dot = text.find('.', start);
        const std::string_view part = text.substr(
            start, dot == std::string_view::npos ? std::string_view::npos : dot - start);
        ++parts;
        if (parts > 4) {
            return reject(FieldReason::BadFormat, "IPv4 address has more than 4 parts");
        }
        if (part.empty()) {
            return reject(FieldReason::BadFormat, "IPv4 address has an empty part");
        }
        for (const char c : part) {
            if (!isDigit(c)) {
                return reject(FieldReason::BadCharacter,
                              "IPv4 address contains a character that is not a digit or '.'");
            }
        }
        if (part.size() > 1 && part.front() == '0') {
            return reject(FieldReason::LeadingZero,
                          "IPv4 address part has a leading zero (ambiguous: octal to some tools)");
        }
        if (part.size() > 3 || digitsValue(part) > 255) {
            return reject(FieldReason::OutOfRange, "IPv4 address part is greater than 255");
        }
        value = (value << 8) | static_cast<std::uint32_t>(digitsValue(part));
        if (dot == std::string_view::npos) {
            break;
        }
        start = dot + 1;
    }
    if (parts != 4) {
        return reject(FieldReason::BadFormat, "IPv4 address must have 4 parts");
    }
    return Ipv4Address{value};
}

Validated<Ipv4Address> validateHostIpv4(std::string_view text) {
    auto address = parseIpv4(text);
    if (!address) {
        return address;
    }
    const std::uint32_t v = address->value;
    if (v == 0xFFFFFFFFU) {
        return reject(FieldReason::Broadcast, "255.255.255.255 is not a host address");
    }
    if ((v >> 24) == 0) {
        return reject(FieldReason::Unspecified, "addresses in 0.0.0.0/8 are not host addresses");
    }
    if ((v >> 24) == 127) {
        return reject(FieldReason::Loopback, "127.0.0.0/8 is loopback, not a machine's address");
    }
    if ((v >> 28) == 0xE) {
        return reject(FieldReason::Multicast, "224.0.0.0/4 is multicast, not a host address");
    }
    return address;
}

Validated<Ipv4Cidr> parseIpv4Cidr(std::string_view text) {
    const std::size_t slash = text.find('/');
    if (slash == std::string_view::npos) {
        return reject(FieldReason::BadFormat, "network must be written as address/prefix");
    }
    auto address = parseIpv4(text.substr(0, slash));
    if (!address) {
        return tl::unexpected<FieldError>(std::move(address.error()));
    }
    const std::string_view prefix = text.substr(slash + 1);
    if (prefix.empty() || prefix.size() > 2) {
        return reject(FieldReason::BadFormat, "network prefix length must be 0-32");
    }
    for (const char c : prefix) {
        if (!isDigit(c)) {
            return reject(FieldReason::BadCharacter, "network prefix length is not a number");
        }
    }
    if (prefix.size() > 1 && prefix.front() == '0') {
        return reject(FieldReason::LeadingZero, "network prefix length has a leading zero");
    }
    const int length = digitsValue(prefix);
    if (length > 32) {
        return reject(FieldReason::OutOfRange, "network prefix length is greater than 32");
    }
    const std::uint32_t mask = length == 0 ? 0 : ~std::uint32_t{0} << (32 - length);
    if ((address->value & ~mask) != 0) {
        return reject(FieldReason::HostBitsSet,
                      "network address has bits set beyond the prefix length");
    }
    return Ipv4Cidr{*address, length};
}

bool cidrContains(const Ipv4Cidr& cidr, Ipv4Address address) {
    if (cidr.prefixLength <= 0) {
        return true;
    }
    const int length = cidr.prefixLength > 32 ? 32 : cidr.prefixLength;
    const std::uint32_t mask = ~std::uint32_t{0} << (32 - length);
    return (address.value & mask) == (cidr.network.value & mask);
}

// --- Seat label ---

Validated<std::string> normaliseSeatLabel(std::string_view text) {
    if (text.empty()) {
        return reject(FieldReason::Empty, "seat label is empty");
    }
    if (utf8Length(text) > kMaxSeatLabelLength) {
        return reject(FieldReason::TooLong, "seat label is longer than 16 characters");
    }
    std::string out;
    out.reserve(text.size());
    for (const char c : text) {
        if (isAsciiSpace(c)) {
            return reject(FieldReason::Whitespace, "seat label contains whitespace");
        }
        if (c >= 'a' && c <= 'z') {
            out.push_back(static_cast<char>(c - 'a' + 'A'));
        } else if ((c >= 'A' && c <= 'Z') || isDigit(c) || c == '-') {
            out.push_back(c);
        } else {
            return reject(FieldReason::BadCharacter,
                          "seat label may contain only letters, digits and '-'");
        }
    }
    if (out.front() == '-' || out.back() == '-') {
        return reject(FieldReason::BadFormat, "seat label must not start or end with '-'");
    }
    return out;
}

// --- Date and time ---

namespace {

// Reads minDigits..maxDigits decimal digits at `pos`.
std::optional<int> readNumber(std::string_view s, std::size_t& pos, std::size_t minDigits,
                              std::size_t maxDigits) {
    std::size_t n = 0;
    while (pos + n < s.size() && n < maxDigits && isDigit(s[pos + n])) {
        ++n;
    }
    if (n < minDigits) {
        return std::nullopt;
    }
    const int value = digitsValue(s.substr(pos, n));
    pos += n;
    return value;
}

}  // namespace

Validated<std::chrono::sys_seconds> parseDateTime(std::string_view text,
                                                  std::chrono::minutes defaultOffset) {
    using namespace std::chrono;
    if (text.empty()) {
        return reject(FieldReason::Empty, "date-time is empty");
    }
    if (isAsciiSpace(text.front()) || isAsciiSpace(text.back())) {
        return reject(FieldReason::Whitespace, "date-time has leading or trailing whitespace");
    }
    const auto badFormat = [] {
        return reject(FieldReason::BadFormat,
                      "date-time must look like 2026-11-22 09:00 or 2026-11-22T09:00:00+08:00");
    };
    std::size_t pos = 0;
    const auto y = readNumber(text, pos, 4, 4);
    if (!y || pos >= text.size() || (text[pos] != '-' && text[pos] != '/')) {
        return badFormat();
    }
    const char dateSep = text[pos++];
    const auto mo = readNumber(text, pos, 1, 2);
    if (!mo || pos >= text.size() || text[pos] != dateSep) {
        return badFormat();
    }
    ++pos;
    const auto d = readNumber(text, pos, 1, 2);
    if (!d) {
        return badFormat();
    }
    const year_month_day date{year{*y}, month{static_cast<unsigned>(*mo)},
                              day{static_cast<unsigned>(*d)}};
    if (!date.ok()) {
        return reject(FieldReason::BadDate, "date-time has a date that is not in the calendar");
    }
    if (pos >= text.size() || (text[pos] != 'T' && text[pos] != ' ')) {
        return badFormat();  // a date alone is not a time an exam session can start at
    }
    ++pos;
    const auto h = readNumber(text, pos, 1, 2);
    if (!h || pos >= text.size() || text[pos] != ':') {
        return badFormat();
    }
    ++pos;
    const auto mi = readNumber(text, pos, 2, 2);
    if (!mi) {
        return badFormat();
    }
    int s = 0;
    if (pos < text.size() && text[pos] == ':') {
        ++pos;
        const auto sec = readNumber(text, pos, 2, 2);
        if (!sec) {
            return badFormat();
        }
        s = *sec;
    }
    if (*h > 23 || *mi > 59 || s > 59) {
        return reject(FieldReason::BadTime, "date-time has a time of day out of range");
    }
    minutes offset = defaultOffset;
    if (pos < text.size()) {
        const char sign = text[pos];
        if (sign == 'Z' && pos + 1 == text.size()) {
            offset = minutes{0};
            ++pos;
        } else if (sign == '+' || sign == '-') {
            ++pos;
            const auto oh = readNumber(text, pos, 2, 2);
            if (!oh) {
                return reject(FieldReason::BadOffset, "date-time offset must look like +08:00");
            }
            int om = 0;
            if (pos < text.size()) {
                if (text[pos] == ':') {
                    ++pos;
                }
                const auto m = readNumber(text, pos, 2, 2);
                if (!m) {
                    return reject(FieldReason::BadOffset, "date-time offset must look like +08:00");
                }
                om = *m;
            }
            if (om > 59 || *oh * 60 + om > 14 * 60) {
                return reject(FieldReason::BadOffset, "date-time offset is out of range");
            }
            offset = minutes{(sign == '-' ? -1 : 1) * (*oh * 60 + om)};
        } else {
            return badFormat();
        }
    }
    if (pos != text.size()) {
        return badFormat();
    }
    const sys_seconds local = sys_days{date} + hours{*h} + minutes{*mi} + seconds{s};
    return local - offset;
}

}  // namespace examguard::station::import
