// Check-in latency: how long the station needs from the last live frame to a stored decision,
// and whether frame analysis keeps up with the camera. Real models, real faces
// (../shared/data/faces/east-asian), a real station database with the demo period.
//   checkin_bench [REPEATS]    (default 5; run from a Release build, one core:
//                               OPENBLAS_NUM_THREADS=1 taskset -c 0 checkin_bench)
// Baseline in the same run: decoding and scaling the same frames only (what any capture costs).
#include <algorithm>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <vector>

#include <opencv2/imgproc.hpp>

#include "station/checkin/checkin.h"
#include "station/identity/identity_engine.h"
#include "station/period_import.h"
#include "vision/image_io.h"

using namespace examguard::station;
namespace fs = std::filesystem;

namespace {

double ms(std::chrono::steady_clock::duration d) {
    return std::chrono::duration<double, std::milli>(d).count();
}

double median(std::vector<double> v) {
    std::sort(v.begin(), v.end());
    return v[v.size() / 2];
}

[[noreturn]] void die(const std::string& what) {
    std::fprintf(stderr, "checkin_bench: %s\n", what.c_str());
    std::exit(1);
}

}  // namespace

int main(int argc, char** argv) {
    const int repeats = argc > 1 ? std::max(1, std::atoi(argv[1])) : 5;
    const fs::path faces = fs::path(EXAMGUARD_SHARED_DATA) / "faces/east-asian/nuaa_client_0010";
    std::vector<fs::path> files;
    for (const auto& e : fs::directory_iterator(faces)) {
        files.push_back(e.path());
    }
    std::sort(files.begin(), files.end());
    if (files.size() < 2) {
        die("need the NUAA photos of ../shared/data/faces/east-asian/nuaa_client_0010");
    }

    // 4 s of 640x480 frames at 10 fps, as a desk camera delivers them.
    std::vector<identity::Frame> frames;
    const auto decodeStart = std::chrono::steady_clock::now();
    for (int i = 0; i < 40; ++i) {
        auto image =
            examguard::vision::readImage(files[static_cast<std::size_t>(i) % files.size()]);
        if (!image) {
            die(image.error().detail);
        }
        cv::Mat frame;
        cv::resize(*image, frame, cv::Size(640, 480));
        frames.push_back({frame, i * 100});
    }
    const double decodeMsPerFrame = ms(std::chrono::steady_clock::now() - decodeStart) / 40;

    const fs::path dir = fs::temp_directory_path() / "examguard-checkin-bench";
    fs::remove_all(dir);
    auto station =
        Station::open({.databasePath = dir / "station.db", .durability = Durability::Full});
    if (!station) {
        die(station.error().detail);
    }
    ImportOptions import;
    import.file = fs::path(EXAMGUARD_SOURCE_DIR) / "schemas/examples/demo-period/plan.json";
    if (auto r = importPeriod(*station, import); !r || !r->summary) {
        die("cannot import the demo period");
    }
    auto sitting = station->db().prepare("SELECT min(id) FROM sitting");
    if (!sitting || !*sitting->step()) {
        die("no sitting");
    }
    const std::int64_t sittingId = sitting->columnInt(0);

    const auto loadStart = std::chrono::steady_clock::now();
    auto engine = identity::IdentityEngine::create();
    if (!engine) {
        die(engine.error().detail);
    }
    const double loadMs = ms(std::chrono::steady_clock::now() - loadStart);
    checkin::CheckinService service(*station, {engine->threshold(), 0.05, 0.0, true});
    auto cardImage = examguard::vision::readImage(files.back());
    auto cardDescriptor = engine->describePhoto(*cardImage);
    if (!cardDescriptor || !*cardDescriptor) {
        die("no face in the card photo");
    }
    const std::vector<examguard::vision::ChallengeStep> steps = {
        examguard::vision::ChallengeStep::Blink};

    std::vector<double> stillMs, videoMs, recordMs;
    for (int r = 0; r < repeats; ++r) {
        auto start = std::chrono::steady_clock::now();
        auto still = engine->analyze(std::span(frames).first(1), steps);
        stillMs.push_back(ms(std::chrono::steady_clock::now() - start));
        start = std::chrono::steady_clock::now();
        auto video = engine->analyze(frames, steps);
        videoMs.push_back(ms(std::chrono::steady_clock::now() - start));
        if (!still || !video) {
            die("analysis failed");
        }
        auto card = checkin::manualCard("370105199809286798", "张伟", "汉",
                                        std::chrono::year(2026) / 11 / 25);
        checkin::Attempt attempt{sittingId, *card,           video->snapshotJpeg, video->live,
                                 {},        *cardDescriptor, video->liveness,     "bench"};
        start = std::chrono::steady_clock::now();
        if (auto out = service.record(attempt); !out) {
            die(out.error().detail);
        }
        recordMs.push_back(ms(std::chrono::steady_clock::now() - start));
    }
    const double perFrame = median(videoMs) / static_cast<double>(frames.size());
    std::printf("model                     %s\n", engine->model().c_str());
    std::printf("model load (once)         %8.1f ms\n", loadMs);
    std::printf("baseline decode+scale     %8.2f ms/frame\n", decodeMsPerFrame);
    std::printf("still image analysis      %8.1f ms (median of %d)\n", median(stillMs), repeats);
    std::printf(
        "4 s video analysis        %8.1f ms for %zu frames = %.1f ms/frame (%.1fx baseline)\n",
        median(videoMs), frames.size(), perFrame, perFrame / decodeMsPerFrame);
    std::printf("store decision (FULL)     %8.1f ms\n", median(recordMs));
    std::printf("decision after last frame %8.1f ms (video analysis + store, goal < 3000)\n",
                median(videoMs) + median(recordMs));
    std::printf("keeps up with a camera at %8.1f fps\n", 1000.0 / perFrame);
    fs::remove_all(dir);
    return 0;
}
