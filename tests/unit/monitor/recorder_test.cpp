// The recorder on the real clip of ../shared/data/video (H.264, 10 fps, a keyframe every
// second, B-frames): segment cuts, hashes, and interruption of a camera that never answers.
#include <arpa/inet.h>
#include <netinet/in.h>
#include <sys/resource.h>
#include <sys/socket.h>
#include <unistd.h>

#include <chrono>
#include <csignal>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <future>
#include <iterator>
#include <random>
#include <thread>
#include <vector>

#include <fmt/format.h>
#include <gtest/gtest.h>
#include <openssl/evp.h>

#include "loopback.h"
#include "monitor/recorder.h"

namespace examguard::monitor {
namespace {

namespace fs = std::filesystem;
using namespace std::chrono_literals;

const fs::path kClip = fs::path(EXAMGUARD_SHARED_DATA) / "video/one-by-one-person-detection.mp4";

std::string sha256Of(const fs::path& path) {
    std::ifstream in(path, std::ios::binary);
    std::vector<char> bytes((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
    unsigned char digest[EVP_MAX_MD_SIZE];
    unsigned length = 0;
    EVP_Digest(bytes.data(), bytes.size(), digest, &length, EVP_sha256(), nullptr);
    std::string hex;
    for (unsigned i = 0; i < length; ++i) {
        hex += "0123456789abcdef"[digest[i] >> 4];
        hex += "0123456789abcdef"[digest[i] & 15];
    }
    return hex;
}

class RecorderTest : public ::testing::Test {
protected:
    void SetUp() override {
        dir = fs::temp_directory_path() /
              ("examguard-recorder-" + std::to_string(::getpid()) + "-" +
               ::testing::UnitTest::GetInstance()->current_test_info()->name());
        fs::remove_all(dir);
        fs::create_directories(dir);
    }
    void TearDown() override { fs::remove_all(dir); }
    fs::path dir;
};

TEST_F(RecorderTest, FileIsCutIntoSegmentsOnKeyframesWithTheirHashes) {
    ASSERT_TRUE(fs::exists(kClip)) << kClip;
    std::vector<Segment> segments;
    RecorderConfig config;
    config.camera = "room1-front";
    config.url = kClip.string();
    config.outputDir = dir / "out";
    config.segmentSeconds = 10;
    Recorder recorder(config, {.onSegment = [&](const Segment& s) { segments.push_back(s); }});
    auto stats = recorder.run();
    ASSERT_TRUE(stats) << stats.error();
    // 139.4 s at one keyframe per second: cuts at 10, 20, ... 130 s -> 14 segments.
    ASSERT_EQ(segments.size(), 14u);
    EXPECT_EQ(stats->segments, 14);
    EXPECT_EQ(stats->gaps, 0);
    std::int64_t packets = 0;
    for (std::size_t i = 0; i < segments.size(); ++i) {
        const Segment& s = segments[i];
        SCOPED_TRACE(s.path.string());
        EXPECT_EQ(s.camera, "room1-front");
        EXPECT_EQ(s.path.parent_path(), config.outputDir);
        EXPECT_EQ(s.path.extension(), ".ts");
        ASSERT_TRUE(fs::exists(s.path));
        EXPECT_FALSE(fs::exists(fs::path(s.path.string() + ".part")));
        EXPECT_EQ(fs::file_size(s.path), s.bytes);
        EXPECT_EQ(s.bytes % 188, 0u);  // whole MPEG-TS packets
        EXPECT_EQ(sha256Of(s.path), s.sha256);
        const double length = std::chrono::duration<double>(s.end - s.start).count();
        if (i + 1 < segments.size()) {
            EXPECT_NEAR(length, 10.0, 0.01);  // keyframes fall exactly on the second
            EXPECT_EQ(s.end, segments[i + 1].start);
        } else {
            EXPECT_NEAR(length, 9.4, 0.15);
        }
        packets += s.packets;
    }
    EXPECT_EQ(packets, 1394);  // every frame of the clip, none twice
    EXPECT_EQ(std::distance(fs::directory_iterator(config.outputDir), fs::directory_iterator()),
              14);
}

TEST_F(RecorderTest, SegmentLongerThanTheClipGivesOneSegment) {
    std::vector<Segment> segments;
    Recorder recorder(
        {.camera = "c", .url = kClip.string(), .outputDir = dir, .segmentSeconds = 3600},
        {.onSegment = [&](const Segment& s) { segments.push_back(s); }});
    ASSERT_TRUE(recorder.run());
    ASSERT_EQ(segments.size(), 1u);
    EXPECT_NEAR(std::chrono::duration<double>(segments[0].end - segments[0].start).count(), 139.4,
                0.15);
}

TEST_F(RecorderTest, UnreadableOrHostileFilesAreErrorsNamingTheSource) {
    const fs::path garbage = dir / "garbage.mp4";
    {
        std::mt19937 random(7);
        std::ofstream out(garbage, std::ios::binary);
        for (int i = 0; i < 200000; ++i) {
            out.put(static_cast<char>(random()));
        }
    }
    for (const fs::path& source : {garbage, dir / "missing.mp4"}) {
        std::vector<Segment> segments;
        Recorder recorder({.camera = "c", .url = source.string(), .outputDir = dir / "out"},
                          {.onSegment = [&](const Segment& s) { segments.push_back(s); }});
        auto result = recorder.run();
        ASSERT_FALSE(result) << source;
        EXPECT_NE(result.error().find(source.string()), std::string::npos) << result.error();
        EXPECT_TRUE(segments.empty());
    }
}

TEST_F(RecorderTest, TruncatedTransportStreamRecordsWhatIsThere) {
    // First record the clip to MPEG-TS, then cut that file in the middle of a packet.
    std::vector<Segment> whole;
    Recorder first(
        {.camera = "c", .url = kClip.string(), .outputDir = dir / "a", .segmentSeconds = 3600},
        {.onSegment = [&](const Segment& s) { whole.push_back(s); }});
    ASSERT_TRUE(first.run());
    ASSERT_EQ(whole.size(), 1u);
    const fs::path cut = dir / "cut.ts";
    fs::copy_file(whole[0].path, cut);
    fs::resize_file(cut, whole[0].bytes / 2 + 77);
    std::vector<Segment> segments;
    Recorder second(
        {.camera = "c", .url = cut.string(), .outputDir = dir / "b", .segmentSeconds = 3600},
        {.onSegment = [&](const Segment& s) { segments.push_back(s); }});
    ASSERT_TRUE(second.run());
    ASSERT_EQ(segments.size(), 1u);
    const double length =
        std::chrono::duration<double>(segments[0].end - segments[0].start).count();
    EXPECT_GT(length, 40);
    EXPECT_LT(length, 100);
    EXPECT_EQ(sha256Of(segments[0].path), segments[0].sha256);
}

TEST_F(RecorderTest, OutputDirectoryThatIsAFileIsAnError) {
    std::ofstream(dir / "file") << "x";
    Recorder recorder({.camera = "c", .url = kClip.string(), .outputDir = dir / "file"}, {});
    auto result = recorder.run();
    ASSERT_FALSE(result);
    EXPECT_NE(result.error().find((dir / "file").string()), std::string::npos);
}

TEST_F(RecorderTest, DiskLowIsReportedWhenFreeSpaceIsBelowTheMinimum) {
    std::vector<std::uint64_t> reports;
    std::vector<Segment> segments;
    Recorder recorder(
        {.camera = "c",
         .url = kClip.string(),
         .outputDir = dir,
         .segmentSeconds = 30,
         .minFreeBytes = std::numeric_limits<std::uint64_t>::max()},
        {.onSegment = [&](const Segment& s) { segments.push_back(s); },
         .onDiskLow = [&](const fs::path&, std::uint64_t free) { reports.push_back(free); }});
    ASSERT_TRUE(recorder.run());
    EXPECT_EQ(segments.size(), 5u);  // recording goes on
    ASSERT_EQ(reports.size(), 1u);   // once per fall, not per segment
    EXPECT_GT(reports[0], 0u);       // the real free space, not "unknown"

    reports.clear();
    Recorder roomy(
        {.camera = "d", .url = kClip.string(), .outputDir = dir, .minFreeBytes = 1},
        {.onDiskLow = [&](const fs::path&, std::uint64_t free) { reports.push_back(free); }});
    ASSERT_TRUE(roomy.run());
    EXPECT_TRUE(reports.empty());
}

TEST_F(RecorderTest, AnalysisTapGetsDecimatedBgrFramesAndTheRestAsSkipped) {
    std::vector<Frame> frames;
    std::vector<double> means;
    std::int64_t skipped = 0;
    WallTime nextDue{};
    Recorder recorder(
        {.camera = "c", .url = kClip.string(), .outputDir = dir, .segmentSeconds = 30},
        {.wantsFrame = [&](WallTime t) { return t >= nextDue; },
         .onFrame =
             [&](const Frame& f) {
                 frames.push_back(f);
                 nextDue = f.time + 500ms;  // 2 fps
                 double sum = 0;
                 for (int y = 0; y < f.height; y += 8) {
                     for (int x = 0; x < f.width * 3; x += 24) {
                         sum += f.bgr[static_cast<std::size_t>(y) * f.stride + x];
                     }
                 }
                 means.push_back(sum / ((f.height / 8) * (f.width / 8)));
             },
         .onFrameSkipped = [&](WallTime) { ++skipped; }});
    auto stats = recorder.run();
    ASSERT_TRUE(stats) << stats.error();
    EXPECT_EQ(stats->framesDecoded, 1394);  // every frame: P-frames need their references
    // 139.4 s at 2 fps: one frame every 0.5 s.
    EXPECT_EQ(stats->framesAnalysed, static_cast<std::int64_t>(frames.size()));
    EXPECT_NEAR(static_cast<double>(frames.size()), 279, 1);
    EXPECT_EQ(skipped + static_cast<std::int64_t>(frames.size()), 1394);
    ASSERT_FALSE(frames.empty());
    EXPECT_EQ(frames[0].width, 768);
    EXPECT_EQ(frames[0].height, 432);
    EXPECT_EQ(frames[0].stride, 768 * 3);
    for (std::size_t i = 1; i < frames.size(); ++i) {
        EXPECT_NEAR(std::chrono::duration<double>(frames[i].time - frames[i - 1].time).count(), 0.5,
                    1e-6);
    }
    for (double mean : means) {  // a real indoor picture: neither black nor white
        EXPECT_GT(mean, 30);
        EXPECT_LT(mean, 225);
    }
}

// Writes that fail (here: a file-size limit, as a full disk would) are reported once a
// segment, leave no .part file and no segment behind, and recording goes on.
TEST_F(RecorderTest, FailingWritesAreReportedOnceASegmentAndLeaveNothingHalfWritten) {
    std::vector<Segment> segments;
    std::vector<std::string> errors;
    RecorderConfig config{
        .camera = "c", .url = kClip.string(), .outputDir = dir / "out", .segmentSeconds = 30};
    rlimit previous{};
    ASSERT_EQ(::getrlimit(RLIMIT_FSIZE, &previous), 0);
    const auto previousHandler = std::signal(SIGXFSZ, SIG_IGN);
    rlimit limit = previous;
    limit.rlim_cur = 400000;  // a 30 s segment of the clip is about 870 kB, the last 560 kB
    ASSERT_EQ(::setrlimit(RLIMIT_FSIZE, &limit), 0);
    Recorder recorder(config, {.onSegment = [&](const Segment& s) { segments.push_back(s); },
                               .onWriteError = [&](const std::string& e) { errors.push_back(e); }});
    auto stats = recorder.run();
    ::setrlimit(RLIMIT_FSIZE, &previous);
    std::signal(SIGXFSZ, previousHandler);
    ASSERT_TRUE(stats) << stats.error();
    EXPECT_TRUE(segments.empty());
    // 139.4 s in 30 s segments: tries at 0, 30, 60, 90 and 120 s, each failing past 400 kB.
    EXPECT_EQ(errors.size(), 5u);
    for (const auto& e : errors) {
        EXPECT_NE(e.find((dir / "out").string()), std::string::npos) << e;
        EXPECT_NE(e.find("File too large"), std::string::npos) << e;
    }
    EXPECT_EQ(std::distance(fs::directory_iterator(config.outputDir), fs::directory_iterator()), 0);
}

// A "camera" that accepts the connection and never answers: stop() must end run() promptly
// although the I/O time-out is a minute.
TEST_F(RecorderTest, StopInterruptsACameraThatNeverAnswers) {
    const auto socket = test::bindLoopback(SOCK_STREAM);
    ASSERT_GE(socket.fd, 0);
    const int listener = socket.fd;
    const int port = socket.port;

    std::vector<SignalGap> gaps;
    Recorder recorder({.camera = "dead",
                       .url = "rtsp://admin:secret@127.0.0.1:" + std::to_string(port) + "/live",
                       .outputDir = dir,
                       .ioTimeout = 60s},
                      {.onSignalLost = [&](const SignalGap& g) { gaps.push_back(g); }});
    auto running = std::async(std::launch::async, [&] { return recorder.run(); });
    const int connection = ::accept(listener, nullptr, nullptr);  // the recorder is connected
    ASSERT_GE(connection, 0);
    const auto stopAt = std::chrono::steady_clock::now();
    recorder.stop();
    ASSERT_EQ(running.wait_for(5s), std::future_status::ready);
    EXPECT_LT(std::chrono::steady_clock::now() - stopAt, 2s);
    auto stats = running.get();
    ASSERT_TRUE(stats) << stats.error();
    EXPECT_EQ(stats->segments, 0);
    // Never connected: an open gap from the start to the stop.
    ASSERT_EQ(gaps.size(), 1u);
    EXPECT_TRUE(gaps[0].open);
    EXPECT_LE(gaps[0].start, gaps[0].end);
    ::close(connection);
    ::close(listener);
}

// A camera that accepts connections and then sends nothing: each attempt is given up after
// the I/O time-out and retried with backoff, until stop().
TEST_F(RecorderTest, StalledCameraIsRetriedAfterTheTimeout) {
    const auto socket = test::bindLoopback(SOCK_STREAM);
    ASSERT_GE(socket.fd, 0);
    std::vector<SignalGap> gaps;
    Recorder recorder({.camera = "stalled",
                       .url = "rtsp://127.0.0.1:" + std::to_string(socket.port) + "/live",
                       .outputDir = dir,
                       .ioTimeout = 200ms,
                       .backoffInitial = 10ms,
                       .backoffMax = 40ms},
                      {.onSignalLost = [&](const SignalGap& g) { gaps.push_back(g); }});
    const auto started = std::chrono::steady_clock::now();
    auto running = std::async(std::launch::async, [&] { return recorder.run(); });
    std::vector<int> connections;
    for (int i = 0; i < 3; ++i) {  // three attempts: the first and two retries
        const int c = ::accept(socket.fd, nullptr, nullptr);
        ASSERT_GE(c, 0);
        connections.push_back(c);
    }
    // Two attempts timed out (200 ms each) before the third connected.
    EXPECT_GE(std::chrono::steady_clock::now() - started, 400ms);
    recorder.stop();
    ASSERT_EQ(running.wait_for(5s), std::future_status::ready);
    auto stats = running.get();
    ASSERT_TRUE(stats) << stats.error();
    EXPECT_EQ(stats->connects, 0);
    ASSERT_EQ(gaps.size(), 1u);
    EXPECT_TRUE(gaps[0].open);
    for (int c : connections) {
        ::close(c);
    }
    ::close(socket.fd);
}

// A sub-stream read for the analysers only: every picture decoded, the due ones handed over,
// nothing written anywhere.
TEST_F(RecorderTest, AnalysisOnlyReaderWritesNothing) {
    std::int64_t analysed = 0;
    WallTime nextDue{};
    Recorder recorder({.camera = "c", .url = kClip.string(), .writeSegments = false},
                      {.onSegment = [](const Segment&) { FAIL() << "a segment was written"; },
                       .wantsFrame = [&](WallTime t) { return t >= nextDue; },
                       .onFrame =
                           [&](const Frame& f) {
                               ++analysed;
                               nextDue = f.time + 500ms;
                           }});
    auto stats = recorder.run();
    ASSERT_TRUE(stats) << stats.error();
    EXPECT_EQ(stats->segments, 0);
    EXPECT_EQ(stats->framesDecoded, 1394);
    EXPECT_NEAR(static_cast<double>(analysed), 279, 1);
    EXPECT_TRUE(fs::is_empty(dir));
}

// What a USB camera sends, made from the real clip with the ffmpeg tool: MJPEG (most USB
// cameras above VGA) or raw YUYV 4:2:2 (the rest). MPEG-TS cannot carry either, so the recorder
// encodes them to H.264. (A real /dev/videoN cannot be tested here: the machine has no camera
// and a container cannot load the v4l2loopback module; the device is opened through
// libavdevice's V4L2 input, which is the only part these tests do not reach.)
std::string run(const std::string& command) {
    std::string out;
    FILE* pipe = ::popen(command.c_str(), "r");
    if (pipe == nullptr) {
        return out;
    }
    char buffer[4096];
    for (std::size_t n; (n = std::fread(buffer, 1, sizeof buffer, pipe)) > 0;) {
        out.append(buffer, n);
    }
    ::pclose(pipe);
    return out;
}

fs::path usbLikeClip(const fs::path& dir, const std::string& name, const std::string& codecArgs,
                     double seconds) {
    const fs::path out = dir / name;
    const std::string command =
        fmt::format("ffmpeg -nostdin -v error -y -i '{}' -t {} -an {} '{}' 2>&1", kClip.string(),
                    seconds, codecArgs, out.string());
    const std::string errors = run(command);
    EXPECT_TRUE(errors.empty()) << command << ": " << errors;
    return out;
}

// "h264,40": the codec and the number of pictures ffprobe decodes from a segment.
std::string probe(const fs::path& segment) {
    std::string out =
        run(fmt::format("ffprobe -v error -select_streams v:0 -count_frames -show_entries "
                        "stream=codec_name,nb_read_frames -of csv=p=0 '{}'",
                        segment.string()));
    return out.substr(0, out.find('\n'));  // an MPEG-TS lists the stream again in its program
}

TEST_F(RecorderTest, MjpegCameraIsEncodedToH264SegmentsCutOnTime) {
    const fs::path clip = usbLikeClip(dir, "usb.avi", "-c:v mjpeg -q:v 5", 12);
    std::vector<Segment> segments;
    std::vector<Frame> frames;
    WallTime nextDue{};
    double darkest = 255;
    Recorder recorder(
        {.camera = "usb", .url = clip.string(), .outputDir = dir / "out", .segmentSeconds = 4},
        {.onSegment = [&](const Segment& s) { segments.push_back(s); },
         .wantsFrame = [&](WallTime t) { return t >= nextDue; },
         .onFrame =
             [&](const Frame& f) {
                 frames.push_back(f);
                 nextDue = f.time + 500ms;
                 double sum = 0;
                 for (int x = 0; x < f.width * 3; ++x) {
                     sum += f.bgr[static_cast<std::size_t>(f.height / 2) * f.stride + x];
                 }
                 darkest = std::min(darkest, sum / (f.width * 3));
             }});
    auto stats = recorder.run();
    ASSERT_TRUE(stats) << stats.error();
    // 12 s at 10 fps, a keyframe forced every second: cuts at 4 and 8 s.
    ASSERT_EQ(segments.size(), 3u);
    int pictures = 0;
    for (std::size_t i = 0; i < segments.size(); ++i) {
        const Segment& s = segments[i];
        SCOPED_TRACE(s.path.string());
        EXPECT_EQ(sha256Of(s.path), s.sha256);
        EXPECT_EQ(fs::file_size(s.path), s.bytes);
        EXPECT_NEAR(std::chrono::duration<double>(s.end - s.start).count(), 4.0, 0.01);
        if (i > 0) {
            EXPECT_EQ(segments[i - 1].end, s.start);
        }
        const std::string probed = probe(s.path);  // each segment plays on its own
        ASSERT_EQ(probed.rfind("h264,", 0), 0u) << probed;
        pictures += std::stoi(probed.substr(5));
    }
    EXPECT_EQ(pictures, 120);  // every picture of the camera, none twice
    EXPECT_EQ(stats->framesDecoded, 120);
    // The analysis tap sees the camera's pictures at 2 fps, in colour, not black.
    EXPECT_NEAR(static_cast<double>(frames.size()), 24, 1);
    ASSERT_FALSE(frames.empty());
    EXPECT_EQ(frames[0].width, 768);
    EXPECT_EQ(frames[0].height, 432);
    EXPECT_GT(darkest, 20);
}

TEST_F(RecorderTest, RawYuyvPicturesAreEncodedToo) {
    const fs::path clip =
        usbLikeClip(dir, "usb.nut", "-vf scale=320:180 -c:v rawvideo -pix_fmt yuyv422", 3);
    std::vector<Segment> segments;
    Recorder recorder(
        {.camera = "usb", .url = clip.string(), .outputDir = dir / "out", .segmentSeconds = 60},
        {.onSegment = [&](const Segment& s) { segments.push_back(s); }});
    auto stats = recorder.run();
    ASSERT_TRUE(stats) << stats.error();
    ASSERT_EQ(segments.size(), 1u);
    EXPECT_EQ(probe(segments[0].path), "h264,30");
    EXPECT_NEAR(std::chrono::duration<double>(segments[0].end - segments[0].start).count(), 3.0,
                0.01);
}

// A recorded file stands for the time it was filmed when the configuration says so: segment
// times and names follow it.
TEST_F(RecorderTest, FileStartTimeAnchorsTheSegments) {
    const WallTime filmed = std::chrono::sys_days{std::chrono::year{2026} / 11 / 25} + 1h + 5min;
    std::vector<Segment> segments;
    Recorder recorder({.camera = "c",
                       .url = kClip.string(),
                       .fileStart = filmed,
                       .outputDir = dir,
                       .segmentSeconds = 60},
                      {.onSegment = [&](const Segment& s) { segments.push_back(s); }});
    ASSERT_TRUE(recorder.run());
    ASSERT_EQ(segments.size(), 3u);
    EXPECT_EQ(segments[0].start, filmed);
    EXPECT_EQ(segments[0].path.filename(), "c-20261125T010500.000Z.ts");
    EXPECT_NEAR(std::chrono::duration<double>(segments[2].end - filmed).count(), 139.4, 0.15);
}

// A USB camera that is not plugged in is a live source: retried with backoff (it may be plugged
// in), each failure naming the device, and the time without pictures is a signal gap.
TEST_F(RecorderTest, AbsentUsbCameraIsRetriedUntilStopped) {
    std::vector<std::string> failures;
    std::vector<SignalGap> gaps;
    Recorder* self = nullptr;
    Recorder recorder({.camera = "usb",
                       .url = "/dev/video97",
                       .outputDir = dir,
                       .backoffInitial = 1ms,
                       .backoffMax = 2ms},
                      {.onSignalLost = [&](const SignalGap& g) { gaps.push_back(g); },
                       .onConnectError =
                           [&](const std::string& message) {
                               failures.push_back(message);
                               if (failures.size() == 3) {
                                   self->stop();
                               }
                           }});
    self = &recorder;
    auto stats = recorder.run();
    ASSERT_TRUE(stats) << stats.error();
    ASSERT_EQ(failures.size(), 3u);
    EXPECT_NE(failures[0].find("/dev/video97"), std::string::npos) << failures[0];
    EXPECT_EQ(stats->connects, 0);
    ASSERT_EQ(gaps.size(), 1u);
    EXPECT_TRUE(gaps[0].open);
    EXPECT_TRUE(fs::is_empty(dir));
}

}  // namespace
}  // namespace examguard::monitor
