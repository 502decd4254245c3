// Report keys and signatures on Windows, through CNG (bcrypt.dll): Windows has no Ed25519 and
// Debian no OpenSSL for mingw-w64. `keygen` makes an RSA-3072 key, which signs reports with
// RSASSA-PSS over SHA-256 and is also the PC's TLS client key (SChannel under Wine takes nothing
// but RSA: rsa_key.h). Keys made by earlier versions, ECDSA P-256, still sign (file delivery
// only). The station verifies all of them beside Ed25519 (signing_openssl.cpp). The key files
// are standard PEM the station's OpenSSL reads: SubjectPublicKeyInfo and PKCS#8.
// Windows builds only.
#include <windows.h>
// after windows.h
#include <bcrypt.h>

#include <cstdio>
#include <cstring>
#include <fstream>
#include <sstream>

#include <fmt/format.h>

#include "agent/report.h"
#include "report/pem.h"
#include "report/rsa_key.h"

namespace examguard::agent {

using nlohmann::json;

namespace {

// DER prefixes of the one P-256 key shape earlier versions wrote (uncompressed point).
constexpr unsigned char kSpkiPrefix[] = {0x30, 0x59, 0x30, 0x13, 0x06, 0x07, 0x2a, 0x86, 0x48,
                                         0xce, 0x3d, 0x02, 0x01, 0x06, 0x08, 0x2a, 0x86, 0x48,
                                         0xce, 0x3d, 0x03, 0x01, 0x07, 0x03, 0x42, 0x00, 0x04};
constexpr unsigned char kPkcs8Prefix[] = {0x30, 0x81, 0x87, 0x02, 0x01, 0x00, 0x30, 0x13, 0x06,
                                          0x07, 0x2a, 0x86, 0x48, 0xce, 0x3d, 0x02, 0x01, 0x06,
                                          0x08, 0x2a, 0x86, 0x48, 0xce, 0x3d, 0x03, 0x01, 0x07,
                                          0x04, 0x6d, 0x30, 0x6b, 0x02, 0x01, 0x01, 0x04, 0x20};
constexpr unsigned char kPkcs8Middle[] = {0xa1, 0x44, 0x03, 0x42, 0x00, 0x04};
constexpr std::size_t kPkcs8Size = sizeof kPkcs8Prefix + 32 + sizeof kPkcs8Middle + 64;

// An algorithm provider, opened explicitly (the pseudo-handles are missing on older Windows 10
// builds and in Wine).
struct Provider {
    BCRYPT_ALG_HANDLE handle = nullptr;
    explicit Provider(LPCWSTR id) {
        if (BCryptOpenAlgorithmProvider(&handle, id, nullptr, 0) != 0) {
            handle = nullptr;
        }
    }
    ~Provider() {
        if (handle != nullptr) {
            BCryptCloseAlgorithmProvider(handle, 0);
        }
    }
};

Bytes sha256(const unsigned char* data, std::size_t size) {
    Provider alg(BCRYPT_SHA256_ALGORITHM);
    BCRYPT_HASH_HANDLE hash = nullptr;
    Bytes digest(32);
    const bool ok =
        alg.handle != nullptr &&
        BCryptCreateHash(alg.handle, &hash, nullptr, 0, nullptr, 0, 0) == 0 &&
        BCryptHashData(hash, const_cast<unsigned char*>(data), static_cast<ULONG>(size), 0) == 0 &&
        BCryptFinishHash(hash, digest.data(), 32, 0) == 0;
    if (hash != nullptr) {
        BCryptDestroyHash(hash);
    }
    return ok ? digest : Bytes();
}

std::string hex(const Bytes& bytes) {
    std::string out;
    for (unsigned char b : bytes) {
        out += fmt::format("{:02x}", b);
    }
    return out;
}

tl::expected<void, Error> writeNew(const std::filesystem::path& path, const std::string& text) {
    const auto tmp = path.string() + ".tmp";
    std::FILE* f = std::fopen(tmp.c_str(), "wbx");
    if (f == nullptr) {
        return tl::unexpected(Error{ErrorCode::kUnreadable, fmt::format("{}: cannot create", tmp)});
    }
    const bool ok = std::fwrite(text.data(), 1, text.size(), f) == text.size();
    if (std::fclose(f) != 0 || !ok) {
        std::remove(tmp.c_str());
        return tl::unexpected(Error{ErrorCode::kUnreadable, fmt::format("{}: cannot write", tmp)});
    }
    std::error_code ec;
    std::filesystem::rename(tmp, path, ec);
    if (ec) {
        std::remove(tmp.c_str());
        return tl::unexpected(
            Error{ErrorCode::kUnreadable, fmt::format("{}: {}", path.string(), ec.message())});
    }
    return {};
}

}  // namespace

std::string randomNonce() {
    unsigned char bytes[16];
    if (BCryptGenRandom(nullptr, bytes, sizeof bytes, BCRYPT_USE_SYSTEM_PREFERRED_RNG) != 0) {
        return {};
    }
    return hex(Bytes(bytes, bytes + sizeof bytes));
}

tl::expected<void, Error> generateKey(const std::filesystem::path& privateKeyPath,
                                      const std::filesystem::path& publicKeyPath) {
    for (const auto& path : {privateKeyPath, publicKeyPath}) {
        std::error_code ec;
        if (std::filesystem::exists(path, ec)) {
            return tl::unexpected(Error{
                ErrorCode::kInvalidArgument,
                fmt::format("{}: already exists; a key is never overwritten", path.string())});
        }
    }
    Provider rsa(BCRYPT_RSA_ALGORITHM);
    BCRYPT_KEY_HANDLE handle = nullptr;
    ULONG size = 0;
    Bytes blob;
    bool made =
        rsa.handle != nullptr &&
        BCryptGenerateKeyPair(rsa.handle, &handle, kAgentRsaBits, 0) == 0 &&
        BCryptFinalizeKeyPair(handle, 0) == 0 &&
        BCryptExportKey(handle, nullptr, BCRYPT_RSAFULLPRIVATE_BLOB, nullptr, 0, &size, 0) == 0;
    if (made) {
        blob.resize(size);
        made = BCryptExportKey(handle, nullptr, BCRYPT_RSAFULLPRIVATE_BLOB, blob.data(), size,
                               &size, 0) == 0 &&
               size == blob.size();
    }
    if (handle != nullptr) {
        BCryptDestroyKey(handle);
    }
    auto key =
        made ? fromBcryptFullPrivateBlob(blob)
             : tl::expected<RsaPrivateKey, Error>(
                   tl::unexpect, Error{ErrorCode::kCryptoFailed, "RSA key generation failed"});
    SecureZeroMemory(blob.data(), blob.size());
    if (!key) {
        return tl::unexpected(key.error());
    }
    Bytes pkcs8 = encodeRsaPkcs8(*key);
    const auto written = writeNew(privateKeyPath, pemEncode("PRIVATE KEY", pkcs8));
    SecureZeroMemory(pkcs8.data(), pkcs8.size());
    if (!written) {
        return written;
    }
    return writeNew(publicKeyPath, pemEncode("PUBLIC KEY", encodeRsaSpki(*key)));
}

namespace {

tl::expected<Bytes, Error> signRsaPss(const RsaPrivateKey& key, const Bytes& digest) {
    auto blob = toBcryptFullPrivateBlob(key);
    if (!blob) {
        return tl::unexpected(blob.error());
    }
    Provider rsa(BCRYPT_RSA_ALGORITHM);
    BCRYPT_KEY_HANDLE handle = nullptr;
    BCRYPT_PSS_PADDING_INFO pss{BCRYPT_SHA256_ALGORITHM, 32};
    Bytes signature(key.modulus.size());
    ULONG size = 0;
    const bool ok =
        rsa.handle != nullptr &&
        BCryptImportKeyPair(rsa.handle, nullptr, BCRYPT_RSAFULLPRIVATE_BLOB, &handle, blob->data(),
                            static_cast<ULONG>(blob->size()), 0) == 0 &&
        BCryptSignHash(handle, &pss, const_cast<unsigned char*>(digest.data()),
                       static_cast<ULONG>(digest.size()), signature.data(),
                       static_cast<ULONG>(signature.size()), &size, BCRYPT_PAD_PSS) == 0;
    if (handle != nullptr) {
        BCryptDestroyKey(handle);
    }
    SecureZeroMemory(blob->data(), blob->size());
    if (!ok) {
        return tl::unexpected(Error{ErrorCode::kCryptoFailed, "RSA-PSS signing failed"});
    }
    signature.resize(size);
    return signature;
}

// A key made by an earlier agent version: the one fixed P-256 shape it wrote.
tl::expected<Bytes, Error> signP256(const Bytes& der, const Bytes& digest, Bytes& spki) {
    const unsigned char* d = der.data() + sizeof kPkcs8Prefix;
    const unsigned char* xy = d + 32 + sizeof kPkcs8Middle;
    Bytes blob(sizeof(BCRYPT_ECCKEY_BLOB));
    auto* header = reinterpret_cast<BCRYPT_ECCKEY_BLOB*>(blob.data());
    header->dwMagic = BCRYPT_ECDSA_PRIVATE_P256_MAGIC;
    header->cbKey = 32;
    blob.insert(blob.end(), xy, xy + 64);
    blob.insert(blob.end(), d, d + 32);
    Provider ecdsa(BCRYPT_ECDSA_P256_ALGORITHM);
    BCRYPT_KEY_HANDLE key = nullptr;
    Bytes signature(64);
    ULONG size = 0;
    const bool ok = ecdsa.handle != nullptr &&
                    BCryptImportKeyPair(ecdsa.handle, nullptr, BCRYPT_ECCPRIVATE_BLOB, &key,
                                        blob.data(), static_cast<ULONG>(blob.size()), 0) == 0 &&
                    BCryptSignHash(key, nullptr, const_cast<unsigned char*>(digest.data()), 32,
                                   signature.data(), 64, &size, 0) == 0 &&
                    size == 64;
    if (key != nullptr) {
        BCryptDestroyKey(key);
    }
    SecureZeroMemory(blob.data(), blob.size());
    if (!ok) {
        return tl::unexpected(Error{ErrorCode::kCryptoFailed, "ECDSA P-256 signing failed"});
    }
    spki = Bytes(kSpkiPrefix, kSpkiPrefix + sizeof kSpkiPrefix);
    spki.insert(spki.end(), xy, xy + 64);
    return signature;
}

bool isP256Pkcs8(const Bytes& der) {
    return der.size() == kPkcs8Size &&
           std::memcmp(der.data(), kPkcs8Prefix, sizeof kPkcs8Prefix) == 0 &&
           std::memcmp(der.data() + sizeof kPkcs8Prefix + 32, kPkcs8Middle, sizeof kPkcs8Middle) ==
               0;
}

}  // namespace

tl::expected<json, Error> signReport(const json& report,
                                     const std::filesystem::path& privateKeyPath) {
    std::ifstream in(privateKeyPath, std::ios::binary);
    if (!in) {
        return tl::unexpected(
            Error{ErrorCode::kFileNotFound,
                  fmt::format("{}: cannot open the agent key", privateKeyPath.string())});
    }
    std::ostringstream text;
    text << in.rdbuf();
    const auto malformed = [&](const std::string& why) {
        return tl::unexpected(Error{
            ErrorCode::kMalformedData,
            fmt::format("{}: not a private key of this agent ({})", privateKeyPath.string(), why)});
    };
    auto der = pemDecode(text.str(), "PRIVATE KEY");
    if (!der) {
        return malformed(der.error().detail);
    }
    const std::string bytes = canonicalBytes(report);
    const Bytes digest = sha256(reinterpret_cast<const unsigned char*>(bytes.data()), bytes.size());
    if (digest.size() != 32) {
        return tl::unexpected(Error{ErrorCode::kCryptoFailed, "SHA-256 unavailable"});
    }
    std::string algorithm;
    Bytes spki;
    tl::expected<Bytes, Error> signature;
    if (isRsaPkcs8(*der)) {
        auto key = parseRsaPkcs8(*der);
        if (!key) {
            return malformed(key.error().detail);
        }
        algorithm = "rsa-pss-sha256";
        spki = encodeRsaSpki(*key);
        signature = signRsaPss(*key, digest);
    } else if (isP256Pkcs8(*der)) {
        algorithm = "ecdsa-p256-sha256";
        signature = signP256(*der, digest, spki);
    } else {
        return malformed("neither RSA nor EC P-256 PKCS#8");
    }
    SecureZeroMemory(der->data(), der->size());
    if (!signature) {
        return tl::unexpected(signature.error());
    }
    return json{{"report", report},
                {"signature",
                 {{"algorithm", algorithm},
                  {"public_key_sha256", hex(sha256(spki.data(), spki.size()))},
                  {"value", base64Encode(signature->data(), signature->size())}}}};
}

// Verification is the station's (OpenSSL, both algorithms); the Windows agent only signs.
tl::expected<std::string, Error> publicKeyFingerprintPem(const std::string&) {
    return tl::unexpected(Error{ErrorCode::kInvalidArgument,
                                "key fingerprints are computed by the station (examguard agent "
                                "enroll)"});
}

tl::expected<void, Error> verifyEnvelope(const json&, const std::string&) {
    return tl::unexpected(Error{ErrorCode::kInvalidArgument,
                                "reports are verified at the station (examguard agent import)"});
}

}  // namespace examguard::agent
