#include "vision/face_liveness.h"

#include <gtest/gtest.h>
#include <opencv2/imgproc.hpp>

#include "face_test_support.h"

namespace examguard::vision::test {
namespace {

PassiveLiveness& sharedLiveness() {
    static PassiveLiveness model = [] {
        auto m = PassiveLiveness::create();
        if (!m) {
            throw std::runtime_error(m.error().detail);
        }
        return std::move(*m);
    }();
    return model;
}

std::vector<std::filesystem::path> filesIn(const std::filesystem::path& dir) {
    std::vector<std::filesystem::path> out;
    for (const auto& f : std::filesystem::directory_iterator(dir)) {
        out.push_back(f.path());
    }
    std::sort(out.begin(), out.end());
    return out;
}

// The package's own channel order, for the measurement printed beside the default's.
PassiveLiveness& rgbLiveness() {
    static PassiveLiveness model = [] {
        PassiveLivenessOptions rgb;
        rgb.bgrInput = false;
        auto m = PassiveLiveness::create(modelsDir(), rgb);
        if (!m) {
            throw std::runtime_error(m.error().detail);
        }
        return std::move(*m);
    }();
    return model;
}

LivenessScore scoreOf(const std::filesystem::path& p, PassiveLiveness& model = sharedLiveness()) {
    const cv::Mat img = readImage(p);
    auto s = model.score(img, largestFace(img).box);
    if (!s) {
        throw std::runtime_error(s.error().detail);
    }
    return *s;
}

TEST(PassiveLiveness, PrintedPhotoAttacksFailAndLiveFramesPass) {
    int attacks = 0, attacksPassed = 0, live = 0, liveRefused = 0;
    double maxAttack = 0.0, minLive = 1.0;
    int rgbAttacksPassed = 0, rgbLiveRefused = 0;
    double rgbMaxAttack = 0.0, rgbMinLive = 1.0;
    for (const auto& p : filesIn(facesDir() / "spoof/fake")) {
        const LivenessScore s = scoreOf(p);
        const LivenessScore rgb = scoreOf(p, rgbLiveness());
        rgbAttacksPassed += rgb.live ? 1 : 0;
        rgbMaxAttack = std::max(rgbMaxAttack, rgb.liveProbability);
        ++attacks;
        attacksPassed += s.live ? 1 : 0;
        maxAttack = std::max(maxAttack, s.liveProbability);
        EXPECT_FALSE(s.live) << p << " passed with " << s.liveProbability;
    }
    // Live webcam frames: spoof/real plus the NUAA client frames of the East Asian set.
    std::vector<std::filesystem::path> liveFrames = filesIn(facesDir() / "spoof/real");
    for (const auto& photo : eastAsianPhotos()) {
        if (photo.identity.rfind("nuaa_client_", 0) == 0) {
            liveFrames.push_back(photo.path);
        }
    }
    for (const auto& p : liveFrames) {
        const LivenessScore s = scoreOf(p);
        const LivenessScore rgb = scoreOf(p, rgbLiveness());
        rgbLiveRefused += rgb.live ? 0 : 1;
        rgbMinLive = std::min(rgbMinLive, rgb.liveProbability);
        ++live;
        liveRefused += s.live ? 0 : 1;
        minLive = std::min(minLive, s.liveProbability);
    }
    std::printf(
        "passive liveness: %d/%d printed-photo attacks passed (max live p %.4f), "
        "%d/%d live frames refused (min live p %.4f)\n",
        attacksPassed, attacks, maxAttack, liveRefused, live, minLive);
    std::printf(
        "  (package's RGB order instead: %d/%d attacks passed, max live p %.4f; %d/%d live "
        "refused, min live p %.4f)\n",
        rgbAttacksPassed, attacks, rgbMaxAttack, rgbLiveRefused, live, rgbMinLive);
    EXPECT_EQ(attacks, 12);
    EXPECT_EQ(live, 24);
    EXPECT_EQ(attacksPassed, 0);
    EXPECT_LE(liveRefused, live * 5 / 100);
}

TEST(PassiveLiveness, CropIsSquareInsideTheImageAndModelSized) {
    const cv::Mat img = readImage(filesIn(facesDir() / "spoof/real").front());
    const cv::Mat corner = livenessCrop(img, cv::Rect(600, 440, 40, 40), 2.7);
    EXPECT_EQ(corner.size(), cv::Size(128, 128));
    const cv::Mat huge = livenessCrop(img, cv::Rect(100, 100, 400, 400), 2.7);  // clamped to 480
    EXPECT_EQ(huge.size(), cv::Size(128, 128));
}

TEST(PassiveLiveness, BadInputIsAnErrorValue) {
    auto none = sharedLiveness().score(cv::Mat(), cv::Rect(0, 0, 10, 10));
    ASSERT_FALSE(none);
    EXPECT_EQ(none.error().code, ErrorCode::ImageInvalid);
    auto outside = sharedLiveness().score(cv::Mat(100, 100, CV_8UC3, cv::Scalar(1, 2, 3)),
                                          cv::Rect(200, 200, 50, 50));
    ASSERT_FALSE(outside);
    EXPECT_EQ(outside.error().code, ErrorCode::NoFace);
    auto missing = PassiveLiveness::create("/nonexistent");
    ASSERT_FALSE(missing);
    EXPECT_EQ(missing.error().code, ErrorCode::ModelMissing);
}

}  // namespace
}  // namespace examguard::vision::test
