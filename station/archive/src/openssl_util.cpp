#include "openssl_util.h"

#include <openssl/err.h>
#include <openssl/pem.h>
#include <openssl/x509v3.h>

#include <fmt/format.h>

#include "station/crypto.h"

namespace examguard::archive::detail {

using station::ErrorCode;
using station::fail;

// The OpenSSL error queue as one line, emptied.
std::string opensslError(std::string_view what) {
    std::string text(what);
    unsigned long code = 0;
    while ((code = ERR_get_error()) != 0) {
        char buf[256];
        ERR_error_string_n(code, buf, sizeof buf);
        text += ": ";
        text += buf;
    }
    return text;
}

std::string isoTime(const ASN1_TIME* time) {
    std::tm tm{};
    if (time == nullptr || ASN1_TIME_to_tm(time, &tm) != 1) {
        return {};
    }
    return fmt::format("{:04}-{:02}-{:02}T{:02}:{:02}:{:02}Z", tm.tm_year + 1900, tm.tm_mon + 1,
                       tm.tm_mday, tm.tm_hour, tm.tm_min, tm.tm_sec);
}

std::string nameText(const X509_NAME* name) {
    Owned<BIO> bio(BIO_new(BIO_s_mem()));
    X509_NAME_print_ex(bio.get(), name, 0, XN_FLAG_RFC2253 & ~ASN1_STRFLGS_ESC_MSB);
    char* data = nullptr;
    const long n = BIO_get_mem_data(bio.get(), &data);
    return std::string(data, static_cast<std::size_t>(n));
}

Expected<Owned<X509>> readCertificate(std::string_view pem, std::string_view what) {
    Owned<BIO> bio(BIO_new_mem_buf(pem.data(), static_cast<int>(pem.size())));
    Owned<X509> cert(PEM_read_bio_X509(bio.get(), nullptr, nullptr, nullptr));
    if (!cert) {
        return fail(ErrorCode::BadInput,
                    opensslError(fmt::format("{} is not a PEM certificate", what)));
    }
    return cert;
}

// Every certificate in a PEM text (none is fine).
Expected<Certs> readCertificates(std::string_view pem, std::string_view what) {
    Certs certs(sk_X509_new_null());
    Owned<BIO> bio(BIO_new_mem_buf(pem.data(), static_cast<int>(pem.size())));
    while (X509* cert = PEM_read_bio_X509(bio.get(), nullptr, nullptr, nullptr)) {
        sk_X509_push(certs.get(), cert);
    }
    const unsigned long last = ERR_peek_last_error();
    if (ERR_GET_REASON(last) == PEM_R_NO_START_LINE) {
        ERR_clear_error();  // the normal end of the text
    } else if (last != 0) {
        return fail(ErrorCode::BadInput, opensslError(fmt::format("{} is damaged", what)));
    }
    return certs;
}

Owned<CMS_ContentInfo> parseCms(std::span<const unsigned char> der, std::string& error) {
    const unsigned char* p = der.data();
    Owned<CMS_ContentInfo> cms(d2i_CMS_ContentInfo(nullptr, &p, static_cast<long>(der.size())));
    if (!cms) {
        error = opensslError("the signature is not a CMS structure");
        return cms;
    }
    if (p != der.data() + der.size()) {
        error = "the signature has bytes after its CMS structure";
        return {};
    }
    if (OBJ_obj2nid(CMS_get0_type(cms.get())) != NID_pkcs7_signed) {
        error = "the signature is not CMS SignedData";
        return {};
    }
    return cms;
}

Expected<Owned<EVP_PKEY>> readPrivateKey(std::string_view pem, std::string_view what) {
    Owned<BIO> bio(BIO_new_mem_buf(pem.data(), static_cast<int>(pem.size())));
    Owned<EVP_PKEY> key(PEM_read_bio_PrivateKey(bio.get(), nullptr, nullptr, nullptr));
    if (!key) {
        return fail(ErrorCode::Crypto,
                    opensslError(fmt::format("{} is not a PEM private key", what)));
    }
    return key;
}

std::string pemOf(X509* cert) {
    Owned<BIO> bio(BIO_new(BIO_s_mem()));
    PEM_write_bio_X509(bio.get(), cert);
    char* data = nullptr;
    const long n = BIO_get_mem_data(bio.get(), &data);
    return std::string(data, static_cast<std::size_t>(n));
}

Expected<void> addExtension(X509* cert, int nid, const char* value, X509* issuer) {
    X509V3_CTX ctx;
    X509V3_set_ctx_nodb(&ctx);
    X509V3_set_ctx(&ctx, issuer != nullptr ? issuer : cert, cert, nullptr, nullptr, 0);
    X509_EXTENSION* ext = X509V3_EXT_conf_nid(nullptr, &ctx, nid, value);
    if (ext == nullptr || X509_add_ext(cert, ext, -1) != 1) {
        X509_EXTENSION_free(ext);
        return fail(ErrorCode::Crypto,
                    opensslError(fmt::format("cannot add the certificate extension '{}'", value)));
    }
    X509_EXTENSION_free(ext);
    return {};
}

Expected<Owned<X509>> makeCertificate(EVP_PKEY* subjectKey, X509_NAME* subject, X509* issuer,
                                      EVP_PKEY* issuerKey, long notBeforeSeconds, int days,
                                      const std::vector<std::pair<int, std::string>>& extensions) {
    Owned<X509> cert(X509_new());
    Owned<BIGNUM> serial(BN_new());
    if (!cert || !serial || BN_rand(serial.get(), 127, BN_RAND_TOP_ANY, BN_RAND_BOTTOM_ANY) != 1 ||
        X509_set_version(cert.get(), 2) != 1 ||
        BN_to_ASN1_INTEGER(serial.get(), X509_get_serialNumber(cert.get())) == nullptr ||
        X509_gmtime_adj(X509_getm_notBefore(cert.get()), notBeforeSeconds) == nullptr ||
        X509_gmtime_adj(X509_getm_notAfter(cert.get()), 60L * 60 * 24 * days) == nullptr ||
        X509_set_subject_name(cert.get(), subject) != 1 ||
        X509_set_issuer_name(cert.get(), issuer ? X509_get_subject_name(issuer) : subject) != 1 ||
        X509_set_pubkey(cert.get(), subjectKey) != 1) {
        return fail(ErrorCode::Crypto, opensslError("cannot build a certificate"));
    }
    for (const auto& [nid, value] : extensions) {
        if (auto added = addExtension(cert.get(), nid, value.c_str(), issuer); !added) {
            return tl::unexpected(added.error());
        }
    }
    if (X509_sign(cert.get(), issuerKey, EVP_sha256()) == 0) {
        return fail(ErrorCode::Crypto, opensslError("cannot sign a certificate"));
    }
    return cert;
}

std::string certificateSha256(X509* cert) {
    unsigned char md[EVP_MAX_MD_SIZE];
    unsigned int len = 0;
    X509_digest(cert, EVP_sha256(), md, &len);
    return station::toHex(std::span(md, len));
}

Expected<std::string> privateKeyPem(EVP_PKEY* key) {
    Owned<BIO> bio(BIO_new(BIO_s_mem()));
    if (PEM_write_bio_PrivateKey(bio.get(), key, nullptr, nullptr, 0, nullptr, nullptr) != 1) {
        return fail(ErrorCode::Crypto, opensslError("cannot encode a private key"));
    }
    char* data = nullptr;
    const long n = BIO_get_mem_data(bio.get(), &data);
    return std::string(data, static_cast<std::size_t>(n));
}

}  // namespace examguard::archive::detail
