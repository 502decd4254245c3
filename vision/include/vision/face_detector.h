#pragma once

#include <filesystem>
#include <memory>
#include <vector>

#include <opencv2/core.hpp>

#include "vision/assets.h"
#include "vision/error.h"
#include "vision/face_types.h"
#include "vision/image_io.h"

namespace examguard::vision {

struct FaceDetectorOptions {
    // Images whose longer side exceeds this are scanned at a reduced size (landmarks are still
    // fitted on the full image), which bounds detection time on camera stills and ID scans.
    int maxScanSidePx = 1280;
    // HOG finds faces of about 80 px and up. When nothing is found on an image whose longer side
    // is at most this, it is scanned again upsampled once (faces from about 40 px).
    int upsampleRetryMaxSidePx = 1000;
};

// dlib's HOG frontal face detector plus the 68-point shape predictor.
// Not thread-safe: use one instance per thread.
class FaceDetector {
public:
    static Result<FaceDetector> create(
        const std::filesystem::path& landmarkModel = landmarkModelPath(),
        FaceDetectorOptions options = {});

    FaceDetector(FaceDetector&&) noexcept;
    FaceDetector& operator=(FaceDetector&&) noexcept;
    ~FaceDetector();

    // Faces in an 8-bit BGR, BGRA or grayscale image, largest first.
    Result<std::vector<DetectedFace>> detect(const cv::Mat& image);

    // Landmarks for a known face box (e.g. a tracked face in a video frame).
    Result<FaceLandmarks> landmarks(const cv::Mat& image, const cv::Rect& box);

private:
    struct Impl;
    explicit FaceDetector(std::unique_ptr<Impl> impl);
    std::unique_ptr<Impl> m_impl;
};

}  // namespace examguard::vision
