#include "vision/assets.h"

#include <cstdlib>
#include <fstream>

#include <gtest/gtest.h>

#include "vision/face_detector.h"
#include "vision/face_embedder.h"

namespace examguard::vision {
namespace {

// Restores EXAMGUARD_ASSETS_DIR after a test changes it.
class AssetsEnv : public ::testing::Test {
protected:
    void SetUp() override {
        if (const char* v = std::getenv("EXAMGUARD_ASSETS_DIR")) {
            m_saved = v;
            m_had = true;
        }
    }
    void TearDown() override {
        if (m_had) {
            setenv("EXAMGUARD_ASSETS_DIR", m_saved.c_str(), 1);
        } else {
            unsetenv("EXAMGUARD_ASSETS_DIR");
        }
    }
    std::string m_saved;
    bool m_had = false;
};

TEST_F(AssetsEnv, EnvironmentOverridesTheBuiltInDirectory) {
    setenv("EXAMGUARD_ASSETS_DIR", "/nonexistent/examguard-assets", 1);
    EXPECT_EQ(assetsDir(), std::filesystem::path("/nonexistent/examguard-assets"));
    EXPECT_EQ(modelsDir(), std::filesystem::path("/nonexistent/examguard-assets/models"));
}

TEST_F(AssetsEnv, MissingModelsAreErrorValuesNotCrashes) {
    setenv("EXAMGUARD_ASSETS_DIR", "/nonexistent/examguard-assets", 1);
    for (auto kind : {EmbedderKind::DlibResnet, EmbedderKind::OnnxArcFace}) {
        auto e = createEmbedder(kind, modelsDir());
        ASSERT_FALSE(e);
        EXPECT_EQ(e.error().code, ErrorCode::ModelMissing);
        EXPECT_NE(e.error().detail.find("/nonexistent/examguard-assets/models"), std::string::npos);
    }
    auto d = FaceDetector::create("/nonexistent/shape_predictor.dat");
    ASSERT_FALSE(d);
    EXPECT_EQ(d.error().code, ErrorCode::ModelMissing);
}

TEST(Assets, CorruptModelFilesAreModelInvalid) {
    const auto dir = std::filesystem::temp_directory_path() / "examguard_vision_corrupt_models";
    std::filesystem::create_directories(dir);
    for (const char* name : {"fr_feature.onnx", "face_recognition_model.bin",
                             "face_recognition_model-weights_manifest.json"}) {
        std::ofstream(dir / name) << "not a model";
    }
    for (auto kind : {EmbedderKind::DlibResnet, EmbedderKind::OnnxArcFace}) {
        auto e = createEmbedder(kind, dir);
        ASSERT_FALSE(e);
        EXPECT_EQ(e.error().code, ErrorCode::ModelInvalid) << e.error().detail;
    }
    std::filesystem::remove_all(dir);
}

TEST(Assets, InstalledModelsLoad) {
    // scripts/setup.d/50-face-models.sh must have run: a missing model is a failure here.
    for (auto kind : {EmbedderKind::DlibResnet, EmbedderKind::OnnxArcFace}) {
        auto e = createEmbedder(kind);
        ASSERT_TRUE(e) << e.error().detail;
    }
    EXPECT_TRUE(FaceDetector::create());
}

}  // namespace
}  // namespace examguard::vision
