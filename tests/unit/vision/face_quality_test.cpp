#include "vision/face_quality.h"

#include <algorithm>
#include <set>

#include <gtest/gtest.h>
#include <opencv2/imgproc.hpp>

#include "face_test_support.h"
#include "vision/face_geometry.h"

namespace examguard::vision::test {
namespace {

bool has(const QualityReport& r, QualityIssue issue) {
    return std::find(r.issues.begin(), r.issues.end(), issue) != r.issues.end();
}

QualityReport assess(const cv::Mat& img) {
    auto faces = sharedDetector().detect(img);
    if (!faces) {
        throw std::runtime_error(faces.error().detail);
    }
    return assessQuality(img, *faces);
}

const char* kFrontal = "east-asian/nuaa_client_0015/0015_01_05_03_187.jpg";

TEST(FaceQuality, LiveWebcamFramesOfTheEastAsianSetAllPass) {
    int checked = 0;
    for (const auto& photo : eastAsianPhotos()) {
        if (photo.identity.rfind("nuaa_client_", 0) != 0) {
            continue;  // web portraits: some are turned or tiny on purpose
        }
        const QualityReport r = assess(readImage(photo.path));
        EXPECT_TRUE(r.ok()) << photo.path << ": "
                            << (r.issues.empty() ? "" : toString(r.issues.front()));
        ++checked;
    }
    EXPECT_EQ(checked, 18);
}

TEST(FaceQuality, NoFace) {
    const cv::Mat img = readImage(facesDir() / kFrontal);
    const QualityReport r = assess(img(cv::Rect(0, 0, 100, 100)).clone());
    ASSERT_EQ(r.issues.size(), 1U);
    EXPECT_EQ(r.issues.front(), QualityIssue::NoFace);
}

TEST(FaceQuality, TwoPeopleIsAnotherPersonInView) {
    const QualityReport r = assess(readImage(facesDir() / "deepface/couple.jpg"));
    EXPECT_EQ(r.faceCount, 2);
    ASSERT_FALSE(r.issues.empty());
    EXPECT_EQ(r.issues.front(), QualityIssue::AnotherPersonInView);
}

TEST(FaceQuality, DistantFaceIsTooSmall) {
    cv::Mat small;
    cv::resize(readImage(facesDir() / kFrontal), small, cv::Size(), 0.4, 0.4, cv::INTER_AREA);
    const QualityReport r = assess(small);
    EXPECT_EQ(r.faceCount, 1);
    EXPECT_TRUE(has(r, QualityIssue::FaceTooSmall));
    EXPECT_LT(r.faceWidthPx, 80);
}

TEST(FaceQuality, DefocusedFaceIsTooBlurry) {
    const cv::Mat img = readImage(facesDir() / kFrontal);
    cv::Mat blurred;
    cv::GaussianBlur(img, blurred, cv::Size(), 3.0);
    const QualityReport sharp = assess(img);
    const QualityReport r = assess(blurred);
    EXPECT_FALSE(has(sharp, QualityIssue::TooBlurry));
    EXPECT_TRUE(has(r, QualityIssue::TooBlurry)) << r.sharpness;
    EXPECT_LT(r.sharpness, sharp.sharpness / 4);
}

TEST(FaceQuality, UnderAndOverExposure) {
    const cv::Mat img = readImage(facesDir() / kFrontal);
    cv::Mat dark, bright;
    img.convertTo(dark, -1, 0.3, 0.0);
    img.convertTo(bright, -1, 3.0, 60.0);  // a washed-out face: most pixels clip
    const QualityReport d = assess(dark);
    const QualityReport b = assess(bright);
    EXPECT_TRUE(has(d, QualityIssue::TooDark)) << d.meanLuma;
    EXPECT_FALSE(has(d, QualityIssue::TooBright));
    EXPECT_TRUE(has(b, QualityIssue::TooBright)) << b.meanLuma;
    EXPECT_FALSE(has(b, QualityIssue::TooDark));
}

TEST(FaceQuality, FaceCutByTheBorderIsOutOfFrame) {
    const cv::Mat img = readImage(facesDir() / kFrontal);
    const DetectedFace face = largestFace(img);
    // Keep everything above the mouth: the chin and jaw leave the picture.
    const int cut = static_cast<int>(face.landmarks.points[57].y);
    const QualityReport r = assess(img(cv::Rect(0, 0, img.cols, cut)).clone());
    if (r.faceCount == 0) {
        GTEST_FAIL() << "the cut face was not detected at all";
    }
    EXPECT_TRUE(has(r, QualityIssue::FaceOutOfFrame));
}

TEST(FaceQuality, TurnedHeadIsReported) {
    const QualityReport r = assess(
        readImage(facesDir() /
                  "east-asian/asianfaces_s01_an_hu/7a899e510fb30f248625fbfbc995d143ac4b038e.jpg"));
    EXPECT_TRUE(has(r, QualityIssue::HeadTurned)) << r.yawDeg;
    EXPECT_GT(r.yawDeg, 25.0);
}

TEST(FaceQuality, EveryIssueHasItsOwnCode) {
    std::set<std::string_view> codes;
    for (int i = 0; i <= static_cast<int>(QualityIssue::TooBlurry); ++i) {
        codes.insert(toString(static_cast<QualityIssue>(i)));
    }
    EXPECT_EQ(codes.size(), 9U);
    EXPECT_EQ(codes.count("unknown"), 0U);
    EXPECT_EQ(toString(QualityIssue::AnotherPersonInView), "another_person_in_view");
}

TEST(FaceGeometry, PoseIsAntisymmetricForMirroredLandmarks) {
    const cv::Mat img = readImage(facesDir() / "east-asian/nuaa_client_0013/0013_01_07_03_263.jpg");
    const FaceLandmarks lm = largestFace(img).landmarks;
    // Mirror x and relabel the points so left and right landmarks swap as they would on a
    // mirrored face (jaw 0<->16, brows, eyes, nose wings, mouth).
    FaceLandmarks mirrored;
    auto put = [&](int from, int to) {
        mirrored.points[static_cast<std::size_t>(to)] =
            cv::Point2f(static_cast<float>(img.cols) - lm.points[static_cast<std::size_t>(from)].x,
                        lm.points[static_cast<std::size_t>(from)].y);
    };
    for (int i = 0; i <= 16; ++i)
        put(i, 16 - i);
    for (int i = 17; i <= 26; ++i)
        put(i, 43 - i);
    for (int i = 27; i <= 30; ++i)
        put(i, i);
    for (int i = 31; i <= 35; ++i)
        put(i, 66 - i);
    const int eyes[12] = {45, 44, 43, 42, 47, 46, 39, 38, 37, 36, 41, 40};
    for (int i = 0; i < 12; ++i)
        put(36 + i, eyes[i]);
    const int outer[12] = {54, 53, 52, 51, 50, 49, 48, 59, 58, 57, 56, 55};
    for (int i = 0; i < 12; ++i)
        put(48 + i, outer[i]);
    const int inner[8] = {64, 63, 62, 61, 60, 67, 66, 65};
    for (int i = 0; i < 8; ++i)
        put(60 + i, inner[i]);

    const HeadPose a = headPose(lm);
    const HeadPose b = headPose(mirrored);
    EXPECT_GT(std::abs(a.yawDeg), 5.0);
    EXPECT_NEAR(a.yawDeg, -b.yawDeg, 1e-6);
    EXPECT_NEAR(a.pitchDeg, b.pitchDeg, 1e-6);
    EXPECT_NEAR(eyeAspectRatio(lm), eyeAspectRatio(mirrored), 1e-6);
}

}  // namespace
}  // namespace examguard::vision::test
