// Recording CPU per stream: user+sys seconds the Recorder spends per minute of video (stream
// copy into 60 s MPEG-TS segments with SHA-256, fsync), against ffmpeg's own stream copy of the
// same input measured in the same run: `ffmpeg -i SRC -c copy -f null -` (demux only) and
// `ffmpeg -i SRC -c copy -f segment -segment_time 60 OUT%03d.ts` (demux + mux + write).
//
// Usage: recorder_bench [RUNS] [VIDEO...]
//        recorder_bench --rtsp URL SECONDS   (a live camera: CPU over SECONDS of real time,
//                                             against ffmpeg -rtsp_transport tcp ... -c copy)
//        recorder_bench --usb [RUNS]         (what a USB camera sends: MJPEG 720p 25 fps, which
//                                             the recorder encodes to H.264; against ffmpeg
//                                             doing the same encoding, one thread)
// Without VIDEO, makes camera-like inputs from the real clip of ../shared/data/video: 720p and
// 1080p, 25 fps, H.264 without B-frames, a keyframe every 2 s, 2 and 4 Mbit/s, 60 s encoded
// and repeated by stream copy to 10 minutes (so ffmpeg's start-up is a small part of its time).
// A file is read as fast as it demuxes, so the figures are CPU per minute of video, not real
// time; an RTSP source adds RTP depacketisation (not measured here).
#include <sys/resource.h>
#include <sys/wait.h>
#include <unistd.h>

#include <algorithm>
#include <chrono>
#include <condition_variable>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <mutex>
#include <string>
#include <thread>
#include <vector>

#include <spdlog/sinks/stdout_color_sinks.h>
#include <spdlog/spdlog.h>

#include "monitor/recorder.h"

namespace fs = std::filesystem;
using examguard::monitor::Recorder;

namespace {

double seconds(const timeval& tv) {
    return static_cast<double>(tv.tv_sec) + tv.tv_usec / 1e6;
}

double cpuSelf() {
    rusage ru{};
    getrusage(RUSAGE_SELF, &ru);
    return seconds(ru.ru_utime) + seconds(ru.ru_stime);
}

// Runs a command; returns the user+sys seconds of the child.
double cpuOfChild(const std::vector<std::string>& argv) {
    const pid_t pid = fork();
    if (pid == 0) {
        std::vector<char*> args;
        for (const auto& a : argv) {
            args.push_back(const_cast<char*>(a.c_str()));
        }
        args.push_back(nullptr);
        execvp(args[0], args.data());
        _exit(127);
    }
    int status = 0;
    rusage ru{};
    wait4(pid, &status, 0, &ru);
    if (!WIFEXITED(status) || WEXITSTATUS(status) != 0) {
        std::fprintf(stderr, "%s failed\n", argv[0].c_str());
        std::exit(1);
    }
    return seconds(ru.ru_utime) + seconds(ru.ru_stime);
}

double median(std::vector<double> v) {
    std::sort(v.begin(), v.end());
    return v[v.size() / 2];
}

double durationOf(const fs::path& video) {
    const std::string command =
        "ffprobe -v error -show_entries format=duration -of csv=p=0 '" + video.string() + "'";
    FILE* pipe = popen(command.c_str(), "r");
    double d = 0;
    if (pipe == nullptr || std::fscanf(pipe, "%lf", &d) != 1) {
        d = 0;
    }
    if (pipe != nullptr) {
        pclose(pipe);
    }
    return d;
}

}  // namespace

// A live RTSP source: the recorder for SECONDS of real time, then ffmpeg's stream copy of the
// same source for as long; CPU per minute of video for both.
int benchRtsp(const std::string& url, double seconds) {
    const fs::path out = fs::temp_directory_path() / ("recorder-bench-" + std::to_string(getpid()));
    Recorder recorder({.camera = "bench", .url = url, .outputDir = out, .segmentSeconds = 60}, {});
    const double before = cpuSelf();
    std::thread stopper([&] {
        std::mutex m;
        std::condition_variable never;
        std::unique_lock lock(m);
        never.wait_for(lock, std::chrono::duration<double>(seconds));  // the measured span
        recorder.stop();
    });
    auto stats = recorder.run();
    stopper.join();
    const double ours = (cpuSelf() - before) * 60 / seconds;
    fs::remove_all(out);
    if (!stats || stats->packets == 0) {
        std::fprintf(stderr, "%s: nothing recorded\n", url.c_str());
        return 1;
    }
    const double theirs =
        cpuOfChild({"ffmpeg", "-loglevel", "error", "-nostdin", "-rtsp_transport", "tcp", "-i", url,
                    "-t", std::to_string(seconds), "-c", "copy", "-f", "null", "-"}) *
        60 / seconds;
    std::printf("recorder_bench --rtsp: %.0f s of live video, user+sys CPU seconds per minute\n",
                seconds);
    std::printf("recorder %.4f  ffmpeg copy %.4f  ratio %.2f  packets %lld\n", ours, theirs,
                ours / theirs, static_cast<long long>(stats->packets));
    return 0;
}

