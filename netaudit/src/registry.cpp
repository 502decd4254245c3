#include "netaudit/registry.h"

#include <array>
#include <fstream>
#include <sstream>

#include <fmt/format.h>

namespace examguard::netaudit {

namespace {

constexpr std::size_t kMaxRows = 100000;
constexpr std::size_t kMaxFieldBytes = 1024;

struct CsvError {
    std::size_t line;
    std::string message;
};

// RFC 4180 records: quoted fields may contain commas, doubled quotes and line breaks.
std::vector<std::vector<std::string>> parseCsv(std::string_view text,
                                               std::vector<std::size_t>& lines, std::string& error,
                                               std::size_t& errorLine) {
    std::vector<std::vector<std::string>> rows;
    std::vector<std::string> row;
    std::string field;
    bool quoted = false;
    bool fieldStarted = false;
    std::size_t line = 1;
    std::size_t rowLine = 1;
    auto endField = [&] {
        row.push_back(std::move(field));
        field.clear();
        fieldStarted = false;
    };
    auto endRow = [&] {
        endField();
        const bool blank = row.size() == 1 && row[0].empty();
        if (!blank) {
            rows.push_back(std::move(row));
            lines.push_back(rowLine);
        }
        row.clear();
    };
    for (std::size_t i = 0; i < text.size(); ++i) {
        const char c = text[i];
        if (quoted) {
            if (c == '"') {
                if (i + 1 < text.size() && text[i + 1] == '"') {
                    field.push_back('"');
                    ++i;
                } else {
                    quoted = false;
                }
            } else {
                if (c == '\n') {
                    ++line;
                }
                field.push_back(c);
            }
        } else if (c == '"' && !fieldStarted) {
            quoted = true;
            fieldStarted = true;
        } else if (c == ',') {
            endField();
        } else if (c == '\r') {
            continue;
        } else if (c == '\n') {
            endRow();
            ++line;
            rowLine = line;
        } else {
            field.push_back(c);
            fieldStarted = true;
        }
        if (field.size() > kMaxFieldBytes || rows.size() > kMaxRows) {
            error = "field or file too large";
            errorLine = line;
            return {};
        }
    }
    if (quoted) {
        error = "unterminated quoted field";
        errorLine = rowLine;
        return {};
    }
    if (!field.empty() || !row.empty()) {
        endRow();
    }
    return rows;
}

std::string trim(std::string s) {
    const auto first = s.find_first_not_of(" \t");
    if (first == std::string::npos) {
        return {};
    }
    const auto last = s.find_last_not_of(" \t");
    return s.substr(first, last - first + 1);
}

std::string lower(std::string s) {
    for (auto& c : s) {
        if (c >= 'A' && c <= 'Z') {
            c = static_cast<char>(c - 'A' + 'a');
        }
    }
    return s;
}

}  // namespace

tl::expected<std::vector<RegistryEntry>, Error> parseRegistryCsv(std::string_view text) {
    if (text.starts_with("\xEF\xBB\xBF")) {
        text.remove_prefix(3);
    }
    std::vector<std::size_t> lines;
    std::string error;
    std::size_t errorLine = 0;
    const auto rows = parseCsv(text, lines, error, errorLine);
    if (!error.empty()) {
        return tl::unexpected(
            Error{ErrorCode::kRegistryInvalid, fmt::format("line {}: {}", errorLine, error)});
    }
    if (rows.empty()) {
        return tl::unexpected(Error{ErrorCode::kRegistryInvalid, "empty registry: no header row"});
    }
    // Column index per field, found by English or Chinese header name.
    const std::array<std::vector<std::string>, 4> aliases = {{
        {"seat", "座位号", "座位"},
        {"hostname", "host", "计算机名", "主机名"},
        {"mac", "mac地址", "mac address"},
        {"ip", "ip地址", "ip address"},
    }};
    std::array<int, 4> column = {-1, -1, -1, -1};
    for (std::size_t c = 0; c < rows[0].size(); ++c) {
        const std::string name = lower(trim(rows[0][c]));
        for (std::size_t f = 0; f < aliases.size(); ++f) {
            for (const auto& alias : aliases[f]) {
                if (name == alias && column[f] < 0) {
                    column[f] = static_cast<int>(c);
                }
            }
        }
    }
    if (column[2] < 0 || column[3] < 0) {
        return tl::unexpected(Error{ErrorCode::kRegistryInvalid,
                                    "line 1: header must name the columns seat,hostname,mac,ip"});
    }
    std::vector<RegistryEntry> entries;
    for (std::size_t r = 1; r < rows.size(); ++r) {
        const auto& row = rows[r];
        auto field = [&](int index) -> std::string {
            return index >= 0 && static_cast<std::size_t>(index) < row.size() ? trim(row[index])
                                                                              : std::string{};
        };
        RegistryEntry entry;
        entry.seat = field(column[0]);
        entry.hostname = field(column[1]);
        const std::string mac = field(column[2]);
        const std::string ip = field(column[3]);
        auto parsedMac = MacAddress::parse(mac);
        if (!parsedMac) {
            return tl::unexpected(
                Error{ErrorCode::kRegistryInvalid,
                      fmt::format("line {}: mac '{}' is not a MAC address", lines[r], mac)});
        }
        auto parsedIp = IpAddress::parse(ip);
        if (!parsedIp) {
            return tl::unexpected(
                Error{ErrorCode::kRegistryInvalid,
                      fmt::format("line {}: ip '{}' is not an IP address", lines[r], ip)});
        }
        entry.mac = *parsedMac;
        entry.ip = *parsedIp;
        entries.push_back(std::move(entry));
    }
    return entries;
}

tl::expected<std::vector<RegistryEntry>, Error> loadRegistryCsv(const std::string& path) {
    std::ifstream in(path, std::ios::binary);
    if (!in) {
        return tl::unexpected(Error{ErrorCode::kFileNotFound, path + ": cannot open"});
    }
    std::ostringstream text;
    text << in.rdbuf();
    auto entries = parseRegistryCsv(text.str());
    if (!entries) {
        entries.error().detail = path + ": " + entries.error().detail;
    }
    return entries;
}

}  // namespace examguard::netaudit
