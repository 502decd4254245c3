#pragma once

#include <cstdint>
#include <filesystem>
#include <map>
#include <optional>
#include <span>
#include <string>
#include <vector>

#include <tl/expected.hpp>

#include "agent/error.h"

namespace examguard::agent {

struct PeSection {
    std::string name;
    std::uint32_t virtualAddress = 0;
    std::uint32_t virtualSize = 0;
    std::uint32_t rawOffset = 0;
    std::uint32_t rawSize = 0;
    std::uint32_t characteristics = 0;
};

// VS_VERSIONINFO: the fixed file version and the StringFileInfo strings, UTF-8. When a file has
// several string tables (languages), the first one wins for each key.
struct PeVersionInfo {
    std::string fixedFileVersion;  // "a.b.c.d" from VS_FIXEDFILEINFO, empty when absent
    std::map<std::string, std::string> strings;

    std::string get(const std::string& key) const;
    std::string originalFilename() const { return get("OriginalFilename"); }
    std::string productName() const { return get("ProductName"); }
    std::string companyName() const { return get("CompanyName"); }
    std::string fileDescription() const { return get("FileDescription"); }
    std::string fileVersion() const { return get("FileVersion"); }
};

// One signer of the Authenticode PKCS#7 SignedData. The certificate chain is NOT verified: these
// are the names the file claims, good for recognising software, not for trusting it.
struct PeSigner {
    std::string subjectCommonName;
    std::string subjectOrganization;
    std::string issuerCommonName;
};

struct PeFile {
    std::uint16_t machine = 0;  // IMAGE_FILE_MACHINE_* (0x8664 x86-64, 0x14c i386, 0xaa64 ARM64)
    bool pe32Plus = false;      // optional header magic 0x20b
    std::uint16_t subsystem = 0;
    std::uint16_t characteristics = 0;
    std::uint32_t timeDateStamp = 0;
    std::vector<PeSection> sections;
    std::optional<PeVersionInfo> versionInfo;
    bool hasSignature = false;  // a security directory with a PKCS#7 WIN_CERTIFICATE
    std::vector<PeSigner> signers;
};

// Parses headers, sections, the version resource and the Authenticode signer names. Every read
// is bounds-checked; a malformed image gives kMalformedPe naming the structure and file offset.
// A broken resource tree or signature blob is an error too (a genuine signed program has neither).
tl::expected<PeFile, Error> parsePe(std::span<const std::uint8_t> image);

// Reads at most maxBytes of the file (larger files are refused) and parses it.
tl::expected<PeFile, Error> parsePeFile(const std::filesystem::path& path,
                                        std::uintmax_t maxBytes = 512ull * 1024 * 1024);

}  // namespace examguard::agent
