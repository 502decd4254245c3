#include "station/platform/platform_signing.h"

#include <chrono>
#include <memory>

#include <fmt/format.h>
#include <openssl/evp.h>
#include <openssl/pem.h>

#include "station/crypto.h"

namespace examguard::station::platform {
namespace {

struct PkeyDeleter {
    void operator()(EVP_PKEY* k) const { EVP_PKEY_free(k); }
};
struct MdCtxDeleter {
    void operator()(EVP_MD_CTX* c) const { EVP_MD_CTX_free(c); }
};
struct BioDeleter {
    void operator()(BIO* b) const { BIO_free(b); }
};

const EVP_MD* digestOf(SignatureDigest digest) {
    return digest == SignatureDigest::Sha1 ? EVP_sha1() : EVP_sha256();
}

std::unique_ptr<BIO, BioDeleter> memoryBio(std::string_view pem) {
    return std::unique_ptr<BIO, BioDeleter>(
        BIO_new_mem_buf(pem.data(), static_cast<int>(pem.size())));
}

}  // namespace

std::string signatureBase(std::string_view appId, const std::map<std::string, std::string>& params,
                          std::string_view messageId) {
    std::string base(appId);
    for (const auto& [name, value] : params) {  // std::map iterates in ASCII order of names
        base += value;
    }
    base += messageId;
    return base;
}

std::string md5UpperHex(std::string_view data) {
    unsigned char digest[EVP_MAX_MD_SIZE];
    unsigned int length = 0;
    EVP_Digest(data.data(), data.size(), digest, &length, EVP_md5(), nullptr);
    std::string hex = toHex(std::span(digest, length));
    for (char& c : hex) {
        if (c >= 'a' && c <= 'f') {
            c = static_cast<char>(c - 'a' + 'A');
        }
    }
    return hex;
}

Expected<std::string> signRequest(std::string_view privateKeyPem, SignatureDigest digest,
                                  std::string_view appId,
                                  const std::map<std::string, std::string>& params,
                                  std::string_view messageId) {
    auto bio = memoryBio(privateKeyPem);
    std::unique_ptr<EVP_PKEY, PkeyDeleter> key(
        PEM_read_bio_PrivateKey(bio.get(), nullptr, nullptr, nullptr));
    if (!key || EVP_PKEY_base_id(key.get()) != EVP_PKEY_RSA) {
        return fail(ErrorCode::Crypto,
                    "the platform key (appPwd) is not an RSA private key in PEM");
    }
    const std::string md5 = md5UpperHex(signatureBase(appId, params, messageId));
    std::unique_ptr<EVP_MD_CTX, MdCtxDeleter> ctx(EVP_MD_CTX_new());
    std::size_t length = 0;
    if (!ctx || EVP_DigestSignInit(ctx.get(), nullptr, digestOf(digest), nullptr, key.get()) != 1 ||
        EVP_DigestSign(ctx.get(), nullptr, &length,
                       reinterpret_cast<const unsigned char*>(md5.data()), md5.size()) != 1) {
        return fail(ErrorCode::Crypto, "cannot sign the platform request");
    }
    Bytes signature(length);
    if (EVP_DigestSign(ctx.get(), signature.data(), &length,
                       reinterpret_cast<const unsigned char*>(md5.data()), md5.size()) != 1) {
        return fail(ErrorCode::Crypto, "cannot sign the platform request");
    }
    signature.resize(length);
    return base64Encode(signature);
}

bool verifyRequest(std::string_view publicKeyPem, SignatureDigest digest, std::string_view appId,
                   const std::map<std::string, std::string>& params, std::string_view messageId,
                   std::string_view signatureBase64) {
    auto bio = memoryBio(publicKeyPem);
    std::unique_ptr<EVP_PKEY, PkeyDeleter> key(
        PEM_read_bio_PUBKEY(bio.get(), nullptr, nullptr, nullptr));
    auto signature = base64Decode(signatureBase64);
    if (!key || !signature) {
        return false;
    }
    const std::string md5 = md5UpperHex(signatureBase(appId, params, messageId));
    std::unique_ptr<EVP_MD_CTX, MdCtxDeleter> ctx(EVP_MD_CTX_new());
    return ctx &&
           EVP_DigestVerifyInit(ctx.get(), nullptr, digestOf(digest), nullptr, key.get()) == 1 &&
           EVP_DigestVerify(ctx.get(), signature->data(), signature->size(),
                            reinterpret_cast<const unsigned char*>(md5.data()), md5.size()) == 1;
}

std::string platformDateTime(std::chrono::system_clock::time_point t) {
    const auto local = t + std::chrono::hours(8);
    const auto ms = std::chrono::duration_cast<std::chrono::milliseconds>(local.time_since_epoch());
    const auto days = std::chrono::floor<std::chrono::days>(ms);
    const std::chrono::year_month_day ymd{std::chrono::sys_days(days)};
    const std::chrono::hh_mm_ss hms{ms - days};
    return fmt::format("{:04}{:02}{:02}{:02}{:02}{:02}{:03}", static_cast<int>(ymd.year()),
                       static_cast<unsigned>(ymd.month()), static_cast<unsigned>(ymd.day()),
                       hms.hours().count(), hms.minutes().count(), hms.seconds().count(),
                       hms.subseconds().count());
}

}  // namespace examguard::station::platform
