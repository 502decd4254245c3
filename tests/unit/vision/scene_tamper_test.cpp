// Camera tamper analysis on the real clip ../shared/data/video/one-by-one-person-detection.mp4
// (people walk up to a table one at a time and leave): the clean clip raises nothing, and every
// tamper injected into its decoded frames with a seeded random onset, length and strength
// (tamper_injection.h) is found with the right kind, starting within 2 s of the onset and
// ending within 2 s of the end.
#include <functional>

#include <gtest/gtest.h>
#include <opencv2/imgcodecs.hpp>

#include "tamper_injection.h"
#include "vision/scene_tamper.h"

namespace examguard::vision::test {
namespace {

using scene::TamperAnalyzer;
using scene::TamperConfig;
using scene::TamperEvent;
using scene::TamperKind;

// Decoded once per test process (about 280 frames at 2 fps, 320 px wide).
const std::vector<TimedFrame>& clip() {
    static const std::vector<TimedFrame> frames = decodeDecimated(sceneClipPath(), TamperConfig{});
    return frames;
}

std::vector<TimedFrame> window(double startS, double lengthS) {
    std::vector<TimedFrame> out;
    for (const TimedFrame& f : clip()) {
        if (f.timeS >= startS && f.timeS < startS + lengthS) {
            out.push_back(f);
        }
    }
    return out;
}

// Feeds `frames` (times rebased to `t0`) through `analyzer`, each frame first passed through
// `edit(t, frame)`; returns the events that closed, and with `finish` the ones still open.
std::vector<TamperEvent> feed(TamperAnalyzer& analyzer, const std::vector<TimedFrame>& frames,
                              double t0, const std::function<cv::Mat(double, const cv::Mat&)>& edit,
                              bool finish) {
    std::vector<TamperEvent> events;
    for (const TimedFrame& f : frames) {
        const double t = f.timeS - t0;
        for (auto& e : analyzer.push(edit(t, f.frame), t)) {
            events.push_back(std::move(e));
        }
    }
    if (finish) {
        for (auto& e : analyzer.finish(frames.back().timeS - t0)) {
            events.push_back(std::move(e));
        }
    }
    return events;
}

cv::Mat flat(const cv::Mat& like, cv::Scalar colour) {
    return cv::Mat(like.size(), CV_8UC3, colour);
}

std::string describe(const std::vector<TamperEvent>& events) {
    std::string s;
    for (const auto& e : events) {
        s += std::string(scene::toString(e.kind)) + "[" + std::to_string(e.startS) + "-" +
             std::to_string(e.endS) + "] ";
    }
    return s;
}

TEST(SceneTamper, KindNamesRoundTrip) {
    for (int k = 0; k < scene::kTamperKindCount; ++k) {
        const auto kind = static_cast<TamperKind>(k);
        EXPECT_EQ(scene::tamperKindFromString(scene::toString(kind)), kind);
    }
    EXPECT_EQ(scene::toString(TamperKind::ColourCast), "colour_cast");
    EXPECT_EQ(scene::toString(TamperKind::SignalLost), "signal_lost");
    EXPECT_FALSE(scene::tamperKindFromString("blurry").has_value());
}

TEST(SceneTamper, CleanClipRaisesNoEvent) {
    ASSERT_GT(clip().size(), 250U);  // 139 s at 2 fps
    const TrialResult r = runTrial(clip(), nullptr, TamperConfig{});
    EXPECT_TRUE(r.events.empty()) << describe(r.events);
}

TEST(SceneTamper, AnalysesAtTheConfiguredRate) {
    TamperConfig config;
    config.analysisFps = 2.0;
    TamperAnalyzer analyzer("cam", config);
    const cv::Mat frame = clip().front().frame;
    for (int i = 0; i < 200; ++i) {  // 20 s at 10 fps
        analyzer.push(frame, i / 10.0);
    }
    EXPECT_EQ(analyzer.framesAnalyzed(), 40);
}

class InjectedTamper : public ::testing::TestWithParam<Injection> {};

TEST_P(InjectedTamper, IsDetectedWithinTwoSecondsOfOnsetAndEnd) {
    // Three seeded trials per tamper, each on its own 40 s stretch of the clip (people come
    // and go in all of them).
    const double starts[] = {5.0, 45.0, 90.0};
    for (std::uint32_t trial = 0; trial < 3; ++trial) {
        const std::uint32_t seed = 77U + 1000U * static_cast<std::uint32_t>(GetParam()) + trial;
        const InjectionPlan plan = drawPlan(GetParam(), seed, 40.0);
        const TrialResult r = runTrial(window(starts[trial], 40.0), &plan, TamperConfig{});
        EXPECT_TRUE(r.detected) << plan.describe() << " -> " << describe(r.events);
        EXPECT_EQ(r.falseEvents, 0) << plan.describe() << " -> " << describe(r.events);
    }
}

INSTANTIATE_TEST_SUITE_P(SceneTamper, InjectedTamper, ::testing::ValuesIn(kAllInjections),
                         [](const auto& param) { return std::string(injectionName(param.param)); });

TEST(SceneTamper, FlickerShorterThanOnsetIsNoEvent) {
    // Black for one analysed frame (0.5 s), then a hand across the lens for another: both
    // shorter than the 1 s onset.
    TamperAnalyzer analyzer("cam", TamperConfig{});
    const auto events = feed(
        analyzer, window(95.0, 30.0), 95.0,
        [](double t, const cv::Mat& frame) {
            if (t >= 10.0 && t < 10.5) {
                return flat(frame, cv::Scalar::all(3));
            }
            return t >= 15.0 && t < 15.5 ? flat(frame, cv::Scalar(90, 110, 140)) : frame;
        },
        true);
    EXPECT_TRUE(events.empty()) << describe(events);
}

TEST(SceneTamper, ShortGapInsideAnEventDoesNotSplitIt) {
    // Covered from 10 s to 20 s with one clean frame at 15 s: one event, 10..20 s.
    TamperAnalyzer analyzer("cam", TamperConfig{});
    const auto events = feed(
        analyzer, window(95.0, 30.0), 95.0,
        [](double t, const cv::Mat& frame) {
            const bool covered = t >= 10.0 && t < 20.0 && !(t >= 15.0 && t < 15.5);
            return covered ? flat(frame, cv::Scalar(90, 110, 140)) : frame;
        },
        false);
    ASSERT_EQ(events.size(), 1U) << describe(events);
    EXPECT_EQ(events[0].kind, TamperKind::Covered);
    EXPECT_NEAR(events[0].startS, 10.0, 0.01);
    EXPECT_NEAR(events[0].endS, 20.0, 0.01);
    EXPECT_FALSE(events[0].open);
}

TEST(SceneTamper, EventCarriesCameraConfidenceAndSnapshotOfOnset) {
    const auto frames = window(45.0, 30.0);
    TamperAnalyzer analyzer("room-101-front", TamperConfig{});
    const auto events = feed(
        analyzer, frames, 45.0,
        [](double t, const cv::Mat& frame) {
            return t >= 8.0 && t < 16.0 ? flat(frame, cv::Scalar(60, 70, 80)) : frame;
        },
        false);
    ASSERT_EQ(events.size(), 1U) << describe(events);
    const TamperEvent& e = events[0];
    EXPECT_EQ(e.camera, "room-101-front");
    // Every textured cell went flat (far past the 0.3 threshold); the flat wall cells whose level
    // changed like the median are not counted, so the share stays below 1.
    EXPECT_GT(e.confidence, 0.8);
    EXPECT_LE(e.confidence, 1.0);
    const cv::Mat snapshot = cv::imdecode(e.snapshotJpeg, cv::IMREAD_COLOR);
    ASSERT_FALSE(snapshot.empty());
    EXPECT_EQ(snapshot.size(), frames.front().frame.size());
    // The snapshot shows the cover (uniform), not the scene.
    cv::Scalar mean, stddev;
    cv::meanStdDev(snapshot, mean, stddev);
    EXPECT_LT(stddev[0], 5.0);
    EXPECT_NEAR(mean[2], 80.0, 5.0);
}

TEST(SceneTamper, GapInFramesIsSignalLostFromLastFrameToNext) {
    const auto frames = window(0.0, 40.0);
    TamperConfig config;
    config.signalLostS = 5.0;
    TamperAnalyzer analyzer("cam", config);
    std::vector<TamperEvent> events;
    for (const TimedFrame& f : frames) {
        if (f.timeS > 12.0 && f.timeS < 20.0) {
            EXPECT_EQ(analyzer.signalLost(f.timeS), f.timeS - 12.0 >= 5.0);
            continue;  // the camera sent nothing
        }
        for (auto& e : analyzer.push(f.frame, f.timeS)) {
            events.push_back(e);
        }
    }
    ASSERT_EQ(events.size(), 1U) << describe(events);
    EXPECT_EQ(events[0].kind, TamperKind::SignalLost);
    EXPECT_DOUBLE_EQ(events[0].startS, 12.0);
    EXPECT_DOUBLE_EQ(events[0].endS, 20.0);
    EXPECT_FALSE(events[0].snapshotJpeg.empty());

    // A gap shorter than signalLostS is no event.
    TamperAnalyzer second("cam", config);
    events.clear();
    for (const TimedFrame& f : frames) {
        if (f.timeS > 12.0 && f.timeS < 16.0) {
            continue;
        }
        for (auto& e : second.push(f.frame, f.timeS)) {
            events.push_back(e);
        }
    }
    EXPECT_TRUE(events.empty()) << describe(events);
}

TEST(SceneTamper, StreamEndingInSilenceLeavesSignalLostOpen) {
    TamperAnalyzer analyzer("cam", TamperConfig{});
    for (const TimedFrame& f : window(0.0, 10.0)) {
        EXPECT_TRUE(analyzer.push(f.frame, f.timeS).empty());
    }
    const auto events = analyzer.finish(30.0);
    ASSERT_EQ(events.size(), 1U) << describe(events);
    EXPECT_EQ(events[0].kind, TamperKind::SignalLost);
    EXPECT_TRUE(events[0].open);
    EXPECT_NEAR(events[0].startS, 9.5, 1e-9);
    EXPECT_DOUBLE_EQ(events[0].endS, 30.0);
}

TEST(SceneTamper, OddFramesCountAsMissingAndNeverCrash) {
    TamperAnalyzer analyzer("cam", TamperConfig{});
    const cv::Mat good = clip().front().frame;
    analyzer.push(good, 0.0);
    // Empty, tiny, float, two-channel: no frame at all.
    analyzer.push(cv::Mat(), 0.5);
    analyzer.push(cv::Mat(1, 1, CV_8UC3, cv::Scalar::all(0)), 1.0);
    analyzer.push(cv::Mat(100, 100, CV_32FC3, cv::Scalar::all(0.5)), 1.5);
    analyzer.push(cv::Mat(100, 100, CV_8UC2, cv::Scalar::all(0)), 2.0);
    EXPECT_EQ(analyzer.framesAnalyzed(), 1);
    // A new resolution mid-stream (the camera was reconfigured) and a grey frame: analysed
    // against a fresh reference, no crash.
    cv::Mat bigger, grey;
    cv::resize(good, bigger, cv::Size(1280, 720));
    cv::cvtColor(good, grey, cv::COLOR_BGR2GRAY);
    analyzer.push(bigger, 2.5);
    analyzer.push(grey, 3.0);
    EXPECT_EQ(analyzer.framesAnalyzed(), 3);
    // Out-of-order time stamps are ignored.
    analyzer.push(good, 1.0);
    EXPECT_EQ(analyzer.framesAnalyzed(), 3);
    EXPECT_TRUE(analyzer.finish(3.0).empty());
}

}  // namespace
}  // namespace examguard::vision::test
