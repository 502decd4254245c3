// One Linux inventory run of the agent (processes with image hashes, dpkg, listening sockets,
// USB, adapters, host, VM indicators, detection, report JSON and Ed25519 signature), timed and
// with its peak memory, against a baseline measured in the same run: `ps -eo pid,comm,args`
// followed by `dpkg-query -W` (what an administrator would type for the same two lists).
//   agent_bench [RUNS]   (default 7; median of the runs is reported)
// Every measured thing runs in its own child process, so wall time and peak RSS (wait4's
// ru_maxrss) cover exactly one run.
#include <sys/resource.h>
#include <sys/wait.h>
#include <unistd.h>

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <functional>
#include <string>
#include <vector>

#include "agent/linux_backend.h"
#include "agent/report.h"

namespace fs = std::filesystem;
using namespace examguard::agent;

namespace {

struct Sample {
    double seconds = 0;
    long maxRssKb = 0;
};

// Runs `body` in a child; returns the child's wall time and peak resident set.
Sample measure(const std::function<int()>& body) {
    const auto start = std::chrono::steady_clock::now();
    const pid_t pid = fork();
    if (pid == 0) {
        _exit(body());
    }
    int status = 0;
    rusage usage{};
    wait4(pid, &status, 0, &usage);
    const double seconds =
        std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
    if (!WIFEXITED(status) || WEXITSTATUS(status) != 0) {
        std::fprintf(stderr, "agent_bench: a measured run failed (status %d)\n", status);
        std::exit(1);
    }
    return {seconds, usage.ru_maxrss};
}

int shell(const char* command) {
    execl("/bin/sh", "sh", "-c", command, static_cast<char*>(nullptr));
    return 127;
}

Sample median(std::vector<Sample> samples) {
    std::sort(samples.begin(), samples.end(),
              [](const Sample& a, const Sample& b) { return a.seconds < b.seconds; });
    Sample m = samples[samples.size() / 2];
    std::vector<long> rss;
    for (const auto& s : samples) {
        rss.push_back(s.maxRssKb);
    }
    std::sort(rss.begin(), rss.end());
    m.maxRssKb = rss[rss.size() / 2];
    return m;
}

}  // namespace

int main(int argc, char** argv) {
    const int runs = argc > 1 ? std::max(1, std::atoi(argv[1])) : 7;
    const fs::path dir = fs::temp_directory_path() / ("agent-bench-" + std::to_string(getpid()));
    fs::create_directories(dir);
    if (!generateKey(dir / "k.pem", dir / "k.pub")) {
        std::fprintf(stderr, "agent_bench: cannot create a key in %s\n", dir.c_str());
        return 1;
    }
    std::size_t processes = 0;
    std::size_t installed = 0;
    const auto inventory = [&](bool hash) {
        return [&, hash] {
            linuxhost::LinuxBackend backend;
            const auto inv = backend.collect({.hashImages = hash});
            const auto detections = detect(inv, Catalogue::builtIn());
            const auto report = buildReport(inv, detections, utcNow(), randomNonce());
            const auto envelope = signReport(report, dir / "k.pem");
            return envelope && !envelope->dump().empty() ? 0 : 1;
        };
    };
    {
        linuxhost::LinuxBackend backend;
        const auto inv = backend.collect({.hashImages = false});
        processes = inv.processes.size();
        installed = inv.installed.size();
    }
    std::vector<Sample> hashed, unhashed, baseline;
    for (int i = 0; i < runs; ++i) {
        hashed.push_back(measure(inventory(true)));
        unhashed.push_back(measure(inventory(false)));
        baseline.push_back(measure(
            [] { return shell("ps -eo pid,comm,args >/dev/null && dpkg-query -W >/dev/null"); }));
    }
    fs::remove_all(dir);
    const Sample h = median(hashed);
    const Sample u = median(unhashed);
    const Sample b = median(baseline);
    std::printf(
        "agent inventory on this machine: %zu processes, %zu dpkg packages, %d runs, "
        "median\n",
        processes, installed, runs);
    std::printf("%-44s %10s %12s\n", "", "wall ms", "peak RSS KiB");
    std::printf("%-44s %10.1f %12ld\n", "agent report (image SHA-256, signed)", h.seconds * 1e3,
                h.maxRssKb);
    std::printf("%-44s %10.1f %12ld\n", "agent report --no-hash", u.seconds * 1e3, u.maxRssKb);
    std::printf("%-44s %10.1f %12ld\n", "baseline: ps -eo pid,comm,args; dpkg-query -W",
                b.seconds * 1e3, b.maxRssKb);
    std::printf("ratio agent/baseline: time %.2f (no-hash %.2f), peak RSS %.2f (no-hash %.2f)\n",
                h.seconds / b.seconds, u.seconds / b.seconds,
                static_cast<double>(h.maxRssKb) / static_cast<double>(b.maxRssKb),
                static_cast<double>(u.maxRssKb) / static_cast<double>(b.maxRssKb));
    return 0;
}
