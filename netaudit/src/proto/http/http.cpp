#include "proto/http/http.h"

#include <array>
#include <string_view>

namespace examguard::netaudit::proto {

namespace {
constexpr std::array<std::string_view, 9> kMethods = {
    "GET ", "POST ", "HEAD ", "PUT ", "DELETE ", "OPTIONS ", "CONNECT ", "PATCH ", "TRACE "};

bool equalsIgnoreCase(std::string_view a, std::string_view b) {
    if (a.size() != b.size()) {
        return false;
    }
    for (std::size_t i = 0; i < a.size(); ++i) {
        char x = a[i];
        char y = b[i];
        if (x >= 'A' && x <= 'Z') {
            x = static_cast<char>(x - 'A' + 'a');
        }
        if (y >= 'A' && y <= 'Z') {
            y = static_cast<char>(y - 'A' + 'a');
        }
        if (x != y) {
            return false;
        }
    }
    return true;
}

std::string_view trim(std::string_view s) {
    while (!s.empty() && (s.front() == ' ' || s.front() == '\t')) {
        s.remove_prefix(1);
    }
    while (!s.empty() && (s.back() == ' ' || s.back() == '\t' || s.back() == '\r')) {
        s.remove_suffix(1);
    }
    return s;
}
}  // namespace

ParseStatus parseHttpRequest(const std::uint8_t* data, std::size_t length, HttpRequest& out,
                             AnomalyCounters& anomalies) {
    const std::string_view text(reinterpret_cast<const char*>(data), length);
    bool isHttp = false;
    for (std::string_view method : kMethods) {
        const std::size_t n = std::min(method.size(), text.size());
        if (text.substr(0, n) == method.substr(0, n)) {
            isHttp = true;
            if (text.size() < method.size()) {
                return ParseStatus::kNeedMore;
            }
            out.method = std::string(method.substr(0, method.size() - 1));
            break;
        }
    }
    if (!isHttp) {
        return ParseStatus::kNotThisProtocol;
    }
    const std::size_t end = text.find("\r\n\r\n");
    if (end == std::string_view::npos) {
        return ParseStatus::kNeedMore;
    }
    std::string_view headers = text.substr(0, end + 2);
    std::size_t lineEnd = headers.find("\r\n");
    const std::string_view requestLine = headers.substr(0, lineEnd);
    const std::size_t firstSpace = requestLine.find(' ');
    const std::size_t secondSpace = requestLine.find(' ', firstSpace + 1);
    if (firstSpace == std::string_view::npos || secondSpace == std::string_view::npos) {
        anomalies.add(Anomaly::kBadHttpRequest);
        return ParseStatus::kMalformed;
    }
    out.target = std::string(requestLine.substr(firstSpace + 1, secondSpace - firstSpace - 1));
    headers.remove_prefix(lineEnd + 2);
    while (!headers.empty()) {
        lineEnd = headers.find("\r\n");
        const std::string_view line = headers.substr(0, lineEnd);
        headers.remove_prefix(lineEnd == std::string_view::npos ? headers.size() : lineEnd + 2);
        const std::size_t colon = line.find(':');
        if (colon == std::string_view::npos) {
            continue;
        }
        const std::string_view name = line.substr(0, colon);
        const std::string_view value = trim(line.substr(colon + 1));
        if (equalsIgnoreCase(name, "host")) {
            out.host = std::string(value);
        } else if (equalsIgnoreCase(name, "user-agent")) {
            out.userAgent = std::string(value);
        }
    }
    return ParseStatus::kOk;
}

}  // namespace examguard::netaudit::proto
