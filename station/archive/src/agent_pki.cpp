#include "archive/agent_pki.h"

#include <arpa/inet.h>

#include <openssl/pem.h>
#include <openssl/x509v3.h>

#include <fmt/format.h>

#include "openssl_util.h"
#include "station/crypto.h"
#include "station/file_io.h"

namespace examguard::archive {

namespace fs = std::filesystem;
using station::ErrorCode;
using station::fail;
using namespace detail;

namespace {

constexpr int kCaDays = 3650;     // as long as the station's signing certificate
constexpr int kAgentDays = 1825;  // a PC is re-enrolled when replaced, well before this
// An hour back: a PC whose clock runs a little behind still accepts the station.
constexpr long kNotBefore = -3600;

Expected<Owned<X509_NAME>> nameWithCn(const std::string& commonName, const std::string& org) {
    Owned<X509_NAME> name(X509_NAME_new());
    for (const auto& [field, value] : {std::pair{"CN", &commonName}, std::pair{"O", &org}}) {
        if (!value->empty() &&
            X509_NAME_add_entry_by_txt(name.get(), field, MBSTRING_UTF8,
                                       reinterpret_cast<const unsigned char*>(value->c_str()), -1,
                                       -1, 0) != 1) {
            return fail(ErrorCode::Invalid,
                        opensslError(fmt::format("'{}' cannot be put in a certificate", *value)));
        }
    }
    return name;
}

bool isIpAddress(const std::string& name) {
    unsigned char buf[16];
    return inet_pton(AF_INET, name.c_str(), buf) == 1 ||
           inet_pton(AF_INET6, name.c_str(), buf) == 1;
}

}  // namespace

Expected<AgentCa> AgentCa::openOrCreate(const fs::path& keyDirectory,
                                        const std::string& commonName) {
    const fs::path keyPath = keyDirectory / "agent-ca.key";
    const fs::path certPath = keyDirectory / "agent-ca.crt";
    std::error_code ec;
    AgentCa ca;
    if (fs::exists(keyPath, ec)) {
        auto key = station::readFileLimited(keyPath, 1 << 20);
        auto cert = key ? station::readFileLimited(certPath, 1 << 20) : key;
        if (!key || !cert) {
            return tl::unexpected(!key ? key.error() : cert.error());
        }
        auto parsedKey = readPrivateKey(*key, keyPath.string());
        auto parsedCert = parsedKey ? readCertificate(*cert, certPath.string())
                                    : Expected<Owned<X509>>(tl::unexpect, parsedKey.error());
        if (!parsedCert) {
            return tl::unexpected(parsedCert.error());
        }
        if (X509_check_private_key(parsedCert->get(), parsedKey->get()) != 1) {
            return fail(ErrorCode::Crypto, fmt::format("{} is not the certificate of {}",
                                                       certPath.string(), keyPath.string()));
        }
        ca.m_keyPem = std::move(*key);
        ca.m_certificatePem = std::move(*cert);
        ca.m_fingerprint = certificateSha256(parsedCert->get());
        return ca;
    }
    Owned<EVP_PKEY> key(EVP_EC_gen("P-256"));
    auto name = nameWithCn(commonName, "ExamGuard");
    if (!key || !name) {
        return !name ? tl::unexpected(name.error())
                     : fail(ErrorCode::Crypto, opensslError("cannot generate the agent CA key"));
    }
    auto cert = makeCertificate(key.get(), name->get(), nullptr, key.get(), kNotBefore, kCaDays,
                                {{NID_basic_constraints, "critical,CA:TRUE,pathlen:0"},
                                 {NID_key_usage, "critical,keyCertSign,cRLSign"},
                                 {NID_subject_key_identifier, "hash"}});
    auto keyPem = cert ? privateKeyPem(key.get()) : Expected<std::string>();
    if (!cert || !keyPem) {
        return tl::unexpected(!cert ? cert.error() : keyPem.error());
    }
    fs::create_directories(keyDirectory, ec);
    // The key first: a certificate without its key is useless, a key without its certificate is
    // refused above rather than silently replaced (agents already trust the old certificate).
    if (auto w = station::writeFileAtomically(keyPath, *keyPem, 0600); !w) {
        return tl::unexpected(w.error());
    }
    ca.m_certificatePem = pemOf(cert->get());
    if (auto w = station::writeFileAtomically(certPath, ca.m_certificatePem, 0644); !w) {
        return tl::unexpected(w.error());
    }
    ca.m_keyPem = std::move(*keyPem);
    ca.m_fingerprint = certificateSha256(cert->get());
    return ca;
}

Expected<std::string> AgentCa::issueAgentCertificate(std::string_view publicKeyPem,
                                                     const std::string& seat,
                                                     const std::string& site) const {
    Owned<BIO> bio(BIO_new_mem_buf(publicKeyPem.data(), static_cast<int>(publicKeyPem.size())));
    Owned<EVP_PKEY> subjectKey(PEM_read_bio_PUBKEY(bio.get(), nullptr, nullptr, nullptr));
    if (!subjectKey) {
        return fail(ErrorCode::BadInput, opensslError("the agent key is not a PEM public key"));
    }
    auto caKey = readPrivateKey(m_keyPem, "agent-ca.key");
    auto caCert = caKey ? readCertificate(m_certificatePem, "agent-ca.crt")
                        : Expected<Owned<X509>>(tl::unexpect, caKey.error());
    auto name = caCert ? nameWithCn("seat " + seat, site)
                       : Expected<Owned<X509_NAME>>(tl::unexpect, caCert.error());
    if (!name) {
        return tl::unexpected(name.error());
    }
    auto cert = makeCertificate(subjectKey.get(), name->get(), caCert->get(), caKey->get(),
                                kNotBefore, kAgentDays,
                                {{NID_basic_constraints, "critical,CA:FALSE"},
                                 {NID_key_usage, "critical,digitalSignature"},
                                 {NID_ext_key_usage, "clientAuth"},
                                 {NID_authority_key_identifier, "keyid:always"}});
    if (!cert) {
        return tl::unexpected(cert.error());
    }
    return pemOf(cert->get());
}

Expected<AgentCa::ServerIdentity> AgentCa::issueServerIdentity(
    const std::vector<std::string>& names, int validDays) const {
    if (names.empty()) {
        return fail(ErrorCode::Invalid, "the listener's certificate needs an address or a name");
    }
    std::string san;
    for (const auto& n : names) {
        if (n.empty() || (n.find_first_of(",:= \t\n") != std::string::npos && !isIpAddress(n))) {
            return fail(ErrorCode::Invalid, fmt::format("'{}' is not an address or a name", n));
        }
        san += fmt::format("{}{}:{}", san.empty() ? "" : ",", isIpAddress(n) ? "IP" : "DNS", n);
    }
    auto caKey = readPrivateKey(m_keyPem, "agent-ca.key");
    auto caCert = caKey ? readCertificate(m_certificatePem, "agent-ca.crt")
                        : Expected<Owned<X509>>(tl::unexpect, caKey.error());
    auto name = caCert ? nameWithCn(names.front(), "ExamGuard")
                       : Expected<Owned<X509_NAME>>(tl::unexpect, caCert.error());
    Owned<EVP_PKEY> key(EVP_EC_gen("P-256"));
    if (!name || !key) {
        return !name ? tl::unexpected(name.error())
                     : fail(ErrorCode::Crypto, opensslError("cannot generate the listener key"));
    }
    auto cert =
        makeCertificate(key.get(), name->get(), caCert->get(), caKey->get(), kNotBefore, validDays,
                        {{NID_basic_constraints, "critical,CA:FALSE"},
                         {NID_key_usage, "critical,digitalSignature"},
                         {NID_ext_key_usage, "serverAuth"},
                         {NID_subject_alt_name, san},
                         {NID_authority_key_identifier, "keyid:always"}});
    auto keyPem = cert ? privateKeyPem(key.get()) : Expected<std::string>();
    if (!cert || !keyPem) {
        return tl::unexpected(!cert ? cert.error() : keyPem.error());
    }
    return ServerIdentity{std::move(*keyPem), pemOf(cert->get())};
}

}  // namespace examguard::archive
