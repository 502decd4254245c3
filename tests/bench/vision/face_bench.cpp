// Face pipeline timings on one core, Release build: detection on a 640x480 webcam frame,
// landmark alignment to each chip, one descriptor per backend, passive liveness, the sum for
// detect + align + describe (goal < 150 ms) and a check-in decision. Prints medians.
//
// Baselines measured in the same run on the same frame:
//  - dlib's own HOG detector alone (get_frontal_face_detector on a grayscale dlib image, no
//    upsampling, no landmarks, no conversions): the floor of any HOG-based detection, so the
//    ratio shows what our detect() adds (colour conversions, landmark fit, box mapping);
//  - one cv::cvtColor + cv::resize pass over the frame: the cost of merely touching every
//    pixel once, to put the figures in proportion on this machine.
//
// One core: run as `OPENBLAS_NUM_THREADS=1 taskset -c 0 face_bench` (OpenBLAS reads the
// variable when it is loaded, before main). OpenCV is told to use one thread here.
#include <algorithm>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <functional>
#include <string>
#include <vector>

#include <dlib/image_processing/frontal_face_detector.h>
#include <opencv2/core.hpp>
#include <opencv2/imgproc.hpp>

#include "vision/active_challenge.h"
#include "vision/face_aligner.h"
#include "vision/face_detector.h"
#include "vision/face_embedder.h"
#include "vision/face_liveness.h"
#include "vision/face_pipeline.h"
#include "vision/face_quality.h"
#include "vision/image_io.h"

using namespace examguard::vision;

namespace {

double medianMs(int runs, const std::function<void()>& work) {
    work();  // warm-up: lazy allocations, caches
    std::vector<double> ms;
    for (int i = 0; i < runs; ++i) {
        const auto t0 = std::chrono::steady_clock::now();
        work();
        ms.push_back(
            std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now() - t0)
                .count());
    }
    std::nth_element(ms.begin(), ms.begin() + static_cast<std::ptrdiff_t>(ms.size() / 2), ms.end());
    return ms[ms.size() / 2];
}

int fail(const Error& e) {
    std::fprintf(stderr, "face_bench: %s: %s\n", std::string(toString(e.code)).c_str(),
                 e.detail.c_str());
    return 3;
}

}  // namespace

