// Camera analysis cost: how many cameras one core can analyse at 720p and 1080p, decode
// included, with tamper analysis at 2 fps (the goal is 16 cameras on a 2-core machine).
//
//   OPENCV_FFMPEG_CAPTURE_OPTIONS="threads;1" taskset -c 0 camera_bench [SECONDS] [RUNS]
//
// Inputs are made in the run from the real clip (../shared/data/video): scaled to 1280x720 and
// 1920x1080 and re-encoded as a camera sends them (H.264, 25 fps, GOP 50, no B-frames), SECONDS
// long (default 30). For each size, medians over RUNS (default 3) of:
//  - ours: OpenCV's FFmpeg capture decoding every frame, the frames due at 2 fps converted and
//    passed through TamperAnalyzer;
//  - decode only: the same capture decoding every frame, nothing analysed;
//  - baselines with the ffmpeg tool on the same file, one thread: `ffmpeg -i SRC -c copy -f
//    null -` (stream copy: what recording costs) and `ffmpeg -i SRC -f null -` (plain decode).
// cameras per core = video seconds / processing seconds.
#include <algorithm>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <functional>
#include <string>
#include <vector>

#include <opencv2/core.hpp>
#include <opencv2/videoio.hpp>

#include "vision/scene_tamper.h"

using namespace examguard::vision;

namespace {

double medianS(int runs, const std::function<bool()>& work) {
    std::vector<double> s;
    for (int i = 0; i < runs; ++i) {
        const auto t0 = std::chrono::steady_clock::now();
        if (!work()) {
            return -1;
        }
        s.push_back(std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count());
    }
    std::sort(s.begin(), s.end());
    return s[s.size() / 2];
}

bool shell(const std::string& command) {
    return std::system(command.c_str()) == 0;
}

// Decodes every frame; with `analyse`, the frames due at 2 fps go through the analyser.
bool runCapture(const std::string& path, bool analyse, std::int64_t& analysed) {
    cv::VideoCapture capture(path, cv::CAP_FFMPEG);
    if (!capture.isOpened()) {
        return false;
    }
    scene::TamperAnalyzer analyzer("bench", scene::TamperConfig{});
    const double fps = capture.get(cv::CAP_PROP_FPS);
    cv::Mat frame;
    for (std::int64_t i = 0; capture.grab(); ++i) {
        const double t = static_cast<double>(i) / fps;
        if (analyse && analyzer.wantsFrame(t) && capture.retrieve(frame)) {
            analyzer.push(frame, t);
        }
    }
    analysed = analyzer.framesAnalyzed();
    return true;
}

}  // namespace

int main(int argc, char** argv) {
    const int seconds = argc > 1 ? std::max(5, std::atoi(argv[1])) : 30;
    const int runs = argc > 2 ? std::max(1, std::atoi(argv[2])) : 3;
    cv::setNumThreads(1);
    const std::string clip =
        std::string(EXAMGUARD_SHARED_DATA) + "/video/one-by-one-person-detection.mp4";
    const auto dir = std::filesystem::temp_directory_path() /
                     ("examguard-camera-bench-" + std::to_string(seconds));
    std::filesystem::create_directories(dir);
    std::printf("camera_bench: %d s inputs, median of %d runs, OpenCV threads %d\n", seconds, runs,
                cv::getNumThreads());
    std::printf("%-11s %10s %10s %10s %10s %9s %10s %10s %12s\n", "size", "ours s", "decode s",
                "ffdec s", "ffcopy s", "analysed", "cams/core", "ours/dec", "ours/ffcopy");
    // The clip upscaled is smoother than a camera's picture; the "+noise" inputs add temporal
    // sensor-like noise, which raises the bit rate (and decode cost) towards a real camera's.
    struct Input {
        const char* name;
        const char* filter;
    };
    for (const Input& input : {Input{"720p", "scale=1280:720"}, Input{"1080p", "scale=1920:1080"},
                               Input{"720p+noise", "scale=1280:720,noise=alls=6:allf=t+u"},
                               Input{"1080p+noise", "scale=1920:1080,noise=alls=6:allf=t+u"}}) {
        const std::string name = input.name;
        const std::string filter = input.filter;
        const std::string src = (dir / (name + ".mp4")).string();
        if (!std::filesystem::exists(src) &&
            !shell("ffmpeg -loglevel error -y -stream_loop -1 -i '" + clip + "' -t " +
                   std::to_string(seconds) + " -vf " + filter +
                   ",fps=25 -c:v libx264 -preset veryfast -g 50 -bf 0 -an '" + src + "'")) {
            std::fprintf(stderr, "camera_bench: cannot make %s with ffmpeg\n", src.c_str());
            return 3;
        }
        std::int64_t analysed = 0;
        const double ours = medianS(runs, [&] { return runCapture(src, true, analysed); });
        std::int64_t none = 0;
        const double decode = medianS(runs, [&] { return runCapture(src, false, none); });
        const double ffcopy = medianS(runs, [&] {
            return shell("ffmpeg -loglevel error -threads 1 -i '" + src +
                         "' -c copy -f null - </dev/null");
        });
        const double ffdec = medianS(runs, [&] {
            return shell("ffmpeg -loglevel error -threads 1 -i '" + src + "' -f null - </dev/null");
        });
        if (ours < 0 || decode < 0 || ffcopy < 0 || ffdec < 0) {
            std::fprintf(stderr, "camera_bench: a run failed on %s\n", src.c_str());
            return 1;
        }
        std::printf("%-11s %10.2f %10.2f %10.2f %10.3f %9lld %10.1f %10.2f %12.1f\n", name.c_str(),
                    ours, decode, ffdec, ffcopy, static_cast<long long>(analysed), seconds / ours,
                    ours / decode, ours / ffcopy);
    }
    std::printf(
        "cams/core: cameras one core analyses in real time (decode + 2 fps analysis); "
        "ours/dec: cost of analysis on top of decoding; ours/ffcopy: against recording "
        "by stream copy\n");
    return 0;
}
