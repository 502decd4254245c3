#pragma once

#include <chrono>
#include <cstdint>
#include <memory>
#include <optional>
#include <span>
#include <string>
#include <vector>

#include <opencv2/core.hpp>

#include "station/checkin/checkin.h"
#include "vision/active_challenge.h"
#include "vision/face_liveness.h"

namespace examguard::station::identity {

// One frame of the live capture, with the time it was taken (milliseconds from the start).
struct Frame {
    cv::Mat image;  // 8-bit BGR
    std::int64_t timestampMs = 0;
};

struct LiveSourceOptions {
    std::chrono::milliseconds maxDuration{8000};  // for videos, streams and cameras
    int maxFrames = 240;
};

// The live capture: an image file (one frame), a video file, an rtsp:// URL or a V4L2
// device (/dev/videoN). Errors name the source with URL credentials masked.
Expected<std::vector<Frame>> readLiveFrames(const std::string& source,
                                            const LiveSourceOptions& options = {});

// True when the live source names a still image file (by its extension): only passive
// liveness applies then.
bool isStillImage(const std::string& source);

// A photo given as bytes (ID-card chip photo, roster photo): JPEG, PNG or BMP.
Expected<cv::Mat> decodePhoto(std::span<const unsigned char> bytes);

// What vision/ made of a live capture: the attempt's face, quality and liveness parts.
struct LiveAnalysis {
    std::optional<checkin::FaceDescriptor> live;
    std::vector<std::string> qualityIssues;  // vision::QualityIssue names of the best frame
    checkin::LivenessResult liveness;
    Bytes snapshotJpeg;  // the frame the decision rests on
    cv::Rect box;
    int framesWithFace = 0;
};

// Face pipeline + passive liveness, loaded once: the models take a second to load.
class IdentityEngine {
public:
    static Expected<IdentityEngine> create();
    IdentityEngine(IdentityEngine&&) noexcept;
    IdentityEngine& operator=(IdentityEngine&&) noexcept;
    ~IdentityEngine();

    std::string model() const;
    double threshold() const;

    // Boxes of every face in an image, largest first.
    Expected<std::vector<cv::Rect>> faceBoxes(const cv::Mat& image);

    // The descriptor of the largest face in a reference photo; nullopt when it shows no face.
    Expected<std::optional<checkin::FaceDescriptor>> describePhoto(const cv::Mat& image);

    // One frame: quality gates and passive liveness. Several frames: the active challenge
    // (`steps`, in the order the candidate was asked) over all of them, passive liveness on
    // the best ones, and the sharpest good frame as the snapshot.
    Expected<LiveAnalysis> analyze(std::span<const Frame> frames,
                                   std::span<const vision::ChallengeStep> steps);

private:
    struct Impl;
    explicit IdentityEngine(std::unique_ptr<Impl> impl);
    std::unique_ptr<Impl> m_impl;
};

// Describes the reference photos of a period that have no descriptor for the engine's model
// yet and stores them; returns how many were added (photos without a face are skipped and
// counted in `faceless`).
Expected<int> describeReferencePhotos(IdentityEngine& engine, checkin::CheckinService& service,
                                      std::optional<std::int64_t> periodId, int* faceless);

}  // namespace examguard::station::identity
