#pragma once

#include <cstddef>
#include <cstdint>
#include <string>
#include <vector>

#include "netaudit/anomaly.h"
#include "proto/http/http.h"

namespace examguard::netaudit::proto {

struct TlsClientHello {
    std::uint16_t recordVersion = 0;
    std::string serverName;         // SNI host_name
    std::vector<std::string> alpn;  // protocol names in offered order
};

struct TlsServerHandshake {
    bool sawServerHello = false;
    std::string certCommonName;    // subject CN of the first (leaf) certificate
    std::string certOrganization;  // subject O
};

// Reassembled client stream starting with TLS records. A ClientHello spread over several TCP
// segments or several records gives kNeedMore until all its bytes are present.
ParseStatus parseTlsClientHello(const std::uint8_t* data, std::size_t length, TlsClientHello& out,
                                AnomalyCounters& anomalies);

// Reassembled server stream: kOk once the leaf certificate's subject is read (TLS <= 1.2);
// kNotThisProtocol when the stream is not TLS or the certificate is encrypted (TLS 1.3).
ParseStatus parseTlsServerHandshake(const std::uint8_t* data, std::size_t length,
                                    TlsServerHandshake& out, AnomalyCounters& anomalies);

// Subject CN and O of a DER X.509 certificate.
bool parseCertificateSubject(const std::uint8_t* der, std::size_t length, std::string& commonName,
                             std::string& organization);

}  // namespace examguard::netaudit::proto
