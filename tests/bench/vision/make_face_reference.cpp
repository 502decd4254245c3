// One-off generator of tests/data/vision/face_reference.txt: the 68 landmarks of a fixed shared
// photo and each network's embedding of the chips aligned from them. The pinning test in
// tests/unit/vision/face_embedder_test.cpp rebuilds the chips from the stored landmarks and
// compares. Run only after checking the networks (face_accuracy_test) and say why in the commit.
#include <cstdio>
#include <fstream>

#include <opencv2/imgcodecs.hpp>

#include "vision/face_detector.h"
#include "vision/face_embedder.h"

using namespace examguard::vision;

int main(int argc, char** argv) {
    if (argc != 2 && argc != 3) {
        std::fprintf(stderr, "usage: %s OUT.txt [CHIP.rgb]\n", argv[0]);
        std::fprintf(stderr,
                     "  CHIP.rgb: also write the 150x150 dlib chip as raw RGB bytes, the input\n"
                     "  faceapi_crosscheck.mjs feeds to face-api's own network\n");
        return 2;
    }
    const std::string photo = "faces/east-asian/nuaa_client_0010/0010_01_05_03_132.jpg";
    const cv::Mat img = cv::imread(std::string(EXAMGUARD_SHARED_DATA) + "/" + photo);
    auto detector = FaceDetector::create();
    if (img.empty() || !detector) {
        std::fprintf(stderr, "cannot read photo or landmark model\n");
        return 3;
    }
    auto faces = detector->detect(img);
    if (!faces || faces->size() != 1) {
        std::fprintf(stderr, "expected one face\n");
        return 1;
    }
    std::ofstream out(argv[1]);
    out << "# photo " << photo << "\n";
    out << "landmarks";
    for (const auto& p : faces->front().landmarks.points) {
        out << ' ' << p.x << ' ' << p.y;
    }
    out << "\n";
    for (auto kind : {EmbedderKind::DlibResnet, EmbedderKind::OnnxArcFace}) {
        auto embedder = createEmbedder(kind);
        if (!embedder) {
            std::fprintf(stderr, "%s\n", embedder.error().detail.c_str());
            return 3;
        }
        auto chip = alignChip((*embedder)->chipKind(), img, faces->front().landmarks);
        if (chip && argc == 3 && kind == EmbedderKind::DlibResnet) {
            std::ofstream raw(argv[2], std::ios::binary);
            for (int r = 0; r < chip->rows; ++r) {
                for (int c = 0; c < chip->cols; ++c) {
                    const auto& p = chip->at<cv::Vec3b>(r, c);
                    const char rgb[3] = {static_cast<char>(p[2]), static_cast<char>(p[1]),
                                         static_cast<char>(p[0])};
                    raw.write(rgb, 3);
                }
            }
        }
        auto e = chip ? (*embedder)->embed(*chip) : tl::unexpected(chip.error());
        if (!e) {
            std::fprintf(stderr, "%s\n", e.error().detail.c_str());
            return 1;
        }
        out << (*embedder)->name();
        char buf[32];
        for (float v : *e) {
            std::snprintf(buf, sizeof buf, " %.9g", static_cast<double>(v));
            out << buf;
        }
        out << "\n";
    }
    return 0;
}
