#pragma once

#include <string>
#include <string_view>
#include <vector>

#include <tl/expected.hpp>

#include "agent/error.h"

namespace examguard::agent {

using Bytes = std::vector<unsigned char>;

// Base64 and PEM written out in portable C++: the Windows agent has no OpenSSL (Debian has none
// for mingw-w64), and the same code is unit-tested and fuzzed on Linux.
std::string base64Encode(const unsigned char* data, std::size_t size);
// Standard alphabet; line breaks and spaces are skipped, '=' only at the end. kMalformedData on
// any other character or a length that is not whole bytes.
tl::expected<Bytes, Error> base64Decode(std::string_view text);

// "-----BEGIN <label>-----\n" + base64 in lines of 64 + "-----END <label>-----\n".
std::string pemEncode(std::string_view label, const Bytes& der);
// The DER bytes of the first block with this label; kMalformedData naming the label when there
// is none or its body is not base64.
tl::expected<Bytes, Error> pemDecode(std::string_view text, std::string_view label);

}  // namespace examguard::agent
