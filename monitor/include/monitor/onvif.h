#pragma once

// ONVIF camera discovery: a WS-Discovery Probe for NetworkVideoTransmitter devices, sent to the
// multicast group 239.255.255.250:3702 (or one address, for a known subnet or a test), and the
// ProbeMatches replies parsed with a tolerant XML reader (any namespace prefixes; no DTDs, no
// external entities). Replies are untrusted: lengths and counts are bounded, XAddrs must be
// http(s) URLs.
#include <atomic>
#include <chrono>
#include <string>
#include <string_view>
#include <vector>

#include <tl/expected.hpp>

namespace examguard::monitor {

struct DiscoveredDevice {
    std::string endpoint;             // wsa:EndpointReference/Address, e.g. urn:uuid:...
    std::vector<std::string> xaddrs;  // device service URLs (http://host/onvif/device_service)
    std::vector<std::string> types;   // e.g. dn:NetworkVideoTransmitter
    std::vector<std::string> scopes;  // onvif://www.onvif.org/... as sent
    // From the scopes (percent-decoded): onvif://www.onvif.org/name/..., /hardware/...,
    // /location/...
    std::string name;
    std::string hardware;
    std::string location;
    std::string from;  // the replying address (host:port)
};

// The Probe message with this MessageID (urn:uuid:...).
std::string probeMessage(std::string_view messageId);

// The ProbeMatch entries of one reply. With `relatesTo`, a reply whose RelatesTo names another
// probe is refused. An error names what is wrong ("not XML", "not a ProbeMatches reply", ...).
tl::expected<std::vector<DiscoveredDevice>, std::string> parseProbeMatches(
    std::string_view xml, std::string_view relatesTo = {});

struct DiscoveryOptions {
    std::chrono::milliseconds timeout{3000};
    std::string target = "239.255.255.250:3702";  // IPv4 host:port
};

struct DiscoveryResult {
    std::vector<DiscoveredDevice> devices;  // one per endpoint, in order of first reply
    int badReplies = 0;                     // replies that were not a valid ProbeMatches
};

// Sends one Probe and collects replies until the timeout (or `stop`).
tl::expected<DiscoveryResult, std::string> discover(const DiscoveryOptions& options,
                                                    const std::atomic<bool>* stop = nullptr);

}  // namespace examguard::monitor

namespace examguard::monitor {

// ONVIF Media: a camera's stream profiles and their RTSP URIs, read over SOAP/HTTP from its
// device service (GetCapabilities -> Media XAddr -> GetProfiles -> GetStreamUri), with a
// WS-Security UsernameToken (password digest) when a user is given.
struct StreamProfile {
    std::string token;
    std::string name;
    std::string encoding;  // H264, H265, JPEG, ...
    int width = 0;
    int height = 0;
    std::string uri;  // rtsp://...; empty when the camera refused
};

struct OnvifCredentials {
    std::string user;  // empty: no WS-Security header
    std::string password;
};

// The <Security> header: PasswordDigest = Base64(SHA-1(nonce + created + password)).
std::string usernameTokenHeader(const OnvifCredentials& credentials, std::string_view nonce,
                                std::string_view created);

// Parsers of the three replies; a SOAP Fault is an error naming its reason.
tl::expected<std::string, std::string> parseMediaXAddr(std::string_view xml);
tl::expected<std::vector<StreamProfile>, std::string> parseProfiles(std::string_view xml);
tl::expected<std::string, std::string> parseStreamUri(std::string_view xml);

// The whole exchange with one camera's device service URL (http or https).
tl::expected<std::vector<StreamProfile>, std::string> readStreamProfiles(
    const std::string& deviceXAddr, const OnvifCredentials& credentials,
    std::chrono::milliseconds timeout);

}  // namespace examguard::monitor
