#pragma once

// Helpers shared by the scene analysers (tamper, room); internal to examguard_scene.
#include <cstdint>
#include <string>
#include <vector>

#include <opencv2/core.hpp>
#include <opencv2/imgcodecs.hpp>
#include <opencv2/imgproc.hpp>

#include "vision/scene_hysteresis.h"

namespace examguard::vision::scene::detail {

// Grey and BGRA frames as BGR (a BGR frame is returned as is, not copied).
inline cv::Mat toBgr(const cv::Mat& frame) {
    cv::Mat bgr;
    if (frame.channels() == 1) {
        cv::cvtColor(frame, bgr, cv::COLOR_GRAY2BGR);
    } else if (frame.channels() == 4) {
        cv::cvtColor(frame, bgr, cv::COLOR_BGRA2BGR);
    } else {
        bgr = frame;
    }
    return bgr;
}

inline std::vector<std::uint8_t> encodeJpeg(const cv::Mat& frame) {
    std::vector<uchar> jpeg;
    if (frame.empty() || !cv::imencode(".jpg", frame, jpeg, {cv::IMWRITE_JPEG_QUALITY, 85})) {
        return {};
    }
    return {jpeg.begin(), jpeg.end()};
}

// 8-bit grey, BGR or BGRA of at least minWidth x minHeight: what a camera sends. Anything
// else (empty, float, two-channel, tiny) is treated as no frame.
inline bool usableFrame(const cv::Mat& frame, int minWidth, int minHeight) {
    return !frame.empty() && frame.depth() == CV_8U && frame.cols >= minWidth &&
           frame.rows >= minHeight &&
           (frame.channels() == 1 || frame.channels() == 3 || frame.channels() == 4);
}

// An event of type E (TamperEvent, RoomEvent) for a closed interval, with the camera, times,
// confidence and the onset snapshot filled in; the caller sets the kind (and region).
template <typename E>
E eventFor(const std::string& camera, const ConditionInterval& interval) {
    E e{};
    e.camera = camera;
    e.startS = interval.startS;
    e.endS = interval.endS;
    e.confidence = interval.confidence;
    e.open = interval.open;
    e.snapshotJpeg = encodeJpeg(interval.onsetFrame);
    return e;
}

}  // namespace examguard::vision::scene::detail
