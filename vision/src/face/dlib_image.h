#pragma once

#include <dlib/image_processing/full_object_detection.h>
#include <dlib/matrix.h>
#include <dlib/pixel.h>
#include <opencv2/core.hpp>

#include "vision/face_types.h"

namespace examguard::vision::detail {

// Copies an 8-bit BGR cv::Mat into dlib's RGB matrix (dlib::cv_image would avoid the copy but
// its OpenCV glue is fragile across OpenCV 4 releases; a copy of one frame is cheap).
inline dlib::matrix<dlib::rgb_pixel> toDlibRgb(const cv::Mat& bgr) {
    dlib::matrix<dlib::rgb_pixel> out(bgr.rows, bgr.cols);
    for (int r = 0; r < bgr.rows; ++r) {
        const auto* row = bgr.ptr<cv::Vec3b>(r);
        for (int c = 0; c < bgr.cols; ++c) {
            out(r, c) = dlib::rgb_pixel(row[c][2], row[c][1], row[c][0]);
        }
    }
    return out;
}

inline cv::Mat toCvBgr(const dlib::matrix<dlib::rgb_pixel>& rgb) {
    cv::Mat out(static_cast<int>(rgb.nr()), static_cast<int>(rgb.nc()), CV_8UC3);
    for (int r = 0; r < out.rows; ++r) {
        auto* row = out.ptr<cv::Vec3b>(r);
        for (int c = 0; c < out.cols; ++c) {
            const auto& p = rgb(r, c);
            row[c] = cv::Vec3b(p.blue, p.green, p.red);
        }
    }
    return out;
}

inline dlib::rectangle toDlibRect(const cv::Rect& r) {
    return dlib::rectangle(r.x, r.y, r.x + r.width - 1, r.y + r.height - 1);
}

inline dlib::full_object_detection toDlibShape(const FaceLandmarks& lm) {
    std::vector<dlib::point> parts;
    parts.reserve(lm.points.size());
    float minX = lm.points[0].x, minY = lm.points[0].y, maxX = minX, maxY = minY;
    for (const auto& p : lm.points) {
        parts.emplace_back(static_cast<long>(std::lround(p.x)),
                           static_cast<long>(std::lround(p.y)));
        minX = std::min(minX, p.x);
        minY = std::min(minY, p.y);
        maxX = std::max(maxX, p.x);
        maxY = std::max(maxY, p.y);
    }
    const dlib::rectangle rect(std::lround(minX), std::lround(minY), std::lround(maxX),
                               std::lround(maxY));
    return dlib::full_object_detection(rect, parts);
}

}  // namespace examguard::vision::detail
