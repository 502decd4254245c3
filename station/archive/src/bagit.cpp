#include "archive/bagit.h"

#include <fmt/format.h>

namespace examguard::archive {

using station::ErrorCode;
using station::fail;

namespace {

std::string encodePath(std::string_view path) {
    std::string out;
    for (const char c : path) {
        if (c == '%') {
            out += "%25";
        } else if (c == '\n') {
            out += "%0A";
        } else if (c == '\r') {
            out += "%0D";
        } else {
            out += c;
        }
    }
    return out;
}

std::optional<std::string> decodePath(std::string_view path) {
    std::string out;
    for (std::size_t i = 0; i < path.size(); ++i) {
        if (path[i] != '%') {
            out += path[i];
            continue;
        }
        const auto code = path.substr(i, 3);
        if (code == "%25") {
            out += '%';
        } else if (code == "%0A" || code == "%0a") {
            out += '\n';
        } else if (code == "%0D" || code == "%0d") {
            out += '\r';
        } else {
            return std::nullopt;
        }
        i += 2;
    }
    return out;
}

bool isLowerHex(std::string_view s) {
    for (const char c : s) {
        if (!((c >= '0' && c <= '9') || (c >= 'a' && c <= 'f'))) {
            return false;
        }
    }
    return true;
}

// Splits on LF, dropping one CR before it; the last line must end with LF.
template <typename OnLine>
Expected<void> forEachLine(std::string_view text, std::string_view fileName, OnLine&& onLine) {
    std::size_t lineNumber = 0;
    std::size_t start = 0;
    while (start < text.size()) {
        ++lineNumber;
        const auto end = text.find('\n', start);
        if (end == std::string_view::npos) {
            return fail(ErrorCode::BadInput,
                        fmt::format("{} line {}: the last line does not end with a newline",
                                    fileName, lineNumber));
        }
        auto line = text.substr(start, end - start);
        if (!line.empty() && line.back() == '\r') {
            line.remove_suffix(1);
        }
        if (auto ok = onLine(line, lineNumber); !ok) {
            return ok;
        }
        start = end + 1;
    }
    return {};
}

}  // namespace

std::string formatManifest(const std::vector<ManifestEntry>& entries) {
    std::string out;
    for (const auto& e : entries) {
        out += fmt::format("{}  {}\n", e.sha256, encodePath(e.path));
    }
    return out;
}

Expected<std::vector<ManifestEntry>> parseManifest(std::string_view text, std::string_view fileName,
                                                   std::size_t maxEntries) {
    std::vector<ManifestEntry> entries;
    auto parsed =
        forEachLine(text, fileName, [&](std::string_view line, std::size_t n) -> Expected<void> {
            auto bad = [&](std::string_view why) {
                return fail(ErrorCode::BadInput, fmt::format("{} line {}: {}", fileName, n, why));
            };
            if (entries.size() >= maxEntries) {
                return bad(fmt::format("more than {} entries", maxEntries));
            }
            if (line.size() < 66 || !isLowerHex(line.substr(0, 64))) {
                return bad("expected a SHA-256 of 64 lowercase hexadecimal digits, then a path");
            }
            std::size_t at = 64;
            if (line[at] != ' ' && line[at] != '\t') {
                return bad("expected whitespace after the checksum");
            }
            while (at < line.size() && (line[at] == ' ' || line[at] == '\t')) {
                ++at;
            }
            auto path = decodePath(line.substr(at));
            if (!path || path->empty()) {
                return bad("the path is missing or has an invalid %-escape");
            }
            entries.push_back({std::string(line.substr(0, 64)), std::move(*path)});
            return {};
        });
    if (!parsed) {
        return tl::unexpected(parsed.error());
    }
    return entries;
}

std::string formatBagInfo(const BagInfo& info) {
    std::string out;
    for (const auto& [label, value] : info) {
        out += label;
        out += ": ";
        // A value never holds a newline here; they are replaced so one label stays one line.
        for (const char c : value) {
            out += (c == '\n' || c == '\r') ? ' ' : c;
        }
        out += '\n';
    }
    return out;
}

Expected<BagInfo> parseBagInfo(std::string_view text, std::string_view fileName) {
    BagInfo info;
    auto parsed =
        forEachLine(text, fileName, [&](std::string_view line, std::size_t n) -> Expected<void> {
            if (!line.empty() && (line.front() == ' ' || line.front() == '\t')) {
                if (info.empty()) {
                    return fail(
                        ErrorCode::BadInput,
                        fmt::format("{} line {}: continuation line before any label", fileName, n));
                }
                const auto start = line.find_first_not_of(" \t");
                if (start != std::string_view::npos) {
                    info.back().second += " ";
                    info.back().second += line.substr(start);
                }
                return {};
            }
            const auto colon = line.find(':');
            if (colon == std::string_view::npos || colon == 0) {
                return fail(ErrorCode::BadInput,
                            fmt::format("{} line {}: expected \"Label: value\"", fileName, n));
            }
            auto value = line.substr(colon + 1);
            while (!value.empty() && (value.front() == ' ' || value.front() == '\t')) {
                value.remove_prefix(1);
            }
            info.emplace_back(std::string(line.substr(0, colon)), std::string(value));
            return {};
        });
    if (!parsed) {
        return tl::unexpected(parsed.error());
    }
    return info;
}

std::optional<std::string> bagInfoValue(const BagInfo& info, std::string_view label) {
    for (const auto& [l, v] : info) {
        if (l == label) {
            return v;
        }
    }
    return std::nullopt;
}

}  // namespace examguard::archive
