// Face pipeline timings on one core, Release build: detection on a 640x480 webcam frame,
// landmark alignment to each chip, one descriptor per backend, passive liveness, and the sum for
// detect + align + describe (goal < 150 ms). Prints medians of repeated runs.
//
// One core: run as `taskset -c 0 face_bench`; OpenBLAS and OpenCV are also told to use one
// thread here so the figures do not depend on the machine's idle cores.
#include <algorithm>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <functional>
#include <vector>

#include <opencv2/core.hpp>

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
    setenv("OPENBLAS_NUM_THREADS", "1", 0);  // read by OpenBLAS when the library initialises
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
    const std::vector<float> idCard = pipeline->embedLargestFace(*frame)->embedding;
    const double decisionMs = medianMs(runs, [&] {
        auto found = pipeline->detect(*frame);
        const QualityReport q = assessQuality(*frame, *found);
        auto live = liveness->score(*frame, found->front().box);
        auto e = pipeline->embed(*frame, found->front().landmarks);
        const Comparison withCard = pipeline->compare(*e, idCard);
        const Comparison withRoster = pipeline->compare(*e, idCard);
        (void)q;
        (void)live;
        (void)withCard;
        (void)withRoster;
    });

    std::printf("face_bench: 640x480 frame, %d runs, medians in ms (one thread)\n", runs);
    std::printf("  detect (HOG + 68 landmarks)   %8.1f\n", detectMs);
    std::printf("    of which landmarks          %8.1f\n", landmarksMs);
    std::printf("  align dlib 150x150 chip       %8.2f\n", alignDlibMs);
    std::printf("  align ArcFace 112x112 chip    %8.2f\n", alignArcMs);
    std::printf("  descriptor dlib ResNet        %8.1f\n", dlibMs);
    std::printf("  descriptor ONNX fr_feature    %8.1f\n", onnxMs);
    std::printf("  passive liveness (ONNX)       %8.1f\n", liveMs);
    std::printf("  detect+align+describe, ONNX   %8.1f  (goal < 150)\n",
                detectMs + alignArcMs + onnxMs);
    std::printf("  detect+align+describe, dlib   %8.1f\n", detectMs + alignDlibMs + dlibMs);
    std::printf("  + passive liveness, ONNX      %8.1f\n", detectMs + alignArcMs + onnxMs + liveMs);
    std::printf("  decision: detect+quality+liveness+describe+2 compares %6.1f\n", decisionMs);
    return 0;
}
