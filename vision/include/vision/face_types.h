#pragma once

#include <array>

#include <opencv2/core.hpp>

namespace examguard::vision {

// dlib's iBUG 68-point layout (0-16 jaw, 17-26 brows, 27-35 nose, 36-47 eyes, 48-67 mouth),
// in pixel coordinates of the image the face was found in.
struct FaceLandmarks {
    std::array<cv::Point2f, 68> points{};
};

struct DetectedFace {
    cv::Rect box;                 // detector box, clipped to the image
    double detectionScore = 0.0;  // HOG SVM margin; higher is more face-like
    FaceLandmarks landmarks;
};

}  // namespace examguard::vision
