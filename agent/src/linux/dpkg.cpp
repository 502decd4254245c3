// Installed Debian packages from /var/lib/dpkg/status (deb822 stanzas).
#include <fmt/format.h>

#include "agent/linux_backend.h"
#include "linux/fs_util.h"
#include "text.h"

namespace examguard::agent::linuxhost {

tl::expected<std::vector<InstalledProgram>, Error> parseDpkgStatus(std::string_view text,
                                                                   std::string_view origin) {
    std::vector<InstalledProgram> out;
    InstalledProgram current;
    std::string status;
    bool inStanza = false;
    std::size_t stanzaLine = 0;
    std::size_t lineNo = 0;
    const auto finish = [&]() -> tl::expected<void, Error> {
        if (inStanza) {
            if (current.name.empty()) {
                return tl::unexpected(Error{
                    ErrorCode::kMalformedData,
                    fmt::format("{}: stanza at line {} has no Package field", origin, stanzaLine)});
            }
            if (status.ends_with(" installed")) {
                current.source = "dpkg";
                out.push_back(std::move(current));
            }
        }
        current = {};
        status.clear();
        inStanza = false;
        return {};
    };
    std::size_t pos = 0;
    while (pos <= text.size()) {
        const auto end = std::min(text.find('\n', pos), text.size());
        const std::string_view line = text.substr(pos, end - pos);
        pos = end + 1;
        ++lineNo;
        if (trim(line).empty()) {
            if (auto r = finish(); !r) {
                return tl::unexpected(r.error());
            }
            if (end == text.size()) {
                break;
            }
            continue;
        }
        if (line.front() == ' ' || line.front() == '\t') {
            if (!inStanza) {
                return tl::unexpected(
                    Error{ErrorCode::kMalformedData,
                          fmt::format("{}: line {} continues a field outside any stanza", origin,
                                      lineNo)});
            }
            continue;  // continuation of Description and the like
        }
        const auto colon = line.find(':');
        if (colon == std::string_view::npos || colon == 0) {
            return tl::unexpected(
                Error{ErrorCode::kMalformedData,
                      fmt::format("{}: line {} is not 'Field: value'", origin, lineNo)});
        }
        if (!inStanza) {
            inStanza = true;
            stanzaLine = lineNo;
        }
        const std::string_view field = line.substr(0, colon);
        const std::string value = sanitizeUtf8(trim(line.substr(colon + 1)));
        if (field == "Package") {
            current.name = value;
            current.displayName = value;
        } else if (field == "Version") {
            current.version = value;
        } else if (field == "Status") {
            status = value;
        }
        if (end == text.size()) {
            break;
        }
    }
    if (auto r = finish(); !r) {
        return tl::unexpected(r.error());
    }
    return out;
}

tl::expected<std::vector<InstalledProgram>, Error> readDpkgStatus(
    const std::filesystem::path& path) {
    const auto text = readSmallFile(path, 256 << 20);
    if (!text) {
        return tl::unexpected(
            Error{std::filesystem::exists(path) ? ErrorCode::kUnreadable : ErrorCode::kFileNotFound,
                  fmt::format("{}: cannot read", path.string())});
    }
    return parseDpkgStatus(*text, path.string());
}

}  // namespace examguard::agent::linuxhost
