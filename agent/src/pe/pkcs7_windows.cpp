// Authenticode signer names on Windows through crypt32 (Debian has no OpenSSL for mingw-w64):
// the PKCS#7 blob is decoded as a message, each signer's certificate found in the message's own
// store, and its names read. Windows builds only.
#include <windows.h>
// after windows.h
#include <wincrypt.h>

#include "agent/windows_backend.h"
#include "pkcs7.h"

namespace examguard::agent {

namespace {

std::string certName(PCCERT_CONTEXT cert, DWORD flags, const char* oid) {
    wchar_t buffer[1024] = {};
    const DWORD n =
        CertGetNameStringW(cert, CERT_NAME_ATTR_TYPE, flags, const_cast<char*>(oid), buffer, 1024);
    return n > 1 ? windowshost::narrow(buffer) : std::string();
}

}  // namespace

tl::expected<std::vector<PeSigner>, std::string> pkcs7Signers(std::span<const std::uint8_t> der) {
    if (der.size() > 64u * 1024 * 1024) {
        return tl::unexpected(std::string(" is too large"));
    }
    HCRYPTMSG msg =
        CryptMsgOpenToDecode(X509_ASN_ENCODING | PKCS_7_ASN_ENCODING, 0, 0, 0, nullptr, nullptr);
    if (msg == nullptr || !CryptMsgUpdate(msg, der.data(), static_cast<DWORD>(der.size()), TRUE)) {
        if (msg != nullptr) {
            CryptMsgClose(msg);
        }
        return tl::unexpected(std::string(" is not DER PKCS#7"));
    }
    DWORD type = 0, size = sizeof type;
    if (!CryptMsgGetParam(msg, CMSG_TYPE_PARAM, 0, &type, &size) || type != CMSG_SIGNED) {
        CryptMsgClose(msg);
        return tl::unexpected(std::string(" is PKCS#7 but not SignedData"));
    }
    HCERTSTORE store =
        CertOpenStore(CERT_STORE_PROV_MSG, X509_ASN_ENCODING | PKCS_7_ASN_ENCODING, 0, 0, msg);
    DWORD count = 0;
    size = sizeof count;
    CryptMsgGetParam(msg, CMSG_SIGNER_COUNT_PARAM, 0, &count, &size);
    std::vector<PeSigner> out;
    for (DWORD i = 0; store != nullptr && i < count && i < 16; ++i) {
        DWORD infoSize = 0;
        if (!CryptMsgGetParam(msg, CMSG_SIGNER_CERT_INFO_PARAM, i, nullptr, &infoSize) ||
            infoSize == 0 || infoSize > (1u << 20)) {
            continue;
        }
        std::vector<unsigned char> info(infoSize);
        if (!CryptMsgGetParam(msg, CMSG_SIGNER_CERT_INFO_PARAM, i, info.data(), &infoSize)) {
            continue;
        }
        PCCERT_CONTEXT cert = CertFindCertificateInStore(
            store, X509_ASN_ENCODING | PKCS_7_ASN_ENCODING, 0, CERT_FIND_SUBJECT_CERT,
            reinterpret_cast<PCERT_INFO>(info.data()), nullptr);
        if (cert == nullptr) {
            continue;
        }
        PeSigner s;
        s.subjectCommonName = certName(cert, 0, szOID_COMMON_NAME);
        s.subjectOrganization = certName(cert, 0, szOID_ORGANIZATION_NAME);
        s.issuerCommonName = certName(cert, CERT_NAME_ISSUER_FLAG, szOID_COMMON_NAME);
        out.push_back(std::move(s));
        CertFreeCertificateContext(cert);
    }
    if (store != nullptr) {
        CertCloseStore(store, 0);
    }
    CryptMsgClose(msg);
    if (out.empty()) {
        return tl::unexpected(std::string(": the signer's certificate is not in the SignedData"));
    }
    return out;
}

}  // namespace examguard::agent
