#pragma once

// Shared fixtures for the vision tests: the real face photos of ../shared/data/faces and
// lazily built detector/embedders (loading them once keeps the test binary fast).
#include <filesystem>
#include <fstream>
#include <map>
#include <memory>
#include <sstream>
#include <string>
#include <vector>

#include <gtest/gtest.h>
#include <opencv2/imgcodecs.hpp>

#include "vision/face_aligner.h"
#include "vision/face_detector.h"
#include "vision/face_embedder.h"

namespace examguard::vision::test {

inline std::filesystem::path facesDir() {
    return std::filesystem::path(EXAMGUARD_SHARED_DATA) / "faces";
}

struct LabelledPhoto {
    std::string identity;
    std::filesystem::path path;
};

// east-asian/: one folder per identity.
inline std::vector<LabelledPhoto> eastAsianPhotos() {
    std::vector<LabelledPhoto> out;
    for (const auto& dir : std::filesystem::directory_iterator(facesDir() / "east-asian")) {
        if (!dir.is_directory()) {
            continue;
        }
        for (const auto& f : std::filesystem::directory_iterator(dir.path())) {
            out.push_back({dir.path().filename().string(), f.path()});
        }
    }
    std::sort(out.begin(), out.end(), [](const auto& a, const auto& b) { return a.path < b.path; });
    return out;
}

// deepface/: identities.csv maps file -> identity.
inline std::vector<LabelledPhoto> deepfacePhotos() {
    std::vector<LabelledPhoto> out;
    std::ifstream csv(facesDir() / "deepface" / "identities.csv");
    std::string line;
    std::getline(csv, line);  // header
    while (std::getline(csv, line)) {
        if (!line.empty() && line.back() == '\r') {
            line.pop_back();
        }
        const auto comma = line.find(',');
        if (comma == std::string::npos) {
            continue;
        }
        out.push_back({line.substr(0, comma), facesDir() / "deepface" / line.substr(comma + 1)});
    }
    return out;
}

inline FaceDetector& sharedDetector() {
    static FaceDetector detector = [] {
        auto d = FaceDetector::create();
        if (!d) {
            throw std::runtime_error("detector: " + d.error().detail);
        }
        return std::move(*d);
    }();
    return detector;
}

inline FaceEmbedder& sharedEmbedder(EmbedderKind kind) {
    static std::map<EmbedderKind, std::unique_ptr<FaceEmbedder>> embedders;
    auto& slot = embedders[kind];
    if (!slot) {
        auto e = createEmbedder(kind);
        if (!e) {
            throw std::runtime_error("embedder: " + e.error().detail);
        }
        slot = std::move(*e);
    }
    return *slot;
}

// The largest face of a photo, detected with landmarks.
inline DetectedFace largestFace(const cv::Mat& image) {
    auto faces = sharedDetector().detect(image);
    if (!faces || faces->empty()) {
        throw std::runtime_error("no face in test image");
    }
    return faces->front();
}

inline cv::Mat readImage(const std::filesystem::path& p) {
    cv::Mat img = cv::imread(p.string(), cv::IMREAD_COLOR);
    if (img.empty()) {
        throw std::runtime_error("cannot read " + p.string());
    }
    return img;
}

}  // namespace examguard::vision::test
