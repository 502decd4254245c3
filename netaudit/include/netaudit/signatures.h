#pragma once

#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include <tl/expected.hpp>

#include "netaudit/error.h"

namespace examguard::netaudit {

enum class Transport : std::uint8_t { kAny, kTcp, kUdp };

struct PortRange {
    Transport transport = Transport::kAny;
    std::uint16_t first = 0;
    std::uint16_t last = 0;
};

// One fixed byte string at an offset of a packet's payload; mask 0 bytes are "??" wildcards.
struct PayloadPart {
    std::size_t offset = 0;
    std::vector<std::uint8_t> bytes;
    std::vector<std::uint8_t> mask;
};

struct PayloadRule {
    std::string id;
    Transport transport = Transport::kAny;
    std::vector<PayloadPart> parts;  // all must match
    std::size_t exactLength = 0;     // 0: any payload length
    std::vector<PortRange> ports;    // empty: any port
};

// One remote-control application. Adding an application is adding one of these to
// schemas/remote_control_signatures.json; no code changes.
struct AppSignature {
    std::string app;          // report key, e.g. "teamviewer"
    std::string displayName;  // "TeamViewer"
    bool verified = true;     // false: facts from documentation, not confirmed on real traffic
    std::vector<std::string> ndpiProtocols;  // nDPI protocol names that mean this app
    std::vector<std::string> domains;  // suffixes ("teamviewer.com") or globs ("rs-*.rustdesk.com")
    std::vector<std::string> certSubjects;  // exact subject CN or O (case-insensitive)
    std::vector<std::string> alpnPrefixes;
    std::vector<std::string> userAgents;  // substrings of the HTTP User-Agent
    std::vector<PortRange> ports;         // weak evidence: needs an answering server
    std::vector<PayloadRule> payloads;
};

struct SignatureMatch {
    std::size_t appIndex = 0;
    std::string what;  // the matched pattern, rule id or port, for the evidence text
};

class SignatureTable {
public:
    // The table shipped in schemas/remote_control_signatures.json, embedded at build time.
    static tl::expected<SignatureTable, Error> builtin();
    static tl::expected<SignatureTable, Error> fromJson(std::string_view text);
    static tl::expected<SignatureTable, Error> fromFile(const std::string& path);

    const std::vector<AppSignature>& apps() const { return m_apps; }

    bool matchDomain(std::string_view name, SignatureMatch& out) const;
    bool matchCertSubject(std::string_view value, SignatureMatch& out) const;
    bool matchAlpn(std::string_view protocol, SignatureMatch& out) const;
    bool matchUserAgent(std::string_view userAgent, SignatureMatch& out) const;
    bool matchPort(Transport transport, std::uint16_t port, SignatureMatch& out) const;
    // `offset` receives where the first part matched (for the evidence).
    bool matchPayload(Transport transport, std::uint16_t srcPort, std::uint16_t dstPort,
                      const std::uint8_t* data, std::size_t length, SignatureMatch& out) const;

private:
    std::vector<AppSignature> m_apps;
};

}  // namespace examguard::netaudit
