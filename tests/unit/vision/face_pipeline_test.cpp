#include "vision/face_pipeline.h"

#include <gtest/gtest.h>

#include "face_test_support.h"
#include "vision/image_io.h"

namespace examguard::vision::test {
namespace {

FacePipeline& pipeline() {
    static FacePipeline p = [] {
        auto made = FacePipeline::create();
        if (!made) {
            throw std::runtime_error(made.error().detail);
        }
        return std::move(*made);
    }();
    return p;
}

cv::Mat photo(const char* rel) {
    return *vision::readImage(facesDir() / rel);
}

TEST(FacePipeline, ComparesLikeTheCliContract) {
    auto a = pipeline().embedLargestFace(photo("east-asian/asianfaces_s03_an_zhijie/3_15.jpg"));
    auto b = pipeline().embedLargestFace(photo("east-asian/asianfaces_s03_an_zhijie/3_25.jpg"));
    auto c = pipeline().embedLargestFace(photo("east-asian/asianfaces_s02_a_du/2_1.jpg"));
    ASSERT_TRUE(a && b && c);
    const Comparison same = pipeline().compare(a->embedding, b->embedding);
    const Comparison other = pipeline().compare(a->embedding, c->embedding);
    EXPECT_TRUE(same.match);
    EXPECT_FALSE(other.match);
    EXPECT_EQ(same.threshold, pipeline().distanceThreshold());
    // match is exactly distance <= threshold, so `face compare` and `face embed` agree.
    EXPECT_EQ(same.match, same.distance <= same.threshold);
    EXPECT_DOUBLE_EQ(same.distance, euclideanDistance(a->embedding, b->embedding));
    EXPECT_EQ(pipeline().modelName(), kOnnxArcFaceModelName);
}

TEST(FacePipeline, EmbedsEveryFaceLargestFirst) {
    auto faces = pipeline().embedFaces(photo("deepface/couple.jpg"));
    ASSERT_TRUE(faces);
    ASSERT_EQ(faces->size(), 2U);
    EXPECT_GE(faces->at(0).box.area(), faces->at(1).box.area());
    EXPECT_EQ(faces->at(0).embedding.size(), 512U);
    EXPECT_FALSE(pipeline().compare(faces->at(0).embedding, faces->at(1).embedding).match);
}

TEST(FacePipeline, NoFaceIsAnErrorForTheLargestFace) {
    const cv::Mat wall =
        photo("east-asian/nuaa_client_0010/0010_01_05_03_132.jpg")(cv::Rect(0, 0, 90, 90)).clone();
    auto e = pipeline().embedLargestFace(wall);
    ASSERT_FALSE(e);
    EXPECT_EQ(e.error().code, ErrorCode::NoFace);
    auto all = pipeline().embedFaces(wall);
    ASSERT_TRUE(all);
    EXPECT_TRUE(all->empty());
}

}  // namespace
}  // namespace examguard::vision::test
