#pragma once

#include <string>
#include <utility>

#include <tl/expected.hpp>

namespace examguard::station {

// What went wrong, as a code the front ends translate and map to exit codes.
enum class ErrorCode {
    Io,            // a file or directory could not be read or written
    BadInput,      // input from outside was malformed (exit code 3)
    Invalid,       // input was well-formed but violates a rule (exit code 1 or 3)
    NotFound,      // the thing named does not exist
    Conflict,      // it already exists or contradicts stored state
    Database,      // SQLite reported an error
    SchemaTooNew,  // the database was written by a newer ExamGuard
    Crypto,        // OpenSSL reported an error or a key is missing
    AuthFailed,    // wrong login or password
    Locked,        // account locked after repeated failures
    PermissionDenied,
};

struct Error {
    ErrorCode code;
    std::string detail;  // English, for logs and as the source string for translation
};

template <typename T>
using Expected = tl::expected<T, Error>;

inline tl::unexpected<Error> fail(ErrorCode code, std::string detail) {
    return tl::unexpected<Error>(Error{code, std::move(detail)});
}

const char* errorCodeName(ErrorCode code);

}  // namespace examguard::station
