#pragma once

#include <filesystem>
#include <string>
#include <string_view>
#include <vector>

#include "station/error.h"

namespace examguard::archive {

using station::Expected;

// The station's certificate authority for exam-PC agents (issue 8). It certifies each enrolled
// PC's report key (Ed25519, or RSA from Windows) for mutual TLS with `examguard agent serve`, and
// the listener's own short-lived key. Kept in the station's key directory, apart from the archive
// signing key:
//   agent-ca.key  EC P-256 private key, PEM, mode 0600
//   agent-ca.crt  its self-signed CA certificate: what every agent is given to check the station
class AgentCa {
public:
    // Loads the CA, creating it on first use with `commonName` (e.g. "ExamGuard agent CA 3201").
    static Expected<AgentCa> openOrCreate(const std::filesystem::path& keyDirectory,
                                          const std::string& commonName);

    const std::string& certificatePem() const { return m_certificatePem; }
    // SHA-256 of the DER CA certificate, hex.
    const std::string& fingerprint() const { return m_fingerprint; }

    // A client certificate (clientAuth) for an agent's public key, subject CN "seat <seat>".
    Expected<std::string> issueAgentCertificate(std::string_view publicKeyPem,
                                                const std::string& seat,
                                                const std::string& site) const;

    // A fresh P-256 key and a server certificate (serverAuth) for the listener, valid for
    // `names` (IP addresses or DNS names, at least one) for `validDays`.
    struct ServerIdentity {
        std::string keyPem;
        std::string certificatePem;
    };
    Expected<ServerIdentity> issueServerIdentity(const std::vector<std::string>& names,
                                                 int validDays = 30) const;

private:
    std::string m_keyPem;
    std::string m_certificatePem;
    std::string m_fingerprint;
};

}  // namespace examguard::archive
