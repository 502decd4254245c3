#include <memory>

#include <openssl/objects.h>
#include <openssl/pkcs7.h>
#include <openssl/x509.h>

#include "pkcs7.h"

namespace examguard::agent {

namespace {

std::string nameEntry(X509_NAME* name, int nid) {
    if (name == nullptr) {
        return {};
    }
    const int index = X509_NAME_get_index_by_NID(name, nid, -1);
    if (index < 0) {
        return {};
    }
    ASN1_STRING* value = X509_NAME_ENTRY_get_data(X509_NAME_get_entry(name, index));
    unsigned char* utf8 = nullptr;
    const int length = ASN1_STRING_to_UTF8(&utf8, value);
    if (length < 0) {
        return {};
    }
    std::string out(reinterpret_cast<char*>(utf8), static_cast<std::size_t>(length));
    OPENSSL_free(utf8);
    return out;
}

}  // namespace

tl::expected<std::vector<PeSigner>, std::string> pkcs7Signers(std::span<const std::uint8_t> der) {
    const unsigned char* p = der.data();
    std::unique_ptr<PKCS7, decltype(&PKCS7_free)> p7(
        d2i_PKCS7(nullptr, &p, static_cast<long>(der.size())), &PKCS7_free);
    if (!p7) {
        return tl::unexpected(std::string(" is not DER PKCS#7"));
    }
    if (!PKCS7_type_is_signed(p7.get()) || p7->d.sign == nullptr) {
        return tl::unexpected(std::string(" is PKCS#7 but not SignedData"));
    }
    STACK_OF(X509)* signers = PKCS7_get0_signers(p7.get(), nullptr, 0);
    if (signers == nullptr) {
        return tl::unexpected(std::string(": the signer's certificate is not in the SignedData"));
    }
    std::vector<PeSigner> out;
    for (int i = 0; i < sk_X509_num(signers); ++i) {
        X509* cert = sk_X509_value(signers, i);
        PeSigner s;
        s.subjectCommonName = nameEntry(X509_get_subject_name(cert), NID_commonName);
        s.subjectOrganization = nameEntry(X509_get_subject_name(cert), NID_organizationName);
        s.issuerCommonName = nameEntry(X509_get_issuer_name(cert), NID_commonName);
        out.push_back(std::move(s));
    }
    sk_X509_free(signers);
    return out;
}

}  // namespace examguard::agent
