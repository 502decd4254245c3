#include "station/error.h"

namespace examguard::station {

const char* errorCodeName(ErrorCode code) {
    switch (code) {
        case ErrorCode::Io:
            return "io";
        case ErrorCode::BadInput:
            return "bad_input";
        case ErrorCode::Invalid:
            return "invalid";
        case ErrorCode::NotFound:
            return "not_found";
        case ErrorCode::Conflict:
            return "conflict";
        case ErrorCode::Database:
            return "database";
        case ErrorCode::SchemaTooNew:
            return "schema_too_new";
        case ErrorCode::Crypto:
            return "crypto";
        case ErrorCode::AuthFailed:
            return "auth_failed";
        case ErrorCode::Locked:
            return "locked";
        case ErrorCode::PermissionDenied:
            return "permission_denied";
    }
    return "unknown";
}

}  // namespace examguard::station
