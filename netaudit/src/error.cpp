#include "netaudit/error.h"

namespace examguard::netaudit {

std::string_view errorCodeName(ErrorCode code) {
    switch (code) {
        case ErrorCode::kFileNotFound:
            return "file_not_found";
        case ErrorCode::kCaptureOpenFailed:
            return "capture_open_failed";
        case ErrorCode::kCaptureReadFailed:
            return "capture_read_failed";
        case ErrorCode::kUnsupportedLinkType:
            return "unsupported_link_type";
        case ErrorCode::kBadFilter:
            return "bad_filter";
        case ErrorCode::kRegistryInvalid:
            return "registry_invalid";
        case ErrorCode::kSignaturesInvalid:
            return "signatures_invalid";
        case ErrorCode::kInvalidArgument:
            return "invalid_argument";
        case ErrorCode::kInjectFailed:
            return "inject_failed";
        case ErrorCode::kInternal:
            return "internal";
    }
    return "unknown";
}

}  // namespace examguard::netaudit
