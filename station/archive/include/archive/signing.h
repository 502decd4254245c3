#pragma once

#include <ctime>
#include <filesystem>
#include <memory>
#include <optional>
#include <span>
#include <string>
#include <vector>

#include "station/crypto.h"
#include "station/error.h"

namespace examguard::archive {

using station::Bytes;
using station::Expected;

// The station's signing identity lives in the station's key directory:
//   signing.key  EC P-256 private key, PEM, mode 0600
//   signing.crt  its certificate: self-signed by `keys init`, or issued by a site/authority CA
//                and installed with `keys install-cert`
//   signing.csr  a certificate signing request for that CA
//   chain.pem    optional intermediate certificates sent along in every signature
struct KeyPaths {
    std::filesystem::path key, certificate, request, chain;
    static KeyPaths in(const std::filesystem::path& keyDirectory);
};

struct KeyInitOptions {
    std::string commonName;    // e.g. "ExamGuard station 3201-001"
    std::string organization;  // the site's name
    int validDays = 3650;      // archives are kept up to six years and verified later
    bool replace = false;      // refuse to overwrite an existing key unless asked
};

struct CertificateInfo {
    std::string subject;
    std::string issuer;
    std::string notBefore, notAfter;  // ISO 8601 UTC
    std::string sha256Fingerprint;    // of the DER certificate, hex
    bool selfSigned = false;
};

Expected<CertificateInfo> initStationKeys(const std::filesystem::path& keyDirectory,
                                          const KeyInitOptions& options);
// Installs a certificate a CA issued for the station's key (and its chain); refuses one whose
// public key is not the station's.
Expected<CertificateInfo> installCertificate(const std::filesystem::path& keyDirectory,
                                             std::string_view certificatePem,
                                             std::string_view chainPem);
Expected<CertificateInfo> describeCertificatePem(std::string_view pem);

// A loaded key and certificate that sign.
class Signer {
public:
    static Expected<Signer> load(const std::filesystem::path& keyDirectory);
    Signer(Signer&&) noexcept;
    Signer& operator=(Signer&&) noexcept;
    ~Signer();

    // CMS (PKCS#7) SignedData, detached, DER: signing time and the certificate (and chain)
    // included, so a verifier needs only its trust anchor.
    Expected<Bytes> signDetached(std::span<const unsigned char> content) const;
    // A bare signature (ECDSA/SHA-256, DER) for the container seal: nothing in it but the
    // signature, so no byte of it can change without invalidating it.
    Expected<Bytes> signRaw(std::span<const unsigned char> content) const;
    std::string certificatePem() const;
    const CertificateInfo& certificate() const { return m_info; }

private:
    struct Impl;
    explicit Signer(std::unique_ptr<Impl> impl, CertificateInfo info);
    std::unique_ptr<Impl> m_impl;
    CertificateInfo m_info;
};

struct SignatureCheck {
    bool intact = false;      // the signature matches the content and the signer's certificate
    bool trusted = false;     // the signer chains to the trust anchor (false when none given)
    std::string signer;       // subject of the signing certificate, when it could be read
    std::string signingTime;  // ISO 8601 UTC, from the signed attributes
    std::string error;        // why not intact or not trusted
    Bytes signerCertificate;  // DER, when it could be read
};

// `trustPem`: the anchor (a CA certificate or the station's own self-signed certificate);
// empty: only integrity is checked. The chain is checked at the signing time, so an archive
// stays verifiable after the station certificate expires. `checkAt` (when not 0) replaces the
// signing time the station claims, e.g. with a trusted time-stamp's time.
SignatureCheck verifyDetached(std::span<const unsigned char> cmsDer,
                              std::span<const unsigned char> content, std::string_view trustPem,
                              std::time_t checkAt = 0);

// Checks a bare signature from Signer::signRaw with the certificate's public key.
bool verifyRaw(std::span<const unsigned char> certificateDer,
               std::span<const unsigned char> content, std::span<const unsigned char> signature);

// CMS EnvelopedData (AES-256-GCM content key wrapped for the recipient's certificate): personal
// data in an archive, readable only by the inspector authority.
Expected<Bytes> encryptFor(std::string_view recipientCertificatePem,
                           std::span<const unsigned char> content);
Expected<Bytes> decryptWith(std::string_view privateKeyPem, std::string_view certificatePem,
                            std::span<const unsigned char> enveloped);

}  // namespace examguard::archive
