#include "vision/face_detector.h"

#include <algorithm>
#include <exception>

#include <dlib/image_processing.h>
#include <dlib/image_processing/frontal_face_detector.h>
#include <opencv2/imgproc.hpp>

#include "face/dlib_image.h"
#include "vision/image_io.h"

namespace examguard::vision {

namespace {

dlib::matrix<unsigned char> toDlibGray(const cv::Mat& bgr) {
    cv::Mat gray;
    cv::cvtColor(bgr, gray, cv::COLOR_BGR2GRAY);
    dlib::matrix<unsigned char> out(gray.rows, gray.cols);
    for (int r = 0; r < gray.rows; ++r) {
        const auto* row = gray.ptr<unsigned char>(r);
        std::copy(row, row + gray.cols, &out(r, 0));
    }
    return out;
}

}  // namespace

struct FaceDetector::Impl {
    dlib::frontal_face_detector detector = dlib::get_frontal_face_detector();
    dlib::shape_predictor predictor;
    FaceDetectorOptions options;

    FaceLandmarks fit(const dlib::matrix<dlib::rgb_pixel>& img, const dlib::rectangle& rect) {
        const dlib::full_object_detection shape = predictor(img, rect);
        FaceLandmarks lm;
        for (unsigned long i = 0; i < shape.num_parts() && i < lm.points.size(); ++i) {
            lm.points[i] = cv::Point2f(static_cast<float>(shape.part(i).x()),
                                       static_cast<float>(shape.part(i).y()));
        }
        return lm;
    }

    std::vector<dlib::rect_detection> scan(const cv::Mat& bgr) {
        const int longSide = std::max(bgr.rows, bgr.cols);
        double scale = 1.0;
        cv::Mat scanned = bgr;
        if (longSide > options.maxScanSidePx) {
            scale = static_cast<double>(options.maxScanSidePx) / longSide;
            cv::resize(bgr, scanned, cv::Size(), scale, scale, cv::INTER_AREA);
        }
        dlib::matrix<unsigned char> gray = toDlibGray(scanned);
        std::vector<dlib::rect_detection> found;
        detector(gray, found, 0.0);
        if (found.empty() &&
            std::max(scanned.rows, scanned.cols) <= options.upsampleRetryMaxSidePx) {
            dlib::pyramid_up(gray);
            detector(gray, found, 0.0);
            for (auto& d : found) {
                d.rect = dlib::rectangle(d.rect.left() / 2, d.rect.top() / 2, d.rect.right() / 2,
                                         d.rect.bottom() / 2);
            }
        }
        if (scale != 1.0) {
            for (auto& d : found) {
                d.rect = dlib::rectangle(
                    std::lround(d.rect.left() / scale), std::lround(d.rect.top() / scale),
                    std::lround(d.rect.right() / scale), std::lround(d.rect.bottom() / scale));
            }
        }
        return found;
    }
};

FaceDetector::FaceDetector(std::unique_ptr<Impl> impl) : m_impl(std::move(impl)) {}
FaceDetector::FaceDetector(FaceDetector&&) noexcept = default;
FaceDetector& FaceDetector::operator=(FaceDetector&&) noexcept = default;
FaceDetector::~FaceDetector() = default;

Result<FaceDetector> FaceDetector::create(const std::filesystem::path& landmarkModel,
                                          FaceDetectorOptions options) {
    auto path = requireModelFile(landmarkModel);
    if (!path) {
        return tl::unexpected(path.error());
    }
    auto impl = std::make_unique<Impl>();
    impl->options = options;
    try {
        dlib::deserialize(path->string()) >> impl->predictor;
    } catch (const std::exception& e) {
        return makeError(ErrorCode::ModelInvalid,
                         "cannot load landmark model " + path->string() + ": " + e.what());
    }
    if (impl->predictor.num_parts() != 68) {
        return makeError(ErrorCode::ModelInvalid, "landmark model does not have 68 points");
    }
    return FaceDetector(std::move(impl));
}

Result<std::vector<DetectedFace>> FaceDetector::detect(const cv::Mat& image) {
    auto bgr = toBgr8(image);
    if (!bgr) {
        return tl::unexpected(bgr.error());
    }
    try {
        const std::vector<dlib::rect_detection> found = m_impl->scan(*bgr);
        const dlib::matrix<dlib::rgb_pixel> rgb = detail::toDlibRgb(*bgr);
        const cv::Rect bounds(0, 0, bgr->cols, bgr->rows);
        std::vector<DetectedFace> faces;
        for (const auto& d : found) {
            DetectedFace face;
            face.box =
                cv::Rect(static_cast<int>(d.rect.left()), static_cast<int>(d.rect.top()),
                         static_cast<int>(d.rect.width()), static_cast<int>(d.rect.height())) &
                bounds;
            face.detectionScore = d.detection_confidence;
            face.landmarks = m_impl->fit(rgb, d.rect);
            if (!face.box.empty()) {
                faces.push_back(face);
            }
        }
        std::stable_sort(faces.begin(), faces.end(),
                         [](const auto& a, const auto& b) { return a.box.area() > b.box.area(); });
        return faces;
    } catch (const std::exception& e) {
        return makeError(ErrorCode::InferenceFailed,
                         std::string("face detection failed: ") + e.what());
    }
}

Result<FaceLandmarks> FaceDetector::landmarks(const cv::Mat& image, const cv::Rect& box) {
    auto bgr = toBgr8(image);
    if (!bgr) {
        return tl::unexpected(bgr.error());
    }
    if (box.empty()) {
        return makeError(ErrorCode::NoFace, "empty face box");
    }
    try {
        return m_impl->fit(detail::toDlibRgb(*bgr), detail::toDlibRect(box));
    } catch (const std::exception& e) {
        return makeError(ErrorCode::InferenceFailed,
                         std::string("landmark fit failed: ") + e.what());
    }
}

}  // namespace examguard::vision
