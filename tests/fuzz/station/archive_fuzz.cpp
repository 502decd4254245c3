// The archive verifier on arbitrary bytes: a hostile file may claim to be a sealed archive.
// verifyArchive reads a path (libarchive's seekable ZIP reader), so each input is written to
// one scratch file first.
#include <unistd.h>

#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <string>

#include "archive/bagit.h"
#include "archive/verify.h"

namespace {

const std::string& scratchPath() {
    static const std::string path = [] {
        char name[] = "/tmp/examguard-archive-fuzz-XXXXXX";
        const int fd = mkstemp(name);
        if (fd < 0) {
            std::abort();
        }
        close(fd);
        return std::string(name);
    }();
    return path;
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    using namespace examguard::archive;
    const std::string_view text(reinterpret_cast<const char*>(data), size);
    (void)parseManifest(text, "fuzz", 1000);
    (void)parseBagInfo(text, "fuzz");

    std::FILE* f = std::fopen(scratchPath().c_str(), "wb");
    if (f == nullptr) {
        std::abort();
    }
    std::fwrite(data, 1, size, f);
    std::fclose(f);
    VerifyOptions options;
    options.limits.maxTotalBytes = 64 << 20;
    options.limits.maxMemberBytes = 16 << 20;
    options.limits.maxKeptBytes = 4 << 20;
    (void)verifyArchive(scratchPath(), options);
    return 0;
}
