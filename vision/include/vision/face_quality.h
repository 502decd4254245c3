#pragma once

#include <span>
#include <string_view>
#include <vector>

#include <opencv2/core.hpp>

#include "vision/face_types.h"

namespace examguard::vision {

// Why a capture is not good enough to compare, in the order a prompt should mention them.
// Each maps to one instruction for the candidate or proctor (see toString()).
enum class QualityIssue {
    NoFace,               // "face the camera"
    AnotherPersonInView,  // "only the candidate may be in view"
    FaceTooSmall,         // "come closer"
    FaceOutOfFrame,       // "move into the middle of the picture"
    HeadTurned,           // "look straight at the camera" (yaw)
    HeadTilted,           // "keep your head level" (pitch)
    TooDark,              // "more light on the face"
    TooBright,            // "less light / no backlight"
    TooBlurry,            // "hold still" / camera out of focus
};

// Stable snake_case identifiers ("another_person_in_view", ...).
std::string_view toString(QualityIssue issue);

// Defaults measured on ../shared/data/faces (see docs/models.md, "Quality gates").
struct QualityOptions {
    int minFaceWidthPx = 80;  // HOG's native window; below this landmarks degrade
    double maxYawDeg = 25.0;
    double maxPitchDeg = 25.0;
    double minMeanLuma = 60.0;         // face-region mean of 0-255 gray
    double maxMeanLuma = 225.0;        // over-lit NUAA webcam faces reach 208 and still match
    double maxClippedFraction = 0.45;  // share of face pixels at <= 5 or >= 250 (those reach 0.36)
    double minSharpness = 80.0;        // variance of the Laplacian on the 112-px-wide face;
                                       // sharp photos measure >= 108, defocused ones 15-90
};

struct QualityReport {
    std::vector<QualityIssue> issues;  // empty: good to compare
    int faceCount = 0;
    int faceWidthPx = 0;
    double yawDeg = 0.0;
    double pitchDeg = 0.0;
    double meanLuma = 0.0;
    double darkFraction = 0.0;
    double brightFraction = 0.0;
    double sharpness = 0.0;

    bool ok() const { return issues.empty(); }
};

// Quality of the largest face (faces[0] as FaceDetector::detect orders them) in an 8-bit image.
// Pure and deterministic; the metrics are filled in whether or not a gate fails.
QualityReport assessQuality(const cv::Mat& image, std::span<const DetectedFace> faces,
                            const QualityOptions& options = {});

// Variance of the Laplacian of the face region resized to 112 px wide, in gray: comparable
// across resolutions, low when the face is out of focus or moving.
double faceSharpness(const cv::Mat& image, const cv::Rect& face);

}  // namespace examguard::vision
