#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "station/error.h"

// BagIt (RFC 8493) text files: the manifests and bag-info.txt.
namespace examguard::archive {

using station::Expected;

inline constexpr std::string_view kBagitDeclaration =
    "BagIt-Version: 1.0\nTag-File-Character-Encoding: UTF-8\n";
inline constexpr const char* kBagitFile = "bagit.txt";
inline constexpr const char* kBagInfoFile = "bag-info.txt";
inline constexpr const char* kManifestFile = "manifest-sha256.txt";
inline constexpr const char* kTagManifestFile = "tagmanifest-sha256.txt";
inline constexpr const char* kTagSignatureFile = "tagmanifest-sha256.txt.p7s";

struct ManifestEntry {
    std::string sha256;  // lowercase hex
    std::string path;    // decoded
};

// One "<sha256> <path>" line per entry; CR, LF and % in paths percent-encoded (RFC 8493 §2.1.3).
std::string formatManifest(const std::vector<ManifestEntry>& entries);
// Strict: 64 hex digits, whitespace, a path; errors name the file and line.
Expected<std::vector<ManifestEntry>> parseManifest(std::string_view text, std::string_view fileName,
                                                   std::size_t maxEntries);

using BagInfo = std::vector<std::pair<std::string, std::string>>;
std::string formatBagInfo(const BagInfo& info);
Expected<BagInfo> parseBagInfo(std::string_view text, std::string_view fileName);
std::optional<std::string> bagInfoValue(const BagInfo& info, std::string_view label);

}  // namespace examguard::archive
