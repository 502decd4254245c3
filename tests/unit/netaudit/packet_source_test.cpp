#include "netaudit/packet_source.h"

#include <gtest/gtest.h>
#include <netinet/in.h>
#include <pcap/dlt.h>
#include <sys/socket.h>
#include <unistd.h>

#include <atomic>
#include <filesystem>
#include <fstream>

#include "netaudit/audit.h"
#include "test_support.h"

namespace examguard::netaudit {
namespace {

using test::capture;

std::uint64_t countPackets(PacketSource& source) {
    RawPacket packet;
    std::uint64_t n = 0;
    while (true) {
        auto r = source.next(packet);
        EXPECT_TRUE(r) << (r ? "" : r.error().detail);
        if (!r || *r == NextResult::kEnd) {
            return n;
        }
        ++n;
        EXPECT_EQ(packet.number, n);
        EXPECT_NE(packet.data, nullptr);
    }
}

TEST(CaptureFile, EveryLinkTypeInSharedData) {
    struct Case {
        const char* file;
        int linkType;
        std::uint64_t packets;
    };
    for (const Case& c :
         {Case{"ndpi-rdp.pcap", DLT_NULL, 20}, Case{"ndpi-teamviewer.pcap", DLT_EN10MB, 352},
          Case{"ndpi-anydesk.pcapng", DLT_EN10MB, 174}, Case{"zeek-dhcp.pcap", DLT_EN10MB, 9}}) {
        auto source = openCaptureFile(capture(c.file));
        ASSERT_TRUE(source) << c.file;
        EXPECT_EQ((*source)->linkType(), c.linkType) << c.file;
        EXPECT_EQ(countPackets(**source), c.packets) << c.file;
    }
}

TEST(CaptureFile, BpfFilterApplies) {
    auto source = openCaptureFile(capture("ndpi-teamviewer.pcap"), "udp");
    ASSERT_TRUE(source);
    EXPECT_EQ(countPackets(**source), 63U);  // the UDP flow of the ground truth: 1 + 62 packets
    auto bad = openCaptureFile(capture("ndpi-teamviewer.pcap"), "this is not bpf");
    ASSERT_FALSE(bad);
    EXPECT_EQ(bad.error().code, ErrorCode::kBadFilter);
}

TEST(CaptureFile, MissingFile) {
    auto source = openCaptureFile("/nonexistent/capture.pcap");
    ASSERT_FALSE(source);
    EXPECT_EQ(source.error().code, ErrorCode::kFileNotFound);
    EXPECT_NE(source.error().detail.find("/nonexistent/capture.pcap"), std::string::npos);
}

class BrokenFile : public ::testing::Test {
protected:
    std::filesystem::path derive(const std::string& original, std::size_t keepBytes,
                                 std::size_t corruptOffset = 0, std::uint8_t value = 0) {
        const auto path = m_dir.path() / ("broken-" + std::to_string(m_count++));
        std::filesystem::copy_file(capture(original), path);
        if (keepBytes != 0) {
            std::filesystem::resize_file(path, keepBytes);
        }
        if (corruptOffset != 0 || value != 0) {
            std::fstream f(path, std::ios::in | std::ios::out | std::ios::binary);
            f.seekp(static_cast<std::streamoff>(corruptOffset));
            const char byte = static_cast<char>(value);
            f.write(&byte, 1);
        }
        return path;
    }

