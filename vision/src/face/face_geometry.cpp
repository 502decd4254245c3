#include "vision/face_geometry.h"

#include <cmath>

namespace examguard::vision {

namespace {

double dist(const cv::Point2f& a, const cv::Point2f& b) {
    return cv::norm(a - b);
}

double eyeRatio(const FaceLandmarks& lm, int first) {
    const auto& p = lm.points;
    const auto i = static_cast<std::size_t>(first);
    const double horizontal = dist(p[i], p[i + 3]);
    if (horizontal <= 0.0) {
        return 0.0;
    }
    return (dist(p[i + 1], p[i + 5]) + dist(p[i + 2], p[i + 4])) / (2.0 * horizontal);
}

constexpr double kRadToDeg = 180.0 / 3.14159265358979323846;

// Proportions of an average adult head (the generic 3-D model commonly used with these
// landmarks, in mm): the nose tip stands 135 in front of the outer eye corners, which are 450
// apart; eye line to mouth line is 320 high with the nose tip 170 below the eyes.
constexpr double kNoseDepthOverEyeSpan = 135.0 / 450.0;
constexpr double kNoseDepthOverFaceHeight = 135.0 / 320.0;
// Where the nose tip sits between eye line (0) and mouth line (1) in a frontal view, from the
// same 3-D model (170 / 320). On ../shared/data/faces/east-asian this puts the webcam frames
// (camera slightly below the face) at about +10 degrees and the web portraits at about -8.
constexpr double kFrontalNoseHeight = 0.53;

}  // namespace

double eyeAspectRatio(const FaceLandmarks& landmarks) {
    return 0.5 * (eyeRatio(landmarks, 36) + eyeRatio(landmarks, 42));
}

HeadPose headPose(const FaceLandmarks& landmarks) {
    const auto& p = landmarks.points;
    const cv::Point2d eyeL = p[36], eyeR = p[45], nose = p[30];
    const cv::Point2d mouth = 0.5 * (cv::Point2d(p[48]) + cv::Point2d(p[54]));
    const cv::Point2d across = eyeR - eyeL;
    const double span = cv::norm(across);
    HeadPose pose;
    if (span <= 0.0) {
        return pose;
    }
    // Work in the face's own axes (along the eye line and perpendicular to it) so roll does not
    // leak into yaw and pitch.
    const cv::Point2d ux = across / span;
    const cv::Point2d uy(-ux.y, ux.x);
    const cv::Point2d eyeMid = 0.5 * (eyeL + eyeR);
    // Turning by yaw moves the protruding nose tip sideways by depth * sin(yaw) while the eye
    // span shrinks by cos(yaw): offset / span = (depth / span) * tan(yaw).
    const double sideways = (nose - eyeMid).dot(ux) / span;
    pose.yawDeg = std::atan(sideways / kNoseDepthOverEyeSpan) * kRadToDeg;
    // Tilting moves the nose tip up or down between eye line and mouth line the same way.
    const double faceHeight = (mouth - eyeMid).dot(uy);
    if (faceHeight > 0.0) {
        const double noseHeight = (nose - eyeMid).dot(uy) / faceHeight;
        pose.pitchDeg =
            std::atan((kFrontalNoseHeight - noseHeight) / kNoseDepthOverFaceHeight) * kRadToDeg;
    }
    pose.rollDeg = std::atan2(across.y, across.x) * kRadToDeg;
    return pose;
}

}  // namespace examguard::vision
