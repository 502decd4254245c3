#pragma once

#include <chrono>
#include <cstdint>
#include <string>
#include <string_view>

#include <tl/expected.hpp>

#include "station/error.h"

namespace examguard::station::import {

// Why a cell was rejected. One enum for all validators so the front ends translate one list;
// the column the cell came from says what kind of value it was.
enum class FieldReason {
    Empty,
    WrongLength,
    NonDigit,
    BadChecksum,
    BadBirthDate,
    BadRegion,
    SpreadsheetNumber,  // Excel turned an ID number into 1.10105E+17
    BadCharacter,
    BadFormat,
    AllZero,
    Broadcast,
    Multicast,
    Loopback,
    Whitespace,
    LeadingZero,
    OutOfRange,
    Unspecified,  // 0.0.0.0
    HostBitsSet,  // 10.1.2.3/16
    TooLong,
    BadDate,
    BadTime,
    BadOffset,
};

// snake_case name for JSON, e.g. "bad_checksum".
const char* name(FieldReason reason);

struct FieldError {
    FieldReason reason;
    std::string detail;  // English, never containing a full ID number
};

template <typename T>
using Validated = tl::expected<T, FieldError>;

// For callers that report through the library's Error: code BadInput, detail
// "<reason name>: <detail>".
Error toError(const FieldError& error);

// Validators never trim: callers decide whether surrounding spaces in a cell are acceptable.

// --- Resident ID number (GB 11643-1999, 18 characters) ---

struct IdNumber {
    std::string value;  // 17 digits + check character, lowercase x normalised to X
    std::chrono::year_month_day birthDate;
};

// `today` is the local date at the exam site; a birth date after it is rejected, as is one
// before 1900. The check order (length, digits, region, birth date, checksum) reports the most
// specific reason when a typo breaks several rules at once.
Validated<IdNumber> validateIdNumber(std::string_view text, std::chrono::year_month_day today);

// "110101199003071234" -> "110101********1234". Anything that is not 18 characters keeps only
// its last 4 characters when longer than 8, and is masked completely otherwise, so a malformed
// number is never shown in full either. Counts code points, so the result stays valid UTF-8.
std::string maskIdNumber(std::string_view text);

// --- MAC address ---

// Accepts aa:bb:cc:dd:ee:ff, AA-BB-CC-DD-EE-FF, aabb.ccdd.eeff and aabbccddeeff; returns the
// lowercase colon form. Rejects all-zero, broadcast and multicast (group) addresses, which no
// exam PC's network card has.
Validated<std::string> normaliseMac(std::string_view text);

// --- IPv4 ---

struct Ipv4Address {
    std::uint32_t value = 0;  // host byte order
    std::string toString() const;
    friend bool operator==(const Ipv4Address&, const Ipv4Address&) = default;
};

struct Ipv4Cidr {
    Ipv4Address network;
    int prefixLength = 0;
    std::string toString() const;
};

// Strict dotted quad: four decimal parts 0-255, no leading zeros (010 is octal to some tools),
// no signs, no whitespace.
Validated<Ipv4Address> parseIpv4(std::string_view text);

// parseIpv4 plus the rules for a machine's own address: not 0.0.0.0, not 255.255.255.255, not
// in 0.0.0.0/8, loopback 127.0.0.0/8 or multicast 224.0.0.0/4.
Validated<Ipv4Address> validateHostIpv4(std::string_view text);

// "10.20.0.0/16". Host bits must be zero: "10.20.3.4/16" is rejected as probably a typo.
Validated<Ipv4Cidr> parseIpv4Cidr(std::string_view text);

bool cidrContains(const Ipv4Cidr& cidr, Ipv4Address address);

// --- Seat label ---

inline constexpr std::size_t kMaxSeatLabelLength = 16;

// 1-16 ASCII letters, digits and hyphens, not starting or ending with a hyphen ("A01", "12",
// "P-03"). Letters are upper-cased so that "a01" and "A01" name the same seat.
Validated<std::string> normaliseSeatLabel(std::string_view text);

// --- Date and time ---

// "2026-11-22T09:00:00+08:00", "2026-11-22 09:00", "2026-11-22T01:00:00Z". Without an offset
// the time is local time at `defaultOffset` (China Standard Time by default). Also accepts
// what Chinese Excel writes for a date-time cell, "2026/11/22 9:00": '/' as date separator and
// one-digit month, day and hour. Seconds are optional; fractions and leap seconds are not
// accepted.
Validated<std::chrono::sys_seconds> parseDateTime(
    std::string_view text, std::chrono::minutes defaultOffset = std::chrono::hours{8});

}  // namespace examguard::station::import
