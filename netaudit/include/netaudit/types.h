#pragma once

#include <array>
#include <cstdint>
#include <cstring>
#include <functional>
#include <optional>
#include <string>
#include <string_view>

namespace examguard::netaudit {

struct MacAddress {
    std::array<std::uint8_t, 6> bytes{};

    bool isZero() const;
    bool isBroadcast() const;
    bool isMulticast() const { return (bytes[0] & 1U) != 0; }
    std::string toString() const;                                   // "00:1b:21:3a:4f:01"
    static std::optional<MacAddress> parse(std::string_view text);  // ':' or '-' separated
    auto operator<=>(const MacAddress&) const = default;
};

// IPv4 or IPv6 in one value type, so flows and inventories need not be templated on the family.
struct IpAddress {
    std::array<std::uint8_t, 16> bytes{};
    std::uint8_t family = 0;  // 0 none, 4, 6

    static IpAddress v4(const std::uint8_t* p);
    static IpAddress v6(const std::uint8_t* p);
    static IpAddress v4(std::uint32_t hostOrder);
    static std::optional<IpAddress> parse(std::string_view text);
    std::uint32_t v4HostOrder() const;
    bool isUnset() const { return family == 0; }
    bool isPrivate() const;  // RFC 1918, link-local, ULA, loopback
    bool isMulticastOrBroadcast() const;
    std::string toString() const;
    auto operator<=>(const IpAddress&) const = default;
};

// An address range ("10.20.1.0/24", "fd00::/8"); a bare address is a /32 or /128.
struct IpNetwork {
    IpAddress base;
    int prefixLength = 0;
    static std::optional<IpNetwork> parse(std::string_view text);
    bool contains(const IpAddress& ip) const;
};

struct MacHash {
    std::size_t operator()(const MacAddress& m) const noexcept {
        std::uint64_t v = 0;
        std::memcpy(&v, m.bytes.data(), 6);
        return std::hash<std::uint64_t>{}(v);
    }
};

struct IpHash {
    std::size_t operator()(const IpAddress& ip) const noexcept {
        std::uint64_t a = 0;
        std::uint64_t b = 0;
        std::memcpy(&a, ip.bytes.data(), 8);
        std::memcpy(&b, ip.bytes.data() + 8, 8);
        return std::hash<std::uint64_t>{}(a * 0x9E3779B97F4A7C15ULL ^ b ^ ip.family);
    }
};

// "2026-11-22T20:28:43.123456Z"
std::string formatTimestampUs(std::int64_t timestampUs);

}  // namespace examguard::netaudit
