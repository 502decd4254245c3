#include "vision/face_embedder.h"

#include <cmath>
#include <fstream>
#include <sstream>

#include <gtest/gtest.h>

#include "face_test_support.h"

namespace examguard::vision {
// Readable parameter names in ctest ("DlibResnet" instead of "4-byte object <00-00 00-00>").
void PrintTo(EmbedderKind kind, std::ostream* os) {
    *os << (kind == EmbedderKind::DlibResnet ? "DlibResnet" : "OnnxArcFace");
}
}  // namespace examguard::vision

namespace examguard::vision::test {
namespace {

// tests/data/vision/face_reference.txt: a photo, its 68 landmarks, and one embedding per model.
struct Reference {
    std::filesystem::path photo;
    FaceLandmarks landmarks;
    std::map<std::string, std::vector<float>> embeddings;
};

Reference loadReference() {
    Reference ref;
    std::ifstream in(std::filesystem::path(EXAMGUARD_TEST_DATA) / "vision/face_reference.txt");
    std::string line;
    while (std::getline(in, line)) {
        std::istringstream ss(line);
        std::string head;
        ss >> head;
        if (head == "#") {
            std::string word, path;
            ss >> word >> path;
            ref.photo = std::filesystem::path(EXAMGUARD_SHARED_DATA) / path;
        } else if (head == "landmarks") {
            for (auto& p : ref.landmarks.points) {
                ss >> p.x >> p.y;
            }
        } else if (!head.empty()) {
            std::vector<float> v;
            float x = 0;
            while (ss >> x) {
                v.push_back(x);
            }
            ref.embeddings[head] = v;
        }
    }
    return ref;
}

class EmbedderPinning : public ::testing::TestWithParam<EmbedderKind> {};

TEST_P(EmbedderPinning, FixedChipGivesTheStoredEmbedding) {
    const Reference ref = loadReference();
    FaceEmbedder& embedder = sharedEmbedder(GetParam());
    ASSERT_EQ(ref.embeddings.count(std::string(embedder.name())), 1U)
        << "no reference for " << embedder.name();
    const std::vector<float>& expected = ref.embeddings.at(std::string(embedder.name()));
    auto chip = alignChip(embedder.chipKind(), readImage(ref.photo), ref.landmarks);
    ASSERT_TRUE(chip);
    auto got = embedder.embed(*chip);
    ASSERT_TRUE(got) << got.error().detail;
    ASSERT_EQ(got->size(), expected.size());
    for (std::size_t i = 0; i < expected.size(); ++i) {
        ASSERT_NEAR((*got)[i], expected[i], 1e-4) << embedder.name() << " component " << i;
    }
}

TEST_P(EmbedderPinning, DetectorReproducesTheStoredLandmarks) {
    const Reference ref = loadReference();
    const DetectedFace face = largestFace(readImage(ref.photo));
    for (std::size_t i = 0; i < ref.landmarks.points.size(); ++i) {
        EXPECT_NEAR(face.landmarks.points[i].x, ref.landmarks.points[i].x, 1.0) << i;
        EXPECT_NEAR(face.landmarks.points[i].y, ref.landmarks.points[i].y, 1.0) << i;
    }
}

TEST_P(EmbedderPinning, SamePersonIsCloserThanAnotherPerson) {
    FaceEmbedder& embedder = sharedEmbedder(GetParam());
    auto embedPhoto = [&](const char* rel) {
        const cv::Mat img = readImage(facesDir() / rel);
        auto chip = alignChip(embedder.chipKind(), img, largestFace(img).landmarks);
        auto e = embedder.embed(*chip);
        if (!e) {
            throw std::runtime_error(e.error().detail);
        }
        return *e;
    };
    const auto a1 = embedPhoto("east-asian/nuaa_client_0013/0013_01_07_03_263.jpg");
    const auto a2 = embedPhoto("east-asian/nuaa_client_0013/0013_01_07_03_428.jpg");
    const auto b = embedPhoto("east-asian/nuaa_client_0014/0014_01_06_03_251.jpg");
    const double same = euclideanDistance(a1, a2);
    const double different = euclideanDistance(a1, b);
    EXPECT_LE(same, embedder.distanceThreshold());
    EXPECT_GT(different, embedder.distanceThreshold());
    EXPECT_EQ(euclideanDistance(a1, a1), 0.0);
}

TEST_P(EmbedderPinning, WrongChipsAreRefused) {
    FaceEmbedder& embedder = sharedEmbedder(GetParam());
    for (const cv::Mat& bad :
         {cv::Mat(), cv::Mat(100, 100, CV_8UC3, cv::Scalar(0, 0, 0)),
          cv::Mat(150, 150, CV_8UC1, cv::Scalar(0)), cv::Mat(112, 112, CV_8UC1, cv::Scalar(0))}) {
        auto e = embedder.embed(bad);
        ASSERT_FALSE(e);
        EXPECT_EQ(e.error().code, ErrorCode::ChipInvalid);
    }
}

INSTANTIATE_TEST_SUITE_P(BothBackends, EmbedderPinning,
                         ::testing::Values(EmbedderKind::DlibResnet, EmbedderKind::OnnxArcFace),
                         [](const auto& paramInfo) {
                             return paramInfo.param == EmbedderKind::DlibResnet
                                        ? std::string("DlibResnet")
                                        : std::string("OnnxArcFace");
                         });

TEST(FaceEmbedder, OnnxEmbeddingsAreUnitLength) {
    const cv::Mat img = readImage(facesDir() / "deepface/img1.jpg");
    FaceEmbedder& embedder = sharedEmbedder(EmbedderKind::OnnxArcFace);
    auto e = embedder.embed(*alignChip(ChipKind::ArcFace112, img, largestFace(img).landmarks));
    ASSERT_TRUE(e);
    double n = 0;
    for (float x : *e) {
        n += static_cast<double>(x) * x;
    }
    EXPECT_NEAR(std::sqrt(n), 1.0, 1e-5);
}

TEST(FaceEmbedder, EmbeddingsOfDifferentLengthNeverMatch) {
    const std::vector<float> a(128, 0.0F), b(512, 0.0F);
    EXPECT_TRUE(std::isinf(euclideanDistance(a, b)));
    EXPECT_TRUE(std::isinf(euclideanDistance({}, {})));
}

TEST(FaceEmbedder, DefaultIsTheOnnxModel) {
    EXPECT_EQ(kDefaultEmbedder, EmbedderKind::OnnxArcFace);
    EXPECT_EQ(sharedEmbedder(kDefaultEmbedder).name(), kOnnxArcFaceModelName);
}

}  // namespace
}  // namespace examguard::vision::test
