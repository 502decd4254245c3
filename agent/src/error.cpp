#include "agent/error.h"

namespace examguard::agent {

std::string_view errorCodeName(ErrorCode code) {
    switch (code) {
        case ErrorCode::kFileNotFound:
            return "file_not_found";
        case ErrorCode::kUnreadable:
            return "unreadable";
        case ErrorCode::kMalformedPe:
            return "malformed_pe";
        case ErrorCode::kMalformedData:
            return "malformed_data";
        case ErrorCode::kSignatureInvalid:
            return "signature_invalid";
        case ErrorCode::kCryptoFailed:
            return "crypto_failed";
        case ErrorCode::kInvalidArgument:
            return "invalid_argument";
        case ErrorCode::kInternal:
            return "internal";
    }
    return "internal";
}

}  // namespace examguard::agent
