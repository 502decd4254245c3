#pragma once

#include <cstddef>
#include <filesystem>
#include <optional>
#include <string>

namespace examguard::agent::linuxhost {

// Reads a small text file (sysfs attribute, /proc entry) up to maxBytes; nullopt when unreadable.
std::optional<std::string> readSmallFile(const std::filesystem::path& path,
                                         std::size_t maxBytes = 1 << 20);
// The same with trailing whitespace removed.
std::optional<std::string> readAttribute(const std::filesystem::path& path);
std::string trim(std::string_view s);

}  // namespace examguard::agent::linuxhost
