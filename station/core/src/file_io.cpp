#include "station/file_io.h"

#include <unistd.h>

#include <algorithm>
#include <fstream>

#include <fmt/format.h>

namespace examguard::station {

namespace fs = std::filesystem;

Expected<std::string> readFileLimited(const fs::path& path, std::size_t maxBytes) {
    std::error_code ec;
    const auto size = fs::file_size(path, ec);
    if (ec) {
        return fail(ErrorCode::Io, fmt::format("cannot read {}: {}", path.string(), ec.message()));
    }
    if (size > maxBytes) {
        return fail(ErrorCode::BadInput, fmt::format("{} is {} bytes, more than the limit of {}",
                                                     path.string(), size, maxBytes));
    }
    std::ifstream in(path, std::ios::binary);
    if (!in) {
        return fail(ErrorCode::Io, fmt::format("cannot open {}", path.string()));
    }
    // One byte more than stat reported, so a file that grew meanwhile is noticed rather than
    // read cut short.
    std::string bytes(static_cast<std::size_t>(size) + 1, '\0');
    in.read(bytes.data(), static_cast<std::streamsize>(bytes.size()));
    if (in.bad()) {
        return fail(ErrorCode::Io, fmt::format("error reading {}", path.string()));
    }
    if (static_cast<std::uintmax_t>(in.gcount()) != size) {
        return fail(ErrorCode::Io, fmt::format("{} changed while it was read", path.string()));
    }
    bytes.resize(static_cast<std::size_t>(size));
    return bytes;
}

std::string_view imageFormat(std::span<const unsigned char> bytes) {
    auto startsWith = [&](std::initializer_list<unsigned char> magic) {
        return bytes.size() >= magic.size() &&
               std::equal(magic.begin(), magic.end(), bytes.begin());
    };
    if (startsWith({0xFF, 0xD8, 0xFF})) {
        return "jpeg";
    }
    if (startsWith({0x89, 'P', 'N', 'G', '\r', '\n', 0x1A, '\n'})) {
        return "png";
    }
    if (startsWith({'B', 'M'}) && bytes.size() > 26) {
        return "bmp";
    }
    return {};
}

Expected<void> writeFileAtomically(const fs::path& path, std::string_view content) {
    const fs::path temp = path.parent_path() / ("." + path.filename().string() + ".tmp");
    {
        std::ofstream out(temp, std::ios::binary | std::ios::trunc);
        if (!out.write(content.data(), static_cast<std::streamsize>(content.size())) ||
            !out.flush()) {
            std::error_code ignored;
            fs::remove(temp, ignored);
            return fail(ErrorCode::Io, fmt::format("cannot write {}", temp.string()));
        }
    }
    std::error_code ec;
    fs::rename(temp, path, ec);
    if (ec) {
        fs::remove(temp, ec);
        return fail(ErrorCode::Io, fmt::format("cannot replace {}", path.string()));
    }
    return {};
}

}  // namespace examguard::station
