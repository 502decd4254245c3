// Report keys and signatures with OpenSSL: Ed25519 keys made by `examguard-agent keygen` on
// Linux, and on the station the verification of every algorithm an agent may sign with —
// Ed25519 (Linux agents), RSASSA-PSS with SHA-256 (Windows agents, whose RSA key is also their
// SChannel client key) and ECDSA P-256 with SHA-256 (Windows agents of earlier versions). See
// signing_cng.cpp for the Windows side.
#include <sys/stat.h>

#include <cstdio>
#include <memory>

#include <fmt/format.h>
#include <openssl/bio.h>
#include <openssl/core_names.h>
#include <openssl/ec.h>
#include <openssl/evp.h>
#include <openssl/pem.h>
#include <openssl/rand.h>
#include <openssl/rsa.h>
#include <openssl/x509.h>

#include "agent/report.h"
#include "text.h"

namespace examguard::agent {

using nlohmann::json;

namespace {

using PkeyPtr = std::unique_ptr<EVP_PKEY, decltype(&EVP_PKEY_free)>;
using MdCtxPtr = std::unique_ptr<EVP_MD_CTX, decltype(&EVP_MD_CTX_free)>;

std::string base64(const unsigned char* data, std::size_t size) {
    std::string out(4 * ((size + 2) / 3) + 1, '\0');
    const int n =
        EVP_EncodeBlock(reinterpret_cast<unsigned char*>(out.data()), data, static_cast<int>(size));
    out.resize(static_cast<std::size_t>(n));
    return out;
}

tl::expected<std::vector<unsigned char>, Error> unbase64(const std::string& text) {
    if (text.size() % 4 != 0 || text.empty()) {
        return tl::unexpected(Error{ErrorCode::kSignatureInvalid, "signature value is not base64"});
    }
    std::vector<unsigned char> out(text.size() / 4 * 3);
    const int n = EVP_DecodeBlock(out.data(), reinterpret_cast<const unsigned char*>(text.data()),
                                  static_cast<int>(text.size()));
    if (n < 0) {
        return tl::unexpected(Error{ErrorCode::kSignatureInvalid, "signature value is not base64"});
    }
    std::size_t size = static_cast<std::size_t>(n);
    for (std::size_t i = text.size(); i > 0 && text[i - 1] == '='; --i) {
        --size;
    }
    out.resize(size);
    return out;
}

std::string publicKeyFingerprint(EVP_PKEY* key) {
    unsigned char* der = nullptr;
    const int length = i2d_PUBKEY(key, &der);
    if (length <= 0) {
        return {};
    }
    unsigned char digest[EVP_MAX_MD_SIZE];
    unsigned int size = 0;
    EVP_Digest(der, static_cast<std::size_t>(length), digest, &size, EVP_sha256(), nullptr);
    OPENSSL_free(der);
    std::string hex;
    for (unsigned int i = 0; i < size; ++i) {
        hex += fmt::format("{:02x}", digest[i]);
    }
    return hex;
}

}  // namespace

std::string randomNonce() {
    unsigned char bytes[16];
    if (RAND_bytes(bytes, sizeof bytes) != 1) {
        return {};
    }
    std::string hex;
    for (const auto b : bytes) {
        hex += fmt::format("{:02x}", b);
    }
    return hex;
}

tl::expected<void, Error> generateKey(const std::filesystem::path& privateKeyPath,
                                      const std::filesystem::path& publicKeyPath) {
    for (const auto& path : {privateKeyPath, publicKeyPath}) {
        std::error_code ec;
        if (std::filesystem::exists(path, ec)) {
            return tl::unexpected(
                Error{ErrorCode::kInvalidArgument, fmt::format("{}: already exists; a key is never "
                                                               "overwritten",
                                                               path.string())});
        }
    }
    PkeyPtr key(EVP_PKEY_Q_keygen(nullptr, nullptr, "ED25519"), &EVP_PKEY_free);
    if (!key) {
        return tl::unexpected(Error{ErrorCode::kCryptoFailed, "Ed25519 key generation failed"});
    }
    // The private key file is created 0600 before anything is written to it.
    const auto writePem = [&](const std::filesystem::path& path,
                              bool isPrivate) -> tl::expected<void, Error> {
        const auto tmp = path.string() + ".tmp";
        const mode_t old = umask(isPrivate ? 077 : 022);
        FILE* f = std::fopen(tmp.c_str(), "wx");
        umask(old);
        if (f == nullptr) {
            return tl::unexpected(
                Error{ErrorCode::kUnreadable, fmt::format("{}: cannot create", tmp)});
        }
        const int ok =
            isPrivate ? PEM_write_PrivateKey(f, key.get(), nullptr, nullptr, 0, nullptr, nullptr)
                      : PEM_write_PUBKEY(f, key.get());
        const bool closed = std::fclose(f) == 0;
        std::error_code ec;
        if (ok != 1 || !closed) {
            std::filesystem::remove(tmp, ec);
            return tl::unexpected(
                Error{ErrorCode::kCryptoFailed, fmt::format("{}: cannot write the key", tmp)});
        }
        std::filesystem::rename(tmp, path, ec);
        if (ec) {
            std::filesystem::remove(tmp, ec);
            return tl::unexpected(
                Error{ErrorCode::kUnreadable, fmt::format("{}: {}", path.string(), ec.message())});
        }
        return {};
    };
    if (auto r = writePem(privateKeyPath, true); !r) {
        return r;
    }
    return writePem(publicKeyPath, false);
}

tl::expected<json, Error> signReport(const json& report,
                                     const std::filesystem::path& privateKeyPath) {
    FILE* f = std::fopen(privateKeyPath.c_str(), "r");
    if (f == nullptr) {
        return tl::unexpected(
            Error{ErrorCode::kFileNotFound,
                  fmt::format("{}: cannot open the agent key", privateKeyPath.string())});
    }
    PkeyPtr key(PEM_read_PrivateKey(f, nullptr, nullptr, nullptr), &EVP_PKEY_free);
    std::fclose(f);
    if (!key || EVP_PKEY_get_id(key.get()) != EVP_PKEY_ED25519) {
        return tl::unexpected(
            Error{ErrorCode::kMalformedData,
                  fmt::format("{}: not a PEM Ed25519 private key", privateKeyPath.string())});
    }
    const std::string bytes = canonicalBytes(report);
    MdCtxPtr ctx(EVP_MD_CTX_new(), &EVP_MD_CTX_free);
    std::size_t size = 0;
    if (!ctx || EVP_DigestSignInit(ctx.get(), nullptr, nullptr, nullptr, key.get()) != 1 ||
        EVP_DigestSign(ctx.get(), nullptr, &size,
                       reinterpret_cast<const unsigned char*>(bytes.data()), bytes.size()) != 1) {
        return tl::unexpected(Error{ErrorCode::kCryptoFailed, "Ed25519 signing failed"});
    }
    std::vector<unsigned char> sig(size);
    if (EVP_DigestSign(ctx.get(), sig.data(), &size,
                       reinterpret_cast<const unsigned char*>(bytes.data()), bytes.size()) != 1) {
        return tl::unexpected(Error{ErrorCode::kCryptoFailed, "Ed25519 signing failed"});
    }
    return json{{"report", report},
                {"signature",
                 {{"algorithm", "ed25519"},
                  {"public_key_sha256", publicKeyFingerprint(key.get())},
                  {"value", base64(sig.data(), size)}}}};
}

namespace {

// The algorithms a report may be signed with, and the key each needs.
constexpr const char* kEd25519 = "ed25519";
constexpr const char* kEcdsaP256 = "ecdsa-p256-sha256";
constexpr const char* kRsaPss = "rsa-pss-sha256";
constexpr int kMinRsaBits = 2048;
constexpr int kMaxRsaBits = 16384;

bool isP256(EVP_PKEY* key) {
    char group[64] = {};
    std::size_t length = 0;
    return EVP_PKEY_get_id(key) == EVP_PKEY_EC &&
           EVP_PKEY_get_utf8_string_param(key, OSSL_PKEY_PARAM_GROUP_NAME, group, sizeof group,
                                          &length) == 1 &&
           std::string_view(group, length) == "prime256v1";
}

bool isAgentRsa(EVP_PKEY* key) {
    return EVP_PKEY_get_id(key) == EVP_PKEY_RSA && EVP_PKEY_get_bits(key) >= kMinRsaBits &&
           EVP_PKEY_get_bits(key) <= kMaxRsaBits;
}

// The algorithm a key signs reports with; empty for a key no agent uses.
std::string algorithmOf(EVP_PKEY* key) {
    if (EVP_PKEY_get_id(key) == EVP_PKEY_ED25519) {
        return kEd25519;
    }
    if (isP256(key)) {
        return kEcdsaP256;
    }
    return isAgentRsa(key) ? kRsaPss : "";
}

// A PEM public key an agent signs with: Ed25519, RSA of 2048..16384 bits, or EC P-256;
// anything else is malformed.
tl::expected<PkeyPtr, Error> readAgentPublicKey(const std::string& publicKeyPem) {
    std::unique_ptr<BIO, decltype(&BIO_free)> bio(
        BIO_new_mem_buf(publicKeyPem.data(), static_cast<int>(publicKeyPem.size())), &BIO_free);
    PkeyPtr key(PEM_read_bio_PUBKEY(bio.get(), nullptr, nullptr, nullptr), &EVP_PKEY_free);
    if (!key || algorithmOf(key.get()).empty()) {
        return tl::unexpected(
            Error{ErrorCode::kMalformedData,
                  fmt::format("the public key is not a PEM Ed25519, RSA ({}..{} bits) or EC P-256 "
                              "key",
                              kMinRsaBits, kMaxRsaBits)});
    }
    return key;
}

// A P-256 signature as CNG writes it (IEEE P1363: r and s, 32 bytes each) in the DER form
// OpenSSL verifies; empty when it is not 64 bytes.
std::vector<unsigned char> p1363ToDer(const std::vector<unsigned char>& raw) {
    if (raw.size() != 64) {
        return {};
    }
    ECDSA_SIG* sig = ECDSA_SIG_new();
    BIGNUM* r = BN_bin2bn(raw.data(), 32, nullptr);
    BIGNUM* s = BN_bin2bn(raw.data() + 32, 32, nullptr);
    if (sig == nullptr || r == nullptr || s == nullptr || ECDSA_SIG_set0(sig, r, s) != 1) {
        BN_free(r);
        BN_free(s);
        ECDSA_SIG_free(sig);
        return {};
    }
    unsigned char* der = nullptr;
    const int length = i2d_ECDSA_SIG(sig, &der);
    ECDSA_SIG_free(sig);
    if (length <= 0) {
        return {};
    }
    std::vector<unsigned char> out(der, der + length);
    OPENSSL_free(der);
    return out;
}

}  // namespace

tl::expected<std::string, Error> publicKeyFingerprintPem(const std::string& publicKeyPem) {
    auto key = readAgentPublicKey(publicKeyPem);
    if (!key) {
        return tl::unexpected(key.error());
    }
    return publicKeyFingerprint(key->get());
}

tl::expected<void, Error> verifyEnvelope(const json& envelope, const std::string& publicKeyPem) {
    const auto refuse = [](std::string why) {
        return tl::unexpected(Error{ErrorCode::kSignatureInvalid, std::move(why)});
    };
    if (!envelope.is_object() || !envelope.contains("report") || !envelope.contains("signature") ||
        !envelope["signature"].is_object()) {
        return refuse("not a signed report: 'report' or 'signature' missing");
    }
    const auto& sig = envelope["signature"];
    const std::string algorithm = stringField(sig, "algorithm");
    if ((algorithm != kEd25519 && algorithm != kEcdsaP256 && algorithm != kRsaPss) ||
        !sig.contains("value") || !sig["value"].is_string()) {
        return refuse(
            fmt::format("signature algorithm is not {}, {} or {}, or the value is missing",
                        kEd25519, kRsaPss, kEcdsaP256));
    }
    auto key = readAgentPublicKey(publicKeyPem);
    if (!key) {
        return tl::unexpected(key.error());
    }
    if (algorithm != algorithmOf(key->get())) {
        return refuse(
            fmt::format("signed with {}, but the PC's enrolled key is not for it", algorithm));
    }
    const bool ecdsa = algorithm == kEcdsaP256;
    const bool rsa = algorithm == kRsaPss;
    if (stringField(sig, "public_key_sha256") != publicKeyFingerprint(key->get())) {
        return refuse("signed by a different key than the one enrolled for this PC");
    }
    auto value = unbase64(sig["value"].get<std::string>());
    if (!value) {
        return tl::unexpected(value.error());
    }
    if (ecdsa) {
        *value = p1363ToDer(*value);
        if (value->empty()) {
            return refuse("the ECDSA signature is not 64 bytes (r and s)");
        }
    }
    const std::string bytes = canonicalBytes(envelope["report"]);
    MdCtxPtr ctx(EVP_MD_CTX_new(), &EVP_MD_CTX_free);
    EVP_PKEY_CTX* keyCtx = nullptr;  // owned by ctx
    if (!ctx ||
        EVP_DigestVerifyInit(ctx.get(), &keyCtx, ecdsa || rsa ? EVP_sha256() : nullptr, nullptr,
                             key->get()) != 1 ||
        // PSS as CNG signs it: MGF1 with SHA-256 (the default for the digest), a 32-byte salt.
        (rsa && (EVP_PKEY_CTX_set_rsa_padding(keyCtx, RSA_PKCS1_PSS_PADDING) != 1 ||
                 EVP_PKEY_CTX_set_rsa_pss_saltlen(keyCtx, 32) != 1))) {
        return tl::unexpected(
            Error{ErrorCode::kCryptoFailed, fmt::format("{} verification unavailable", algorithm)});
    }
    if (EVP_DigestVerify(ctx.get(), value->data(), value->size(),
                         reinterpret_cast<const unsigned char*>(bytes.data()), bytes.size()) != 1) {
        return refuse("signature does not match the report (altered or forged)");
    }
    return {};
}

}  // namespace examguard::agent
