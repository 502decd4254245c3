#pragma once

#include <cstddef>
#include <filesystem>
#include <span>
#include <string>
#include <string_view>

#include "station/error.h"

namespace examguard::station {

// Reads a whole file that comes from outside, refusing one larger than maxBytes before reading
// it (BadInput) and noticing one that grows while it is read. Io errors name the path.
Expected<std::string> readFileLimited(const std::filesystem::path& path, std::size_t maxBytes);

// "jpeg", "png" or "bmp" from the first bytes; empty when none of them.
std::string_view imageFormat(std::span<const unsigned char> bytes);

// Writes through a temporary file in the same directory and renames it into place, so a
// reader sees the old file or the whole new one, never a part. `mode` is the new file's
// permission bits (0600 for secrets).
Expected<void> writeFileAtomically(const std::filesystem::path& path, std::string_view content,
                                   unsigned mode = 0644);

}  // namespace examguard::station
