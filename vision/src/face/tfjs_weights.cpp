#include "face/tfjs_weights.h"

#include <bit>
#include <cmath>
#include <cstdint>
#include <cstring>
#include <exception>
#include <fstream>
#include <limits>

#include <nlohmann/json.hpp>

namespace examguard::vision::detail {

static_assert(std::endian::native == std::endian::little,
              "TF.js float32 weights are little-endian; add a byte swap for this platform");

namespace {

constexpr long kMaxDimension = 1L << 24;

Result<std::vector<unsigned char>> readFile(const std::filesystem::path& path,
                                            std::size_t maxBytes) {
    std::error_code ec;
    const auto size = std::filesystem::file_size(path, ec);
    if (ec) {
        return makeError(ErrorCode::ModelMissing,
                         "cannot read " + path.string() + ": " + ec.message());
    }
    if (size > maxBytes) {
        return makeError(ErrorCode::ModelInvalid, path.string() + " is implausibly large");
    }
    std::vector<unsigned char> data(static_cast<std::size_t>(size));
    std::ifstream in(path, std::ios::binary);
    if (!in || !in.read(reinterpret_cast<char*>(data.data()), static_cast<std::streamsize>(size))) {
        return makeError(ErrorCode::ModelMissing, "cannot read " + path.string());
    }
    return data;
}

// Element count of a shape, or 0 when a dimension is out of range or the product overflows
// `limit` (the caller then reports the tensor as malformed).
std::size_t elementCount(const std::vector<long>& shape, std::size_t limit) {
    std::size_t count = 1;
    for (long d : shape) {
        if (d < 1 || d > kMaxDimension) {
            return 0;
        }
        const auto ud = static_cast<std::size_t>(d);
        if (count > limit / ud) {
            return 0;
        }
        count *= ud;
    }
    return count;
}

}  // namespace

Result<std::vector<TfjsTensor>> parseTfjsWeights(std::string_view manifestJson,
                                                 std::span<const unsigned char> weights) {
    if (manifestJson.size() > kMaxTfjsManifestBytes || weights.size() > kMaxTfjsWeightBytes) {
        return makeError(ErrorCode::ModelInvalid, "weights manifest or file implausibly large");
    }
    const nlohmann::json manifest = nlohmann::json::parse(manifestJson, nullptr, false);
    if (manifest.is_discarded() || !manifest.is_array()) {
        return makeError(ErrorCode::ModelInvalid, "weights manifest is not a JSON array");
    }
    std::vector<TfjsTensor> tensors;
    std::size_t offset = 0;
    try {
        for (const auto& group : manifest) {
            const auto& list = group.at("weights");
            if (!list.is_array()) {
                return makeError(ErrorCode::ModelInvalid, "manifest group without a weights list");
            }
            for (const auto& w : list) {
                if (tensors.size() >= kMaxTfjsTensors) {
                    return makeError(ErrorCode::ModelInvalid, "too many tensors in the manifest");
                }
                TfjsTensor t;
                t.name = w.at("name").get<std::string>();
                t.shape = w.at("shape").get<std::vector<long>>();
                const std::size_t remaining = weights.size() - offset;
                const bool quantized = w.contains("quantization");
                const std::size_t bytesPer = quantized ? 1 : sizeof(float);
                const std::size_t count = elementCount(t.shape, remaining / bytesPer);
                if (count == 0) {
                    return makeError(ErrorCode::ModelInvalid,
                                     "tensor " + t.name +
                                         ": bad shape or more values than the weight file holds");
                }
                t.values.resize(count);
                const unsigned char* src = weights.data() + offset;
                if (quantized) {
                    const auto& q = w.at("quantization");
                    if (q.at("dtype").get<std::string>() != "uint8") {
                        return makeError(ErrorCode::ModelInvalid,
                                         "tensor " + t.name + ": unsupported quantization");
                    }
                    const double minValue = q.at("min").get<double>();
                    const double scale = q.at("scale").get<double>();
                    if (!std::isfinite(minValue) || !std::isfinite(scale) ||
                        !std::isfinite(minValue + 255.0 * scale)) {
                        return makeError(ErrorCode::ModelInvalid,
                                         "tensor " + t.name + ": non-finite quantization");
                    }
                    for (std::size_t i = 0; i < count; ++i) {
                        t.values[i] = static_cast<float>(minValue + scale * src[i]);
                    }
                } else {
                    if (w.at("dtype").get<std::string>() != "float32") {
                        return makeError(ErrorCode::ModelInvalid,
                                         "tensor " + t.name + ": only float32 is supported");
                    }
                    std::memcpy(t.values.data(), src, count * sizeof(float));
                    for (float v : t.values) {
                        if (!std::isfinite(v)) {
                            return makeError(ErrorCode::ModelInvalid,
                                             "tensor " + t.name + ": NaN or infinite weight");
                        }
                    }
                }
                offset += count * bytesPer;
                tensors.push_back(std::move(t));
            }
        }
    } catch (const std::exception& e) {
        // nlohmann's type_error/out_of_range for missing keys or wrong types; bad_alloc.
        return makeError(ErrorCode::ModelInvalid,
                         std::string("weights manifest malformed: ") + e.what());
    }
    if (offset != weights.size()) {
        return makeError(ErrorCode::ModelInvalid,
                         "weight file holds " + std::to_string(weights.size()) +
                             " bytes, its manifest describes " + std::to_string(offset));
    }
    return tensors;
}

Result<std::vector<TfjsTensor>> readTfjsWeights(const std::filesystem::path& manifestPath,
                                                const std::filesystem::path& weightsPath) {
    auto manifest = readFile(manifestPath, kMaxTfjsManifestBytes);
    if (!manifest) {
        return tl::unexpected(manifest.error());
    }
    auto weights = readFile(weightsPath, kMaxTfjsWeightBytes);
    if (!weights) {
        return tl::unexpected(weights.error());
    }
    auto parsed = parseTfjsWeights(
        std::string_view(reinterpret_cast<const char*>(manifest->data()), manifest->size()),
        *weights);
    if (!parsed) {
        parsed.error().detail = manifestPath.filename().string() + ": " + parsed.error().detail;
    }
    return parsed;
}

}  // namespace examguard::vision::detail
