#include "vision/face_quality.h"

#include <opencv2/imgproc.hpp>

#include "vision/face_geometry.h"

namespace examguard::vision {

namespace {

constexpr int kSharpnessWidthPx = 112;
constexpr int kDarkLevel = 5;
constexpr int kBrightLevel = 250;

cv::Mat toGray(const cv::Mat& image) {
    cv::Mat gray;
    switch (image.channels()) {
        case 1:
            gray = image;
            break;
        case 3:
            cv::cvtColor(image, gray, cv::COLOR_BGR2GRAY);
            break;
        case 4:
            cv::cvtColor(image, gray, cv::COLOR_BGRA2GRAY);
            break;
        default:
            break;
    }
    return gray;
}

// The region measured for exposure and sharpness: dlib's HOG box, which spans roughly brows to
// chin and cheek to cheek (little background or hair), so a bright window behind the candidate
// does not count as a bright face.
cv::Rect innerFace(const DetectedFace& face, const cv::Size& size) {
    return face.box & cv::Rect(cv::Point(0, 0), size);
}

}  // namespace

std::string_view toString(QualityIssue issue) {
    switch (issue) {
        case QualityIssue::NoFace:
            return "no_face";
        case QualityIssue::AnotherPersonInView:
            return "another_person_in_view";
        case QualityIssue::FaceTooSmall:
            return "face_too_small";
        case QualityIssue::FaceOutOfFrame:
            return "face_out_of_frame";
        case QualityIssue::HeadTurned:
            return "head_turned";
        case QualityIssue::HeadTilted:
            return "head_tilted";
        case QualityIssue::TooDark:
            return "too_dark";
        case QualityIssue::TooBright:
            return "too_bright";
        case QualityIssue::TooBlurry:
            return "too_blurry";
    }
    return "unknown";
}

double faceSharpness(const cv::Mat& image, const cv::Rect& face) {
    const cv::Rect r = face & cv::Rect(0, 0, image.cols, image.rows);
    if (r.width < 8 || r.height < 8 || image.depth() != CV_8U) {
        return 0.0;
    }
    const cv::Mat gray = toGray(image(r));
    if (gray.empty()) {
        return 0.0;
    }
    cv::Mat scaled, lap;
    const double s = static_cast<double>(kSharpnessWidthPx) / r.width;
    cv::resize(gray, scaled, cv::Size(), s, s, s < 1.0 ? cv::INTER_AREA : cv::INTER_LINEAR);
    cv::Laplacian(scaled, lap, CV_64F);
    cv::Scalar mean, stddev;
    cv::meanStdDev(lap, mean, stddev);
    return stddev[0] * stddev[0];
}

QualityReport assessQuality(const cv::Mat& image, std::span<const DetectedFace> faces,
                            const QualityOptions& options) {
    QualityReport report;
    report.faceCount = static_cast<int>(faces.size());
    if (faces.empty() || image.empty() || image.depth() != CV_8U) {
        report.issues.push_back(QualityIssue::NoFace);
        return report;
    }
    if (faces.size() > 1) {
        report.issues.push_back(QualityIssue::AnotherPersonInView);
    }
    const DetectedFace& face = faces.front();
    report.faceWidthPx = face.box.width;
    if (face.box.width < options.minFaceWidthPx) {
        report.issues.push_back(QualityIssue::FaceTooSmall);
    }
    // A face cut by the image border: the jaw or brow landmarks fall outside the picture.
    const cv::Rect2f frame(0.0F, 0.0F, static_cast<float>(image.cols),
                           static_cast<float>(image.rows));
    for (const auto& p : face.landmarks.points) {
        if (!frame.contains(p)) {
            report.issues.push_back(QualityIssue::FaceOutOfFrame);
            break;
        }
    }
    const HeadPose pose = headPose(face.landmarks);
    report.yawDeg = pose.yawDeg;
    report.pitchDeg = pose.pitchDeg;
    if (std::abs(pose.yawDeg) > options.maxYawDeg) {
        report.issues.push_back(QualityIssue::HeadTurned);
    }
    if (std::abs(pose.pitchDeg) > options.maxPitchDeg) {
        report.issues.push_back(QualityIssue::HeadTilted);
    }

    const cv::Rect r = innerFace(face, image.size());
    if (!r.empty()) {
        const cv::Mat gray = toGray(image(r));
        if (!gray.empty()) {
            report.meanLuma = cv::mean(gray)[0];
            const double n = static_cast<double>(gray.total());
            report.darkFraction = cv::countNonZero(gray <= kDarkLevel) / n;
            report.brightFraction = cv::countNonZero(gray >= kBrightLevel) / n;
        }
        report.sharpness = faceSharpness(image, r);
    }
    if (report.meanLuma < options.minMeanLuma || report.darkFraction > options.maxClippedFraction) {
        report.issues.push_back(QualityIssue::TooDark);
    } else if (report.meanLuma > options.maxMeanLuma ||
               report.brightFraction > options.maxClippedFraction) {
        report.issues.push_back(QualityIssue::TooBright);
    }
    if (report.sharpness < options.minSharpness) {
        report.issues.push_back(QualityIssue::TooBlurry);
    }
    return report;
}

}  // namespace examguard::vision
