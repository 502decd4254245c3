#pragma once

#include <string>
#include <string_view>

#include <tl/expected.hpp>

namespace examguard::vision {

// Every failure the vision library reports. Front ends map these to translated prompts; the
// library never throws across its API.
enum class ErrorCode {
    ModelMissing,     // a model file is absent (run scripts/setup.sh)
    ModelInvalid,     // a model file exists but cannot be parsed or loaded
    ImageUnreadable,  // file missing, truncated or not an image
    ImageInvalid,     // empty, wrong depth/channels, too small or too large to process
    ChipInvalid,      // an aligned chip of the wrong size or type was passed to an embedder
    InferenceFailed,  // the network raised an error while running
    NoFace,           // no face found where one was required
};

struct Error {
    ErrorCode code;
    std::string detail;
};

template <typename T>
using Result = tl::expected<T, Error>;

// Stable snake_case identifiers for logs and JSON ("model_missing", ...).
std::string_view toString(ErrorCode code);

inline tl::unexpected<Error> makeError(ErrorCode code, std::string detail) {
    return tl::unexpected<Error>(Error{code, std::move(detail)});
}

}  // namespace examguard::vision
