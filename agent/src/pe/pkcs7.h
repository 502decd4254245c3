#pragma once

#include <cstdint>
#include <span>
#include <string>
#include <vector>

#include <tl/expected.hpp>

#include "agent/pe.h"

namespace examguard::agent {

// The signer names of an Authenticode PKCS#7 SignedData (DER, untrusted). OpenSSL on Linux and
// the station (pkcs7_openssl.cpp), crypt32 on Windows (pkcs7_windows.cpp). The error completes
// "Authenticode signature at offset 0x…" (" is not DER PKCS#7", ": the signer's …").
tl::expected<std::vector<PeSigner>, std::string> pkcs7Signers(std::span<const std::uint8_t> der);

}  // namespace examguard::agent
