#pragma once

#include <string>
#include <string_view>

namespace examguard::netaudit {

// Every failure that crosses the library boundary; front ends map these to words and exit codes.
enum class ErrorCode {
    kFileNotFound,
    kCaptureOpenFailed,  // libpcap refused the file or interface (corrupt header, no permission)
    kCaptureReadFailed,  // the file broke off or is corrupt after a valid header
    kUnsupportedLinkType,
    kBadFilter,          // BPF filter did not compile
    kRegistryInvalid,    // the machine registry CSV is malformed
    kSignaturesInvalid,  // the signature table JSON is malformed
    kInvalidArgument,
    kInjectFailed,
    kInternal,
};

struct Error {
    ErrorCode code;
    std::string detail;
};

// Stable, machine-readable name of a code ("capture_read_failed"), for logs and JSON.
std::string_view errorCodeName(ErrorCode code);

}  // namespace examguard::netaudit
