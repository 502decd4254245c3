#pragma once

// ONVIF camera discovery, so a site does not type stream URLs by hand: WS-Discovery (a SOAP
// Probe for NetworkVideoTransmitter over UDP multicast 239.255.255.250:3702), then the camera's
// device service (GetCapabilities → media service) and media service (GetProfiles,
// GetStreamUri) over HTTP with WS-Security UsernameToken digest authentication.
//
// Every reply comes from the LAN and is untrusted: the parsers take bytes, never throw, bound
// what they keep, and name what was wrong.
#include <chrono>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "station/error.h"

namespace examguard::station::onvif {

struct ProbeMatch {
    std::string address;              // endpoint reference, e.g. urn:uuid:…
    std::vector<std::string> xaddrs;  // device service URLs (http/https only)
    std::vector<std::string> scopes;  // onvif://www.onvif.org/name/…, …/hardware/…
    std::string types;
};

// The Probe for NetworkVideoTransmitters, with `messageId` (urn:uuid:…) as its MessageID.
std::string probeMessage(std::string_view messageId);

// The ProbeMatches of one datagram that answers `messageId` (RelatesTo must equal it). Not XML,
// not SOAP, another message, or an answer to another probe: BadInput saying which.
Expected<std::vector<ProbeMatch>> parseProbeMatches(std::string_view xml,
                                                    std::string_view messageId);

// A scope's value for a key such as "name" or "hardware" (percent-decoded), empty if absent.
std::string scopeValue(const ProbeMatch& match, std::string_view key);

struct Credentials {
    std::string user;
    std::string password;  // never logged or printed
};

// SOAP requests; with credentials they carry a WS-Security UsernameToken (PasswordDigest =
// base64(SHA-1(nonce + created + password))) made with a fresh random nonce and `created`.
std::string getCapabilitiesRequest(const std::optional<Credentials>& credentials,
                                   std::string_view created);
std::string getProfilesRequest(const std::optional<Credentials>& credentials,
                               std::string_view created);
std::string getStreamUriRequest(std::string_view profileToken,
                                const std::optional<Credentials>& credentials,
                                std::string_view created);

struct Profile {
    std::string token;
    std::string name;
    std::string encoding;  // H264, H265, JPEG…; empty when the profile has no video encoder
    int width = 0;
    int height = 0;
    std::string streamUri;  // filled by discoverStreams; user info removed
};

// Replies of the device and media services. A SOAP Fault is an error carrying its reason.
Expected<std::string> parseMediaAddress(std::string_view xml);
Expected<std::vector<Profile>> parseProfiles(std::string_view xml);
Expected<std::string> parseStreamUri(std::string_view xml);

// "rtsp://user:pw@host/x" → "rtsp://host/x": stream URIs are shown and stored without
// credentials.
std::string withoutUserInfo(std::string_view uri);

struct DiscoveredCamera {
    ProbeMatch match;
    std::string from;  // IPv4 address the answer came from
    std::vector<Profile> profiles;
    std::string error;  // why the profiles could not be read; empty when they were
};

struct DiscoveryOptions {
    std::chrono::milliseconds wait{3000};
    std::string target = "239.255.255.250";  // or one camera's address (unicast probe)
    std::string interfaceAddress;            // IPv4 of the interface to send from; empty: default
    std::optional<Credentials> credentials;
};

// Probes, collects answers until `wait` has passed, then asks each camera for its streams.
// Only device-service URLs on the address the answer came from are contacted, so a forged
// answer cannot send the credentials elsewhere. Io when the socket cannot be used.
Expected<std::vector<DiscoveredCamera>> discover(const DiscoveryOptions& options);

}  // namespace examguard::station::onvif
