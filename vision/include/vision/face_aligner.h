#pragma once

#include <opencv2/core.hpp>

#include "vision/error.h"
#include "vision/face_types.h"

namespace examguard::vision {

enum class ChipKind {
    Dlib150,     // 150x150, dlib::get_face_chip_details(shape, 150, 0.25): dlib's ResNet
    ArcFace112,  // 112x112, 5-point similarity transform to the ArcFace template: ONNX model
};

inline constexpr int kDlibChipSizePx = 150;
inline constexpr double kDlibChipPadding = 0.25;
inline constexpr int kArcFaceChipSizePx = 112;

// The five points the ArcFace template uses, taken from the 68 landmarks: eye centres (mean of
// each eye's six points), nose tip (30), mouth corners (48, 54); in image order left to right.
std::array<cv::Point2f, 5> fivePoints(const FaceLandmarks& landmarks);

// 150x150 BGR chip exactly as dlib's face recognition example extracts it.
Result<cv::Mat> alignDlibChip(const cv::Mat& image, const FaceLandmarks& landmarks);

// 112x112 BGR chip: similarity transform (rotation, uniform scale, shift) of fivePoints() onto
// the standard ArcFace 112x112 template, fitted by cv::estimateAffinePartial2D (least squares).
Result<cv::Mat> alignArcFaceChip(const cv::Mat& image, const FaceLandmarks& landmarks);

Result<cv::Mat> alignChip(ChipKind kind, const cv::Mat& image, const FaceLandmarks& landmarks);

}  // namespace examguard::vision
