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
    return parseOwned(std::string(text));
}

// The names stay in the one text they came in, found by key through a sorted index: building
// some 25,000 strings in a map cost 30 ms per run under Wine, for the few devices a PC has.
tl::expected<UsbIds, Error> UsbIds::parseOwned(std::string owned) {
    UsbIds ids;
    ids.m_text = std::move(owned);
    const std::string_view text = ids.m_text;
    const auto add = [&](std::uint64_t key, std::string_view name) {
        ids.m_entries.push_back({key, static_cast<std::uint32_t>(name.data() - text.data()),
                                 static_cast<std::uint32_t>(name.size())});
    };
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
            add((static_cast<std::uint64_t>(*id) << 17) | kVendorKey, line.substr(6));
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
        add((static_cast<std::uint64_t>(*vendor) << 17) | *id, line.substr(7));
    }
    std::stable_sort(ids.m_entries.begin(), ids.m_entries.end(),
                     [](const Entry& a, const Entry& b) { return a.key < b.key; });
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
    return parseOwned(std::move(text));
}

std::string UsbIds::find(std::uint64_t key) const {
    const auto it = std::lower_bound(m_entries.begin(), m_entries.end(), key,
                                     [](const Entry& e, std::uint64_t k) { return e.key < k; });
    if (it == m_entries.end() || it->key != key) {
        return {};
    }
    return sanitizeUtf8(std::string_view(m_text).substr(it->offset, it->length));
}

std::string UsbIds::vendor(std::uint16_t vid) const {
    return find((static_cast<std::uint64_t>(vid) << 17) | kVendorKey);
}

std::string UsbIds::product(std::uint16_t vid, std::uint16_t pid) const {
    return find((static_cast<std::uint64_t>(vid) << 17) | pid);
}

}  // namespace examguard::agent
