#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

#include <nlohmann/json.hpp>

namespace examguard::agent {

// UTF-16 (as read from PE resources) to UTF-8; unpaired surrogates become U+FFFD.
std::string utf16ToUtf8(std::u16string_view text);

// ASCII lower case; other bytes unchanged.
std::string asciiLower(std::string_view text);

// Replaces invalid UTF-8 sequences with U+FFFD so the text can go into JSON.
std::string sanitizeUtf8(std::string_view text);

// Exactly `digits` hex digits (either case) as a number; nullopt for anything else.
std::optional<std::uint32_t> parseHexDigits(std::string_view text, std::size_t digits);

// A string member of a JSON object from outside; empty when absent, of another type, or when
// `j` is not an object (nlohmann's value() would throw on a wrong type).
std::string stringField(const nlohmann::json& j, const char* key);

}  // namespace examguard::agent
