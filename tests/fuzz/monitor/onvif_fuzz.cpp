// libFuzzer target for WS-Discovery replies (`examguard monitor discover`): arbitrary bytes,
// as any host on the LAN may send, go through parseProbeMatches. What parses must hold the
// bounds the parser promises.
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
    auto devices = examguard::monitor::parseProbeMatches(text);
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
