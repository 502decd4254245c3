// The TF.js weights reader on face-api's real files and on hostile variants of them.
#include "face/tfjs_weights.h"

#include <cmath>
#include <cstring>
#include <fstream>
#include <limits>

#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

#include "vision/assets.h"

namespace examguard::vision::test {
namespace {

using detail::parseTfjsWeights;

std::string slurp(const std::filesystem::path& p) {
    std::ifstream in(p, std::ios::binary);
    return {std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>()};
}

std::span<const unsigned char> bytes(const std::string& s) {
    return {reinterpret_cast<const unsigned char*>(s.data()), s.size()};
}

class TfjsWeights : public ::testing::Test {
protected:
    void SetUp() override {
        m_manifest = slurp(modelsDir() / "face_recognition_model-weights_manifest.json");
        m_weights = slurp(modelsDir() / "face_recognition_model.bin");
        ASSERT_FALSE(m_manifest.empty()) << "run scripts/setup.sh";
    }
    std::string m_manifest, m_weights;
};

TEST_F(TfjsWeights, FaceApiFilesParse) {
    auto t = parseTfjsWeights(m_manifest, bytes(m_weights));
    ASSERT_TRUE(t) << t.error().detail;
    ASSERT_EQ(t->size(), 117U);
    EXPECT_EQ(t->front().name, "conv32_down/conv/filters");
    EXPECT_EQ(t->front().values.size(), 7U * 7 * 3 * 32);
    EXPECT_EQ(t->back().name, "fc");
    EXPECT_EQ(t->back().values.size(), 256U * 128);
    for (const auto& tensor : *t) {
        for (float v : tensor.values) {
            ASSERT_TRUE(std::isfinite(v)) << tensor.name;
        }
    }
}

TEST_F(TfjsWeights, WeightFileOfTheWrongLengthIsRefused) {
    for (const std::string& w :
         {m_weights.substr(0, m_weights.size() - 1), m_weights + "x", std::string()}) {
        auto t = parseTfjsWeights(m_manifest, bytes(w));
        ASSERT_FALSE(t);
        EXPECT_EQ(t.error().code, ErrorCode::ModelInvalid);
    }
}

TEST_F(TfjsWeights, HostileManifestsAreErrorsNotCrashes) {
    const nlohmann::json real = nlohmann::json::parse(m_manifest);
    auto edited = [&](auto&& edit) {
        nlohmann::json m = real;
        edit(m[0]["weights"][0]);
        return m.dump();
    };
    const std::vector<std::string> manifests{
        "",
        "{}",
        "[1, 2]",
        "[{\"weights\": 5}]",
        "[{\"weights\": [{\"name\": 1}]}]",
        edited([](auto& w) {
            w["shape"] = {-7, 7, 3, 32};
        }),
        edited([](auto& w) {
            w["shape"] = {1 << 24, 1 << 24, 1 << 24, 1 << 24};
        }),
        edited([](auto& w) {
            w["shape"] = {7, 7, 3, 0};
        }),
        edited([](auto& w) { w["shape"] = "big"; }),
        edited([](auto& w) { w["quantization"]["dtype"] = "uint16"; }),
        edited([](auto& w) { w["quantization"]["scale"] = 1e308; }),
        edited([](auto& w) { w["quantization"].erase("min"); }),
        edited([](auto& w) {
            w.erase("quantization");
            w["dtype"] = "int32";
        }),
    };
    for (const auto& m : manifests) {
        auto t = parseTfjsWeights(m, bytes(m_weights));
        ASSERT_FALSE(t) << m.substr(0, 80);
        EXPECT_EQ(t.error().code, ErrorCode::ModelInvalid);
    }
}

TEST(TfjsWeightsSmall, RawFloatsAreReadAndNaNIsRefused) {
    const std::string manifest =
        R"([{"weights": [{"name": "a", "shape": [2], "dtype": "float32"},
                         {"name": "b", "shape": [3], "dtype": "float32",
                          "quantization": {"dtype": "uint8", "min": -1.0, "scale": 0.5}}]}])";
    std::string w(8, '\0');
    const float values[2] = {1.5F, -2.0F};
    std::memcpy(w.data(), values, sizeof values);
    w += std::string("\x00\x02\x04", 3);
    auto t = parseTfjsWeights(manifest, bytes(w));
    ASSERT_TRUE(t) << t.error().detail;
    EXPECT_EQ((*t)[0].values, (std::vector<float>{1.5F, -2.0F}));
    EXPECT_EQ((*t)[1].values, (std::vector<float>{-1.0F, 0.0F, 1.0F}));

    const float nan = std::numeric_limits<float>::quiet_NaN();
    std::memcpy(w.data(), &nan, sizeof nan);
    auto bad = parseTfjsWeights(manifest, bytes(w));
    ASSERT_FALSE(bad);
    EXPECT_NE(bad.error().detail.find("NaN"), std::string::npos);
}

}  // namespace
}  // namespace examguard::vision::test
