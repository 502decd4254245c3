#include "archive/signing.h"

#include <openssl/bio.h>
#include <openssl/cms.h>
#include <openssl/err.h>
#include <openssl/evp.h>
#include <openssl/pem.h>
#include <openssl/rand.h>
#include <openssl/x509.h>
#include <openssl/x509v3.h>

#include <fmt/format.h>

#include "openssl_util.h"
#include "station/file_io.h"

namespace examguard::archive {

namespace fs = std::filesystem;
using station::ErrorCode;
using station::fail;
using namespace detail;

namespace {

CertificateInfo describe(X509* cert) {
    CertificateInfo info;
    info.subject = nameText(X509_get_subject_name(cert));
    info.issuer = nameText(X509_get_issuer_name(cert));
    info.notBefore = isoTime(X509_get0_notBefore(cert));
    info.notAfter = isoTime(X509_get0_notAfter(cert));
    info.sha256Fingerprint = certificateSha256(cert);
    info.selfSigned = X509_check_issued(cert, cert) == X509_V_OK;
    return info;
}

Expected<Owned<X509_NAME>> subjectName(const KeyInitOptions& options) {
    Owned<X509_NAME> name(X509_NAME_new());
    auto add = [&](const char* field, const std::string& value) {
        return value.empty() ||
               X509_NAME_add_entry_by_txt(name.get(), field, MBSTRING_UTF8,
                                          reinterpret_cast<const unsigned char*>(value.c_str()), -1,
                                          -1, 0) == 1;
    };
    if (options.commonName.empty()) {
        return fail(ErrorCode::Invalid, "the station certificate needs a common name");
    }
    if (!add("CN", options.commonName) || !add("O", options.organization)) {
        return fail(ErrorCode::Invalid, opensslError("the certificate subject is not valid"));
    }
    return name;
}

// Self-signed, it is its own trust anchor: an inspector trusts exactly this certificate.
Expected<Owned<X509>> selfSignedCertificate(EVP_PKEY* key, X509_NAME* name, int days) {
    return makeCertificate(key, name, nullptr, key, 0, days,
                           {{NID_basic_constraints, "critical,CA:FALSE"},
                            {NID_key_usage, "critical,digitalSignature,nonRepudiation"},
                            {NID_subject_key_identifier, "hash"}});
}

Expected<std::string> requestPem(EVP_PKEY* key, X509_NAME* name) {
    Owned<X509_REQ> req(X509_REQ_new());
    if (!req || X509_REQ_set_version(req.get(), 0) != 1 ||
        X509_REQ_set_subject_name(req.get(), name) != 1 ||
        X509_REQ_set_pubkey(req.get(), key) != 1 ||
        X509_REQ_sign(req.get(), key, EVP_sha256()) == 0) {
        return fail(ErrorCode::Crypto, opensslError("cannot build the certificate request"));
    }
    Owned<BIO> bio(BIO_new(BIO_s_mem()));
    PEM_write_bio_X509_REQ(bio.get(), req.get());
    char* data = nullptr;
    const long n = BIO_get_mem_data(bio.get(), &data);
    return std::string(data, static_cast<std::size_t>(n));
}

Expected<std::string> readSmallFile(const fs::path& path) {
    return station::readFileLimited(path, 1 << 20);
}

// Signing time from the one signer's signed attributes; 0 when absent.
std::time_t signingTimeOf(CMS_ContentInfo* cms, std::string& iso) {
    STACK_OF(CMS_SignerInfo)* signers = CMS_get0_SignerInfos(cms);
    if (signers == nullptr || sk_CMS_SignerInfo_num(signers) != 1) {
        return 0;
    }
    CMS_SignerInfo* si = sk_CMS_SignerInfo_value(signers, 0);
    const int at = CMS_signed_get_attr_by_NID(si, NID_pkcs9_signingTime, -1);
    if (at < 0) {
        return 0;
    }
    X509_ATTRIBUTE* attr = CMS_signed_get_attr(si, at);
    ASN1_TYPE* value = X509_ATTRIBUTE_get0_type(attr, 0);
    if (value == nullptr ||
        (value->type != V_ASN1_UTCTIME && value->type != V_ASN1_GENERALIZEDTIME)) {
        return 0;
    }
    const ASN1_TIME* time = value->value.asn1_string;
    std::tm tm{};
    if (ASN1_TIME_to_tm(time, &tm) != 1) {
        return 0;
    }
    iso = isoTime(time);
    return timegm(&tm);
}

SignatureCheck verifyWith(std::span<const unsigned char> cmsDer, BIO* content,
                          std::string_view trustPem, std::time_t checkAt) {
    SignatureCheck check;
    auto cms = parseCms(cmsDer, check.error);
    if (!cms) {
        return check;
    }
    STACK_OF(CMS_SignerInfo)* signers = CMS_get0_SignerInfos(cms.get());
    if (signers == nullptr || sk_CMS_SignerInfo_num(signers) != 1) {
        check.error = "the signature must have exactly one signer";
        return check;
    }
    Certs signerCerts(CMS_get1_certs(cms.get()));
    X509* signerCert = nullptr;
    CMS_SignerInfo* si = sk_CMS_SignerInfo_value(signers, 0);
    for (int i = 0; signerCerts && i < sk_X509_num(signerCerts.get()); ++i) {
        if (CMS_SignerInfo_cert_cmp(si, sk_X509_value(signerCerts.get(), i)) == 0) {
            signerCert = sk_X509_value(signerCerts.get(), i);
        }
    }
    if (signerCert == nullptr) {
        check.error = "the signature does not carry its signer's certificate";
        return check;
    }
    check.signer = nameText(X509_get_subject_name(signerCert));
    unsigned char* der = nullptr;
    const int derLength = i2d_X509(signerCert, &der);
    if (derLength > 0) {
        check.signerCertificate.assign(der, der + derLength);
        OPENSSL_free(der);
    }
    const std::time_t claimed = signingTimeOf(cms.get(), check.signingTime);
    const std::time_t signedAt = checkAt != 0 ? checkAt : claimed;

    // First the content against the signature alone, then the chain: the two answers are
    // reported separately (a forged archive vs. an untrusted signer).
    Owned<X509_STORE> store(X509_STORE_new());
    const bool haveAnchor = !trustPem.empty();
    unsigned int flags = CMS_BINARY | CMS_NO_SIGNER_CERT_VERIFY;
    if (CMS_verify(cms.get(), nullptr, store.get(), content, nullptr, flags) != 1) {
        check.error = opensslError("the signature does not match the signed content");
        return check;
    }
    check.intact = true;
    if (!haveAnchor) {
        check.error = "no trust anchor given: the signer was not checked";
        return check;
    }
    auto anchors = readCertificates(trustPem, "the trust anchor");
    if (!anchors || sk_X509_num(anchors->get()) == 0) {
        check.error =
            anchors ? "the trust anchor file holds no certificate" : anchors.error().detail;
        return check;
    }
    for (int i = 0; i < sk_X509_num(anchors->get()); ++i) {
        X509_STORE_add_cert(store.get(), sk_X509_value(anchors->get(), i));
    }
    X509_STORE_CTX* ctx = X509_STORE_CTX_new();
    X509_STORE_CTX_init(ctx, store.get(), signerCert, signerCerts.get());
    X509_STORE_CTX_set_purpose(ctx, X509_PURPOSE_ANY);
    if (signedAt != 0) {
        // Checked when it signed: the archive outlives the certificate.
        X509_STORE_CTX_set_time(ctx, 0, signedAt);
    }
    const int ok = X509_verify_cert(ctx);
    if (ok != 1) {
        check.error =
            fmt::format("the signer {} does not chain to the trust anchor: {}", check.signer,
                        X509_verify_cert_error_string(X509_STORE_CTX_get_error(ctx)));
    } else {
        check.trusted = true;
        check.error.clear();
    }
    X509_STORE_CTX_free(ctx);
    ERR_clear_error();
    return check;
}

}  // namespace

KeyPaths KeyPaths::in(const fs::path& dir) {
    return {dir / "signing.key", dir / "signing.crt", dir / "signing.csr", dir / "chain.pem"};
}

Expected<CertificateInfo> initStationKeys(const fs::path& keyDirectory,
                                          const KeyInitOptions& options) {
    const auto paths = KeyPaths::in(keyDirectory);
    std::error_code ec;
    if (fs::exists(paths.key, ec) && !options.replace) {
        return fail(ErrorCode::Conflict,
                    fmt::format("the station already has a signing key ({}); archives it sealed "
                                "are verified with its certificate — replace it only on purpose",
                                paths.key.string()));
    }
    if (options.validDays < 1 || options.validDays > 36500) {
        return fail(ErrorCode::Invalid, "certificate validity must be 1 to 36500 days");
    }
    auto name = subjectName(options);
    if (!name) {
        return tl::unexpected(name.error());
    }
    Owned<EVP_PKEY> key(EVP_EC_gen("P-256"));
    if (!key) {
        return fail(ErrorCode::Crypto, opensslError("cannot generate the station key"));
    }
    auto cert = selfSignedCertificate(key.get(), name->get(), options.validDays);
    auto csr = cert ? requestPem(key.get(), name->get()) : Expected<std::string>();
    auto keyPem = privateKeyPem(key.get());
    if (!cert || !csr || !keyPem) {
        return tl::unexpected(!cert ? cert.error() : !csr ? csr.error() : keyPem.error());
    }
    fs::create_directories(keyDirectory, ec);
    fs::permissions(keyDirectory, fs::perms::owner_all, fs::perm_options::replace, ec);
    // The key first: a certificate without its key would be useless, the reverse is repaired by
    // running init again.
    for (const auto& [path, text, mode] :
         {std::tuple{paths.key, *keyPem, 0600u}, std::tuple{paths.request, *csr, 0644u},
          std::tuple{paths.certificate, pemOf(cert->get()), 0644u}}) {
        if (auto written = station::writeFileAtomically(path, text, mode); !written) {
            return tl::unexpected(written.error());
        }
    }
    fs::remove(paths.chain, ec);
    return describe(cert->get());
}

Expected<CertificateInfo> describeCertificatePem(std::string_view pem) {
    auto cert = readCertificate(pem, "the certificate");
    if (!cert) {
        return tl::unexpected(cert.error());
    }
    return describe(cert->get());
}

Expected<CertificateInfo> installCertificate(const fs::path& keyDirectory,
                                             std::string_view certificatePem,
                                             std::string_view chainPem) {
    const auto paths = KeyPaths::in(keyDirectory);
    auto keyText = readSmallFile(paths.key);
    if (!keyText) {
        return fail(ErrorCode::NotFound, "the station has no signing key yet: run `keys init`");
    }
    auto key = readPrivateKey(*keyText, paths.key.string());
    auto cert = readCertificate(certificatePem, "the certificate");
    if (!key || !cert) {
        return tl::unexpected(!key ? key.error() : cert.error());
    }
    if (X509_check_private_key(cert->get(), key->get()) != 1) {
        ERR_clear_error();
        return fail(ErrorCode::Invalid,
                    "the certificate was not issued for this station's key (its public key "
                    "differs); issue it from the request in signing.csr");
    }
    auto chain = readCertificates(chainPem, "the chain");
    if (!chain) {
        return tl::unexpected(chain.error());
    }
    if (auto written = station::writeFileAtomically(paths.certificate, pemOf(cert->get()));
        !written) {
        return tl::unexpected(written.error());
    }
    std::string chainText;
    for (int i = 0; i < sk_X509_num(chain->get()); ++i) {
        chainText += pemOf(sk_X509_value(chain->get(), i));
    }
    std::error_code ec;
    if (chainText.empty()) {
        fs::remove(paths.chain, ec);
    } else if (auto written = station::writeFileAtomically(paths.chain, chainText); !written) {
        return tl::unexpected(written.error());
    }
    return describe(cert->get());
}

struct Signer::Impl {
    Owned<EVP_PKEY> key;
    Owned<X509> cert;
    Certs chain;
};

Signer::Signer(std::unique_ptr<Impl> impl, CertificateInfo info)
    : m_impl(std::move(impl)), m_info(std::move(info)) {}
Signer::Signer(Signer&&) noexcept = default;
Signer& Signer::operator=(Signer&&) noexcept = default;
Signer::~Signer() = default;

Expected<Signer> Signer::load(const fs::path& keyDirectory) {
    const auto paths = KeyPaths::in(keyDirectory);
    auto keyText = readSmallFile(paths.key);
    auto certText = readSmallFile(paths.certificate);
    if (!keyText || !certText) {
        return fail(ErrorCode::NotFound,
                    fmt::format("the station has no signing key and certificate in {}: run "
                                "`examguard keys init` first",
                                keyDirectory.string()));
    }
    auto impl = std::make_unique<Impl>();
    auto key = readPrivateKey(*keyText, paths.key.string());
    auto cert = readCertificate(*certText, paths.certificate.string());
    if (!key || !cert) {
        return tl::unexpected(!key ? key.error() : cert.error());
    }
    if (X509_check_private_key(cert->get(), key->get()) != 1) {
        ERR_clear_error();
        return fail(ErrorCode::Crypto, fmt::format("{} does not belong to the key {}",
                                                   paths.certificate.string(), paths.key.string()));
    }
    std::string chainText;
    if (std::error_code ec; fs::exists(paths.chain, ec)) {
        auto text = readSmallFile(paths.chain);
        if (!text) {
            return tl::unexpected(text.error());
        }
        chainText = *text;
    }
    auto chain = readCertificates(chainText, paths.chain.string());
    if (!chain) {
        return tl::unexpected(chain.error());
    }
    impl->key = std::move(*key);
    impl->cert = std::move(*cert);
    impl->chain = std::move(*chain);
    auto info = describe(impl->cert.get());
    return Signer(std::move(impl), std::move(info));
}

std::string Signer::certificatePem() const {
    return pemOf(m_impl->cert.get());
}

Expected<Bytes> Signer::signDetached(std::span<const unsigned char> content) const {
    Owned<BIO> in(BIO_new_mem_buf(content.data(), static_cast<int>(content.size())));
    Owned<CMS_ContentInfo> cms(CMS_sign(m_impl->cert.get(), m_impl->key.get(), m_impl->chain.get(),
                                        in.get(), CMS_DETACHED | CMS_BINARY));
    if (!cms) {
        return fail(ErrorCode::Crypto, opensslError("cannot sign"));
    }
    unsigned char* der = nullptr;
    const int n = i2d_CMS_ContentInfo(cms.get(), &der);
    if (n <= 0) {
        return fail(ErrorCode::Crypto, opensslError("cannot encode the signature"));
    }
    Bytes out(der, der + n);
    OPENSSL_free(der);
    return out;
}

Expected<Bytes> Signer::signRaw(std::span<const unsigned char> content) const {
    std::unique_ptr<EVP_MD_CTX, decltype(&EVP_MD_CTX_free)> ctx(EVP_MD_CTX_new(), EVP_MD_CTX_free);
    std::size_t length = 0;
    if (!ctx ||
        EVP_DigestSignInit(ctx.get(), nullptr, EVP_sha256(), nullptr, m_impl->key.get()) != 1 ||
        EVP_DigestSign(ctx.get(), nullptr, &length, content.data(), content.size()) != 1) {
        return fail(ErrorCode::Crypto, opensslError("cannot sign"));
    }
    Bytes signature(length);
    if (EVP_DigestSign(ctx.get(), signature.data(), &length, content.data(), content.size()) != 1) {
        return fail(ErrorCode::Crypto, opensslError("cannot sign"));
    }
    signature.resize(length);
    return signature;
}

bool verifyRaw(std::span<const unsigned char> certificateDer,
               std::span<const unsigned char> content, std::span<const unsigned char> signature) {
    const unsigned char* p = certificateDer.data();
    Owned<X509> cert(d2i_X509(nullptr, &p, static_cast<long>(certificateDer.size())));
    EVP_PKEY* key = cert ? X509_get0_pubkey(cert.get()) : nullptr;
    std::unique_ptr<EVP_MD_CTX, decltype(&EVP_MD_CTX_free)> ctx(EVP_MD_CTX_new(), EVP_MD_CTX_free);
    const bool ok = key != nullptr && ctx &&
                    EVP_DigestVerifyInit(ctx.get(), nullptr, EVP_sha256(), nullptr, key) == 1 &&
                    EVP_DigestVerify(ctx.get(), signature.data(), signature.size(), content.data(),
                                     content.size()) == 1;
    ERR_clear_error();
    return ok;
}

SignatureCheck verifyDetached(std::span<const unsigned char> cmsDer,
                              std::span<const unsigned char> content, std::string_view trustPem,
                              std::time_t checkAt) {
    Owned<BIO> in(BIO_new_mem_buf(content.data(), static_cast<int>(content.size())));
    return verifyWith(cmsDer, in.get(), trustPem, checkAt);
}

Expected<Bytes> encryptFor(std::string_view recipientCertificatePem,
                           std::span<const unsigned char> content) {
    auto cert = readCertificate(recipientCertificatePem, "the authority certificate");
    if (!cert) {
        return tl::unexpected(cert.error());
    }
    Certs recipients(sk_X509_new_null());
    X509_up_ref(cert->get());
    sk_X509_push(recipients.get(), cert->get());
    Owned<BIO> in(BIO_new_mem_buf(content.data(), static_cast<int>(content.size())));
    Owned<CMS_ContentInfo> cms(
        CMS_encrypt(recipients.get(), in.get(), EVP_aes_256_gcm(), CMS_BINARY));
    if (!cms) {
        return fail(ErrorCode::Crypto, opensslError("cannot encrypt for the authority"));
    }
    unsigned char* der = nullptr;
    const int n = i2d_CMS_ContentInfo(cms.get(), &der);
    if (n <= 0) {
        return fail(ErrorCode::Crypto, opensslError("cannot encode the encrypted data"));
    }
    Bytes out(der, der + n);
    OPENSSL_free(der);
    return out;
}

Expected<Bytes> decryptWith(std::string_view privateKeyPem, std::string_view certificatePem,
                            std::span<const unsigned char> enveloped) {
    auto key = readPrivateKey(privateKeyPem, "the authority key");
    auto cert = readCertificate(certificatePem, "the authority certificate");
    if (!key || !cert) {
        return tl::unexpected(!key ? key.error() : cert.error());
    }
    const unsigned char* p = enveloped.data();
    Owned<CMS_ContentInfo> cms(
        d2i_CMS_ContentInfo(nullptr, &p, static_cast<long>(enveloped.size())));
    if (!cms) {
        return fail(ErrorCode::BadInput, opensslError("the personal data is not a CMS structure"));
    }
    Owned<BIO> out(BIO_new(BIO_s_mem()));
    if (CMS_decrypt(cms.get(), key->get(), cert->get(), nullptr, out.get(), CMS_BINARY) != 1) {
        return fail(ErrorCode::Crypto,
                    opensslError("cannot decrypt the personal data with this key"));
    }
    char* data = nullptr;
    const long n = BIO_get_mem_data(out.get(), &data);
    return Bytes(data, data + n);
}

}  // namespace examguard::archive
