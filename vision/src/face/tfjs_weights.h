#pragma once

#include <cstddef>
#include <filesystem>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "vision/error.h"

namespace examguard::vision::detail {

// One tensor of a TensorFlow.js weights manifest, dequantized to float32.
struct TfjsTensor {
    std::string name;
    std::vector<long> shape;
    std::vector<float> values;
};

// Limits on what a manifest may describe: far above face-api's files (20 KB manifest, 6 MB of
// weights, 117 tensors) and far below what would exhaust memory.
inline constexpr std::size_t kMaxTfjsManifestBytes = 1U << 20;
inline constexpr std::size_t kMaxTfjsWeightBytes = 64U << 20;
inline constexpr std::size_t kMaxTfjsTensors = 4096;

// Parses a TF.js weights manifest (the JSON text) and the bytes of its weight file. Tensors
// are laid out back to back in manifest order: quantized ones ("quantization": {"dtype":
// "uint8", "min", "scale"}) as one byte each, value = min + scale * q; the others as
// little-endian float32. Every size, offset and value is checked before use; anything
// inconsistent (unknown dtype, bytes missing or left over, NaN, absurd shape) is
// ErrorCode::ModelInvalid naming the tensor. Never throws.
Result<std::vector<TfjsTensor>> parseTfjsWeights(std::string_view manifestJson,
                                                 std::span<const unsigned char> weights);

// Reads both files (size-limited) and parses them.
Result<std::vector<TfjsTensor>> readTfjsWeights(const std::filesystem::path& manifestPath,
                                                const std::filesystem::path& weightsPath);

}  // namespace examguard::vision::detail
