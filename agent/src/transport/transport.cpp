#include "agent/transport.h"

#include <charconv>

#include <fmt/format.h>

namespace examguard::agent {

std::string reportHeader(std::size_t length) {
    return fmt::format("{} {}\n", kReportMagic, length);
}

tl::expected<std::size_t, Error> parseReportHeader(std::string_view line) {
    const auto malformed = [&](std::string_view why) {
        return tl::unexpected(
            Error{ErrorCode::kMalformedData,
                  fmt::format("report header: {} (expected \"{} <length>\")", why, kReportMagic)});
    };
    if (line.size() > kMaxHeaderBytes) {
        return malformed("too long");
    }
    if (line.substr(0, kReportMagic.size()) != kReportMagic ||
        line.size() < kReportMagic.size() + 2 || line[kReportMagic.size()] != ' ') {
        return malformed("not an ExamGuard report header");
    }
    const std::string_view digits = line.substr(kReportMagic.size() + 1);
    // Plain decimal only: no sign, no leading zeros, no spaces (from_chars alone accepts "-0").
    if (digits.empty() || digits.size() > 20 || (digits.size() > 1 && digits[0] == '0') ||
        digits.find_first_not_of("0123456789") != std::string_view::npos) {
        return malformed(fmt::format("length '{}' is not a decimal number", digits));
    }
    std::size_t length = 0;
    const auto [end, ec] = std::from_chars(digits.data(), digits.data() + digits.size(), length);
    if (ec != std::errc() || end != digits.data() + digits.size()) {
        return malformed(fmt::format("length '{}' is out of range", digits));
    }
    if (length == 0 || length > kMaxReportBytes) {
        return malformed(fmt::format("length {} is outside 1..{} bytes", length, kMaxReportBytes));
    }
    return length;
}

tl::expected<Destination, Error> parseAddress(std::string_view address, bool allowPortZero) {
    const auto invalid = [&] {
        return tl::unexpected(
            Error{ErrorCode::kInvalidArgument,
                  fmt::format("'{}' is not HOST:PORT (an IPv6 address in brackets)", address)});
    };
    Destination d;
    std::string_view port;
    if (!address.empty() && address.front() == '[') {
        const auto close = address.find(']');
        if (close == std::string_view::npos || close + 1 >= address.size() ||
            address[close + 1] != ':') {
            return invalid();
        }
        d.host = std::string(address.substr(1, close - 1));
        port = address.substr(close + 2);
    } else {
        const auto colon = address.rfind(':');
        if (colon == std::string_view::npos || address.find(':') != colon) {
            return invalid();
        }
        d.host = std::string(address.substr(0, colon));
        port = address.substr(colon + 1);
    }
    int value = 0;
    const auto [end, ec] = std::from_chars(port.data(), port.data() + port.size(), value);
    if (d.host.empty() || port.empty() || ec != std::errc() || end != port.data() + port.size() ||
        value < (allowPortZero ? 0 : 1) || value > 65535) {
        return invalid();
    }
    d.port = value;
    return d;
}

tl::expected<nlohmann::json, Error> parseStationAnswer(const Destination& to,
                                                       const std::string& reply,
                                                       const std::string& closedWhy) {
    const auto fail = [&](ErrorCode code, const std::string& what) {
        return tl::unexpected(Error{code, fmt::format("{}:{}: {}", to.host, to.port, what)});
    };
    const auto newline = reply.find('\n');
    if (newline == std::string::npos) {
        return fail(ErrorCode::kUnreadable, reply.empty()
                                                ? "no answer from the station (" + closedWhy + ")"
                                                : "the station's answer is incomplete or too long");
    }
    auto answer = nlohmann::json::parse(reply.substr(0, newline), nullptr, false);
    if (answer.is_discarded() || !answer.is_object() ||
        (!answer.contains("imported") && !answer.contains("error"))) {
        return fail(ErrorCode::kMalformedData, "the station's answer is not an import result");
    }
    return answer;
}

}  // namespace examguard::agent
