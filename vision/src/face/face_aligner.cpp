#include "vision/face_aligner.h"

#include <exception>

#include <dlib/image_transforms.h>
#include <opencv2/calib3d.hpp>
#include <opencv2/imgproc.hpp>

#include "face/dlib_image.h"
#include "vision/face_detector.h"

namespace examguard::vision {

namespace {

// The standard ArcFace/InsightFace 112x112 template: left eye, right eye, nose tip, left and
// right mouth corner (image left/right).
const std::array<cv::Point2f, 5> kArcFaceTemplate{{{38.2946F, 51.6963F},
                                                   {73.5318F, 51.5014F},
                                                   {56.0252F, 71.7366F},
                                                   {41.5493F, 92.3655F},
                                                   {70.7299F, 92.2041F}}};

cv::Point2f meanOf(const FaceLandmarks& lm, int first, int last) {
    cv::Point2f sum(0.0F, 0.0F);
    for (int i = first; i <= last; ++i) {
        sum += lm.points[static_cast<std::size_t>(i)];
    }
    return sum / static_cast<float>(last - first + 1);
}

// Landmarks whose eyes are (nearly) on top of each other cannot define a similarity transform.
constexpr float kMinEyeDistancePx = 4.0F;

bool degenerate(const FaceLandmarks& lm) {
    const auto five = fivePoints(lm);
    return cv::norm(five[1] - five[0]) < kMinEyeDistancePx;
}

}  // namespace

std::array<cv::Point2f, 5> fivePoints(const FaceLandmarks& lm) {
    // 36-41 is the eye on the image's left (the subject's right eye).
    return {meanOf(lm, 36, 41), meanOf(lm, 42, 47), lm.points[30], lm.points[48], lm.points[54]};
}

Result<cv::Mat> alignDlibChip(const cv::Mat& image, const FaceLandmarks& landmarks) {
    auto bgr = toBgr8(image);
    if (!bgr) {
        return tl::unexpected(bgr.error());
    }
    if (degenerate(landmarks)) {
        return makeError(ErrorCode::NoFace, "landmarks too degenerate to align");
    }
    try {
        const dlib::matrix<dlib::rgb_pixel> rgb = detail::toDlibRgb(*bgr);
        dlib::matrix<dlib::rgb_pixel> chip;
        dlib::extract_image_chip(rgb,
                                 dlib::get_face_chip_details(detail::toDlibShape(landmarks),
                                                             kDlibChipSizePx, kDlibChipPadding),
                                 chip);
        return detail::toCvBgr(chip);
    } catch (const std::exception& e) {
        return makeError(ErrorCode::InferenceFailed,
                         std::string("dlib chip extraction failed: ") + e.what());
    }
}

Result<cv::Mat> alignArcFaceChip(const cv::Mat& image, const FaceLandmarks& landmarks) {
    auto bgr = toBgr8(image);
    if (!bgr) {
        return tl::unexpected(bgr.error());
    }
    if (degenerate(landmarks)) {
        return makeError(ErrorCode::NoFace, "landmarks too degenerate to align");
    }
    const auto src = fivePoints(landmarks);
    const std::vector<cv::Point2f> from(src.begin(), src.end());
    const std::vector<cv::Point2f> to(kArcFaceTemplate.begin(), kArcFaceTemplate.end());
    try {
        // Five landmark correspondences need no outlier rejection: a reprojection threshold far
        // beyond any chip keeps all five as inliers, so the Levenberg-Marquardt refinement gives
        // the least-squares similarity (as insightface's Umeyama fit). OpenCV seeds its RANSAC
        // generator with a constant, so the result is deterministic.
        constexpr double kAllInliersPx = 1.0e6;
        const cv::Mat transform = cv::estimateAffinePartial2D(from, to, cv::noArray(), cv::RANSAC,
                                                              kAllInliersPx, 2000, 0.99, 50);
        if (transform.empty()) {
            return makeError(ErrorCode::NoFace, "landmarks too degenerate to align");
        }
        cv::Mat chip;
        cv::warpAffine(*bgr, chip, transform, cv::Size(kArcFaceChipSizePx, kArcFaceChipSizePx),
                       cv::INTER_LINEAR, cv::BORDER_CONSTANT, cv::Scalar(0, 0, 0));
        return chip;
    } catch (const cv::Exception& e) {
        return makeError(ErrorCode::InferenceFailed, std::string("alignment failed: ") + e.what());
    }
}

Result<cv::Mat> alignChip(ChipKind kind, const cv::Mat& image, const FaceLandmarks& landmarks) {
    switch (kind) {
        case ChipKind::Dlib150:
            return alignDlibChip(image, landmarks);
        case ChipKind::ArcFace112:
            return alignArcFaceChip(image, landmarks);
    }
    return makeError(ErrorCode::ChipInvalid, "unknown chip kind");
}

}  // namespace examguard::vision
