#include "archive/zip_container.h"

#include <fcntl.h>
#include <unistd.h>

#include <archive.h>
#include <archive_entry.h>
#include <openssl/evp.h>

#include <algorithm>
#include <cerrno>
#include <cstring>
#include <fstream>
#include <set>

#include <fmt/format.h>

namespace examguard::archive {

namespace fs = std::filesystem;
using station::ErrorCode;
using station::fail;

namespace {

constexpr std::size_t kChunk = 1 << 20;
constexpr unsigned char kEocdSignature[4] = {'P', 'K', 5, 6};
constexpr std::size_t kEocdSize = 22;

class Sha256Stream {
public:
    Sha256Stream() : m_ctx(EVP_MD_CTX_new()) { EVP_DigestInit_ex(m_ctx, EVP_sha256(), nullptr); }
    ~Sha256Stream() { EVP_MD_CTX_free(m_ctx); }
    Sha256Stream(const Sha256Stream&) = delete;
    Sha256Stream& operator=(const Sha256Stream&) = delete;
    void update(const void* data, std::size_t size) { EVP_DigestUpdate(m_ctx, data, size); }
    void copyFrom(const Sha256Stream& other) { EVP_MD_CTX_copy_ex(m_ctx, other.m_ctx); }
    std::string hex() {
        unsigned char md[EVP_MAX_MD_SIZE];
        unsigned int len = 0;
        EVP_DigestFinal_ex(m_ctx, md, &len);
        return station::toHex(std::span(md, len));
    }

private:
    EVP_MD_CTX* m_ctx;
};

std::string archiveError(struct archive* a) {
    const char* text = archive_error_string(a);
    return text != nullptr ? text : "unknown libarchive error";
}

bool validUtf8(std::string_view s) {
    for (std::size_t i = 0; i < s.size();) {
        const auto c = static_cast<unsigned char>(s[i]);
        const std::size_t extra = c < 0x80           ? 0
                                  : (c >> 5) == 0x6  ? 1
                                  : (c >> 4) == 0xe  ? 2
                                  : (c >> 3) == 0x1e ? 3
                                                     : 4;
        if (extra == 4 || s.size() - i <= extra) {
            return false;
        }
        for (std::size_t k = 1; k <= extra; ++k) {
            if ((static_cast<unsigned char>(s[i + k]) >> 6) != 2) {
                return false;
            }
        }
        i += extra + 1;
    }
    return true;
}

std::string lowerAscii(std::string_view s) {
    std::string out(s);
    std::transform(out.begin(), out.end(), out.begin(),
                   [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
    return out;
}

}  // namespace

std::optional<std::string> unsafeNameReason(std::string_view name, std::size_t maxBytes) {
    if (name.empty()) {
        return "empty name";
    }
    if (name.size() > maxBytes) {
        return fmt::format("name longer than {} bytes", maxBytes);
    }
    if (name.front() == '/') {
        return "absolute path";
    }
    if (name.size() >= 2 && name[1] == ':') {
        return "drive-letter path";
    }
    for (const char c : name) {
        if (static_cast<unsigned char>(c) < 0x20 || c == 0x7f) {
            return "control character in name";
        }
        if (c == '\\') {
            return "backslash in name";
        }
    }
    if (!validUtf8(name)) {
        return "name is not valid UTF-8";
    }
    std::size_t start = 0;
    while (start <= name.size()) {
        const std::size_t end = std::min(name.find('/', start), name.size());
        const auto part = name.substr(start, end - start);
        if (part == "..") {
            return "path traversal (..)";
        }
        if (part.empty() || part == ".") {
            return "empty or '.' path component";
        }
        start = end + 1;
    }
    return std::nullopt;
}

std::string containerSealContent(const std::string& prefixSha256, std::uint64_t length) {
    return fmt::format("ExamGuard container seal v1\nsha256 {}\nbytes {}\n", prefixSha256, length);
}

// ---------------------------------------------------------------------------------------------
// Writing

struct ZipWriter::Impl {
    fs::path destination;
    fs::path temp;
    struct archive* a = nullptr;
    std::time_t mtime = 0;
    bool committed = false;
    int fd = -1;
    // Every byte libarchive writes is hashed on its way to the file, two bytes behind: the seal
    // covers all but the final comment-length field, so the file is never read back.
    Sha256Stream prefix;
    unsigned char lag[2] = {};
    std::size_t lagged = 0;
    std::uint64_t written = 0;

    static la_ssize_t writeCallback(struct archive*, void* self, const void* buffer,
                                    std::size_t length) {
        auto& impl = *static_cast<Impl*>(self);
        const auto* bytes = static_cast<const unsigned char*>(buffer);
        std::size_t done = 0;
        while (done < length) {
            const ssize_t n = ::write(impl.fd, bytes + done, length - done);
            if (n < 0 && errno == EINTR) {
                continue;
            }
            if (n <= 0) {
                return -1;
            }
            done += static_cast<std::size_t>(n);
        }
        // Hash what falls out of the two-byte lag.
        std::size_t i = 0;
        for (; impl.lagged < 2 && i < length; ++i) {
            impl.lag[impl.lagged++] = bytes[i];
        }
        if (i < length) {
            const std::size_t rest = length - i;
            if (rest >= 2) {
                impl.prefix.update(impl.lag, 2);
                impl.prefix.update(bytes + i, rest - 2);
                impl.lag[0] = bytes[length - 2];
                impl.lag[1] = bytes[length - 1];
            } else {
                impl.prefix.update(impl.lag, 1);
                impl.lag[0] = impl.lag[1];
                impl.lag[1] = bytes[i];
            }
        }
        impl.written += length;
        return static_cast<la_ssize_t>(length);
    }

    ~Impl() {
        if (a != nullptr) {
            archive_write_free(a);
        }
        if (fd >= 0) {
            ::close(fd);
        }
        if (!committed) {
            std::error_code ec;
            fs::remove(temp, ec);
        }
    }

    Expected<void> header(std::string_view name, std::uint64_t size, bool compress) {
        if (auto reason = unsafeNameReason(name, ReadLimits{}.maxNameBytes)) {
            return fail(ErrorCode::Invalid, fmt::format("member name {}: {}", name, *reason));
        }
        if (compress) {
            archive_write_zip_set_compression_deflate(a);
        } else {
            archive_write_zip_set_compression_store(a);
        }
        archive_entry* e = archive_entry_new();
        const std::string n(name);
        archive_entry_set_pathname_utf8(e, n.c_str());
        archive_entry_set_filetype(e, AE_IFREG);
        archive_entry_set_perm(e, 0644);
        archive_entry_set_size(e, static_cast<la_int64_t>(size));
        archive_entry_set_mtime(e, mtime, 0);
        const int rc = archive_write_header(a, e);
        archive_entry_free(e);
        if (rc != ARCHIVE_OK) {
            return fail(ErrorCode::Io, fmt::format("cannot write member {} to {}: {}", name,
                                                   temp.string(), archiveError(a)));
        }
        return {};
    }

    Expected<void> data(std::string_view name, const void* bytes, std::size_t size) {
        if (size == 0) {
            return {};
        }
        if (archive_write_data(a, bytes, size) != static_cast<la_ssize_t>(size)) {
            return fail(ErrorCode::Io, fmt::format("cannot write member {} to {}: {}", name,
                                                   temp.string(), archiveError(a)));
        }
        return {};
    }
};

ZipWriter::ZipWriter(std::unique_ptr<Impl> impl) : m_impl(std::move(impl)) {}
ZipWriter::ZipWriter(ZipWriter&&) noexcept = default;
ZipWriter& ZipWriter::operator=(ZipWriter&&) noexcept = default;
ZipWriter::~ZipWriter() = default;

Expected<ZipWriter> ZipWriter::create(const fs::path& destination, std::time_t mtime) {
    auto impl = std::make_unique<Impl>();
    impl->destination = destination;
    impl->temp = destination.parent_path() / ("." + destination.filename().string() + ".partial");
    impl->mtime = mtime;
    impl->fd = ::open(impl->temp.c_str(), O_RDWR | O_CREAT | O_TRUNC | O_CLOEXEC, 0644);
    if (impl->fd < 0) {
        return fail(ErrorCode::Io,
                    fmt::format("cannot create {}: {}", impl->temp.string(), std::strerror(errno)));
    }
    impl->a = archive_write_new();
    if (archive_write_set_format_zip(impl->a) != ARCHIVE_OK ||
        archive_write_set_bytes_per_block(impl->a, 0) != ARCHIVE_OK ||
        archive_write_open2(impl->a, impl.get(), nullptr, &Impl::writeCallback, nullptr, nullptr) !=
            ARCHIVE_OK) {
        return fail(ErrorCode::Io, fmt::format("cannot create {}: {}", impl->temp.string(),
                                               archiveError(impl->a)));
    }
    return ZipWriter(std::move(impl));
}

Expected<std::string> ZipWriter::add(std::string_view name, std::span<const unsigned char> bytes,
                                     bool compress) {
    if (auto h = m_impl->header(name, bytes.size(), compress); !h) {
        return tl::unexpected(h.error());
    }
    if (auto d = m_impl->data(name, bytes.data(), bytes.size()); !d) {
        return tl::unexpected(d.error());
    }
    return station::sha256Hex(bytes);
}

Expected<std::string> ZipWriter::add(std::string_view name, std::string_view text, bool compress) {
    return add(name, std::span(reinterpret_cast<const unsigned char*>(text.data()), text.size()),
               compress);
}

Expected<std::string> ZipWriter::addFile(std::string_view name, const fs::path& source) {
    std::error_code ec;
    const auto size = fs::file_size(source, ec);
    std::ifstream in(source, std::ios::binary);
    if (ec || !in) {
        return fail(ErrorCode::Io, fmt::format("cannot read {}", source.string()));
    }
    if (auto h = m_impl->header(name, size, false); !h) {
        return tl::unexpected(h.error());
    }
    Sha256Stream hash;
    std::vector<char> buffer(kChunk);
    std::uint64_t total = 0;
    while (in) {
        in.read(buffer.data(), static_cast<std::streamsize>(buffer.size()));
        const auto got = static_cast<std::size_t>(in.gcount());
        if (got == 0) {
            break;
        }
        hash.update(buffer.data(), got);
        if (auto d = m_impl->data(name, buffer.data(), got); !d) {
            return tl::unexpected(d.error());
        }
        total += got;
    }
    if (total != size) {
        return fail(ErrorCode::Io,
                    fmt::format("{} changed size while it was archived", source.string()));
    }
    return hash.hex();
}

Expected<ZipWriter::Committed> ZipWriter::commit(const SealFunction& seal) {
    auto& impl = *m_impl;
    if (archive_write_close(impl.a) != ARCHIVE_OK) {
        return fail(ErrorCode::Io,
                    fmt::format("cannot finish {}: {}", impl.temp.string(), archiveError(impl.a)));
    }
    archive_write_free(impl.a);
    impl.a = nullptr;

    // libarchive ends the ZIP with an end-of-central-directory record without a comment; the
    // seal covers every byte up to that record's comment-length field.
    unsigned char eocd[kEocdSize];
    if (impl.written < kEocdSize ||
        ::pread(impl.fd, eocd, kEocdSize, static_cast<off_t>(impl.written - kEocdSize)) !=
            static_cast<ssize_t>(kEocdSize) ||
        std::memcmp(eocd, kEocdSignature, 4) != 0 || eocd[20] != 0 || eocd[21] != 0 ||
        impl.lagged != 2) {
        return fail(ErrorCode::Io, fmt::format("{}: unexpected ZIP ending ({} bytes, {:02x} {:02x} "
                                               "{:02x} {:02x})",
                                               impl.temp.string(), impl.written, eocd[0], eocd[1],
                                               eocd[2], eocd[3]));
    }
    const std::uint64_t signedLength = impl.written - 2;
    // The whole-file hash continues from the prefix's: copy the state before finishing it.
    Sha256Stream whole;
    whole.copyFrom(impl.prefix);
    const auto digest = impl.prefix.hex();
    auto signature = seal(digest, signedLength);
    if (!signature) {
        return tl::unexpected(signature.error());
    }
    // Text, so `unzip -l` shows a readable comment; a verifier re-encodes what it decodes and
    // compares, so no base64 variant of the same signature passes.
    const std::string text =
        std::string(kContainerSealMagic) + " " + station::base64Encode(*signature) + "\n";
    if (text.size() > 0xffff) {
        return fail(ErrorCode::Crypto, "the container seal is larger than a ZIP comment allows");
    }
    std::string tail;
    tail += static_cast<char>(text.size() & 0xff);
    tail += static_cast<char>(text.size() >> 8);
    tail += text;
    if (::pwrite(impl.fd, tail.data(), tail.size(), static_cast<off_t>(signedLength)) !=
            static_cast<ssize_t>(tail.size()) ||
        ::fsync(impl.fd) != 0) {
        return fail(ErrorCode::Io, fmt::format("cannot seal {}", impl.temp.string()));
    }
    ::close(impl.fd);
    impl.fd = -1;
    whole.update(tail.data(), tail.size());
    std::error_code ec;
    fs::rename(impl.temp, impl.destination, ec);
    if (ec) {
        return fail(ErrorCode::Io,
                    fmt::format("cannot create {}: {}", impl.destination.string(), ec.message()));
    }
    impl.committed = true;
    return Committed{signedLength + tail.size(), whole.hex()};
}

// ---------------------------------------------------------------------------------------------
// Reading

Expected<std::string> sha256OfPrefix(const fs::path& path, std::uint64_t length) {
    std::ifstream in(path, std::ios::binary);
    if (!in) {
        return fail(ErrorCode::Io, fmt::format("cannot read {}", path.string()));
    }
    Sha256Stream hash;
    std::vector<char> buffer(kChunk);
    std::uint64_t left = length;
    while (left > 0) {
        in.read(buffer.data(),
                static_cast<std::streamsize>(std::min<std::uint64_t>(buffer.size(), left)));
        const auto got = static_cast<std::uint64_t>(in.gcount());
        if (got == 0) {
            return fail(ErrorCode::Io, fmt::format("{} ended early", path.string()));
        }
        hash.update(buffer.data(), got);
        left -= got;
    }
    return hash.hex();
}

Expected<ContainerTail> readContainerTail(const fs::path& path) {
    std::error_code ec;
    const auto size = fs::file_size(path, ec);
    if (ec) {
        return fail(ErrorCode::Io, fmt::format("cannot read {}: {}", path.string(), ec.message()));
    }
    if (size < kEocdSize) {
        return fail(
            ErrorCode::BadInput,
            fmt::format("{} is too short to be a ZIP archive ({} bytes)", path.string(), size));
    }
    const std::uint64_t window = std::min<std::uint64_t>(size, kEocdSize + 0xffff);
    std::string tail(window, '\0');
    std::ifstream in(path, std::ios::binary);
    in.seekg(static_cast<std::streamoff>(size - window));
    in.read(tail.data(), static_cast<std::streamsize>(window));
    if (!in) {
        return fail(ErrorCode::Io, fmt::format("cannot read {}", path.string()));
    }
    // The record whose comment runs exactly to the end of the file, searched from the end.
    for (std::uint64_t i = window - kEocdSize + 1; i-- > 0;) {
        if (std::memcmp(tail.data() + i, kEocdSignature, 4) != 0) {
            continue;
        }
        const auto lo = static_cast<unsigned char>(tail[i + 20]);
        const auto hi = static_cast<unsigned char>(tail[i + 21]);
        const std::uint64_t commentLength = lo | (static_cast<std::uint64_t>(hi) << 8);
        if (i + kEocdSize + commentLength != window) {
            continue;
        }
        ContainerTail result;
        result.signedLength = size - window + i + 20;
        result.comment.assign(tail.begin() + static_cast<std::ptrdiff_t>(i + kEocdSize),
                              tail.end());
        return result;
    }
    return fail(ErrorCode::BadInput,
                fmt::format("{}: no ZIP end-of-central-directory record (not a ZIP archive, or "
                            "truncated)",
                            path.string()));
}

Expected<ZipContents> readZip(const fs::path& path, const ReadLimits& limits,
                              const std::function<bool(const std::string&)>& keep) {
    std::error_code ec;
    const auto fileSize = fs::file_size(path, ec);
    if (ec) {
        return fail(ErrorCode::Io, fmt::format("cannot read {}: {}", path.string(), ec.message()));
    }
    std::unique_ptr<struct archive, int (*)(struct archive*)> a(archive_read_new(),
                                                                archive_read_free);
    archive_read_support_format_zip_seekable(a.get());
    if (archive_read_open_filename(a.get(), path.c_str(), 1 << 16) != ARCHIVE_OK) {
        return fail(ErrorCode::BadInput, fmt::format("{} is not a readable ZIP archive: {}",
                                                     path.string(), archiveError(a.get())));
    }
    ZipContents contents;
    std::set<std::string> seen;
    std::set<std::string> seenFolded;
    std::uint64_t total = 0;
    std::vector<char> buffer(kChunk);
    auto stop = [&](std::string code, std::string member, std::string message) {
        contents.problems.push_back({std::move(code), std::move(member), std::move(message)});
        return contents;
    };
    while (true) {
        archive_entry* entry = nullptr;
        const int rc = archive_read_next_header(a.get(), &entry);
        if (rc == ARCHIVE_EOF) {
            break;
        }
        if (rc != ARCHIVE_OK && rc != ARCHIVE_WARN) {
            return stop("damaged", "",
                        fmt::format("the ZIP structure is damaged after {} members: {}",
                                    contents.members.size(), archiveError(a.get())));
        }
        if (contents.members.size() >= limits.maxMembers) {
            return stop("limit", "", fmt::format("more than {} members", limits.maxMembers));
        }
        const char* raw = archive_entry_pathname_utf8(entry);
        if (raw == nullptr) {
            raw = archive_entry_pathname(entry);
        }
        ZipMember member;
        member.name = raw != nullptr ? raw : "";
        if (auto reason = unsafeNameReason(member.name, limits.maxNameBytes)) {
            contents.problems.push_back({"unsafe_name", member.name, *reason});
        }
        const auto type = archive_entry_filetype(entry);
        if (type != AE_IFREG || archive_entry_hardlink(entry) != nullptr) {
            contents.problems.push_back({"not_a_file", member.name,
                                         type == AE_IFLNK   ? "a symbolic link"
                                         : type == AE_IFDIR ? "a directory entry"
                                                            : "not a regular file"});
        }
        if (!seen.insert(member.name).second) {
            contents.problems.push_back({"duplicate_name", member.name, "stored twice"});
        } else if (!seenFolded.insert(lowerAscii(member.name)).second) {
            contents.problems.push_back(
                {"duplicate_name", member.name, "differs from another member only in letter case"});
        }
        const bool keepIt = keep && keep(member.name);
        Sha256Stream hash;
        std::string kept;
        while (true) {
            const la_ssize_t got = archive_read_data(a.get(), buffer.data(), buffer.size());
            if (got == 0) {
                break;
            }
            if (got < 0) {
                return stop("damaged", member.name,
                            fmt::format("cannot be read: {}", archiveError(a.get())));
            }
            const auto n = static_cast<std::uint64_t>(got);
            member.size += n;
            total += n;
            if (member.size > limits.maxMemberBytes) {
                return stop("limit", member.name,
                            fmt::format("larger than {} bytes", limits.maxMemberBytes));
            }
            if (total > limits.maxTotalBytes ||
                (total > limits.ratioFloorBytes &&
                 static_cast<double>(total) >
                     limits.maxCompressionRatio * static_cast<double>(fileSize))) {
                return stop("limit", member.name,
                            fmt::format("the archive expands to more than {} times its size "
                                        "(a ZIP bomb?)",
                                        limits.maxCompressionRatio));
            }
            hash.update(buffer.data(), n);
            if (keepIt) {
                if (kept.size() + n > limits.maxKeptBytes) {
                    return stop("limit", member.name,
                                fmt::format("larger than the {} bytes allowed for it",
                                            limits.maxKeptBytes));
                }
                kept.append(buffer.data(), n);
            }
        }
        member.sha256 = hash.hex();
        if (keepIt) {
            member.content = std::move(kept);
        }
        contents.members.push_back(std::move(member));
    }
    return contents;
}

}  // namespace examguard::archive
