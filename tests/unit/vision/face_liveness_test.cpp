#include "vision/face_liveness.h"

#include <gtest/gtest.h>
#include <opencv2/imgproc.hpp>

#include "face_test_support.h"
#include "vision/face_geometry.h"

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

LivenessScore scoreOf(const std::filesystem::path& p) {
    const cv::Mat img = readImage(p);
    auto s = sharedLiveness().score(img, largestFace(img).box);
    if (!s) {
        throw std::runtime_error(s.error().detail);
    }
    return *s;
}

TEST(PassiveLiveness, PrintedPhotoAttacksFailAndLiveFramesPass) {
    int attacks = 0, attacksPassed = 0, live = 0, liveRefused = 0;
    double maxAttack = 0.0, minLive = 1.0;
    for (const auto& p : filesIn(facesDir() / "spoof/fake")) {
        const LivenessScore s = scoreOf(p);
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
        ++live;
        liveRefused += s.live ? 0 : 1;
        minLive = std::min(minLive, s.liveProbability);
    }
    std::printf(
        "passive liveness: %d/%d printed-photo attacks passed (max live p %.4f), "
        "%d/%d live frames refused (min live p %.4f)\n",
        attacksPassed, attacks, maxAttack, liveRefused, live, minLive);
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

// ---- active challenge ------------------------------------------------------------------

// Real landmarks of a live, frontal frame; the sequences below warp them.
FaceLandmarks frontalLandmarks() {
    static const FaceLandmarks lm =
        largestFace(readImage(facesDir() / "east-asian/nuaa_client_0014/0014_01_06_03_251.jpg"))
            .landmarks;
    return lm;
}

// Eyelids moved towards each eye's horizontal axis: closed = 1 leaves EAR near 0.
FaceLandmarks withEyesClosed(FaceLandmarks lm, double closed) {
    for (int eye : {36, 42}) {
        auto& p = lm.points;
        const auto i = static_cast<std::size_t>(eye);
        const float axisY = 0.5F * (p[i].y + p[i + 3].y);
        for (std::size_t k : {i + 1, i + 2, i + 4, i + 5}) {
            p[k].y = static_cast<float>(p[k].y + closed * (axisY - p[k].y));
        }
    }
    return lm;
}

// Head turned: the inner face (nose, mouth, eyes) shifts sideways relative to the outer eye
// corners, as a yaw rotation moves the protruding nose tip. shift in units of the eye span.
FaceLandmarks withYaw(FaceLandmarks lm, double shift) {
    const float span = lm.points[45].x - lm.points[36].x;
    for (std::size_t k = 27; k <= 35; ++k) {
        lm.points[k].x += static_cast<float>(shift * span);
    }
    return lm;
}

TEST(ActiveChallenge, EyeAspectRatioDropsWhenEyesClose) {
    const double open = eyeAspectRatio(frontalLandmarks());
    EXPECT_GT(open, 0.22);
    EXPECT_LT(eyeAspectRatio(withEyesClosed(frontalLandmarks(), 0.8)), 0.1);
}

TEST(ActiveChallenge, YawFollowsTheNose) {
    EXPECT_LT(std::abs(headPose(frontalLandmarks()).yawDeg), 5.0);
    EXPECT_GT(headPose(withYaw(frontalLandmarks(), 0.15)).yawDeg, 20.0);
    EXPECT_LT(headPose(withYaw(frontalLandmarks(), -0.15)).yawDeg, -20.0);
}

// 10 fps sequence: per-frame warps of the real landmarks.
std::vector<FrameCues> sequence(const std::vector<FaceLandmarks>& frames,
                                std::int64_t startMs = 0) {
    std::vector<FrameCues> out;
    for (std::size_t i = 0; i < frames.size(); ++i) {
        out.push_back(frameCues(startMs + static_cast<std::int64_t>(i) * 100, frames[i]));
    }
    return out;
}

std::vector<FaceLandmarks> blinkFrames() {
    std::vector<FaceLandmarks> f;
    for (double c : {0.0, 0.0, 0.5, 0.9, 0.9, 0.5, 0.0, 0.0}) {
        f.push_back(withEyesClosed(frontalLandmarks(), c));
    }
    return f;
}

std::vector<FaceLandmarks> turnFrames(double direction) {
    std::vector<FaceLandmarks> f;
    for (double s : {0.0, 0.05, 0.1, 0.15, 0.2, 0.15, 0.05, 0.0}) {
        f.push_back(withYaw(frontalLandmarks(), direction * s));
    }
    return f;
}

TEST(ActiveChallenge, RecordedSequenceWithBlinkAndTurnsPasses) {
    std::vector<FaceLandmarks> frames = blinkFrames();
    for (const auto& f : turnFrames(-1.0))
        frames.push_back(f);  // candidate's right
    for (const auto& f : turnFrames(+1.0))
        frames.push_back(f);  // candidate's left
    const std::vector<ChallengeStep> steps{ChallengeStep::Blink, ChallengeStep::TurnRight,
                                           ChallengeStep::TurnLeft};
    const auto cues = sequence(frames);
    const ChallengeResult r = evaluateChallenge(cues, steps);
    EXPECT_EQ(r.outcome, ChallengeOutcome::Passed)
        << toString(r.outcome) << " after " << r.stepsCompleted;
    EXPECT_EQ(r.stepsCompleted, 3U);
}

TEST(ActiveChallenge, StillImageRepeatedAsVideoFails) {
    const std::vector<FaceLandmarks> frames(80, frontalLandmarks());  // 8 s of the same photo
    const std::vector<ChallengeStep> steps{ChallengeStep::TurnLeft, ChallengeStep::Blink};
    const ChallengeResult r = evaluateChallenge(sequence(frames), steps);
    EXPECT_EQ(r.outcome, ChallengeOutcome::TimedOut);
    EXPECT_EQ(r.stepsCompleted, 0U);
}

TEST(ActiveChallenge, StepsOutOfOrderDoNotCount) {
    std::vector<FaceLandmarks> frames = turnFrames(+1.0);  // left turn first...
    for (const auto& f : blinkFrames())
        frames.push_back(f);
    const std::vector<ChallengeStep> steps{ChallengeStep::TurnRight,
                                           ChallengeStep::Blink};  // ...asked right
    const ChallengeResult r = evaluateChallenge(sequence(frames), steps);
    EXPECT_NE(r.outcome, ChallengeOutcome::Passed);
}

TEST(ActiveChallenge, SlowStepTimesOutAndLostFaceIsReported) {
    std::vector<FaceLandmarks> frames = blinkFrames();
    std::vector<FrameCues> cues = sequence(frames);
    // 6 s of a still face, then the turn: too late.
    auto late = sequence(turnFrames(+1.0), 6800);
    std::vector<FrameCues> still =
        sequence(std::vector<FaceLandmarks>(60, frontalLandmarks()), 800);
    cues.insert(cues.end(), still.begin(), still.end());
    cues.insert(cues.end(), late.begin(), late.end());
    const std::vector<ChallengeStep> steps{ChallengeStep::Blink, ChallengeStep::TurnLeft};
    const ChallengeResult r = evaluateChallenge(cues, steps);
    EXPECT_EQ(r.outcome, ChallengeOutcome::TimedOut);
    EXPECT_EQ(r.stepsCompleted, 1U);

    std::vector<FrameCues> gone = sequence({frontalLandmarks()});
    for (int i = 1; i <= 60; ++i) {
        FrameCues c;
        c.timestampMs = i * 100;
        gone.push_back(c);  // faceFound = false
    }
    const std::vector<ChallengeStep> blink{ChallengeStep::Blink};
    EXPECT_EQ(evaluateChallenge(gone, blink).outcome, ChallengeOutcome::FaceLost);
    EXPECT_EQ(evaluateChallenge({}, blink).outcome, ChallengeOutcome::NoFrames);
}

}  // namespace
}  // namespace examguard::vision::test
