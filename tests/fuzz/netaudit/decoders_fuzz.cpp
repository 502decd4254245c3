// libFuzzer target over the whole passive path: arbitrary bytes become a sequence of packets
// (each a 2-byte length, then that many bytes) on a link type chosen by the first byte, and go
// through every decoder, the TCP reassembly, nDPI, the signature matcher, the inventory and the
// reconciliation, exactly as packets from a capture file or the wire would.
#include <cstddef>
#include <cstdint>
#include <cstdlib>

#include <nlohmann/json.hpp>

#include "netaudit/audit.h"

namespace {

// DLT_NULL, EN10MB, RAW, LINUX_SLL, LINUX_SLL2, and two the decoders must refuse politely.
constexpr int kLinkTypes[] = {0, 1, 101, 113, 276, 12, 228};

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    using namespace examguard::netaudit;
    if (size < 1) {
        return 0;
    }
    const int linkType = kLinkTypes[data[0] % (sizeof kLinkTypes / sizeof kLinkTypes[0])];
    AuditOptions options;
    options.registry = std::vector<RegistryEntry>{
        {"A01", "pc-a01", *MacAddress::parse("00:1b:21:3a:4f:01"), *IpAddress::parse("10.1.1.11")}};
    options.gatewayIps = {*IpAddress::parse("10.1.1.1")};
    options.egressAllowlist = {*IpNetwork::parse("10.1.0.10/32")};
    // nDPI takes ~70 ms to set up per auditor; one input in eight runs it, the rest explore our
    // own decoders at full speed.
    options.useNdpi = (data[0] & 0x70) == 0;
    auto auditor = PassiveAuditor::create(options, linkType);
    if (!auditor) {
        return 0;
    }
    std::size_t at = 1;
    std::uint64_t number = 0;
    while (at + 2 <= size) {
        const std::size_t length = (std::size_t{data[at]} << 8 | data[at + 1]) % 2048;
        at += 2;
        const std::size_t take = length < size - at ? length : size - at;
        RawPacket packet;
        packet.number = ++number;
        packet.timestampUs = static_cast<std::int64_t>(number) * 1000;
        packet.data = data + at;
        packet.capturedLength = static_cast<std::uint32_t>(take);
        packet.wireLength = static_cast<std::uint32_t>(length);
        (*auditor)->process(packet);
        at += take;
    }
    const AuditReport report = (*auditor)->finish();
    if (report.packets != number) {
        std::abort();
    }
    // Packet contents reach names and evidence: consumers dump with invalid UTF-8 replaced.
    (void)toJson(report, true).dump(-1, ' ', false, nlohmann::json::error_handler_t::replace);
    return 0;
}
