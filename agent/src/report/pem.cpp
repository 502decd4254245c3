#include "report/pem.h"

#include <fmt/format.h>

namespace examguard::agent {

namespace {

constexpr char kAlphabet[] = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";

int sextet(char c) {
    if (c >= 'A' && c <= 'Z') {
        return c - 'A';
    }
    if (c >= 'a' && c <= 'z') {
        return c - 'a' + 26;
    }
    if (c >= '0' && c <= '9') {
        return c - '0' + 52;
    }
    return c == '+' ? 62 : c == '/' ? 63 : -1;
}

}  // namespace

std::string base64Encode(const unsigned char* data, std::size_t size) {
    std::string out;
    out.reserve((size + 2) / 3 * 4);
    for (std::size_t i = 0; i < size; i += 3) {
        const unsigned v = (unsigned{data[i]} << 16) |
                           (i + 1 < size ? unsigned{data[i + 1]} << 8 : 0) |
                           (i + 2 < size ? unsigned{data[i + 2]} : 0);
        out += kAlphabet[(v >> 18) & 63];
        out += kAlphabet[(v >> 12) & 63];
        out += i + 1 < size ? kAlphabet[(v >> 6) & 63] : '=';
        out += i + 2 < size ? kAlphabet[v & 63] : '=';
    }
    return out;
}

tl::expected<Bytes, Error> base64Decode(std::string_view text) {
    const auto malformed = [](std::string why) {
        return tl::unexpected(Error{ErrorCode::kMalformedData, "base64: " + std::move(why)});
    };
    Bytes out;
    unsigned buffer = 0;
    int bits = 0;
    int padding = 0;
    for (std::size_t i = 0; i < text.size(); ++i) {
        const char c = text[i];
        if (c == '\n' || c == '\r' || c == ' ' || c == '\t') {
            continue;
        }
        if (c == '=') {
            ++padding;
            continue;
        }
        const int v = sextet(c);
        if (v < 0) {
            return malformed(fmt::format("character {} is not base64", i + 1));
        }
        if (padding > 0) {
            return malformed(fmt::format("data after '=' at character {}", i + 1));
        }
        buffer = ((buffer << 6) | static_cast<unsigned>(v)) & 0xffffff;
        bits += 6;
        if (bits >= 8) {
            bits -= 8;
            out.push_back(static_cast<unsigned char>((buffer >> bits) & 0xff));
        }
    }
    // Whole bytes only: 0, 2 or 4 leftover bits, and at most two '='.
    if (bits >= 6 || padding > 2) {
        return malformed("the text does not end on a whole byte");
    }
    return out;
}

std::string pemEncode(std::string_view label, const Bytes& der) {
    const std::string body = base64Encode(der.data(), der.size());
    std::string out = fmt::format("-----BEGIN {}-----\n", label);
    for (std::size_t i = 0; i < body.size(); i += 64) {
        out.append(body, i, 64);
        out += '\n';
    }
    return out + fmt::format("-----END {}-----\n", label);
}

tl::expected<Bytes, Error> pemDecode(std::string_view text, std::string_view label) {
    const std::string begin = fmt::format("-----BEGIN {}-----", label);
    const std::string end = fmt::format("-----END {}-----", label);
    const auto b = text.find(begin);
    const auto e = b == std::string_view::npos ? b : text.find(end, b + begin.size());
    if (b == std::string_view::npos || e == std::string_view::npos) {
        return tl::unexpected(
            Error{ErrorCode::kMalformedData, fmt::format("no PEM block '{}'", label)});
    }
    auto der = base64Decode(text.substr(b + begin.size(), e - b - begin.size()));
    if (!der) {
        return tl::unexpected(Error{ErrorCode::kMalformedData,
                                    fmt::format("PEM '{}': {}", label, der.error().detail)});
    }
    return der;
}

}  // namespace examguard::agent