int main(int argc, char** argv) {
    const char* blasThreads = std::getenv("OPENBLAS_NUM_THREADS");
    if (blasThreads == nullptr || std::string(blasThreads) != "1") {
        std::fprintf(stderr, "face_bench: set OPENBLAS_NUM_THREADS=1 for one-core figures\n");
    }
    cv::setNumThreads(1);
    const int runs = argc > 1 ? std::max(1, std::atoi(argv[1])) : 15;

    auto frame = readImage(std::string(EXAMGUARD_SHARED_DATA) +
                           "/faces/east-asian/nuaa_client_0013/0013_01_07_03_70.jpg");
    if (!frame) {
        return fail(frame.error());
    }
    auto detector = FaceDetector::create();
    auto dlibNet = createEmbedder(EmbedderKind::DlibResnet);
    auto onnxNet = createEmbedder(EmbedderKind::OnnxArcFace);
    auto liveness = PassiveLiveness::create();
    if (!detector || !dlibNet || !onnxNet || !liveness) {
        return fail(!detector  ? detector.error()
                    : !dlibNet ? dlibNet.error()
                    : !onnxNet ? onnxNet.error()
                               : liveness.error());
    }
    auto faces = detector->detect(*frame);
    if (!faces || faces->empty()) {
        std::fprintf(stderr, "face_bench: no face in the benchmark frame\n");
        return 1;
    }
    const DetectedFace face = faces->front();
    const cv::Mat dlibChip = *alignDlibChip(*frame, face.landmarks);
    const cv::Mat arcChip = *alignArcFaceChip(*frame, face.landmarks);

    // Baselines (see the top of the file).
    cv::Mat gray;
    cv::cvtColor(*frame, gray, cv::COLOR_BGR2GRAY);
    dlib::matrix<unsigned char> dlibGray(gray.rows, gray.cols);
    for (int r = 0; r < gray.rows; ++r) {
        std::copy(gray.ptr<unsigned char>(r), gray.ptr<unsigned char>(r) + gray.cols,
                  &dlibGray(r, 0));
    }
    dlib::frontal_face_detector hog = dlib::get_frontal_face_detector();
    std::size_t hogFaces = 0;
    const double hogMs = medianMs(runs, [&] { hogFaces = hog(dlibGray).size(); });
    const double touchMs = medianMs(runs, [&] {
        cv::Mat g, small;
        cv::cvtColor(*frame, g, cv::COLOR_BGR2GRAY);
        cv::resize(g, small, cv::Size(), 0.5, 0.5, cv::INTER_AREA);
    });

    const double detectMs = medianMs(runs, [&] { (void)detector->detect(*frame); });
    const double landmarksMs = medianMs(runs, [&] { (void)detector->landmarks(*frame, face.box); });
    const double alignDlibMs = medianMs(runs, [&] { (void)alignDlibChip(*frame, face.landmarks); });
    const double alignArcMs =
        medianMs(runs, [&] { (void)alignArcFaceChip(*frame, face.landmarks); });
    const double dlibMs = medianMs(runs, [&] { (void)(*dlibNet)->embed(dlibChip); });
    const double onnxMs = medianMs(runs, [&] { (void)(*onnxNet)->embed(arcChip); });
    const double liveMs = medianMs(runs, [&] { (void)liveness->score(*frame, face.box); });

    // One check-in decision on a single captured frame, library side: detect, quality gates,
    // passive liveness, align + describe, compare with the ID-card and roster embeddings.
    auto pipeline = FacePipeline::create();
    if (!pipeline) {
        return fail(pipeline.error());
    }
    // Reference embeddings (ID-card photo, roster photo) are computed once, as at check-in.
    std::vector<float> references[2];
    const char* referencePhotos[2] = {"/faces/east-asian/nuaa_client_0013/0013_01_07_03_263.jpg",
                                      "/faces/east-asian/nuaa_client_0013/0013_01_07_03_428.jpg"};
    for (int i = 0; i < 2; ++i) {
        auto img = readImage(std::string(EXAMGUARD_SHARED_DATA) + referencePhotos[i]);
        auto e = img ? pipeline->embedLargestFace(*img) : tl::unexpected(img.error());
        if (!e) {
            return fail(e.error());
        }
        references[i] = e->embedding;
    }
    bool matched = false;
    const double decisionMs = medianMs(runs, [&] {
        auto found = pipeline->detect(*frame);
        const QualityReport q = assessQuality(*frame, *found);
        auto live = liveness->score(*frame, found->front().box);
        auto e = pipeline->embed(*frame, found->front().landmarks);
        matched = q.ok() && live && live->live && pipeline->compare(*e, references[0]).match &&
                  pipeline->compare(*e, references[1]).match;
    });
    // The active challenge runs on every camera frame while the candidate follows the prompts:
    // detect + landmarks, then the cues and one state-machine step.
    ActiveChallenge challenge(randomChallengeSteps(1));
    std::int64_t t = 0;
    const double challengeFrameMs = medianMs(runs, [&] {
        auto found = detector->detect(*frame);
        if (found && !found->empty()) {
            challenge.update(t += 100, found->front().landmarks);
        } else {
            challenge.updateNoFace(t += 100);
        }
    });

    const double pipelineMs = detectMs + alignArcMs + onnxMs;
    std::printf("face_bench: %dx%d frame, %d runs, medians in ms (one thread)\n", frame->cols,
                frame->rows, runs);
    std::printf("  baseline: dlib HOG alone      %8.1f  (%zu face)\n", hogMs, hogFaces);
    std::printf("  floor: cvtColor+resize pass   %8.2f\n", touchMs);
    std::printf("  detect (HOG + 68 landmarks)   %8.1f  = %.2fx dlib HOG alone\n", detectMs,
                detectMs / hogMs);
    std::printf("    of which landmarks          %8.1f\n", landmarksMs);
    std::printf("  align dlib 150x150 chip       %8.2f\n", alignDlibMs);
    std::printf("  align ArcFace 112x112 chip    %8.2f\n", alignArcMs);
    std::printf("  descriptor dlib ResNet        %8.1f\n", dlibMs);
    std::printf("  descriptor ONNX fr_feature    %8.1f\n", onnxMs);
    std::printf("  passive liveness (ONNX)       %8.1f\n", liveMs);
    std::printf("  detect+align+describe, ONNX   %8.1f  (goal < 150) = %.2fx dlib HOG alone\n",
                pipelineMs, pipelineMs / hogMs);
    std::printf("  detect+align+describe, dlib   %8.1f\n", detectMs + alignDlibMs + dlibMs);
    std::printf("  + passive liveness, ONNX      %8.1f\n", detectMs + alignArcMs + onnxMs + liveMs);
    std::printf("  decision: detect+quality+liveness+describe+2 compares %6.1f  (%s)\n", decisionMs,
                matched ? "pass" : "NOT pass");
    std::printf("  active challenge, per frame (detect+cues+update) %6.1f  = %.1f frames/s\n",
                challengeFrameMs, 1000.0 / challengeFrameMs);
    return 0;
}
