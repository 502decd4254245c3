#include "demo_checkins.h"

#include <fmt/format.h>
#include <opencv2/imgcodecs.hpp>
#include <opencv2/imgproc.hpp>

#include "labels.h"
#include "station/checkin/checkin.h"
#include "station/file_io.h"
#include "station/i18n.h"
#include "vision/assets.h"
#include "vision/image_io.h"

namespace examguard::cli {

using station::i18n::tr;
using station::i18n::trf;
using station::i18n::trNoop;
namespace fs = std::filesystem;
namespace checkin = station::checkin;
namespace identity = station::identity;

namespace {

// Which face of which photo: the detected face whose centre is nearest to (x, y). These are
// frontal faces that pass the quality gates.
struct FaceSpot {
    const char* file;
    int x, y;
};
constexpr FaceSpot kGenuine{"sample6.jpg", 380, 653};
constexpr FaceSpot kSecond{"sample3.jpg", 678, 479};
constexpr FaceSpot kThird{"sample5.jpg", 1187, 336};
constexpr FaceSpot kImpostor{"sample2.jpg", 1550, 305};

// A square crop around the face, `margin` face widths on each side, clipped to the image.
cv::Mat around(const cv::Mat& image, const cv::Rect& face, double margin, int size) {
    const int pad = static_cast<int>(face.width * margin);
    cv::Rect r(face.x - pad, face.y - pad, face.width + 2 * pad, face.height + 2 * pad);
    r &= cv::Rect(0, 0, image.cols, image.rows);
    cv::Mat out;
    cv::resize(image(r), out, cv::Size(size, size), 0, 0, cv::INTER_AREA);
    return out;
}

station::Expected<cv::Mat> cutFace(identity::IdentityEngine& engine, const FaceSpot& spot) {
    const fs::path path = vision::assetsDir() / "demo-faces" / spot.file;
    auto image = vision::readImage(path);
    if (!image) {
        return station::fail(
            station::ErrorCode::Io,
            fmt::format("{}: {} (run scripts/setup.sh)", path.string(), image.error().detail));
    }
    auto boxes = engine.faceBoxes(*image);
    if (!boxes) {
        return tl::unexpected(boxes.error());
    }
    const cv::Rect* best = nullptr;
    double bestDistance = 1e18;
    for (const auto& b : *boxes) {
        const double dx = b.x + b.width / 2.0 - spot.x, dy = b.y + b.height / 2.0 - spot.y;
        if (dx * dx + dy * dy < bestDistance) {
            bestDistance = dx * dx + dy * dy;
            best = &b;
        }
    }
    if (!best || bestDistance > 100.0 * 100.0) {
        return station::fail(station::ErrorCode::Invalid,
                             fmt::format("the demo face in {} was not found", spot.file));
    }
    // Head and shoulders, 2.5 face widths wide: what the rest of the demo cuts from.
    return around(*image, *best, 0.75, 480);
}

station::Bytes jpeg(const cv::Mat& image, int quality = 92) {
    std::vector<unsigned char> bytes;
    cv::imencode(".jpg", image, bytes, {cv::IMWRITE_JPEG_QUALITY, quality});
    return station::Bytes(bytes.begin(), bytes.end());
}

// What the card reader gives: a small, washed-out photo of the holder.
station::Bytes cardPhoto(const cv::Mat& face) {
    cv::Mat small, gray, washed;
    cv::resize(face, small, cv::Size(320, 320), 0, 0, cv::INTER_AREA);
    cv::cvtColor(small, gray, cv::COLOR_BGR2GRAY);
    cv::cvtColor(gray, gray, cv::COLOR_GRAY2BGR);
    cv::addWeighted(small, 0.75, gray, 0.25, 6.0, washed);
    return jpeg(washed, 80);
}

// A desk camera's 640x480 frame of the person: another framing, a little brighter.
cv::Mat liveFrame(const cv::Mat& face) {
    cv::Mat frame(480, 640, CV_8UC3, cv::Scalar(70, 74, 78));
    cv::Mat scaled;
    cv::resize(face, scaled, cv::Size(440, 440), 0, 0, cv::INTER_LINEAR);
    scaled.copyTo(frame(cv::Rect(100, 20, 440, 440)));
    frame.convertTo(frame, -1, 1.05, 8.0);
    return frame;
}

}  // namespace

station::Expected<DemoFaces> prepareDemoFaces(identity::IdentityEngine& engine,
                                              const fs::path& planDir, std::string& rosterCsv) {
    DemoFaces faces;
    for (auto [spot, target] :
         {std::pair{kGenuine, &faces.genuine}, std::pair{kSecond, &faces.second},
          std::pair{kThird, &faces.third}, std::pair{kImpostor, &faces.impostor}}) {
        auto face = cutFace(engine, spot);
        if (!face) {
            return tl::unexpected(face.error());
        }
        *target = *face;
    }
    std::error_code ec;
    fs::create_directories(planDir / "photos", ec);
    for (auto [seat, face] : {std::pair{"A01", &faces.genuine}, std::pair{"A02", &faces.second},
                              std::pair{"A03", &faces.third}}) {
        const auto bytes = jpeg(*face);
        const std::string name = fmt::format("photos/{}.jpg", seat);
        if (auto r = station::writeFileAtomically(
                planDir / name,
                std::string_view(reinterpret_cast<const char*>(bytes.data()), bytes.size()));
            !r) {
            return tl::unexpected(r.error());
        }
        // The seat's roster line ends with the empty photo column.
        const std::string line = fmt::format("\n{},", seat);
        const auto at = rosterCsv.find(line);
        const auto end = rosterCsv.find('\r', at + 1);
        if (at == std::string::npos || end == std::string::npos || rosterCsv[end - 1] != ',') {
            return station::fail(station::ErrorCode::Invalid,
                                 fmt::format("the demo roster has no line for seat {}", seat));
        }
        rosterCsv.insert(end, name);
    }
    return faces;
}

station::Expected<nlohmann::json> runDemoCheckins(station::Station& station,
                                                  identity::IdentityEngine& engine,
                                                  const DemoFaces& faces, std::ostream& out) {
    auto sitting = station.db().prepare(
        "SELECT id FROM sitting WHERE subject = 'theory' AND round = 'main' ORDER BY id LIMIT 1");
    if (!sitting) {
        return tl::unexpected(sitting.error());
    }
    if (auto row = sitting->step(); !row || !*row) {
        return station::fail(station::ErrorCode::NotFound, "the demo period has no theory sitting");
    }
    const std::int64_t sittingId = sitting->columnInt(0);
    checkin::CheckinService service(station, {engine.threshold(), 0.05, 0.0, true});
    if (auto described = identity::describeReferencePhotos(engine, service, std::nullopt, nullptr);
        !described) {
        return tl::unexpected(described.error());
    }
    const auto today = std::chrono::year(2026) / 11 / 25;
    struct Case {
        const char* label;
        const char* idNumber;
        const char* name;
        const cv::Mat* cardFace;
        const cv::Mat* presented;
        bool stillPhoto;  // a printed photo held to the camera for the whole challenge
    };
    const Case cases[] = {
        {trNoop("genuine candidate"), "370105199809286798", "张伟", &faces.genuine, &faces.genuine,
         false},
        {trNoop("impostor with another candidate's card"), "370112198203267081", "王芳",
         &faces.second, &faces.impostor, false},
        {trNoop("printed photo held to the camera"), "370104198102152808", "李娜", &faces.third,
         &faces.third, true},
    };
    nlohmann::json results = nlohmann::json::array();
    int n = 0;
    for (const auto& c : cases) {
        auto card = checkin::manualCard(c.idNumber, c.name, "汉", today);
        if (!card) {
            return tl::unexpected(card.error());
        }
        card->photo = cardPhoto(*c.cardFace);
        card->source = "demo";
        const cv::Mat frame = liveFrame(*c.presented);
        std::vector<identity::Frame> frames;
        std::vector<vision::ChallengeStep> steps;
        if (c.stillPhoto) {
            // Four seconds of the same picture: it never blinks or turns.
            for (int i = 0; i < 40; ++i) {
                frames.push_back({frame, i * 100});
            }
            steps = {vision::ChallengeStep::Blink, vision::ChallengeStep::TurnLeft};
        } else {
            frames.push_back({frame, 0});
        }
        auto live = engine.analyze(frames, steps);
        if (!live) {
            return tl::unexpected(live.error());
        }
        auto cardImage = identity::decodePhoto(card->photo);
        if (!cardImage) {
            return tl::unexpected(cardImage.error());
        }
        auto cardDescriptor = engine.describePhoto(*cardImage);
        if (!cardDescriptor) {
            return tl::unexpected(cardDescriptor.error());
        }
        checkin::Attempt attempt{sittingId,
                                 *card,
                                 live->snapshotJpeg,
                                 live->live,
                                 live->qualityIssues,
                                 *cardDescriptor,
                                 live->liveness,
                                 "admin",
                                 c.stillPhoto ? "video" : "image"};
        auto outcome = service.record(attempt);
        if (!outcome) {
            return tl::unexpected(outcome.error());
        }
        const char* decision = checkin::decisionName(outcome->decision);
        std::string reasons;
        for (const auto& r : outcome->reasons) {
            reasons += (reasons.empty() ? "" : "; ") + std::string(checkinReasonLabel(r));
        }
        out << trf("   {}. {} ({} {}): {}{}", ++n, tr(c.label), outcome->maskedIdNumber,
                   outcome->seat, decisionLabel(decision), reasons.empty() ? "" : " — " + reasons)
            << '\n';
        results.push_back(
            {{"case", c.label},
             {"checkin_id", outcome->checkinId},
             {"id_number", outcome->maskedIdNumber},
             {"decision", decision},
             {"reasons", outcome->reasons},
             {"liveness", checkin::livenessName(live->liveness.status)},
             {"distance_card", outcome->distanceCard ? nlohmann::json(*outcome->distanceCard)
                                                     : nlohmann::json(nullptr)}});
    }
    return results;
}

}  // namespace examguard::cli
