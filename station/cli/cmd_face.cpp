// examguard face embed|compare|liveness: the vision library's face pipeline on image files,
// per the stable contract in docs/cli.md. No logic of its own beyond mapping results to text,
// JSON and exit codes.
#include <algorithm>
#include <iostream>
#include <memory>

#include <fmt/format.h>

#include "commands.h"
#include "face_prompts.h"
#include "station/i18n.h"
#include "station/privacy.h"
#include "vision/face_liveness.h"
#include "vision/face_pipeline.h"
#include "vision/face_quality.h"
#include "vision/image_io.h"

namespace examguard::cli {

using station::i18n::tr;
using station::i18n::trf;

namespace {

struct FaceArgs {
    std::vector<std::string> images;
    std::string model = "onnx";
};

vision::EmbedderKind embedderKind(const std::string& model) {
    return model == "dlib" ? vision::EmbedderKind::DlibResnet : vision::EmbedderKind::OnnxArcFace;
}

// Messages and text output may name files after a candidate's ID number: masked like every
// other screen or log text. The JSON "path" fields stay as the caller gave them, so results can
// be matched to inputs.
std::string masked(std::string_view text) {
    return station::maskSensitive(text);
}

std::string errorMessage(const vision::Error& e) {
    return masked(std::string(visionErrorText(e.code)) + ": " + e.detail);
}

// Errors that stop the whole command (models missing or damaged). Exit 3: an input the
// command needs cannot be read.
int reportFatal(const CliContext& ctx, const vision::Error& e) {
    std::cerr << "examguard: " << errorMessage(e) << '\n';
    if (ctx.json) {
        ctx.printJson({{"error",
                        {{"code", e.code == vision::ErrorCode::ModelMissing ? "io" : "bad_input"},
                         {"detail", masked(e.detail)}}}});
    }
    return kExitBadInput;
}

// A per-image failure: unreadable or undecodable input is exit 3, anything else exit 1.
int exitFor(const vision::Error& e) {
    switch (e.code) {
        case vision::ErrorCode::ImageUnreadable:
        case vision::ErrorCode::ImageInvalid:
        case vision::ErrorCode::ModelMissing:
        case vision::ErrorCode::ModelInvalid:
            return kExitBadInput;
        default:
            return kExitProblem;
    }
}

// 3 (bad input) outranks 1 (problem) outranks 0.
void raise(int& exitCode, int code) {
    if (code == kExitBadInput || exitCode == kExitBadInput) {
        exitCode = kExitBadInput;
    } else {
        exitCode = std::max(exitCode, code);
    }
}

nlohmann::json qualityJson(const vision::QualityReport& q) {
    nlohmann::json issues = nlohmann::json::array();
    for (auto issue : q.issues) {
        issues.push_back(std::string(vision::toString(issue)));
    }
    return {{"ok", q.ok()},
            {"issues", issues},
            {"face_width_px", q.faceWidthPx},
            {"yaw_deg", q.yawDeg},
            {"pitch_deg", q.pitchDeg},
            {"mean_luma", q.meanLuma},
            {"sharpness", q.sharpness}};
}

void printQualityPrompts(const vision::QualityReport& q) {
    for (auto issue : q.issues) {
        std::cout << "    " << qualityPrompt(issue) << '\n';
    }
}

int embedImages(const CliContext& ctx, const FaceArgs& args) {
    auto pipeline = vision::FacePipeline::create(embedderKind(args.model));
    if (!pipeline) {
        return reportFatal(ctx, pipeline.error());
    }
    int exitCode = kExitOk;
    nlohmann::json images = nlohmann::json::array();
    for (const std::string& path : args.images) {
        nlohmann::json entry = {
            {"path", path}, {"faces", nlohmann::json::array()}, {"error", nullptr}};
        auto fail = [&](const vision::Error& e) {
            entry["error"] = errorMessage(e);
            raise(exitCode, exitFor(e));
            if (!ctx.json) {
                std::cout << masked(path) << ": " << errorMessage(e) << '\n';
            }
        };
        auto image = vision::readImage(path);
        auto faces =
            image
                ? pipeline->detect(*image)
                : vision::Result<std::vector<vision::DetectedFace>>(tl::unexpected(image.error()));
        if (!faces) {
            fail(faces.error());
            images.push_back(entry);
            continue;
        }
        bool failed = false;
        for (const vision::DetectedFace& face : *faces) {
            auto embedding = pipeline->embed(*image, face.landmarks);
            if (!embedding) {
                fail(embedding.error());
                failed = true;
                break;
            }
            entry["faces"].push_back(
                {{"box", {face.box.x, face.box.y, face.box.width, face.box.height}},
                 {"embedding", *embedding}});
        }
        if (failed) {
            entry["faces"] = nlohmann::json::array();
            images.push_back(entry);
            continue;
        }
        const vision::QualityReport quality = vision::assessQuality(*image, *faces);
        entry["quality"] = qualityJson(quality);
        if (!ctx.json) {
            std::cout << trf("{}: {} face(s)", masked(path), faces->size()) << '\n';
            for (std::size_t i = 0; i < faces->size(); ++i) {
                const cv::Rect& b = (*faces)[i].box;
                std::cout << "  "
                          << trf("face {}: x {} y {} width {} height {}", i + 1, b.x, b.y, b.width,
                                 b.height)
                          << '\n';
            }
            printQualityPrompts(quality);
        }
        images.push_back(entry);
    }
    if (ctx.json) {
        ctx.printJson({{"model", std::string(pipeline->modelName())},
                       {"threshold", pipeline->distanceThreshold()},
                       {"images", images}});
    } else {
        std::cout << trf("Model {} (threshold {:.2f}); use --json to print the embeddings.",
                         pipeline->modelName(), pipeline->distanceThreshold())
                  << '\n';
    }
    return exitCode;
}

int compareImages(const CliContext& ctx, const FaceArgs& args) {
    auto pipeline = vision::FacePipeline::create(embedderKind(args.model));
    if (!pipeline) {
        return reportFatal(ctx, pipeline.error());
    }
    std::vector<float> embeddings[2];
    nlohmann::json quality;
    for (std::size_t i = 0; i < 2; ++i) {
        const std::string& path = args.images[i];
        const char* side = i == 0 ? "a" : "b";
        auto image = vision::readImage(path);
        auto faces =
            image
                ? pipeline->detect(*image)
                : vision::Result<std::vector<vision::DetectedFace>>(tl::unexpected(image.error()));
        if (faces && faces->empty()) {
            faces = tl::unexpected(vision::Error{vision::ErrorCode::NoFace, path});
        }
        auto embedding = faces ? pipeline->embed(*image, faces->front().landmarks)
                               : vision::Result<std::vector<float>>(tl::unexpected(faces.error()));
        if (!embedding) {
            const vision::Error& e = embedding.error();
            const int code = exitFor(e);
            std::cerr << "examguard: " << masked(path) << ": " << errorMessage(e) << '\n';
            if (ctx.json) {
                ctx.printJson({{"error",
                                {{"code", code == kExitBadInput ? "io" : "invalid"},
                                 {"detail", masked(path) + ": " + errorMessage(e)}}}});
            }
            return code;
        }
        embeddings[i] = std::move(*embedding);
        const vision::QualityReport q = vision::assessQuality(*image, *faces);
        quality[side] = qualityJson(q);
        if (!ctx.json && !q.ok()) {
            std::cout << masked(path) << ":\n";
            printQualityPrompts(q);
        }
    }
    const vision::Comparison c = pipeline->compare(embeddings[0], embeddings[1]);
    if (ctx.json) {
        ctx.printJson({{"model", std::string(pipeline->modelName())},
                       {"distance", c.distance},
                       {"threshold", c.threshold},
                       {"match", c.match},
                       {"quality", quality}});
    } else if (c.match) {
        std::cout << trf("Same person: distance {:.3f} <= threshold {:.3f} ({})", c.distance,
                         c.threshold, pipeline->modelName())
                  << '\n';
    } else {
        std::cout << trf("NOT the same person: distance {:.3f} > threshold {:.3f} ({})", c.distance,
                         c.threshold, pipeline->modelName())
                  << '\n';
    }
    return c.match ? kExitOk : kExitProblem;
}

int livenessImages(const CliContext& ctx, const FaceArgs& args) {
    auto detector = vision::FaceDetector::create();
    if (!detector) {
        return reportFatal(ctx, detector.error());
    }
    auto model = vision::PassiveLiveness::create();
    if (!model) {
        return reportFatal(ctx, model.error());
    }
    int exitCode = kExitOk;
    nlohmann::json images = nlohmann::json::array();
    for (const std::string& path : args.images) {
        nlohmann::json entry = {
            {"path", path}, {"live", false}, {"score", nullptr}, {"error", nullptr}};
        auto image = vision::readImage(path);
        auto faces =
            image
                ? detector->detect(*image)
                : vision::Result<std::vector<vision::DetectedFace>>(tl::unexpected(image.error()));
        if (faces && faces->empty()) {
            faces = tl::unexpected(vision::Error{vision::ErrorCode::NoFace, path});
        }
        auto score = faces ? model->score(*image, faces->front().box)
                           : vision::Result<vision::LivenessScore>(tl::unexpected(faces.error()));
        if (!score) {
            entry["error"] = errorMessage(score.error());
            raise(exitCode, exitFor(score.error()));
            if (!ctx.json) {
                std::cout << masked(path) << ": " << errorMessage(score.error()) << '\n';
            }
        } else {
            entry["live"] = score->live;
            entry["score"] = score->liveProbability;
            raise(exitCode, score->live ? kExitOk : kExitProblem);
            if (!ctx.json) {
                std::cout << (score->live
                                  ? trf("{}: live (score {:.3f})", masked(path),
                                        score->liveProbability)
                                  : trf("{}: NOT live (score {:.3f}): possibly a photo or a "
                                        "screen held to the camera",
                                        masked(path), score->liveProbability))
                          << '\n';
            }
        }
        images.push_back(entry);
    }
    if (ctx.json) {
        ctx.printJson({{"images", images}});
    }
    return exitCode;
}

}  // namespace

void registerFaceCommands(CLI::App& app, CliContext& ctx, int& exitCode) {
    auto* face = app.add_subcommand(
        "face", tr("Face pipeline on image files: embeddings, comparison, liveness"));
    face->require_subcommand(1);
    const std::vector<std::string> models{"onnx", "dlib"};

    auto embedArgs = std::make_shared<FaceArgs>();
    auto* embed = face->add_subcommand(
        "embed", tr("Detect every face and print its embedding (with --json)"));
    embed->add_option("images", embedArgs->images, tr("Image files (JPEG, PNG or BMP)"))
        ->required();
    embed
        ->add_option("--model", embedArgs->model,
                     tr("Embedding model: onnx (default, chosen by measurement) or dlib"))
        ->check(CLI::IsMember(models));
    embed->callback([&ctx, &exitCode, embedArgs] { exitCode = embedImages(ctx, *embedArgs); });

    auto compareArgs = std::make_shared<FaceArgs>();
    auto* compare = face->add_subcommand(
        "compare", tr("Compare the largest face of two images; exit 1 when not the same person"));
    compare->add_option("images", compareArgs->images, tr("Two image files"))
        ->required()
        ->expected(2);
    compare
        ->add_option("--model", compareArgs->model,
                     tr("Embedding model: onnx (default, chosen by measurement) or dlib"))
        ->check(CLI::IsMember(models));
    compare->callback(
        [&ctx, &exitCode, compareArgs] { exitCode = compareImages(ctx, *compareArgs); });

    auto livenessArgs = std::make_shared<FaceArgs>();
    auto* liveness = face->add_subcommand(
        "liveness",
        tr("Passive single-image check against printed photos; exit 1 when one is not live"));
    liveness->add_option("images", livenessArgs->images, tr("Image files (JPEG, PNG or BMP)"))
        ->required();
    liveness->callback(
        [&ctx, &exitCode, livenessArgs] { exitCode = livenessImages(ctx, *livenessArgs); });
}

}  // namespace examguard::cli
