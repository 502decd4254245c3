#include "station/identity/identity_engine.h"

#include <algorithm>
#include <cmath>

#include <fmt/format.h>
#include <opencv2/imgcodecs.hpp>
#include <opencv2/videoio.hpp>

#include "station/file_io.h"
#include "station/privacy.h"
#include "vision/active_challenge.h"
#include "vision/face_geometry.h"
#include "vision/face_pipeline.h"
#include "vision/face_quality.h"
#include "vision/image_io.h"

namespace examguard::station::identity {

namespace {

constexpr int kMaxPixels = 40'000'000;  // a 40 MP photo is far beyond any camera at the desk
constexpr int kPassiveFrames = 5;       // passive liveness is the median over this many frames

Error fromVision(const vision::Error& e) {
    switch (e.code) {
        case vision::ErrorCode::ModelMissing:
            return {ErrorCode::Io, e.detail + " (run scripts/setup.sh)"};
        case vision::ErrorCode::ImageUnreadable:
        case vision::ErrorCode::ImageInvalid:
            return {ErrorCode::BadInput, e.detail};
        case vision::ErrorCode::NoFace:
            return {ErrorCode::NotFound, e.detail};
        default:
            return {ErrorCode::Invalid, e.detail};
    }
}

bool isStream(const std::string& source) {
    return source.rfind("rtsp://", 0) == 0 || source.rfind("rtsps://", 0) == 0 ||
           source.rfind("/dev/video", 0) == 0;
}

}  // namespace

bool isStillImage(const std::string& source) {
    std::string ext = std::filesystem::path(source).extension().string();
    std::transform(ext.begin(), ext.end(), ext.begin(),
                   [](unsigned char c) { return std::tolower(c); });
    return !isStream(source) &&
           (ext == ".jpg" || ext == ".jpeg" || ext == ".png" || ext == ".bmp" || ext == ".webp");
}

Expected<cv::Mat> decodePhoto(std::span<const unsigned char> bytes) {
    auto image = vision::decodeImage(bytes, "photo");
    if (!image) {
        return tl::unexpected(fromVision(image.error()));
    }
    return *image;
}

Expected<std::vector<Frame>> readLiveFrames(const std::string& source,
                                            const LiveSourceOptions& options) {
    const std::string shown = maskUrlCredentials(source);
    if (isStillImage(source)) {
        auto image = vision::readImage(source);
        if (!image) {
            return tl::unexpected(fromVision(image.error()));
        }
        return std::vector<Frame>{{*image, 0}};
    }
    cv::VideoCapture capture;
    try {
        if (source.rfind("/dev/video", 0) == 0) {
            capture.open(source, cv::CAP_V4L2);
        } else {
            capture.open(source, cv::CAP_FFMPEG);
        }
    } catch (const cv::Exception& e) {
        return fail(ErrorCode::BadInput, fmt::format("cannot open {}: {}", shown, e.what()));
    }
    if (!capture.isOpened()) {
        return fail(isStream(source) ? ErrorCode::Io : ErrorCode::BadInput,
                    fmt::format("cannot open the live source {}", shown));
    }
    std::vector<Frame> frames;
    const auto started = std::chrono::steady_clock::now();
    const bool file = !isStream(source);
    cv::Mat image;
    while (static_cast<int>(frames.size()) < options.maxFrames) {
        bool ok = false;
        try {
            ok = capture.read(image);
        } catch (const cv::Exception&) {
            ok = false;
        }
        if (!ok || image.empty()) {
            break;
        }
        if (image.type() != CV_8UC3 || image.total() > static_cast<std::size_t>(kMaxPixels)) {
            return fail(
                ErrorCode::BadInput,
                fmt::format("{} delivers frames that are not 8-bit colour of a sane size", shown));
        }
        // Files carry their own clock; live sources are timed as they arrive.
        const auto ms = file ? static_cast<std::int64_t>(capture.get(cv::CAP_PROP_POS_MSEC))
                             : std::chrono::duration_cast<std::chrono::milliseconds>(
                                   std::chrono::steady_clock::now() - started)
                                   .count();
        if (ms > options.maxDuration.count()) {
            break;
        }
        frames.push_back({image.clone(), ms});
    }
    if (frames.empty()) {
        return fail(ErrorCode::BadInput, fmt::format("{} delivered no frames", shown));
    }
    return frames;
}

struct IdentityEngine::Impl {
    vision::FacePipeline pipeline;
    vision::PassiveLiveness passive;
};

IdentityEngine::IdentityEngine(std::unique_ptr<Impl> impl) : m_impl(std::move(impl)) {}
IdentityEngine::IdentityEngine(IdentityEngine&&) noexcept = default;
IdentityEngine& IdentityEngine::operator=(IdentityEngine&&) noexcept = default;
IdentityEngine::~IdentityEngine() = default;

Expected<IdentityEngine> IdentityEngine::create() {
    auto pipeline = vision::FacePipeline::create();
    if (!pipeline) {
        return tl::unexpected(fromVision(pipeline.error()));
    }
    auto passive = vision::PassiveLiveness::create();
    if (!passive) {
        return tl::unexpected(fromVision(passive.error()));
    }
    return IdentityEngine(std::make_unique<Impl>(Impl{std::move(*pipeline), std::move(*passive)}));
}

std::string IdentityEngine::model() const {
    return std::string(m_impl->pipeline.modelName());
}
double IdentityEngine::threshold() const {
    return m_impl->pipeline.distanceThreshold();
}

Expected<std::vector<cv::Rect>> IdentityEngine::faceBoxes(const cv::Mat& image) {
    auto faces = m_impl->pipeline.detect(image);
    if (!faces) {
        return tl::unexpected(fromVision(faces.error()));
    }
    std::vector<cv::Rect> boxes;
    for (const auto& f : *faces) {
        boxes.push_back(f.box);
    }
    return boxes;
}

Expected<std::optional<checkin::FaceDescriptor>> IdentityEngine::describePhoto(
    const cv::Mat& image) {
    auto face = m_impl->pipeline.embedLargestFace(image);
    if (!face) {
        if (face.error().code == vision::ErrorCode::NoFace) {
            return std::optional<checkin::FaceDescriptor>();
        }
        return tl::unexpected(fromVision(face.error()));
    }
    return std::optional(checkin::FaceDescriptor{model(), std::move(face->embedding)});
}

Expected<LiveAnalysis> IdentityEngine::analyze(std::span<const Frame> frames,
                                               std::span<const vision::ChallengeStep> steps) {
    LiveAnalysis out;
    if (frames.empty()) {
        return fail(ErrorCode::BadInput, "no live frames");
    }
    struct Candidate {
        std::size_t frame;
        vision::DetectedFace face;
        double sharpness;
    };
    vision::ActiveChallenge challenge({steps.begin(), steps.end()});
    std::vector<Candidate> good;
    std::vector<std::string> firstIssues;
    for (std::size_t i = 0; i < frames.size(); ++i) {
        auto faces = m_impl->pipeline.detect(frames[i].image);
        if (!faces) {
            return tl::unexpected(fromVision(faces.error()));
        }
        const auto report = vision::assessQuality(frames[i].image, *faces);
        if (faces->empty()) {
            challenge.updateNoFace(frames[i].timestampMs);
        } else {
            ++out.framesWithFace;
            challenge.update(frames[i].timestampMs, faces->front().landmarks);
        }
        if (report.ok()) {
            good.push_back({i, faces->front(), report.sharpness});
        } else if (firstIssues.empty() || (i == frames.size() / 2 && good.empty())) {
            firstIssues.clear();
            for (auto issue : report.issues) {
                firstIssues.emplace_back(vision::toString(issue));
            }
        }
    }
    if (good.empty()) {
        out.qualityIssues = firstIssues;
        const Frame& middle = frames[frames.size() / 2];
        std::vector<unsigned char> jpeg;
        cv::imencode(".jpg", middle.image, jpeg, {cv::IMWRITE_JPEG_QUALITY, 90});
        out.snapshotJpeg.assign(jpeg.begin(), jpeg.end());
        return out;
    }
    // The sharpest good frame is the one compared and kept.
    std::sort(good.begin(), good.end(),
              [](const Candidate& a, const Candidate& b) { return a.sharpness > b.sharpness; });
    const Candidate& best = good.front();
    const cv::Mat& bestImage = frames[best.frame].image;
    auto embedding = m_impl->pipeline.embed(bestImage, best.face.landmarks);
    if (!embedding) {
        return tl::unexpected(fromVision(embedding.error()));
    }
    out.live = checkin::FaceDescriptor{model(), std::move(*embedding)};
    out.box = best.face.box;
    std::vector<unsigned char> jpeg;
    cv::imencode(".jpg", bestImage, jpeg, {cv::IMWRITE_JPEG_QUALITY, 90});
    out.snapshotJpeg.assign(jpeg.begin(), jpeg.end());

    // Passive cue: the median live probability over the best few frames.
    std::vector<double> probabilities;
    for (std::size_t k = 0; k < good.size() && k < kPassiveFrames; ++k) {
        auto score = m_impl->passive.score(frames[good[k].frame].image, good[k].face.box);
        if (!score) {
            return tl::unexpected(fromVision(score.error()));
        }
        probabilities.push_back(score->liveProbability);
    }
    std::nth_element(probabilities.begin(), probabilities.begin() + probabilities.size() / 2,
                     probabilities.end());
    const double passive = probabilities[probabilities.size() / 2];
    const bool passiveLive = passive >= m_impl->passive.options().liveThreshold;
    out.liveness.score = passive;
    if (!passiveLive) {
        out.liveness.status = checkin::Liveness::Spoof;
        out.liveness.detail =
            fmt::format("presentation attack suspected (live probability {:.3f})", passive);
        return out;
    }
    if (frames.size() == 1 || steps.empty()) {
        out.liveness.status = checkin::Liveness::Live;
        out.liveness.detail = "passive check only";
        return out;
    }
    if (challenge.state() == vision::ChallengeState::Passed) {
        out.liveness.status = checkin::Liveness::Live;
        out.liveness.detail = fmt::format("challenge passed at {} ms", challenge.endedAtMs());
    } else {
        // A still picture held to the camera never blinks or turns.
        out.liveness.status = checkin::Liveness::Spoof;
        const std::string_view how = challenge.state() == vision::ChallengeState::Running
                                         ? std::string_view("not completed")
                                         : vision::toString(challenge.state());
        out.liveness.detail = fmt::format("challenge {} after {} of {} steps", how,
                                          challenge.stepsCompleted(), steps.size());
    }
    return out;
}

Expected<int> describeReferencePhotos(IdentityEngine& engine, checkin::CheckinService& service,
                                      std::optional<std::int64_t> periodId, int* faceless) {
    auto photos = service.photosWithoutDescriptor(engine.model(), periodId);
    if (!photos) {
        return tl::unexpected(photos.error());
    }
    int added = 0;
    for (const auto& photo : *photos) {
        auto image = decodePhoto(photo.image);
        std::optional<checkin::FaceDescriptor> descriptor;
        if (image) {
            auto described = engine.describePhoto(*image);
            if (!described) {
                return tl::unexpected(described.error());
            }
            descriptor = std::move(*described);
        }
        if (!descriptor) {
            if (faceless) {
                ++*faceless;
            }
            continue;
        }
        if (auto r = service.addReferenceDescriptor(photo.photoId, *descriptor); !r) {
            return tl::unexpected(r.error());
        }
        ++added;
    }
    return added;
}

}  // namespace examguard::station::identity