// A USB camera's MJPEG (made from the real clip: 720p, 25 fps, 60 s), recorded: decoded,
// encoded to H.264 (libx264 ultrafast/zerolatency, one thread), segmented and hashed. Baseline:
// ffmpeg's own encoding of the same input with the same settings into an MPEG-TS file.
int benchUsb(int runs) {
    const fs::path work =
        fs::temp_directory_path() / ("recorder-bench-" + std::to_string(getpid()));
    fs::create_directories(work);
    const fs::path clip = fs::path(EXAMGUARD_SHARED_DATA) / "video/one-by-one-person-detection.mp4";
    const fs::path input = work / "usb-720p.avi";
    std::fprintf(stderr, "making %s from %s ...\n", input.c_str(), clip.c_str());
    cpuOfChild({"ffmpeg", "-loglevel", "error", "-nostdin", "-y", "-i", clip.string(), "-t", "60",
                "-an", "-vf", "scale=1280:720,fps=25", "-c:v", "mjpeg", "-q:v", "5",
                input.string()});
    const double videoS = durationOf(input);
    std::vector<double> ours, theirs;
    for (int r = 0; r < runs; ++r) {
        const fs::path out = work / "out";
        fs::remove_all(out);
        const double before = cpuSelf();
        Recorder recorder(
            {.camera = "usb", .url = input.string(), .outputDir = out, .segmentSeconds = 60}, {});
        auto stats = recorder.run();
        ours.push_back((cpuSelf() - before) * 60 / videoS);
        if (!stats || stats->segments == 0) {
            std::fprintf(stderr, "%s: recording failed\n", input.c_str());
            return 1;
        }
        theirs.push_back(cpuOfChild({"ffmpeg",   "-loglevel",   "error",
                                     "-nostdin", "-y",          "-threads",
                                     "1",        "-i",          input.string(),
                                     "-c:v",     "libx264",     "-threads",
                                     "1",        "-preset",     "ultrafast",
                                     "-tune",    "zerolatency", "-crf",
                                     "23",       "-pix_fmt",    "yuv420p",
                                     "-f",       "mpegts",      (work / "ffmpeg.ts").string()}) *
                         60 / videoS);
    }
    const double m = median(ours), t = median(theirs);
    std::printf(
        "recorder_bench --usb: MJPEG 1280x720 25 fps, %.0f s, %d runs, median user+sys "
        "CPU seconds per minute of video\n",
        videoS, runs);
    std::printf(
        "recorder (decode+H.264+segments) %.3f  ffmpeg same encoding %.3f  ratio %.2f  "
        "USB cameras per core %.1f\n",
        m, t, m / t, 60.0 / m);
    fs::remove_all(work);
    return 0;
}

