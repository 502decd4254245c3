#include "station/privacy.h"

#include <cctype>

namespace examguard::station {
namespace {

bool isDigit(char c) {
    return c >= '0' && c <= '9';
}

// Replaces each run of exactly 17 digits followed by a digit or X (not part of a longer run of
// digits) by its masked form.
std::string maskIdNumbers(std::string_view text) {
    std::string out;
    out.reserve(text.size());
    std::size_t i = 0;
    while (i < text.size()) {
        if (!isDigit(text[i]) || (i > 0 && isDigit(text[i - 1]))) {
            out.push_back(text[i++]);
            continue;
        }
        std::size_t end = i;
        while (end < text.size() && isDigit(text[end])) {
            ++end;
        }
        std::size_t runEnd = end;
        if (end - i == 17 && end < text.size() && (text[end] == 'X' || text[end] == 'x')) {
            runEnd = end + 1;
        }
        const std::size_t length = runEnd - i;
        const bool followedByWord =
            runEnd < text.size() && std::isalnum(static_cast<unsigned char>(text[runEnd]));
        if (length == 18 && !followedByWord) {
            out.append(text.substr(i, 6));
            out.append(8, '*');
            out.append(text.substr(i + 14, 4));
        } else {
            out.append(text.substr(i, runEnd - i));
        }
        i = runEnd;
    }
    return out;
}

}  // namespace

std::string maskUrlCredentials(std::string_view url) {
    std::string out;
    std::size_t pos = 0;
    while (pos < url.size()) {
        const std::size_t scheme = url.find("://", pos);
        if (scheme == std::string_view::npos) {
            break;
        }
        const std::size_t authority = scheme + 3;
        std::size_t authorityEnd = url.find_first_of("/?# \t\"'", authority);
        if (authorityEnd == std::string_view::npos) {
            authorityEnd = url.size();
        }
        const std::size_t at = url.rfind('@', authorityEnd);
        out.append(url.substr(pos, authority - pos));
        if (at != std::string_view::npos && at >= authority && at < authorityEnd) {
            out.append("***@");
            pos = at + 1;
        } else {
            pos = authority;
        }
    }
    out.append(url.substr(pos));
    return out;
}

std::string maskSensitive(std::string_view text) {
    return maskUrlCredentials(maskIdNumbers(text));
}

}  // namespace examguard::station
