#pragma once

#include <string>
#include <string_view>

namespace examguard::agent {

// Every failure that crosses the agent core's boundary; front ends map these to words and exit
// codes.
enum class ErrorCode {
    kFileNotFound,
    kUnreadable,        // the file or /proc entry exists but cannot be read
    kMalformedPe,       // a PE image is truncated or inconsistent; detail names what and where
    kMalformedData,     // a catalogue, dpkg status, report or key file is malformed
    kSignatureInvalid,  // a report signature does not verify
    kCryptoFailed,      // OpenSSL refused a key or an operation
    kInvalidArgument,
    kInternal,
};

struct Error {
    ErrorCode code;
    std::string detail;
};

// Stable, machine-readable name of a code ("malformed_pe"), for logs and JSON.
std::string_view errorCodeName(ErrorCode code);

}  // namespace examguard::agent