int main(int argc, char** argv) {
    spdlog::stderr_color_mt("monitor")->set_level(spdlog::level::warn);  // no line per run
    if (argc >= 2 && std::string(argv[1]) == "--usb") {
        return benchUsb(argc > 2 ? std::max(1, std::atoi(argv[2])) : 3);
    }
    if (argc == 4 && std::string(argv[1]) == "--rtsp") {
        return benchRtsp(argv[2], std::max(1.0, std::atof(argv[3])));
    }
    const int runs = argc > 1 ? std::max(1, std::atoi(argv[1])) : 5;
    const fs::path work =
        fs::temp_directory_path() / ("recorder-bench-" + std::to_string(getpid()));
    fs::create_directories(work);
    std::vector<fs::path> inputs;
    for (int i = 2; i < argc; ++i) {
        inputs.emplace_back(argv[i]);
    }
    if (inputs.empty()) {
        const fs::path clip =
            fs::path(EXAMGUARD_SHARED_DATA) / "video/one-by-one-person-detection.mp4";
        for (const auto& [name, scale, rate] :
             {std::tuple{"720p", "1280:720", "2M"}, std::tuple{"1080p", "1920:1080", "4M"}}) {
            const fs::path minute = work / (std::string(name) + "-1min.mp4");
            const fs::path out = work / (std::string(name) + "-10min.mp4");
            std::fprintf(stderr, "making %s from %s ...\n", out.c_str(), clip.c_str());
            const std::string filter = std::string("scale=") + scale + ",fps=25";
            cpuOfChild({"ffmpeg",  "-loglevel",    "error",     "-y",       "-i",   clip.string(),
                        "-t",      "60",           "-an",       "-vf",      filter, "-c:v",
                        "libx264", "-preset",      "ultrafast", "-bf",      "0",    "-g",
                        "50",      "-b:v",         rate,        "-maxrate", rate,   "-bufsize",
                        rate,      minute.string()});
            cpuOfChild({"ffmpeg", "-loglevel", "error", "-y", "-stream_loop", "9", "-i",
                        minute.string(), "-c", "copy", out.string()});
            inputs.push_back(out);
        }
    }
    std::printf("recorder_bench: %d runs each, median user+sys CPU seconds per minute of video\n",
                runs);
    std::printf("%-20s %8s %9s %9s %9s %8s %9s %12s %12s\n", "input", "video_s", "recorder",
                "ff_null", "ff_segment", "x_null", "x_segment", "streams/core", "rec+decode");
    for (const fs::path& input : inputs) {
        const double videoS = durationOf(input);
        if (videoS <= 0) {
            std::fprintf(stderr, "%s: not a video\n", input.c_str());
            return 1;
        }
        std::vector<double> ours, decoding, null, segment;
        for (int r = 0; r < runs; ++r) {
            const fs::path out = work / "out";
            fs::remove_all(out);
            const double before = cpuSelf();
            Recorder recorder(
                {.camera = "bench", .url = input.string(), .outputDir = out, .segmentSeconds = 60},
                {});
            auto stats = recorder.run();
            const double after = cpuSelf();
            if (!stats || stats->segments == 0) {
                std::fprintf(stderr, "%s: recording failed\n", input.c_str());
                return 1;
            }
            ours.push_back((after - before) * 60 / videoS);
            // The same with the analysis tap: every frame decoded (one thread), 2 fps to BGR.
            fs::remove_all(out);
            examguard::monitor::WallTime nextDue{};
            Recorder tapped(
                {.camera = "bench", .url = input.string(), .outputDir = out, .segmentSeconds = 60},
                {.wantsFrame = [&](examguard::monitor::WallTime t) { return t >= nextDue; },
                 .onFrame =
                     [&](const examguard::monitor::Frame& f) {
                         nextDue = f.time + std::chrono::milliseconds(500);
                     }});
            const double beforeTap = cpuSelf();
            auto tappedStats = tapped.run();
            decoding.push_back((cpuSelf() - beforeTap) * 60 / videoS);
            if (!tappedStats || tappedStats->framesAnalysed == 0) {
                std::fprintf(stderr, "%s: decoding failed\n", input.c_str());
                return 1;
            }
            null.push_back(cpuOfChild({"ffmpeg", "-loglevel", "error", "-nostdin", "-i",
                                       input.string(), "-c", "copy", "-f", "null", "-"}) *
                           60 / videoS);
            fs::remove_all(out);
            fs::create_directories(out);
            segment.push_back(
                cpuOfChild({"ffmpeg", "-loglevel", "error", "-nostdin", "-i", input.string(), "-c",
                            "copy", "-f", "segment", "-segment_time", "60", "-segment_format",
                            "mpegts", (out / "seg%03d.ts").string()}) *
                60 / videoS);
        }
        const double m = median(ours), n = median(null), s = median(segment);
        std::printf("%-20s %8.1f %9.4f %9.4f %9.4f %8.2f %9.2f %12.0f %12.4f\n",
                    input.filename().c_str(), videoS, m, n, s, m / n, m / s, 60.0 / m,
                    median(decoding));
    }
    fs::remove_all(work);
    return 0;
}
