#pragma once

// Helpers shared by the scene analysers (tamper, room); internal to examguard_scene.
#include <cstdint>
#include <vector>

#include <opencv2/core.hpp>
#include <opencv2/imgcodecs.hpp>

namespace examguard::vision::scene::detail {

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

}  // namespace examguard::vision::scene::detail
