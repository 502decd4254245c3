// libFuzzer target for what `examguard agent serve` reads from a connection before importing:
// the report header line (and, since the same bytes may be typed by an administrator, the
// HOST:PORT parser). Neither may crash, and an accepted header must announce a length within
// the limit that round-trips.
#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <string_view>

#include "agent/transport.h"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    const std::string_view text(reinterpret_cast<const char*>(data), size);
    if (auto length = examguard::agent::parseReportHeader(text)) {
        if (*length == 0 || *length > examguard::agent::kMaxReportBytes ||
            examguard::agent::reportHeader(*length) != std::string(text) + "\n") {
            std::abort();
        }
    }
    if (auto address = examguard::agent::parseAddress(text, size % 2 == 0)) {
        if (address->host.empty() || address->port < 0 || address->port > 65535) {
            std::abort();
        }
    }
    return 0;
}
