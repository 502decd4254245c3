#include "station/import/text_encoding.h"

#include <iconv.h>

#include <algorithm>
#include <cerrno>
#include <cstdio>
#include <fstream>
#include <system_error>

namespace examguard::station::import {
namespace {

constexpr std::string_view kUtf8Bom = "\xEF\xBB\xBF";

bool equalsAsciiNoCase(std::string_view a, std::string_view b) {
    return std::equal(a.begin(), a.end(), b.begin(), b.end(), [](char x, char y) {
        const auto lower = [](char c) {
            return c >= 'A' && c <= 'Z' ? static_cast<char>(c - 'A' + 'a') : c;
        };
        return lower(x) == lower(y);
    });
}

// Every supported encoding keeps 0x0A out of multi-byte sequences (GBK trail bytes are
// 0x40-0xFE, GB18030 four-byte sequences use 0x30-0x39), so counting raw LF bytes gives the
// line a clerk sees in the editor, whatever the encoding.
std::size_t lineAt(std::string_view bytes, std::size_t offset) {
    const auto prefix = bytes.substr(0, offset);
    return 1 + static_cast<std::size_t>(std::count(prefix.begin(), prefix.end(), '\n'));
}

std::string hexByte(unsigned char byte) {
    char buf[8];
    std::snprintf(buf, sizeof buf, "0x%02X", static_cast<unsigned>(byte));
    return buf;
}

std::string describeBadByte(std::string_view bytes, std::size_t offset) {
    std::string out = "byte " + hexByte(static_cast<unsigned char>(bytes[offset]));
    out += " at offset " + std::to_string(offset) + " (line " +
           std::to_string(lineAt(bytes, offset)) + ")";
    return out;
}

// Owns an iconv descriptor so every exit path closes it.
class IconvHandle {
public:
    IconvHandle(const char* to, const char* from) : m_cd(::iconv_open(to, from)) {}
    ~IconvHandle() {
        if (ok()) {
            ::iconv_close(m_cd);
        }
    }
    IconvHandle(const IconvHandle&) = delete;
    IconvHandle& operator=(const IconvHandle&) = delete;
    bool ok() const { return m_cd != reinterpret_cast<iconv_t>(-1); }
    iconv_t get() const { return m_cd; }

private:
    iconv_t m_cd;
};

const char* iconvName(TextEncoding encoding) {
    switch (encoding) {
        case TextEncoding::Utf8:
            return "UTF-8";
        case TextEncoding::Gbk:
            return "GBK";
        case TextEncoding::Gb18030:
            return "GB18030";
    }
    return "UTF-8";
}

struct LegacyResult {
    std::string text;
    std::optional<std::size_t> badOffset;  // set when the input could not be decoded
    bool unavailable = false;              // iconv has no converter for this encoding
};

LegacyResult convertToUtf8(std::string_view bytes, TextEncoding from) {
    LegacyResult result;
    IconvHandle cd("UTF-8", iconvName(from));
    if (!cd.ok()) {
        result.unavailable = true;
        return result;
    }
    // A two-byte GBK character becomes at most three UTF-8 bytes, a four-byte GB18030 one at
    // most four, so 1.5x plus slack is enough; E2BIG still grows the buffer in case it is not.
    std::string out(bytes.size() + bytes.size() / 2 + 16, '\0');
    // iconv's POSIX signature takes char** but never writes through the input pointer.
    char* in = const_cast<char*>(bytes.data());
    std::size_t inLeft = bytes.size();
    std::size_t used = 0;
    while (true) {
        char* outPtr = out.data() + used;
        std::size_t outLeft = out.size() - used;
        const std::size_t rc =
            ::iconv(cd.get(), inLeft > 0 ? &in : nullptr, &inLeft, &outPtr, &outLeft);
        used = static_cast<std::size_t>(outPtr - out.data());
        if (rc != static_cast<std::size_t>(-1)) {
            break;  // success means all input was consumed
        }
        if (errno == E2BIG) {
            out.resize(out.size() * 2);
            continue;
        }
        // EILSEQ (invalid sequence) or EINVAL (sequence cut off by the end of the file): `in`
        // points at the start of the offending sequence.
        result.badOffset = static_cast<std::size_t>(in - bytes.data());
        return result;
    }
    out.resize(used);
    result.text = std::move(out);
    return result;
}

Expected<DecodedText> decodeUtf8(std::string_view bytes, bool hadBom) {
    const std::size_t skip = hadBom ? kUtf8Bom.size() : 0;
    if (const auto bad = findInvalidUtf8(bytes.substr(skip))) {
        return fail(ErrorCode::BadInput, "not valid UTF-8: " + describeBadByte(bytes, *bad + skip));
    }
    return DecodedText{std::string(bytes.substr(skip)), TextEncoding::Utf8, hadBom};
}

Expected<DecodedText> decodeLegacy(std::string_view bytes, TextEncoding encoding) {
    auto converted = convertToUtf8(bytes, encoding);
    if (converted.unavailable) {
        return fail(ErrorCode::Io, std::string("iconv cannot convert from ") + name(encoding) +
                                       " (are glibc's gconv modules installed?)");
    }
    if (converted.badOffset) {
        return fail(ErrorCode::BadInput, std::string("not valid ") + name(encoding) + ": " +
                                             describeBadByte(bytes, *converted.badOffset));
    }
    return DecodedText{std::move(converted.text), encoding, false};
}

}  // namespace

const char* name(TextEncoding encoding) {
    switch (encoding) {
        case TextEncoding::Utf8:
            return "utf-8";
        case TextEncoding::Gbk:
            return "gbk";
        case TextEncoding::Gb18030:
            return "gb18030";
    }
    return "unknown";
}

Expected<TextEncoding> parseTextEncoding(std::string_view text) {
    for (std::string_view n : {"utf-8", "utf8"}) {
        if (equalsAsciiNoCase(text, n)) {
            return TextEncoding::Utf8;
        }
    }
    // GB2312 and CP936 are what Windows and older tools call the same family; GBK is a superset
    // of GB2312 and glibc's GBK matches CP936 for the characters that matter here.
    for (std::string_view n : {"gbk", "cp936", "gb2312"}) {
        if (equalsAsciiNoCase(text, n)) {
            return TextEncoding::Gbk;
        }
    }
    if (equalsAsciiNoCase(text, "gb18030")) {
        return TextEncoding::Gb18030;
    }
    return fail(ErrorCode::BadInput, "unknown text encoding '" + std::string(text) +
                                         "' (expected utf-8, gbk or gb18030)");
}

std::optional<std::size_t> findInvalidUtf8(std::string_view bytes) {
    const auto* p = reinterpret_cast<const unsigned char*>(bytes.data());
    const std::size_t n = bytes.size();
    std::size_t i = 0;
    while (i < n) {
        const unsigned char c = p[i];
        if (c < 0x80) {
            ++i;
            continue;
        }
        std::size_t len = 0;
        unsigned char lo = 0x80;  // allowed range of the second byte (rules out overlong
        unsigned char hi = 0xBF;  // forms, surrogates and code points above U+10FFFF)
        if (c >= 0xC2 && c <= 0xDF) {
            len = 2;
        } else if (c >= 0xE0 && c <= 0xEF) {
            len = 3;
            if (c == 0xE0) {
                lo = 0xA0;
            } else if (c == 0xED) {
                hi = 0x9F;
            }
        } else if (c >= 0xF0 && c <= 0xF4) {
            len = 4;
            if (c == 0xF0) {
                lo = 0x90;
            } else if (c == 0xF4) {
                hi = 0x8F;
            }
        } else {
            return i;
        }
        if (i + 1 >= n || p[i + 1] < lo || p[i + 1] > hi) {
            return i;
        }
        for (std::size_t k = 2; k < len; ++k) {
            if (i + k >= n || p[i + k] < 0x80 || p[i + k] > 0xBF) {
                return i;
            }
        }
        i += len;
    }
    return std::nullopt;
}

Expected<DecodedText> decodeText(std::string_view bytes, const DecodeOptions& options) {
    if (bytes.size() > options.maxBytes) {
        return fail(ErrorCode::BadInput, "file is " + std::to_string(bytes.size()) +
                                             " bytes, more than the limit of " +
                                             std::to_string(options.maxBytes) + " bytes");
    }
    // Excel's "Unicode text" is UTF-16; say so rather than reporting a NUL at offset 1.
    if (bytes.starts_with("\xFF\xFE") || bytes.starts_with("\xFE\xFF")) {
        return fail(ErrorCode::BadInput,
                    "file is UTF-16, which is not supported; save it as \"CSV UTF-8\" or \"CSV\"");
    }
    if (const auto nul = bytes.find('\0'); nul != std::string_view::npos) {
        return fail(ErrorCode::BadInput,
                    "file contains a NUL byte at offset " + std::to_string(nul) + " (line " +
                        std::to_string(lineAt(bytes, nul)) + "); it is not a text file");
    }
    const bool hasBom = bytes.starts_with(kUtf8Bom);

    if (options.encoding) {
        if (*options.encoding == TextEncoding::Utf8) {
            return decodeUtf8(bytes, hasBom);
        }
        // A BOM means some program wrote UTF-8; decoding it as GBK would import mojibake.
        if (hasBom) {
            return fail(ErrorCode::BadInput, std::string("file starts with a UTF-8 BOM but ") +
                                                 name(*options.encoding) + " was requested");
        }
        return decodeLegacy(bytes, *options.encoding);
    }

    const auto badUtf8 = findInvalidUtf8(bytes);
    if (!badUtf8 || hasBom) {
        return decodeUtf8(bytes, hasBom);
    }
    // GBK first so that a plain Excel file is reported as what it is; GB18030 covers the rest
    // (rare characters in names, encoded as four bytes).
    auto gbk = convertToUtf8(bytes, TextEncoding::Gbk);
    if (!gbk.unavailable && !gbk.badOffset) {
        return DecodedText{std::move(gbk.text), TextEncoding::Gbk, false};
    }
    auto gb18030 = convertToUtf8(bytes, TextEncoding::Gb18030);
    if (gb18030.unavailable) {
        return fail(ErrorCode::Io,
                    "file is not UTF-8 and iconv cannot convert from GB18030 (are glibc's gconv "
                    "modules installed?)");
    }
    if (!gb18030.badOffset) {
        return DecodedText{std::move(gb18030.text), TextEncoding::Gb18030, false};
    }
    // Report the reading that got furthest: it is the encoding the file most likely is, with
    // one damaged spot, and that spot is what the clerk has to fix.
    if (*badUtf8 >= *gb18030.badOffset) {
        return fail(ErrorCode::BadInput, "not valid UTF-8 or GB18030: " +
                                             describeBadByte(bytes, *badUtf8) + " is not UTF-8");
    }
    return fail(ErrorCode::BadInput,
                "not valid UTF-8 or GB18030: " + describeBadByte(bytes, *gb18030.badOffset) +
                    " is not GB18030");
}

Expected<DecodedText> readTextFile(const std::filesystem::path& path,
                                   const DecodeOptions& options) {
    std::error_code ec;
    const auto size = std::filesystem::file_size(path, ec);
    if (ec) {
        return fail(ErrorCode::Io, "cannot read " + path.string() + ": " + ec.message());
    }
    if (size > options.maxBytes) {
        return fail(ErrorCode::BadInput, path.string() + " is " + std::to_string(size) +
                                             " bytes, more than the limit of " +
                                             std::to_string(options.maxBytes) + " bytes");
    }
    std::ifstream in(path, std::ios::binary);
    if (!in) {
        return fail(ErrorCode::Io, "cannot open " + path.string());
    }
    // One byte more than stat reported, so a file that grew meanwhile is noticed rather than
    // silently imported cut short.
    std::string bytes(static_cast<std::size_t>(size) + 1, '\0');
    in.read(bytes.data(), static_cast<std::streamsize>(bytes.size()));
    if (in.bad()) {
        return fail(ErrorCode::Io, "error reading " + path.string());
    }
    bytes.resize(static_cast<std::size_t>(in.gcount()));
    if (bytes.size() > size) {
        return fail(ErrorCode::Io, path.string() + " changed while it was being read");
    }
    return decodeText(bytes, options);
}

}  // namespace examguard::station::import
