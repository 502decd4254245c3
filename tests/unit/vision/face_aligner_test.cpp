#include "vision/face_aligner.h"

#include <gtest/gtest.h>
#include <opencv2/imgproc.hpp>

#include "face_test_support.h"

namespace examguard::vision::test {
namespace {

TEST(FaceAligner, ChipsHaveTheSizesTheNetworksNeed) {
    const cv::Mat img = readImage(facesDir() / "east-asian/nuaa_client_0012/0012_01_07_03_240.jpg");
    const DetectedFace face = largestFace(img);
    auto dlibChip = alignChip(ChipKind::Dlib150, img, face.landmarks);
    auto arcChip = alignChip(ChipKind::ArcFace112, img, face.landmarks);
    ASSERT_TRUE(dlibChip && arcChip);
    EXPECT_EQ(dlibChip->size(), cv::Size(150, 150));
    EXPECT_EQ(arcChip->size(), cv::Size(112, 112));
    EXPECT_EQ(dlibChip->type(), CV_8UC3);
    EXPECT_EQ(arcChip->type(), CV_8UC3);
}

TEST(FaceAligner, ArcFaceChipPutsTheEyesOnTheTemplate) {
    // Re-detect the face inside its own chip (upscaled so HOG sees it): the eyes must land near
    // the ArcFace template's eye positions, and level.
    const cv::Mat img = readImage(facesDir() / "east-asian/nuaa_client_0012/0012_01_07_03_240.jpg");
    cv::Mat rotated;
    const cv::Mat rot = cv::getRotationMatrix2D(cv::Point2f(320, 240), 20.0, 1.0);
    cv::warpAffine(img, rotated, rot, img.size());
    const DetectedFace face = largestFace(rotated);
    auto chip = alignArcFaceChip(rotated, face.landmarks);
    ASSERT_TRUE(chip);
    cv::Mat big;
    cv::resize(*chip, big, cv::Size(), 4.0, 4.0, cv::INTER_CUBIC);
    const auto five = fivePoints(largestFace(big).landmarks);
    EXPECT_NEAR(five[0].x / 4.0, 38.3, 6.0);
    EXPECT_NEAR(five[1].x / 4.0, 73.5, 6.0);
    EXPECT_NEAR(five[0].y / 4.0, 51.7, 6.0);
    EXPECT_NEAR(five[1].y / 4.0, 51.5, 6.0);
}

TEST(FaceAligner, AlignmentIsDeterministic) {
    const cv::Mat img = readImage(facesDir() / "east-asian/nuaa_client_0012/0012_01_07_03_240.jpg");
    const DetectedFace face = largestFace(img);
    for (auto kind : {ChipKind::Dlib150, ChipKind::ArcFace112}) {
        auto a = alignChip(kind, img, face.landmarks);
        auto b = alignChip(kind, img, face.landmarks);
        ASSERT_TRUE(a && b);
        EXPECT_EQ(cv::norm(*a, *b, cv::NORM_INF), 0.0);
    }
}

TEST(FaceAligner, DegenerateLandmarksAreAnErrorNotACrash) {
    const cv::Mat img = readImage(facesDir() / "east-asian/nuaa_client_0012/0012_01_07_03_240.jpg");
    FaceLandmarks collapsed;  // all 68 points at the origin
    for (auto kind : {ChipKind::Dlib150, ChipKind::ArcFace112}) {
        auto chip = alignChip(kind, img, collapsed);
        ASSERT_FALSE(chip);
        EXPECT_EQ(chip.error().code, ErrorCode::NoFace);
    }
    auto bad = alignDlibChip(cv::Mat(), collapsed);
    ASSERT_FALSE(bad);
    EXPECT_EQ(bad.error().code, ErrorCode::ImageInvalid);
}

}  // namespace
}  // namespace examguard::vision::test
