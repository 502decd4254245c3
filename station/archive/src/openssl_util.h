#pragma once

// OpenSSL helpers shared by the archive's signing and time-stamping (internal to the library).
#include <ctime>
#include <memory>
#include <span>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include <openssl/bio.h>
#include <openssl/bn.h>
#include <openssl/cms.h>
#include <openssl/evp.h>
#include <openssl/x509.h>

#include "station/error.h"

namespace examguard::archive::detail {

using station::Expected;

struct Free {
    void operator()(EVP_PKEY* p) const { EVP_PKEY_free(p); }
    void operator()(X509* p) const { X509_free(p); }
    void operator()(X509_REQ* p) const { X509_REQ_free(p); }
    void operator()(BIO* p) const { BIO_free(p); }
    void operator()(CMS_ContentInfo* p) const { CMS_ContentInfo_free(p); }
    void operator()(X509_STORE* p) const { X509_STORE_free(p); }
    void operator()(STACK_OF(X509) * p) const { sk_X509_pop_free(p, X509_free); }
    void operator()(BIGNUM* p) const { BN_free(p); }
    void operator()(X509_NAME* p) const { X509_NAME_free(p); }
};
template <typename T>
using Owned = std::unique_ptr<T, Free>;
using Certs = std::unique_ptr<STACK_OF(X509), Free>;

// The OpenSSL error queue as one line, emptied.
std::string opensslError(std::string_view what);

// "YYYY-MM-DDThh:mm:ssZ"; empty when the time cannot be read.
std::string isoTime(const ASN1_TIME* time);

std::string nameText(const X509_NAME* name);

Expected<Owned<X509>> readCertificate(std::string_view pem, std::string_view what);

// Every certificate in a PEM text (none is fine).
Expected<Certs> readCertificates(std::string_view pem, std::string_view what);

// DER CMS SignedData with nothing after it; null with `error` set otherwise.
Owned<CMS_ContentInfo> parseCms(std::span<const unsigned char> der, std::string& error);

Expected<Owned<EVP_PKEY>> readPrivateKey(std::string_view pem, std::string_view what);
std::string pemOf(X509* cert);
Expected<std::string> privateKeyPem(EVP_PKEY* key);
// An X.509 v3 extension in OpenSSL's configuration syntax ("critical,CA:TRUE"); `issuer` (the
// certificate itself when null) is what authorityKeyIdentifier refers to.
Expected<void> addExtension(X509* cert, int nid, const char* value, X509* issuer = nullptr);
// A v3 certificate with a random 127-bit serial for `subjectKey`, signed with SHA-256 by
// `issuerKey` (self-signed when `issuer` is null), valid from now + notBeforeSeconds for `days`.
Expected<Owned<X509>> makeCertificate(EVP_PKEY* subjectKey, X509_NAME* subject, X509* issuer,
                                      EVP_PKEY* issuerKey, long notBeforeSeconds, int days,
                                      const std::vector<std::pair<int, std::string>>& extensions);
// SHA-256 of the DER certificate, hex.
std::string certificateSha256(X509* cert);

}  // namespace examguard::archive::detail
