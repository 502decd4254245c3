// libFuzzer target for what cameras send `examguard monitor discover`: arbitrary bytes, as any
// host on the LAN may send, go through the WS-Discovery ProbeMatches parser and the ONVIF Media
// reply parsers (GetCapabilities, GetProfiles, GetStreamUri). What parses must hold the bounds
// and schemes the parsers promise.
#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <string_view>

#include "monitor/onvif.h"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    const auto check = [](bool condition) {
        if (!condition) {
            std::abort();
        }
    };
    const std::string_view text(reinterpret_cast<const char*>(data), size);
    using namespace examguard::monitor;
    if (auto xaddr = parseMediaXAddr(text)) {
        check(xaddr->rfind("http://", 0) == 0 || xaddr->rfind("https://", 0) == 0);
    }
    if (auto uri = parseStreamUri(text)) {
        check(uri->rfind("rtsp://", 0) == 0 || uri->rfind("rtsps://", 0) == 0);
    }
    if (auto profiles = parseProfiles(text)) {
        check(profiles->size() <= 32);
        for (const auto& p : *profiles) {
            check(!p.token.empty() && p.width >= 0 && p.height >= 0);
        }
    }
    auto devices = parseProbeMatches(text);
    if (!devices) {
        check(!devices.error().empty());
        return 0;
    }
    check(devices->size() <= 64);
    for (const auto& d : *devices) {
        check(!d.endpoint.empty() || !d.xaddrs.empty());
        check(d.xaddrs.size() <= 32 && d.scopes.size() <= 32 && d.types.size() <= 32);
        for (const auto& x : d.xaddrs) {
            check(x.rfind("http://", 0) == 0 || x.rfind("https://", 0) == 0);
            check(x.size() <= 1024);
        }
    }
    return 0;
}
