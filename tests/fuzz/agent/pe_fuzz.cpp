// libFuzzer target for the PE parser: headers, sections, resources, VS_VERSIONINFO and the
// Authenticode PKCS#7 blob all come from files on an exam PC, any of which may be hostile.
#include <cstddef>
#include <cstdint>
#include <span>

#include "agent/pe.h"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    const auto pe = examguard::agent::parsePe(std::span(data, size));
    if (pe && pe->versionInfo) {
        volatile std::size_t n = pe->versionInfo->originalFilename().size();
        (void)n;
    }
    return 0;
}
