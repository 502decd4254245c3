#include "agent/pe.h"

#include <algorithm>
#include <fstream>
#include <memory>

#include <fmt/format.h>

#include "pkcs7.h"
#include "text.h"

namespace examguard::agent {

namespace {

// Exceptions stay inside this file; parsePe turns them into Error values.
struct PeFail {
    std::string message;
};

[[noreturn]] void fail(std::string message) {
    throw PeFail{std::move(message)};
}

class Reader {
public:
    explicit Reader(std::span<const std::uint8_t> data) : m_data(data) {}

    std::size_t size() const { return m_data.size(); }

    void need(std::size_t offset, std::size_t length, const char* what) const {
        if (offset > m_data.size() || length > m_data.size() - offset) {
            fail(fmt::format("{} at offset {:#x} needs {} bytes, file has {}", what, offset, length,
                             m_data.size()));
        }
    }
    std::uint16_t u16(std::size_t offset, const char* what) const {
        need(offset, 2, what);
        return static_cast<std::uint16_t>(m_data[offset] | (m_data[offset + 1] << 8));
    }
    std::uint32_t u32(std::size_t offset, const char* what) const {
        need(offset, 4, what);
        return static_cast<std::uint32_t>(m_data[offset]) |
               (static_cast<std::uint32_t>(m_data[offset + 1]) << 8) |
               (static_cast<std::uint32_t>(m_data[offset + 2]) << 16) |
               (static_cast<std::uint32_t>(m_data[offset + 3]) << 24);
    }
    std::span<const std::uint8_t> bytes(std::size_t offset, std::size_t length,
                                        const char* what) const {
        need(offset, length, what);
        return m_data.subspan(offset, length);
    }

private:
    std::span<const std::uint8_t> m_data;
};

constexpr std::uint32_t kMaxSections = 96;  // the PE/COFF specification's limit
constexpr std::uint32_t kResourceTypeVersion = 16;
constexpr std::size_t kMaxResourceEntries = 4096;
constexpr std::uint16_t kCertTypePkcsSignedData = 0x0002;
constexpr int kMaxVersionDepth = 4;

struct DataDirectory {
    std::uint32_t address = 0;  // an RVA, except for the security directory (a file offset)
    std::uint32_t size = 0;
};

// File offset of an RVA, through the section table; fails when no section's raw data holds it.
std::size_t rvaToOffset(const PeFile& pe, const Reader& r, std::uint32_t rva, std::size_t length,
                        const char* what) {
    for (const auto& s : pe.sections) {
        const std::uint64_t span = std::max(s.virtualSize, s.rawSize);
        if (rva >= s.virtualAddress && rva < static_cast<std::uint64_t>(s.virtualAddress) + span) {
            const std::uint64_t delta = rva - s.virtualAddress;
            if (delta + length > s.rawSize) {
                fail(
                    fmt::format("{} at RVA {:#x} (file offset {:#x}, {} bytes) lies past the raw "
                                "data of section '{}' ({} bytes)",
                                what, rva, s.rawOffset + delta, length, s.name, s.rawSize));
            }
            const std::uint64_t offset = static_cast<std::uint64_t>(s.rawOffset) + delta;
            r.need(static_cast<std::size_t>(offset), length, what);
            return static_cast<std::size_t>(offset);
        }
    }
    fail(fmt::format("{} at RVA {:#x} is in no section", what, rva));
}

// --- VS_VERSIONINFO --------------------------------------------------------------------------

struct VersionBlock {
    std::size_t start = 0;
    std::size_t end = 0;  // start + wLength
    std::uint16_t valueLength = 0;
    std::uint16_t type = 0;
    std::string key;
    std::size_t valueOffset = 0;  // aligned, after the key
};

std::size_t align4(std::size_t base, std::size_t offset) {
    return base + ((offset - base + 3) & ~static_cast<std::size_t>(3));
}

// Reads one block header; `base` is where the resource data starts (alignment is relative to it),
// `limit` the end of the enclosing block.
VersionBlock readBlock(const Reader& r, std::size_t base, std::size_t offset, std::size_t limit) {
    VersionBlock b;
    b.start = offset;
    const std::uint16_t length = r.u16(offset, "version block length");
    if (length < 6 || offset + length > limit) {
        fail(
            fmt::format("version block at offset {:#x} has length {} outside its parent (ends "
                        "at {:#x})",
                        offset, length, limit));
    }
    b.end = offset + length;
    b.valueLength = r.u16(offset + 2, "version block value length");
    b.type = r.u16(offset + 4, "version block type");
    std::size_t p = offset + 6;
    std::u16string key;
    for (;;) {
        if (p + 2 > b.end) {
            fail(
                fmt::format("version block key at offset {:#x} is not terminated inside the "
                            "block",
                            offset + 6));
        }
        const std::uint16_t c = r.u16(p, "version block key");
        p += 2;
        if (c == 0) {
            break;
        }
        key.push_back(static_cast<char16_t>(c));
    }
    b.key = utf16ToUtf8(key);
    b.valueOffset = std::min(align4(base, p), b.end);
    return b;
}

std::string readUtf16Value(const Reader& r, std::size_t offset, std::size_t end) {
    std::u16string value;
    for (std::size_t p = offset; p + 2 <= end; p += 2) {
        const std::uint16_t c = r.u16(p, "version string value");
        if (c == 0) {
            break;
        }
        value.push_back(static_cast<char16_t>(c));
    }
    return utf16ToUtf8(value);
}

void parseStringTable(const Reader& r, std::size_t base, const VersionBlock& table,
                      PeVersionInfo& info) {
    std::size_t p = table.valueOffset;  // a StringTable has no value; children follow the key
    while (p + 6 <= table.end) {
        const VersionBlock s = readBlock(r, base, p, table.end);
        // wValueLength counts WORDs for text values; trust the block end over it.
        const std::size_t valueEnd =
            std::min(s.end, s.valueOffset + static_cast<std::size_t>(s.valueLength) * 2);
        if (!s.key.empty() && !info.strings.contains(s.key)) {
            info.strings.emplace(s.key, readUtf16Value(r, s.valueOffset, valueEnd));
        }
        const std::size_t next = align4(base, s.end);
        if (next <= p) {
            break;
        }
        p = next;
    }
}

PeVersionInfo parseVersionInfo(const Reader& r, std::size_t offset, std::size_t size) {
    r.need(offset, size, "VS_VERSIONINFO");
    const std::size_t limit = offset + size;
    const VersionBlock root = readBlock(r, offset, offset, limit);
    if (root.key != "VS_VERSION_INFO") {
        fail(fmt::format("version resource at offset {:#x} has key '{}', not VS_VERSION_INFO",
                         offset, root.key));
    }
    PeVersionInfo info;
    std::size_t p = root.valueOffset;
    if (root.valueLength >= 52 && p + 52 <= root.end) {
        if (r.u32(p, "VS_FIXEDFILEINFO signature") == 0xFEEF04BD) {
            const std::uint32_t ms = r.u32(p + 8, "VS_FIXEDFILEINFO version");
            const std::uint32_t ls = r.u32(p + 12, "VS_FIXEDFILEINFO version");
            info.fixedFileVersion =
                fmt::format("{}.{}.{}.{}", ms >> 16, ms & 0xffff, ls >> 16, ls & 0xffff);
        }
        p = align4(offset, p + root.valueLength);
    }
    int depth = 0;
    while (p + 6 <= root.end && depth++ < kMaxVersionDepth * 64) {
        const VersionBlock child = readBlock(r, offset, p, root.end);
        if (child.key == "StringFileInfo") {
            std::size_t q = child.valueOffset;
            while (q + 6 <= child.end) {
                const VersionBlock table = readBlock(r, offset, q, child.end);
                parseStringTable(r, offset, table, info);
                const std::size_t next = align4(offset, table.end);
                if (next <= q) {
                    break;
                }
                q = next;
            }
        }
        const std::size_t next = align4(offset, child.end);
        if (next <= p) {
            break;
        }
        p = next;
    }
    return info;
}

// --- resources ---------------------------------------------------------------------------------

struct ResourceEntry {
    std::uint32_t id = 0;  // name offset when the high bit was set
    bool named = false;
    bool directory = false;
    std::uint32_t target = 0;  // offset from the start of the resource directory
};

std::vector<ResourceEntry> readResourceDirectory(const Reader& r, std::size_t rsrcBase,
                                                 std::size_t rsrcSize, std::uint32_t dirOffset) {
    if (dirOffset + 16ull > rsrcSize) {
        fail(
            fmt::format("resource directory at offset {:#x} lies outside the resource section "
                        "({} bytes)",
                        rsrcBase + dirOffset, rsrcSize));
    }
    const std::size_t at = rsrcBase + dirOffset;
    const std::size_t count = static_cast<std::size_t>(r.u16(at + 12, "resource named count")) +
                              r.u16(at + 14, "resource id count");
    if (count > kMaxResourceEntries || dirOffset + 16ull + count * 8 > rsrcSize) {
        fail(
            fmt::format("resource directory at offset {:#x} claims {} entries past the resource "
                        "section",
                        at, count));
    }
    std::vector<ResourceEntry> out;
    out.reserve(count);
    for (std::size_t i = 0; i < count; ++i) {
        const std::size_t e = at + 16 + i * 8;
        const std::uint32_t name = r.u32(e, "resource entry name");
        const std::uint32_t data = r.u32(e + 4, "resource entry offset");
        ResourceEntry entry;
        entry.named = (name & 0x80000000u) != 0;
        entry.id = name & 0x7fffffffu;
        entry.directory = (data & 0x80000000u) != 0;
        entry.target = data & 0x7fffffffu;
        out.push_back(entry);
    }
    return out;
}

// The first RT_VERSION leaf: type 16 → first name → first language → data entry.
std::optional<PeVersionInfo> parseResources(const PeFile& pe, const Reader& r,
                                            const DataDirectory& dir) {
    if (dir.address == 0 || dir.size == 0) {
        return std::nullopt;
    }
    const std::size_t base = rvaToOffset(pe, r, dir.address, 16, "resource directory");
    // The directory's size field is often smaller than the tree it describes; bound by the
    // section's raw data instead.
    std::size_t rsrcSize = 0;
    for (const auto& s : pe.sections) {
        if (dir.address >= s.virtualAddress &&
            dir.address <
                static_cast<std::uint64_t>(s.virtualAddress) + std::max(s.virtualSize, s.rawSize)) {
            rsrcSize = s.rawSize - (dir.address - s.virtualAddress);
        }
    }
    rsrcSize = std::min(rsrcSize, r.size() - base);
    const auto types = readResourceDirectory(r, base, rsrcSize, 0);
    const auto type = std::find_if(types.begin(), types.end(), [](const ResourceEntry& e) {
        return !e.named && e.id == kResourceTypeVersion;
    });
    if (type == types.end()) {
        return std::nullopt;
    }
    ResourceEntry entry = *type;
    for (int level = 1; level < 3; ++level) {
        if (!entry.directory) {
            fail(
                fmt::format("RT_VERSION resource at offset {:#x}: level {} is a leaf, expected a "
                            "directory",
                            base, level));
        }
        const auto children = readResourceDirectory(r, base, rsrcSize, entry.target);
        if (children.empty()) {
            return std::nullopt;
        }
        entry = children.front();
    }
    if (entry.directory) {
        fail(
            fmt::format("RT_VERSION resource at offset {:#x}: third level is a directory, "
                        "expected a data entry",
                        base + entry.target));
    }
    if (entry.target + 16ull > rsrcSize) {
        fail(fmt::format("RT_VERSION data entry at offset {:#x} lies outside the resource section",
                         base + entry.target));
    }
    const std::uint32_t dataRva = r.u32(base + entry.target, "resource data RVA");
    const std::uint32_t dataSize = r.u32(base + entry.target + 4, "resource data size");
    const std::size_t data = rvaToOffset(pe, r, dataRva, dataSize, "RT_VERSION data");
    return parseVersionInfo(r, data, dataSize);
}

// --- Authenticode ------------------------------------------------------------------------------

void parseSecurity(PeFile& pe, const Reader& r, const DataDirectory& dir) {
    if (dir.address == 0 || dir.size == 0) {
        return;
    }
    // The security directory holds a file offset, not an RVA.
    r.need(dir.address, dir.size, "security directory");
    std::size_t p = dir.address;
    const std::size_t end = static_cast<std::size_t>(dir.address) + dir.size;
    while (p + 8 <= end) {
        const std::uint32_t length = r.u32(p, "WIN_CERTIFICATE length");
        const std::uint16_t revision = r.u16(p + 4, "WIN_CERTIFICATE revision");
        const std::uint16_t type = r.u16(p + 6, "WIN_CERTIFICATE type");
        if (length < 8 || length > end - p) {
            fail(
                fmt::format("WIN_CERTIFICATE at offset {:#x} has length {} outside the security "
                            "directory ({} bytes left)",
                            p, length, end - p));
        }
        if (type == kCertTypePkcsSignedData && (revision == 0x0200 || revision == 0x0100)) {
            pe.hasSignature = true;
            auto signers = pkcs7Signers(r.bytes(p + 8, length - 8, "WIN_CERTIFICATE"));
            if (!signers) {
                fail(fmt::format("Authenticode signature at offset {:#x}{}", p + 8,
                                 signers.error()));
            }
            pe.signers.insert(pe.signers.end(), signers->begin(), signers->end());
        }
        p += (static_cast<std::size_t>(length) + 7) & ~static_cast<std::size_t>(7);
    }
}

// --- headers -----------------------------------------------------------------------------------

PeFile parse(std::span<const std::uint8_t> image) {
    const Reader r(image);
    PeFile pe;
    if (r.u16(0, "DOS header") != 0x5A4D) {
        fail("no 'MZ' DOS signature at offset 0x0");
    }
    const std::uint32_t peOffset = r.u32(0x3C, "e_lfanew");
    if (r.u32(peOffset, "PE signature") != 0x00004550) {
        fail(fmt::format("no 'PE\\0\\0' signature at offset {:#x} (e_lfanew)", peOffset));
    }
    const std::size_t coff = static_cast<std::size_t>(peOffset) + 4;
    pe.machine = r.u16(coff, "COFF header");
    const std::uint16_t sectionCount = r.u16(coff + 2, "COFF header");
    pe.timeDateStamp = r.u32(coff + 4, "COFF header");
    const std::uint16_t optionalSize = r.u16(coff + 16, "COFF header");
    pe.characteristics = r.u16(coff + 18, "COFF header");
    if (sectionCount > kMaxSections) {
        fail(fmt::format("COFF header at offset {:#x} declares {} sections (limit {})", coff,
                         sectionCount, kMaxSections));
    }
    const std::size_t opt = coff + 20;
    r.need(opt, optionalSize, "optional header");
    const std::uint16_t magic = r.u16(opt, "optional header magic");
    if (magic != 0x10b && magic != 0x20b) {
        fail(
            fmt::format("optional header at offset {:#x} has magic {:#x}, not PE32 (0x10b) or "
                        "PE32+ (0x20b)",
                        opt, magic));
    }
    pe.pe32Plus = magic == 0x20b;
    const std::size_t countAt = opt + (pe.pe32Plus ? 108 : 92);
    const std::size_t dirsAt = countAt + 4;
    if (countAt + 4 > opt + optionalSize) {
        fail(fmt::format("optional header at offset {:#x} is {} bytes, too short for its magic",
                         opt, optionalSize));
    }
    pe.subsystem = r.u16(opt + 68, "optional header subsystem");
    const std::uint32_t dirCount =
        std::min<std::uint32_t>(r.u32(countAt, "NumberOfRvaAndSizes"), 16);
    if (dirsAt + dirCount * 8ull > opt + optionalSize) {
        fail(
            fmt::format("optional header at offset {:#x}: {} data directories do not fit in its "
                        "{} bytes",
                        opt, dirCount, optionalSize));
    }
    std::vector<DataDirectory> dirs(16);
    for (std::uint32_t i = 0; i < dirCount; ++i) {
        dirs[i].address = r.u32(dirsAt + i * 8, "data directory");
        dirs[i].size = r.u32(dirsAt + i * 8 + 4, "data directory");
    }
    const std::size_t sections = opt + optionalSize;
    r.need(sections, sectionCount * 40ull, "section table");
    for (std::uint16_t i = 0; i < sectionCount; ++i) {
        const std::size_t s = sections + i * 40ull;
        PeSection sec;
        const auto name = r.bytes(s, 8, "section name");
        for (const auto c : name) {
            if (c == 0) {
                break;
            }
            sec.name.push_back(static_cast<char>(c >= 0x20 && c < 0x7f ? c : '?'));
        }
        sec.virtualSize = r.u32(s + 8, "section header");
        sec.virtualAddress = r.u32(s + 12, "section header");
        sec.rawSize = r.u32(s + 16, "section header");
        sec.rawOffset = r.u32(s + 20, "section header");
        sec.characteristics = r.u32(s + 36, "section header");
        if (sec.rawSize != 0 &&
            static_cast<std::uint64_t>(sec.rawOffset) + sec.rawSize > image.size()) {
            // Linkers pad the last section's raw size; clip it to the file rather than refuse.
            if (sec.rawOffset > image.size()) {
                fail(
                    fmt::format("section '{}' (header at offset {:#x}) starts at offset {:#x}, "
                                "past the end of the file ({} bytes)",
                                sec.name, s, sec.rawOffset, image.size()));
            }
            sec.rawSize = static_cast<std::uint32_t>(image.size() - sec.rawOffset);
        }
        pe.sections.push_back(std::move(sec));
    }
    pe.versionInfo = parseResources(pe, r, dirs[2]);
    parseSecurity(pe, r, dirs[4]);
    return pe;
}

}  // namespace

std::string PeVersionInfo::get(const std::string& key) const {
    const auto it = strings.find(key);
    return it == strings.end() ? std::string{} : it->second;
}

tl::expected<PeFile, Error> parsePe(std::span<const std::uint8_t> image) {
    try {
        return parse(image);
    } catch (const PeFail& e) {
        return tl::unexpected(Error{ErrorCode::kMalformedPe, e.message});
    } catch (const std::bad_alloc&) {
        return tl::unexpected(Error{ErrorCode::kInternal, "out of memory parsing a PE image"});
    }
}

tl::expected<PeFile, Error> parsePeFile(const std::filesystem::path& path,
                                        std::uintmax_t maxBytes) {
    std::error_code ec;
    const auto size = std::filesystem::file_size(path, ec);
    if (ec) {
        return tl::unexpected(Error{ec == std::errc::no_such_file_or_directory
                                        ? ErrorCode::kFileNotFound
                                        : ErrorCode::kUnreadable,
                                    fmt::format("{}: {}", path.string(), ec.message())});
    }
    if (size > maxBytes) {
        return tl::unexpected(Error{ErrorCode::kInvalidArgument,
                                    fmt::format("{}: {} bytes is more than the {} bytes read for "
                                                "a PE image",
                                                path.string(), size, maxBytes)});
    }
    std::ifstream in(path, std::ios::binary);
    std::vector<std::uint8_t> bytes(static_cast<std::size_t>(size));
    if (!in ||
        !in.read(reinterpret_cast<char*>(bytes.data()), static_cast<std::streamsize>(size))) {
        return tl::unexpected(
            Error{ErrorCode::kUnreadable, fmt::format("{}: cannot read", path.string())});
    }
    auto pe = parsePe(bytes);
    if (!pe) {
        return tl::unexpected(
            Error{pe.error().code, fmt::format("{}: {}", path.string(), pe.error().detail)});
    }
    return pe;
}

}  // namespace examguard::agent
