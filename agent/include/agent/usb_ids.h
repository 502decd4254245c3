#pragma once

#include <cstdint>
#include <filesystem>
#include <string>
#include <string_view>
#include <vector>

#include <tl/expected.hpp>

#include "agent/error.h"

namespace examguard::agent {

// USB vendor and product names from the usb.ids database (Debian's usb.ids package): at
// /usr/share/misc/usb.ids for the Linux agent, beside examguard-agent.exe for the Windows one.
class UsbIds {
public:
    static tl::expected<UsbIds, Error> parse(std::string_view text);
    // At most 16 MiB (the database is about 0.7 MiB).
    static tl::expected<UsbIds, Error> load(const std::filesystem::path& path);
    std::string vendor(std::uint16_t vid) const;
    std::string product(std::uint16_t vid, std::uint16_t pid) const;
    std::size_t size() const { return m_entries.size(); }

private:
    struct Entry {
        std::uint64_t key;  // vid << 17 | pid, and vid << 17 | 0x10000 for the vendor
        std::uint32_t offset;
        std::uint32_t length;
    };
    static tl::expected<UsbIds, Error> parseOwned(std::string text);
    std::string find(std::uint64_t key) const;

    std::string m_text;
    std::vector<Entry> m_entries;  // sorted by key
};

}  // namespace examguard::agent
