#pragma once

#include <string>
#include <string_view>

namespace examguard::agent {

// UTF-16 (as read from PE resources) to UTF-8; unpaired surrogates become U+FFFD.
std::string utf16ToUtf8(std::u16string_view text);

// ASCII lower case; other bytes unchanged.
std::string asciiLower(std::string_view text);

// Replaces invalid UTF-8 sequences with U+FFFD so the text can go into JSON.
std::string sanitizeUtf8(std::string_view text);

}  // namespace examguard::agent
