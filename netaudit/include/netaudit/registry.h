#pragma once

#include <string>
#include <string_view>
#include <vector>

#include <tl/expected.hpp>

#include "netaudit/error.h"
#include "netaudit/types.h"

namespace examguard::netaudit {

// One filed machine (机器登记表 row).
struct RegistryEntry {
    std::string seat;
    std::string hostname;
    MacAddress mac;
    IpAddress ip;
};

// RFC 4180 CSV with a header row. Columns are found by name: seat,hostname,mac,ip or the Chinese
// template's 座位号,计算机名,MAC地址,IP地址; other columns are ignored; a UTF-8 BOM is allowed.
// Errors name the line and the column.
tl::expected<std::vector<RegistryEntry>, Error> parseRegistryCsv(std::string_view text);
tl::expected<std::vector<RegistryEntry>, Error> loadRegistryCsv(const std::string& path);

}  // namespace examguard::netaudit
