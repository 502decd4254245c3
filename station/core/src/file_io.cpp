#include "station/file_io.h"

#include <fcntl.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <cstring>
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

Expected<void> writeFileAtomically(const fs::path& path, std::string_view content, unsigned mode) {
    const fs::path temp = path.parent_path() / ("." + path.filename().string() + ".tmp");
    // Created with its final mode, so a secret is never readable by others, not even briefly.
    const int fd =
        ::open(temp.c_str(), O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, static_cast<mode_t>(mode));
    if (fd < 0) {
        return fail(ErrorCode::Io,
                    fmt::format("cannot write {}: {}", temp.string(), std::strerror(errno)));
    }
    std::size_t written = 0;
    while (written < content.size()) {
        const ssize_t n = ::write(fd, content.data() + written, content.size() - written);
        if (n < 0 && errno == EINTR) {
            continue;
        }
        if (n <= 0) {
            break;
        }
        written += static_cast<std::size_t>(n);
    }
    const bool ok = written == content.size() && ::fsync(fd) == 0;
    ::close(fd);
    std::error_code ec;
    if (!ok) {
        fs::remove(temp, ec);
        return fail(ErrorCode::Io, fmt::format("cannot write {}", temp.string()));
    }
    fs::rename(temp, path, ec);
    if (ec) {
        fs::remove(temp, ec);
        return fail(ErrorCode::Io, fmt::format("cannot replace {}", path.string()));
    }
    return {};
}

}  // namespace examguard::station
