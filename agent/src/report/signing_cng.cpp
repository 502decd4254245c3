// Report keys and signatures on Windows, through CNG (bcrypt.dll): Windows has no Ed25519 and
// Debian no OpenSSL for mingw-w64, so a Windows agent signs with ECDSA P-256 over SHA-256 and
// the station verifies that beside Ed25519 (signing_openssl.cpp). The key files are standard
// PEM the station's OpenSSL reads: the public key as SubjectPublicKeyInfo, the private key as
// PKCS#8 (an RFC 5915 ECPrivateKey with its public key), both of the one fixed shape P-256 has.
// Windows builds only.
#include <windows.h>
// after windows.h
#include <bcrypt.h>

#include <array>
#include <cstdio>
#include <cstring>
#include <fstream>
#include <optional>
#include <sstream>

#include <fmt/format.h>

#include "agent/report.h"

namespace examguard::agent {

using nlohmann::json;

namespace {

using Bytes = std::vector<unsigned char>;

// DER prefixes of the only key shape written and read here (P-256, uncompressed point).
constexpr unsigned char kSpkiPrefix[] = {0x30, 0x59, 0x30, 0x13, 0x06, 0x07, 0x2a, 0x86, 0x48,
                                         0xce, 0x3d, 0x02, 0x01, 0x06, 0x08, 0x2a, 0x86, 0x48,
                                         0xce, 0x3d, 0x03, 0x01, 0x07, 0x03, 0x42, 0x00, 0x04};
constexpr unsigned char kPkcs8Prefix[] = {0x30, 0x81, 0x87, 0x02, 0x01, 0x00, 0x30, 0x13, 0x06,
                                          0x07, 0x2a, 0x86, 0x48, 0xce, 0x3d, 0x02, 0x01, 0x06,
                                          0x08, 0x2a, 0x86, 0x48, 0xce, 0x3d, 0x03, 0x01, 0x07,
                                          0x04, 0x6d, 0x30, 0x6b, 0x02, 0x01, 0x01, 0x04, 0x20};
constexpr unsigned char kPkcs8Middle[] = {0xa1, 0x44, 0x03, 0x42, 0x00, 0x04};
constexpr std::size_t kPkcs8Size = sizeof kPkcs8Prefix + 32 + sizeof kPkcs8Middle + 64;

std::string base64(const unsigned char* data, std::size_t size) {
    static constexpr char kAlphabet[] =
        "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
    std::string out;
    for (std::size_t i = 0; i < size; i += 3) {
        const unsigned v = (data[i] << 16) | (i + 1 < size ? data[i + 1] << 8 : 0) |
                           (i + 2 < size ? data[i + 2] : 0);
        out += kAlphabet[(v >> 18) & 63];
        out += kAlphabet[(v >> 12) & 63];
        out += i + 1 < size ? kAlphabet[(v >> 6) & 63] : '=';
        out += i + 2 < size ? kAlphabet[v & 63] : '=';
    }
    return out;
}

std::optional<Bytes> unbase64(const std::string& text) {
    Bytes out;
    unsigned buffer = 0;
    int bits = 0;
    for (char c : text) {
        int v = c >= 'A' && c <= 'Z'   ? c - 'A'
                : c >= 'a' && c <= 'z' ? c - 'a' + 26
                : c >= '0' && c <= '9' ? c - '0' + 52
                : c == '+'             ? 62
                : c == '/'             ? 63
                                       : -1;
        if (c == '=' || c == '\n' || c == '\r') {
            continue;
        }
        if (v < 0) {
            return std::nullopt;
        }
        buffer = (buffer << 6) | static_cast<unsigned>(v);
        bits += 6;
        if (bits >= 8) {
            bits -= 8;
            out.push_back(static_cast<unsigned char>((buffer >> bits) & 0xff));
        }
    }
    return out;
}

std::string pem(const char* label, const Bytes& der) {
    std::string body = base64(der.data(), der.size());
    std::string out = fmt::format("-----BEGIN {}-----\n", label);
    for (std::size_t i = 0; i < body.size(); i += 64) {
        out += body.substr(i, 64) + "\n";
    }
    return out + fmt::format("-----END {}-----\n", label);
}

std::optional<Bytes> unpem(const std::string& text, const char* label) {
    const std::string begin = fmt::format("-----BEGIN {}-----", label);
    const std::string end = fmt::format("-----END {}-----", label);
    const auto b = text.find(begin);
    const auto e = text.find(end);
    if (b == std::string::npos || e == std::string::npos || e < b) {
        return std::nullopt;
    }
    return unbase64(text.substr(b + begin.size(), e - b - begin.size()));
}

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

Bytes spkiOf(const unsigned char* xy) {
    Bytes der(kSpkiPrefix, kSpkiPrefix + sizeof kSpkiPrefix);
    der.insert(der.end(), xy, xy + 64);
    return der;
}

struct KeyMaterial {
    std::array<unsigned char, 32> d{};
    std::array<unsigned char, 64> xy{};
};

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
    Provider ecdsa(BCRYPT_ECDSA_P256_ALGORITHM);
    BCRYPT_KEY_HANDLE key = nullptr;
    KeyMaterial m;
    std::vector<unsigned char> blob(sizeof(BCRYPT_ECCKEY_BLOB) + 96);
    ULONG size = 0;
    const bool made = ecdsa.handle != nullptr &&
                      BCryptGenerateKeyPair(ecdsa.handle, &key, 256, 0) == 0 &&
                      BCryptFinalizeKeyPair(key, 0) == 0 &&
                      BCryptExportKey(key, nullptr, BCRYPT_ECCPRIVATE_BLOB, blob.data(),
                                      static_cast<ULONG>(blob.size()), &size, 0) == 0 &&
                      size == blob.size();
    if (key != nullptr) {
        BCryptDestroyKey(key);
    }
    if (!made) {
        return tl::unexpected(Error{ErrorCode::kCryptoFailed, "ECDSA P-256 key generation failed"});
    }
    // BCRYPT_ECCPRIVATE_BLOB: header, X, Y, d (32 bytes each).
    const unsigned char* p = blob.data() + sizeof(BCRYPT_ECCKEY_BLOB);
    std::memcpy(m.xy.data(), p, 64);
    std::memcpy(m.d.data(), p + 64, 32);
    Bytes pkcs8(kPkcs8Prefix, kPkcs8Prefix + sizeof kPkcs8Prefix);
    pkcs8.insert(pkcs8.end(), m.d.begin(), m.d.end());
    pkcs8.insert(pkcs8.end(), kPkcs8Middle, kPkcs8Middle + sizeof kPkcs8Middle);
    pkcs8.insert(pkcs8.end(), m.xy.begin(), m.xy.end());
    SecureZeroMemory(blob.data(), blob.size());
    if (auto r = writeNew(privateKeyPath, pem("PRIVATE KEY", pkcs8)); !r) {
        return r;
    }
    SecureZeroMemory(pkcs8.data(), pkcs8.size());
    return writeNew(publicKeyPath, pem("PUBLIC KEY", spkiOf(m.xy.data())));
}

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
    const auto der = unpem(text.str(), "PRIVATE KEY");
    if (!der || der->size() != kPkcs8Size ||
        std::memcmp(der->data(), kPkcs8Prefix, sizeof kPkcs8Prefix) != 0 ||
        std::memcmp(der->data() + sizeof kPkcs8Prefix + 32, kPkcs8Middle, sizeof kPkcs8Middle) !=
            0) {
        return tl::unexpected(Error{ErrorCode::kMalformedData,
                                    fmt::format("{}: not a PEM EC P-256 private key of this agent",
                                                privateKeyPath.string())});
    }
    const unsigned char* d = der->data() + sizeof kPkcs8Prefix;
    const unsigned char* xy = d + 32 + sizeof kPkcs8Middle;
    Bytes blob(sizeof(BCRYPT_ECCKEY_BLOB));
    auto* header = reinterpret_cast<BCRYPT_ECCKEY_BLOB*>(blob.data());
    header->dwMagic = BCRYPT_ECDSA_PRIVATE_P256_MAGIC;
    header->cbKey = 32;
    blob.insert(blob.end(), xy, xy + 64);
    blob.insert(blob.end(), d, d + 32);
    Provider ecdsa(BCRYPT_ECDSA_P256_ALGORITHM);
    BCRYPT_KEY_HANDLE key = nullptr;
    const std::string bytes = canonicalBytes(report);
    const Bytes digest = sha256(reinterpret_cast<const unsigned char*>(bytes.data()), bytes.size());
    unsigned char signature[64];
    ULONG size = 0;
    const bool ok = digest.size() == 32 && ecdsa.handle != nullptr &&
                    BCryptImportKeyPair(ecdsa.handle, nullptr, BCRYPT_ECCPRIVATE_BLOB, &key,
                                        blob.data(), static_cast<ULONG>(blob.size()), 0) == 0 &&
                    BCryptSignHash(key, nullptr, const_cast<unsigned char*>(digest.data()), 32,
                                   signature, sizeof signature, &size, 0) == 0 &&
                    size == sizeof signature;
    if (key != nullptr) {
        BCryptDestroyKey(key);
    }
    SecureZeroMemory(blob.data(), blob.size());
    if (!ok) {
        return tl::unexpected(Error{ErrorCode::kCryptoFailed, "ECDSA P-256 signing failed"});
    }
    const Bytes spki = spkiOf(xy);
    return json{{"report", report},
                {"signature",
                 {{"algorithm", "ecdsa-p256-sha256"},
                  {"public_key_sha256", hex(sha256(spki.data(), spki.size()))},
                  {"value", base64(signature, sizeof signature)}}}};
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
