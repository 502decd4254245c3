// Passive LAN-audit throughput: packets per second through the whole passive path (decoders,
// reassembly, nDPI, signatures, inventory, reconciliation) on one core, against
// `tcpdump -r FILE -w /dev/null` and `tshark -r FILE -q` on the same file in the same run.
//   netaudit_bench [CAPTURE] [REPEAT]   (default: ../shared/data/pcap/ndpi-443-firefox.pcap
//                                        repeated 200 times; run from a Release build with
//                                        taskset -c 0)
// The capture is written REPEAT times into one temporary classic pcap so every tool reads the
// same, large enough file.
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <string>
#include <vector>

#include "netaudit/audit.h"

using namespace examguard::netaudit;
namespace fs = std::filesystem;

namespace {

double secondsSince(std::chrono::steady_clock::time_point start) {
    return std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
}

[[noreturn]] void die(const std::string& what) {
    std::fprintf(stderr, "netaudit_bench: %s\n", what.c_str());
    std::exit(1);
}

struct Packet {
    std::int64_t us;
    std::vector<std::uint8_t> bytes;
    std::uint32_t wire;
};

void put32(std::ofstream& out, std::uint32_t v) {
    out.write(reinterpret_cast<const char*>(&v), 4);
}

double timeCommand(const std::string& command) {
    const auto start = std::chrono::steady_clock::now();
    if (std::system(command.c_str()) != 0) {
        return -1;
    }
    return secondsSince(start);
}

}  // namespace

int main(int argc, char** argv) {
    const std::string capture =
        argc > 1 ? argv[1]
                 : (fs::path(EXAMGUARD_SHARED_DATA) / "pcap" / "ndpi-443-firefox.pcap").string();
    const int repeat = argc > 2 ? std::max(1, std::atoi(argv[2])) : 200;

    auto source = openCaptureFile(capture);
    if (!source) {
        die(source.error().detail);
    }
    const int linkType = (*source)->linkType();
    std::vector<Packet> packets;
    RawPacket raw;
    while (true) {
        auto r = (*source)->next(raw);
        if (!r) {
            die(r.error().detail);
        }
        if (*r == NextResult::kEnd) {
            break;
        }
        packets.push_back({raw.timestampUs,
                           std::vector<std::uint8_t>(raw.data, raw.data + raw.capturedLength),
                           raw.wireLength});
    }
    const fs::path big = fs::temp_directory_path() / "examguard-netaudit-bench.pcap";
    {
        std::ofstream out(big, std::ios::binary | std::ios::trunc);
        put32(out, 0xa1b2c3d4);
        put32(out, 0x00040002);  // version 2.4
        put32(out, 0);
        put32(out, 0);
        put32(out, 65535);
        put32(out, static_cast<std::uint32_t>(linkType));
        for (int r = 0; r < repeat; ++r) {
            for (const auto& p : packets) {
                // Later copies move on in time so the file stays in order.
                const std::int64_t us = p.us + static_cast<std::int64_t>(r) * 3'600'000'000LL;
                put32(out, static_cast<std::uint32_t>(us / 1'000'000));
                put32(out, static_cast<std::uint32_t>(us % 1'000'000));
                put32(out, static_cast<std::uint32_t>(p.bytes.size()));
                put32(out, p.wire);
                out.write(reinterpret_cast<const char*>(p.bytes.data()),
                          static_cast<std::streamsize>(p.bytes.size()));
            }
        }
    }
    const double total = static_cast<double>(packets.size()) * repeat;
    std::printf("capture        %s (%zu packets) x %d = %.0f packets, %.1f MB\n", capture.c_str(),
                packets.size(), repeat, total, static_cast<double>(fs::file_size(big)) / 1e6);

    // ExamGuard from the file, as `netaudit pcap` runs.
    AuditOptions options;
    options.captureFile = big.string();
    auto start = std::chrono::steady_clock::now();
    auto report = auditCaptureFile(options);
    const double ours = secondsSince(start);
    if (!report) {
        die(report.error().detail);
    }
    // The decode path alone, packets already in memory.
    auto auditor = PassiveAuditor::create(AuditOptions{}, linkType);
    if (!auditor) {
        die(auditor.error().detail);
    }
    start = std::chrono::steady_clock::now();
    std::uint64_t n = 0;
    for (int r = 0; r < repeat; ++r) {
        for (const auto& p : packets) {
            RawPacket packet{++n, p.us + static_cast<std::int64_t>(r) * 3'600'000'000LL,
                             p.bytes.data(), static_cast<std::uint32_t>(p.bytes.size()), p.wire};
            (*auditor)->process(packet);
        }
    }
    (void)(*auditor)->finish();
    const double memory = secondsSince(start);

    const double tcpdump = timeCommand("tcpdump -r " + big.string() + " -w /dev/null 2>/dev/null");
    const double tshark = timeCommand("tshark -r " + big.string() + " -q >/dev/null 2>&1");
    std::printf("examguard (file, whole audit)  %8.3f s  %10.0f packets/s  (%zu findings)\n", ours,
                total / ours, report->findings.size());
    std::printf("examguard (in memory)          %8.3f s  %10.0f packets/s\n", memory,
                total / memory);
    if (tcpdump > 0) {
        std::printf("tcpdump -r -w /dev/null        %8.3f s  %10.0f packets/s  ratio %.2f\n",
                    tcpdump, total / tcpdump, tcpdump / ours);
    }
    if (tshark > 0) {
        std::printf("tshark -r -q                   %8.3f s  %10.0f packets/s  ratio %.2f\n",
                    tshark, total / tshark, tshark / ours);
    }
    std::printf("(ratio = the tool's time / examguard's file time; > 1: examguard is faster)\n");
    fs::remove(big);
    return 0;
}
