#include "vision/face_detector.h"

#include <gtest/gtest.h>
#include <opencv2/imgproc.hpp>

#include "face_test_support.h"

namespace examguard::vision::test {
namespace {

TEST(FaceDetector, FindsOneFaceWithLandmarksInAWebcamFrame) {
    const cv::Mat img = readImage(facesDir() / "east-asian/nuaa_client_0011/0011_01_07_03_225.jpg");
    auto faces = sharedDetector().detect(img);
    ASSERT_TRUE(faces) << faces.error().detail;
    ASSERT_EQ(faces->size(), 1U);
    const DetectedFace& f = faces->front();
    EXPECT_GT(f.box.width, 80);
    // Landmarks are anatomically ordered: the left-image eye is left of the right one, the nose
    // tip below the eyes and above the mouth, the chin lowest.
    const auto& p = f.landmarks.points;
    EXPECT_LT(p[36].x, p[45].x);
    EXPECT_GT(p[30].y, p[36].y);
    EXPECT_LT(p[30].y, p[62].y);
    EXPECT_GT(p[8].y, p[62].y);
    EXPECT_TRUE(f.box.contains(p[30]));
}

TEST(FaceDetector, FindsBothFacesOfACouple) {
    auto faces = sharedDetector().detect(readImage(facesDir() / "deepface/couple.jpg"));
    ASSERT_TRUE(faces);
    EXPECT_EQ(faces->size(), 2U);
    EXPECT_GE(faces->at(0).box.area(), faces->at(1).box.area());  // largest first
}

TEST(FaceDetector, FindsManyFacesInAGroupSelfie) {
    auto faces = sharedDetector().detect(readImage(facesDir() / "deepface/selfie-many-people.jpg"));
    ASSERT_TRUE(faces);
    EXPECT_GE(faces->size(), 3U);
}

TEST(FaceDetector, GrayscaleAndBgraInputsWork) {
    const cv::Mat img = readImage(facesDir() / "east-asian/nuaa_client_0011/0011_01_07_03_225.jpg");
    cv::Mat gray, bgra;
    cv::cvtColor(img, gray, cv::COLOR_BGR2GRAY);
    cv::cvtColor(img, bgra, cv::COLOR_BGR2BGRA);
    for (const cv::Mat& m : {gray, bgra}) {
        auto faces = sharedDetector().detect(m);
        ASSERT_TRUE(faces);
        EXPECT_EQ(faces->size(), 1U);
    }
}

TEST(FaceDetector, FacelessAndTinyImagesGiveNoFaces) {
    const cv::Mat img = readImage(facesDir() / "east-asian/nuaa_client_0011/0011_01_07_03_225.jpg");
    auto none = sharedDetector().detect(img(cv::Rect(0, 0, 60, 60)).clone());  // a corner: wall
    ASSERT_TRUE(none);
    EXPECT_TRUE(none->empty());
    cv::Mat tiny;
    cv::resize(img, tiny, cv::Size(16, 12));
    auto t = sharedDetector().detect(tiny);
    ASSERT_TRUE(t);
    EXPECT_TRUE(t->empty());
}

TEST(FaceDetector, BadImagesAreErrorValues) {
    auto empty = sharedDetector().detect(cv::Mat());
    ASSERT_FALSE(empty);
    EXPECT_EQ(empty.error().code, ErrorCode::ImageInvalid);
    auto deep = sharedDetector().detect(cv::Mat(100, 100, CV_16UC3, cv::Scalar(1000, 1000, 1000)));
    ASSERT_FALSE(deep);
    EXPECT_EQ(deep.error().code, ErrorCode::ImageInvalid);
    auto twoChannel = sharedDetector().detect(cv::Mat(100, 100, CV_8UC2, cv::Scalar(0, 0)));
    ASSERT_FALSE(twoChannel);
}

TEST(FaceDetector, LargeImagesAreScannedReducedWithBoxesInFullResolution) {
    const cv::Mat img = readImage(facesDir() / "east-asian/nuaa_client_0011/0011_01_07_03_225.jpg");
    cv::Mat big;
    cv::resize(img, big, cv::Size(), 4.0, 4.0, cv::INTER_LINEAR);  // 2560x1920
    auto small = sharedDetector().detect(img);
    auto large = sharedDetector().detect(big);
    ASSERT_TRUE(small && large);
    ASSERT_EQ(large->size(), 1U);
    // Boxes from different pyramid levels differ by a few HOG cells; landmarks agree closely.
    EXPECT_NEAR(large->front().box.x, 4 * small->front().box.x, 0.15 * large->front().box.width);
    for (int i : {30, 36, 45, 48, 54}) {
        EXPECT_NEAR(large->front().landmarks.points[i].x, 4 * small->front().landmarks.points[i].x,
                    16)
            << i;
        EXPECT_NEAR(large->front().landmarks.points[i].y, 4 * small->front().landmarks.points[i].y,
                    16)
            << i;
    }
}

}  // namespace
}  // namespace examguard::vision::test
