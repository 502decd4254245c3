#include "linux/fs_util.h"

#include <fstream>

namespace examguard::agent::linuxhost {

std::optional<std::string> readSmallFile(const std::filesystem::path& path, std::size_t maxBytes) {
    std::ifstream in(path, std::ios::binary);
    if (!in) {
        return std::nullopt;
    }
    std::string out;
    char buffer[8192];
    while (out.size() < maxBytes && in.read(buffer, sizeof buffer), in.gcount() > 0) {
        out.append(buffer, static_cast<std::size_t>(in.gcount()));
    }
    if (in.bad()) {
        return std::nullopt;
    }
    if (out.size() > maxBytes) {
        out.resize(maxBytes);
    }
    return out;
}

std::string trim(std::string_view s) {
    const auto first = s.find_first_not_of(" \t\r\n");
    if (first == std::string_view::npos) {
        return {};
    }
    const auto last = s.find_last_not_of(" \t\r\n");
    return std::string(s.substr(first, last - first + 1));
}

std::optional<std::string> readAttribute(const std::filesystem::path& path) {
    auto text = readSmallFile(path, 64 * 1024);
    if (!text) {
        return std::nullopt;
    }
    return trim(*text);
}

}  // namespace examguard::agent::linuxhost