    test::TempDir m_dir;
    int m_count = 0;
};

TEST_F(BrokenFile, TruncatedHeaderCannotBeOpened) {
    AuditOptions options;
    options.captureFile = derive("ndpi-teamviewer.pcap", 10).string();
    auto report = auditCaptureFile(options);
    ASSERT_FALSE(report);
    EXPECT_EQ(report.error().code, ErrorCode::kCaptureOpenFailed);
    EXPECT_NE(report.error().detail.find(options.captureFile), std::string::npos);
}

TEST_F(BrokenFile, EmptyFileCannotBeOpened) {
    const auto path = m_dir.path() / "empty.pcap";
    std::ofstream(path).close();
    auto source = openCaptureFile(path.string());
    ASSERT_FALSE(source);
    EXPECT_EQ(source.error().code, ErrorCode::kCaptureOpenFailed);
}

TEST_F(BrokenFile, CorruptMagicIsNotACapture) {
    auto source = openCaptureFile(derive("ndpi-teamviewer.pcap", 0, 0, 0x42).string());
    ASSERT_FALSE(source);
    EXPECT_EQ(source.error().code, ErrorCode::kCaptureOpenFailed);
}

TEST_F(BrokenFile, PcapCutMidPacketReportsWhere) {
    AuditOptions options;
    // The first record is 74 bytes: the cut falls 10 bytes into the second packet's data.
    options.captureFile = derive("ndpi-teamviewer.pcap", 24 + 16 + 74 + 16 + 10).string();
    auto report = auditCaptureFile(options);
    ASSERT_FALSE(report);
    EXPECT_EQ(report.error().code, ErrorCode::kCaptureReadFailed);
    EXPECT_NE(report.error().detail.find("after packet 1"), std::string::npos)
        << report.error().detail;
    EXPECT_NE(report.error().detail.find("truncated"), std::string::npos) << report.error().detail;
}

TEST_F(BrokenFile, PcapngCutMidBlock) {
    const auto size = std::filesystem::file_size(capture("ndpi-anydesk.pcapng"));
    auto source = openCaptureFile(derive("ndpi-anydesk.pcapng", size / 2).string());
    ASSERT_TRUE(source);
    RawPacket packet;
    tl::expected<NextResult, Error> r;
    do {
        r = (*source)->next(packet);
    } while (r && *r == NextResult::kPacket);
    ASSERT_FALSE(r);
    EXPECT_EQ(r.error().code, ErrorCode::kCaptureReadFailed);
}

TEST_F(BrokenFile, ImpossibleRecordLength) {
    // The first record's captured length (offset 24 + 8) set to 0x7f...: libpcap rejects it.
    auto source = openCaptureFile(derive("ndpi-teamviewer.pcap", 0, 24 + 8 + 3, 0x7f).string());
    ASSERT_TRUE(source);
    RawPacket packet;
    auto r = (*source)->next(packet);
    ASSERT_FALSE(r);
    EXPECT_EQ(r.error().code, ErrorCode::kCaptureReadFailed);
}

TEST(LiveCapture, InvalidOptions) {
    LiveOptions options;
    auto none = openLiveCapture(options);
    ASSERT_FALSE(none);
    EXPECT_EQ(none.error().code, ErrorCode::kInvalidArgument);
    options.interfaceName = "netaudit-no-such-if0";
    auto missing = openLiveCapture(options);
    ASSERT_FALSE(missing);
    EXPECT_EQ(missing.error().code, ErrorCode::kCaptureOpenFailed);
    options.interfaceName = "lo";
    options.snapLength = 10;
    EXPECT_FALSE(openLiveCapture(options));
}

// Real capture on the loopback interface (CI runs as root): a datagram we send must come back
// through the live source with the filter applied.
TEST(LiveCapture, LoopbackSeesOurDatagram) {
    LiveOptions options;
    options.interfaceName = "lo";
    options.bpfFilter = "udp dst port 45999";
    options.snapLength = 256;
    options.readTimeoutMs = 50;
    auto source = openLiveCapture(options);
    ASSERT_TRUE(source) << source.error().detail;
    EXPECT_EQ((*source)->linkType(), DLT_EN10MB);

    const int fd = socket(AF_INET, SOCK_DGRAM, 0);
    ASSERT_GE(fd, 0);
    sockaddr_in to{};
    to.sin_family = AF_INET;
    to.sin_port = htons(45999);
    to.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    const char message[] = "netaudit-live-test";
    ASSERT_EQ(sendto(fd, message, sizeof(message), 0, reinterpret_cast<sockaddr*>(&to), sizeof(to)),
              static_cast<ssize_t>(sizeof(message)));
    close(fd);

    RawPacket packet;
    bool seen = false;
    // Bounded by read timeouts, not by sleeping: 200 x 50 ms at most.
    for (int i = 0; i < 200 && !seen; ++i) {
        auto r = (*source)->next(packet);
        ASSERT_TRUE(r) << r.error().detail;
        if (*r == NextResult::kPacket) {
            const std::string bytes(reinterpret_cast<const char*>(packet.data),
                                    packet.capturedLength);
            seen = bytes.find("netaudit-live-test") != std::string::npos;
        }
    }
    EXPECT_TRUE(seen);
    (*source)->stop();
    auto after = (*source)->next(packet);
    ASSERT_TRUE(after);
    EXPECT_EQ(*after, NextResult::kEnd);
}

TEST(LiveCapture, AuditLiveStopsOnInjectedClock) {
    AuditOptions options;
    options.live.interfaceName = "lo";
    options.live.readTimeoutMs = 10;
    options.duration = std::chrono::milliseconds(1000);
    // Each reading of the clock advances it 300 ms: the audit ends after a few reads, whatever
    // the traffic, with no real waiting.
    auto now = std::chrono::steady_clock::time_point{};
    options.clock = [&now] {
        now += std::chrono::milliseconds(300);
        return now;
    };
    auto report = auditLive(options);
    ASSERT_TRUE(report) << report.error().detail;
    EXPECT_EQ(report->source, "live:lo");

    std::atomic<bool> stop{true};
    options.duration = std::chrono::milliseconds(0);
    options.clock = nullptr;
    options.stopFlag = &stop;
    report = auditLive(options);
    ASSERT_TRUE(report);
    EXPECT_EQ(report->packets, 0U);
}

}  // namespace
}  // namespace examguard::netaudit
