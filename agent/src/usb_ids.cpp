#include "agent/usb_ids.h"

#include <algorithm>
#include <cctype>
#include <fstream>
#include <optional>

#include <fmt/format.h>

#include "text.h"

namespace examguard::agent {

namespace {

constexpr std::uint32_t kVendorKey = 0x10000;
constexpr std::size_t kMaxBytes = 16 << 20;

}  // namespace

tl::expected<UsbIds, Error> UsbIds::parse(std::string_view text) {
    UsbIds ids;
    std::optional<std::uint32_t> vendor;
    std::size_t pos = 0;
    std::size_t lineNo = 0;
    while (pos < text.size()) {
        const auto end = std::min(text.find('\n', pos), text.size());
        std::string_view line = text.substr(pos, end - pos);
        pos = end + 1;
        ++lineNo;
        if (line.empty() || line.front() == '#') {
            continue;
        }
        if (line.front() != '\t') {
            // "vvvv  Vendor name"; other sections ("C 00  class") end the vendor list.
            const auto id =
                parseHexDigits(line.substr(0, std::min<std::size_t>(4, line.size())), 4);
            if (!id || line.size() < 7 || line.substr(4, 2) != "  ") {
                if (line.size() > 1 && line[1] == ' ' &&
                    std::isupper(static_cast<unsigned char>(line[0]))) {
                    break;
                }
                return tl::unexpected(
                    Error{ErrorCode::kMalformedData,
                          fmt::format("usb.ids line {}: expected 'vvvv  name'", lineNo)});
            }
            vendor = *id;
            ids.m_names[(static_cast<std::uint64_t>(*id) << 17) | kVendorKey] =
                sanitizeUtf8(line.substr(6));
            continue;
        }
        if (line.size() > 1 && line[1] == '\t') {
            continue;  // interface lines
        }
        const auto id =
            parseHexDigits(line.substr(1, std::min<std::size_t>(4, line.size() - 1)), 4);
        if (!vendor || !id || line.size() < 8) {
            return tl::unexpected(Error{ErrorCode::kMalformedData,
                                        fmt::format("usb.ids line {}: expected '\\tpppp  name' "
                                                    "under a vendor",
                                                    lineNo)});
        }
        ids.m_names[(static_cast<std::uint64_t>(*vendor) << 17) | *id] =
            sanitizeUtf8(line.substr(7));
    }
    return ids;
}

tl::expected<UsbIds, Error> UsbIds::load(const std::filesystem::path& path) {
    std::ifstream in(path, std::ios::binary);
    std::string text;
    char buf[65536];
    while (in && text.size() <= kMaxBytes) {
        in.read(buf, sizeof buf);
        text.append(buf, static_cast<std::size_t>(in.gcount()));
    }
    if (!in.eof() || text.size() > kMaxBytes) {
        return tl::unexpected(
            Error{ErrorCode::kFileNotFound, fmt::format("{}: cannot read", path.string())});
    }
    return parse(text);
}

std::string UsbIds::vendor(std::uint16_t vid) const {
    const auto it = m_names.find((static_cast<std::uint64_t>(vid) << 17) | kVendorKey);
    return it == m_names.end() ? std::string{} : it->second;
}

std::string UsbIds::product(std::uint16_t vid, std::uint16_t pid) const {
    const auto it = m_names.find((static_cast<std::uint64_t>(vid) << 17) | pid);
    return it == m_names.end() ? std::string{} : it->second;
}

}  // namespace examguard::agent
