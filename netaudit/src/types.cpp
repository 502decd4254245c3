#include "netaudit/types.h"

#include <arpa/inet.h>

#include <algorithm>
#include <charconv>
#include <ctime>

#include <fmt/format.h>

namespace examguard::netaudit {

bool MacAddress::isZero() const {
    return std::all_of(bytes.begin(), bytes.end(), [](std::uint8_t b) { return b == 0; });
}

bool MacAddress::isBroadcast() const {
    return std::all_of(bytes.begin(), bytes.end(), [](std::uint8_t b) { return b == 0xff; });
}

std::string MacAddress::toString() const {
    return fmt::format("{:02x}:{:02x}:{:02x}:{:02x}:{:02x}:{:02x}", bytes[0], bytes[1], bytes[2],
                       bytes[3], bytes[4], bytes[5]);
}

std::optional<MacAddress> MacAddress::parse(std::string_view text) {
    // Accepts aa:bb:cc:dd:ee:ff, aa-bb-cc-dd-ee-ff (Windows ipconfig) and aabbccddeeff.
    std::string hex;
    for (char c : text) {
        if (c == ':' || c == '-' || c == '.') {
            continue;
        }
        hex.push_back(c);
    }
    if (hex.size() != 12) {
        return std::nullopt;
    }
    MacAddress mac;
    for (std::size_t i = 0; i < 6; ++i) {
        const char* first = hex.data() + i * 2;
        auto [ptr, ec] = std::from_chars(first, first + 2, mac.bytes[i], 16);
        if (ec != std::errc{} || ptr != first + 2) {
            return std::nullopt;
        }
    }
    return mac;
}

IpAddress IpAddress::v4(const std::uint8_t* p) {
    IpAddress ip;
    ip.family = 4;
    std::copy(p, p + 4, ip.bytes.begin());
    return ip;
}

IpAddress IpAddress::v6(const std::uint8_t* p) {
    IpAddress ip;
    ip.family = 6;
    std::copy(p, p + 16, ip.bytes.begin());
    return ip;
}

IpAddress IpAddress::v4(std::uint32_t hostOrder) {
    const std::uint8_t b[4] = {
        static_cast<std::uint8_t>(hostOrder >> 24), static_cast<std::uint8_t>(hostOrder >> 16),
        static_cast<std::uint8_t>(hostOrder >> 8), static_cast<std::uint8_t>(hostOrder)};
    return v4(b);
}

std::uint32_t IpAddress::v4HostOrder() const {
    return (std::uint32_t{bytes[0]} << 24) | (std::uint32_t{bytes[1]} << 16) |
           (std::uint32_t{bytes[2]} << 8) | bytes[3];
}

std::optional<IpAddress> IpAddress::parse(std::string_view text) {
    const std::string s(text);
    std::uint8_t buf[16];
    if (inet_pton(AF_INET, s.c_str(), buf) == 1) {
        return v4(buf);
    }
    if (inet_pton(AF_INET6, s.c_str(), buf) == 1) {
        return v6(buf);
    }
    return std::nullopt;
}

bool IpAddress::isPrivate() const {
    if (family == 4) {
        const std::uint8_t a = bytes[0];
        const std::uint8_t b = bytes[1];
        return a == 10 || (a == 172 && (b & 0xf0) == 16) || (a == 192 && b == 168) ||
               (a == 169 && b == 254) || a == 127;
    }
    if (family == 6) {
        return (bytes[0] & 0xfe) == 0xfc || (bytes[0] == 0xfe && (bytes[1] & 0xc0) == 0x80);
    }
    return false;
}

bool IpAddress::isMulticastOrBroadcast() const {
    if (family == 4) {
        return (bytes[0] & 0xf0) == 0xe0 || v4HostOrder() == 0xffffffffU || bytes[3] == 255;
    }
    if (family == 6) {
        return bytes[0] == 0xff;
    }
    return false;
}

std::string IpAddress::toString() const {
    char buf[INET6_ADDRSTRLEN] = {};
    if (family == 4) {
        inet_ntop(AF_INET, bytes.data(), buf, sizeof(buf));
    } else if (family == 6) {
        inet_ntop(AF_INET6, bytes.data(), buf, sizeof(buf));
    }
    return buf;
}

std::optional<IpNetwork> IpNetwork::parse(std::string_view text) {
    IpNetwork net;
    const auto slash = text.find('/');
    auto base = IpAddress::parse(text.substr(0, slash));
    if (!base) {
        return std::nullopt;
    }
    net.base = *base;
    const int maxBits = base->family == 4 ? 32 : 128;
    net.prefixLength = maxBits;
    if (slash != std::string_view::npos) {
        const auto bits = text.substr(slash + 1);
        auto [ptr, ec] = std::from_chars(bits.data(), bits.data() + bits.size(), net.prefixLength);
        if (ec != std::errc{} || ptr != bits.data() + bits.size() || net.prefixLength < 0 ||
            net.prefixLength > maxBits) {
            return std::nullopt;
        }
    }
    return net;
}

bool IpNetwork::contains(const IpAddress& ip) const {
    if (ip.family != base.family) {
        return false;
    }
    int bits = prefixLength;
    for (std::size_t i = 0; i < 16 && bits > 0; ++i, bits -= 8) {
        const std::uint8_t mask = bits >= 8 ? 0xff : static_cast<std::uint8_t>(0xff << (8 - bits));
        if ((ip.bytes[i] & mask) != (base.bytes[i] & mask)) {
            return false;
        }
    }
    return true;
}

std::string formatTimestampUs(std::int64_t timestampUs) {
    std::int64_t seconds = timestampUs / 1000000;
    std::int64_t micros = timestampUs % 1000000;
    if (micros < 0) {
        micros += 1000000;
        --seconds;
    }
    const std::time_t t = static_cast<std::time_t>(seconds);
    std::tm tm{};
    gmtime_r(&t, &tm);
    return fmt::format("{:04}-{:02}-{:02}T{:02}:{:02}:{:02}.{:06}Z", tm.tm_year + 1900,
                       tm.tm_mon + 1, tm.tm_mday, tm.tm_hour, tm.tm_min, tm.tm_sec, micros);
}

}  // namespace examguard::netaudit
