#pragma once

#include <cstddef>
#include <filesystem>
#include <optional>
#include <string>
#include <string_view>

#include "station/error.h"

namespace examguard::station::import {

// The encodings a clerk's spreadsheet realistically produces: "CSV UTF-8" (often with a BOM)
// and plain "CSV" from Chinese Excel, which is code page 936 (GBK, a subset of GB18030).
enum class TextEncoding {
    Utf8,
    Gbk,
    Gb18030,
};

// "utf-8", "gbk", "gb18030": the names used in JSON, on the command line and in logs.
const char* name(TextEncoding encoding);

// Accepts "utf-8"/"utf8", "gbk"/"cp936"/"gb2312", "gb18030", ASCII case-insensitive.
Expected<TextEncoding> parseTextEncoding(std::string_view text);

inline constexpr std::size_t kDefaultMaxImportBytes = std::size_t{64} * 1024 * 1024;

struct DecodeOptions {
    // Unset: detect (UTF-8 if the bytes are valid UTF-8, else GBK, else GB18030).
    std::optional<TextEncoding> encoding;
    std::size_t maxBytes = kDefaultMaxImportBytes;
};

struct DecodedText {
    std::string text;  // valid UTF-8, without BOM
    TextEncoding encoding = TextEncoding::Utf8;
    bool hadBom = false;
};

// Turns the raw bytes of an imported file into UTF-8. Fails with ErrorCode::BadInput when the
// file is too large, is UTF-16, contains a NUL byte or cannot be decoded; the detail names the
// 0-based byte offset and 1-based line of the first offending byte. ErrorCode::Io if glibc's
// iconv has no GBK/GB18030 converter installed.
Expected<DecodedText> decodeText(std::string_view bytes, const DecodeOptions& options = {});

// Reads a file (refusing it before reading when it exceeds options.maxBytes) and decodes it.
Expected<DecodedText> readTextFile(const std::filesystem::path& path,
                                   const DecodeOptions& options = {});

// 0-based offset of the first byte that is not part of well-formed UTF-8 (no overlong forms,
// no surrogates, nothing above U+10FFFF), or nullopt when all of `bytes` is valid.
std::optional<std::size_t> findInvalidUtf8(std::string_view bytes);

}  // namespace examguard::station::import
