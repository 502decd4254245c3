// libFuzzer target for the agent's key files (report/pem.h, report/rsa_key.h): what the Windows
// agent reads from its PEM key file and from CNG. A file may be damaged or not a key at all:
// nothing may crash, and a key that is accepted must survive the round trips the agent makes —
// PKCS#8 out and back, CNG blob out and back, CryptoAPI blob of the advertised size.
#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <string_view>

#include "report/pem.h"
#include "report/rsa_key.h"

namespace {

using namespace examguard::agent;

void checkKey(const RsaPrivateKey& key) {
    const Bytes der = encodeRsaPkcs8(key);
    auto again = parseRsaPkcs8(der);
    if (!again || encodeRsaPkcs8(*again) != der) {
        std::abort();
    }
    auto blob = toBcryptFullPrivateBlob(key);
    if (!blob) {
        std::abort();  // an accepted key always fits its blob
    }
    auto back = fromBcryptFullPrivateBlob(*blob);
    if (!back || encodeRsaPkcs8(*back) != der) {
        std::abort();
    }
    if (auto capi = toCapiPrivateKeyBlob(key)) {
        const std::size_t n = (key.bits() + 7) / 8;
        if (capi->size() != 20 + 2 * n + 5 * ((n + 1) / 2)) {
            std::abort();
        }
    }
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    const Bytes bytes(data, data + size);
    if (auto key = parseRsaPkcs8(bytes)) {
        checkKey(*key);
    }
    if (auto key = fromBcryptFullPrivateBlob(bytes)) {
        checkKey(*key);
    }
    const std::string_view text(reinterpret_cast<const char*>(data), size);
    if (auto der = pemDecode(text, "PRIVATE KEY")) {
        if (auto key = parseRsaPkcs8(*der)) {
            checkKey(*key);
        }
        const std::string pem = pemEncode("PRIVATE KEY", *der);
        auto back = pemDecode(pem, "PRIVATE KEY");
        if (!back || *back != *der) {
            std::abort();
        }
    }
    return 0;
}
