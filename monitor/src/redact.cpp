#include "monitor/redact.h"

#include <algorithm>
#include <array>
#include <cctype>

namespace examguard::monitor {

namespace {

// Query keys cameras use for credentials (Hikvision, Dahua, Axis, generic tokens).
constexpr std::array<std::string_view, 10> kSecretKeys = {
    "user", "username", "password", "pass", "passwd", "pwd", "token", "auth", "key", "secret"};

bool isSecretKey(std::string_view key) {
    std::string lower(key);
    std::transform(lower.begin(), lower.end(), lower.begin(),
                   [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
    return std::find(kSecretKeys.begin(), kSecretKeys.end(), lower) != kSecretKeys.end();
}

// Masks the values of credential keys in "a=1&password=x;b=2".
std::string redactQuery(std::string_view query) {
    std::string out;
    std::size_t pos = 0;
    while (pos <= query.size()) {
        std::size_t end = query.find_first_of("&;", pos);
        if (end == std::string_view::npos) {
            end = query.size();
        }
        const std::string_view pair = query.substr(pos, end - pos);
        const std::size_t eq = pair.find('=');
        if (eq != std::string_view::npos && isSecretKey(pair.substr(0, eq))) {
            out.append(pair.substr(0, eq + 1)).append("***");
        } else {
            out.append(pair);
        }
        if (end < query.size()) {
            out.push_back(query[end]);
        }
        pos = end + 1;
    }
    return out;
}

}  // namespace

std::string redactUrl(std::string_view url) {
    const std::size_t scheme = url.find("://");
    std::string out;
    std::size_t pos = 0;
    if (scheme != std::string_view::npos) {
        const std::size_t authority = scheme + 3;
        // Up to the query: an unescaped '/' or '@' in a password must not leak its tail, so a
        // path holding '@' is masked too rather than a password shown in part.
        std::size_t authorityEnd = url.find_first_of("?#", authority);
        if (authorityEnd == std::string_view::npos) {
            authorityEnd = url.size();
        }
        // The last '@' ends the user information (passwords may hold '@').
        const std::size_t at = url.substr(0, authorityEnd).rfind('@');
        out.append(url.substr(0, authority));
        pos = authority;
        if (at != std::string_view::npos && at >= authority) {
            out.append("***@");
            pos = at + 1;
        }
    }
    const std::size_t query = url.find('?', pos);
    if (query == std::string_view::npos) {
        out.append(url.substr(pos));
        return out;
    }
    std::size_t fragment = url.find('#', query);
    if (fragment == std::string_view::npos) {
        fragment = url.size();
    }
    out.append(url.substr(pos, query + 1 - pos));
    out.append(redactQuery(url.substr(query + 1, fragment - query - 1)));
    out.append(url.substr(fragment));
    return out;
}

std::string redactText(std::string_view text) {
    std::string out;
    std::size_t pos = 0;
    while (pos < text.size()) {
        const std::size_t scheme = text.find("://", pos);
        if (scheme == std::string_view::npos) {
            break;
        }
        // The URL runs from the scheme's first letter to the next blank or quote.
        std::size_t begin = scheme;
        while (begin > pos &&
               (std::isalnum(static_cast<unsigned char>(text[begin - 1])) != 0 ||
                text[begin - 1] == '+' || text[begin - 1] == '-' || text[begin - 1] == '.')) {
            --begin;
        }
        std::size_t end = text.find_first_of(" \t\r\n\"'<>", scheme);
        if (end == std::string_view::npos) {
            end = text.size();
        }
        out.append(text.substr(pos, begin - pos));
        out.append(redactUrl(text.substr(begin, end - begin)));
        pos = end;
    }
    out.append(text.substr(pos));
    return out;
}

}  // namespace examguard::monitor
