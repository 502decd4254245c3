// libFuzzer target for the TF.js weights reader: the input is split at its first NUL byte into
// a manifest (JSON text) and the weight file's bytes. Whatever they hold, the result is an error
// value or tensors whose sizes match their shapes and whose values are all finite.
#include <cmath>
#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <cstring>
#include <span>
#include <string_view>

#include "face/tfjs_weights.h"

namespace {

void check(bool condition) {
    if (!condition) {
        std::abort();
    }
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    const auto* nul = static_cast<const std::uint8_t*>(std::memchr(data, 0, size));
    const std::size_t manifestSize = nul ? static_cast<std::size_t>(nul - data) : size;
    const std::string_view manifest(reinterpret_cast<const char*>(data), manifestSize);
    const std::span<const unsigned char> weights =
        nul ? std::span<const unsigned char>(nul + 1, size - manifestSize - 1)
            : std::span<const unsigned char>();
    const auto tensors = examguard::vision::detail::parseTfjsWeights(manifest, weights);
    if (!tensors) {
        check(tensors.error().code == examguard::vision::ErrorCode::ModelInvalid);
        return 0;
    }
    std::size_t values = 0;
    for (const auto& t : *tensors) {
        std::size_t count = 1;
        for (long d : t.shape) {
            check(d > 0);
            count *= static_cast<std::size_t>(d);
        }
        check(count == t.values.size());
        for (float v : t.values) {
            check(std::isfinite(v));
        }
        values += count;
    }
    check(values <= weights.size());  // at least one byte per value
    return 0;
}
