#pragma once

#include <cstdint>
#include <ctime>
#include <filesystem>
#include <functional>
#include <memory>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "station/crypto.h"
#include "station/error.h"

// The archive's container: a ZIP written and read with libarchive. The whole file is sealed by
// a signature kept in the ZIP comment, over every byte before it (see docs/formats/archive.md).
namespace examguard::archive {

using station::Bytes;
using station::Expected;

// Writes a ZIP to a hidden temporary file beside the destination; commit() seals it and renames
// it into place, so a reader sees no archive or the whole sealed one. Destroyed without
// commit(), it removes the temporary file.
class ZipWriter {
public:
    static Expected<ZipWriter> create(const std::filesystem::path& destination, std::time_t mtime);
    ZipWriter(ZipWriter&&) noexcept;
    ZipWriter& operator=(ZipWriter&&) noexcept;
    ~ZipWriter();

    // Each returns the SHA-256 (hex) of the member's bytes, hashed while they are written.
    Expected<std::string> add(std::string_view name, std::span<const unsigned char> bytes,
                              bool compress = true);
    Expected<std::string> add(std::string_view name, std::string_view text, bool compress = true);
    // Streams a file in (stored, not compressed: recordings are compressed already).
    Expected<std::string> addFile(std::string_view name, const std::filesystem::path& source);

    // Ends the ZIP, then asks `seal` for the signature (stored after kContainerSealMagic as the
    // ZIP comment) given the SHA-256 and length of every byte
    // before it, appends it and renames the file into place.
    using SealFunction =
        std::function<Expected<Bytes>(const std::string& prefixSha256, std::uint64_t length)>;
    struct Committed {
        std::uint64_t bytes = 0;
        std::string sha256;  // of the whole sealed file
    };
    Expected<Committed> commit(const SealFunction& seal);

private:
    struct Impl;
    explicit ZipWriter(std::unique_ptr<Impl> impl);
    std::unique_ptr<Impl> m_impl;
};

// The comment of a sealed archive: this magic, a space, the station's bare ECDSA signature (DER)
// over containerSealContent() in base64, and a newline.
inline constexpr std::string_view kContainerSealMagic = "EXAMGUARD-SEAL-1";

// What the container seal signs: the text a verifier rebuilds from the file.
std::string containerSealContent(const std::string& prefixSha256, std::uint64_t length);

// The end of a sealed ZIP: where the comment starts and what it holds.
struct ContainerTail {
    std::uint64_t signedLength = 0;  // bytes covered by the seal: all before the comment length
    Bytes comment;
};
Expected<ContainerTail> readContainerTail(const std::filesystem::path& path);
Expected<std::string> sha256OfPrefix(const std::filesystem::path& path, std::uint64_t length);

// Limits that keep a hostile archive (a ZIP bomb, a million members) from exhausting the
// inspector's machine.
struct ReadLimits {
    std::uint64_t maxMembers = 200000;
    std::uint64_t maxMemberBytes = 16ULL << 30;
    std::uint64_t maxTotalBytes = 256ULL << 30;
    // Total uncompressed bytes may exceed this multiple of the file's size only below
    // ratioFloorBytes (small archives of text compress well).
    double maxCompressionRatio = 100.0;
    std::uint64_t ratioFloorBytes = 64ULL << 20;
    std::size_t maxKeptBytes = 64 << 20;  // a member kept in memory (manifests, JSON)
    std::size_t maxNameBytes = 400;
};

struct ZipMember {
    std::string name;
    std::uint64_t size = 0;
    std::string sha256;
    std::optional<std::string> content;  // when the caller asked to keep it
};

// A problem with the container itself; reading stops at problems that make the rest
// untrustworthy (limits, a damaged ZIP), and goes on past a bad name.
struct ContainerProblem {
    std::string code;    // unsafe_name, duplicate_name, not_a_file, limit, damaged
    std::string member;  // empty when about the whole file
    std::string message;
};

struct ZipContents {
    std::vector<ZipMember> members;  // in stored order
    std::vector<ContainerProblem> problems;
};

// Reads every member, hashing it; keeps the content of those `keep` selects (refusing one
// larger than maxKeptBytes). Never writes anything.
Expected<ZipContents> readZip(const std::filesystem::path& path, const ReadLimits& limits,
                              const std::function<bool(const std::string& name)>& keep);

// Why a member name is unsafe, or nullopt: absolute, "..", backslashes, control characters,
// invalid UTF-8, empty components, too long.
std::optional<std::string> unsafeNameReason(std::string_view name, std::size_t maxBytes);

}  // namespace examguard::archive
