#include "station/onvif.h"

#include <arpa/inet.h>
#include <netinet/in.h>
#include <poll.h>
#include <sys/socket.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <cstring>
#include <initializer_list>
#include <map>

#include <fmt/chrono.h>
#include <fmt/format.h>
#include <fmt/ranges.h>
#include <openssl/evp.h>
#include <pugixml.hpp>

#include "station/crypto.h"
#include "station/markup.h"
#include "station/platform/platform_client.h"

namespace examguard::station::onvif {

namespace {

constexpr std::size_t kMaxReplyBytes = 1 << 20;
constexpr std::size_t kMaxText = 2048;  // longest URI, token or name kept
constexpr std::size_t kMaxMatches = 64;
constexpr std::size_t kMaxProfiles = 64;
constexpr std::size_t kMaxCameras = 256;

std::string_view localName(const char* name) {
    const std::string_view s(name);
    const auto colon = s.find(':');
    return colon == std::string_view::npos ? s : s.substr(colon + 1);
}

pugi::xml_node child(pugi::xml_node node, std::string_view local) {
    for (auto c : node.children()) {
        if (c.type() == pugi::node_element && localName(c.name()) == local) {
            return c;
        }
    }
    return {};
}

pugi::xml_node path(pugi::xml_node node, std::initializer_list<std::string_view> names) {
    for (auto name : names) {
        node = child(node, name);
    }
    return node;
}

// Element text, trimmed; empty when too long or holding control characters (never a
// truncated URI).
std::string text(pugi::xml_node node) {
    std::string_view s = node.child_value();
    while (!s.empty() && std::isspace(static_cast<unsigned char>(s.front()))) {
        s.remove_prefix(1);
    }
    while (!s.empty() && std::isspace(static_cast<unsigned char>(s.back()))) {
        s.remove_suffix(1);
    }
    if (s.size() > kMaxText || std::any_of(s.begin(), s.end(), [](char c) {
            return static_cast<unsigned char>(c) < 0x20;
        })) {
        return {};
    }
    return std::string(s);
}

std::vector<std::string> words(const std::string& s) {
    std::vector<std::string> out;
    std::size_t i = 0;
    while (i < s.size()) {
        const auto j = std::min(s.find_first_of(" \t\r\n", i), s.size());
        if (j > i) {
            out.push_back(s.substr(i, j - i));
        }
        i = j + 1;
    }
    return out;
}

// A SOAP envelope's Body, or BadInput naming what the reply is instead; a Fault becomes an
// error carrying its reason.
Expected<pugi::xml_node> body(pugi::xml_document& doc, std::string_view xml,
                              std::string_view what) {
    if (xml.size() > kMaxReplyBytes) {
        return fail(ErrorCode::BadInput,
                    fmt::format("{}: larger than {} bytes", what, kMaxReplyBytes));
    }
    const auto parsed = doc.load_buffer(xml.data(), xml.size(), pugi::parse_default);
    if (!parsed) {
        return fail(ErrorCode::BadInput, fmt::format("{}: not XML ({} at byte {})", what,
                                                     parsed.description(), parsed.offset));
    }
    const auto envelope = doc.document_element();
    if (localName(envelope.name()) != "Envelope") {
        return fail(ErrorCode::BadInput, fmt::format("{}: not a SOAP envelope", what));
    }
    const auto b = child(envelope, "Body");
    if (!b) {
        return fail(ErrorCode::BadInput, fmt::format("{}: the SOAP envelope has no Body", what));
    }
    if (const auto fault = child(b, "Fault")) {
        std::string reason = text(path(fault, {"Reason", "Text"}));
        if (reason.empty()) {
            reason = text(child(fault, "faultstring"));
        }
        return fail(ErrorCode::Invalid,
                    fmt::format("{}: the camera answered a SOAP fault: {}", what,
                                reason.empty() ? std::string("(no reason given)") : reason));
    }
    return b;
}

std::string securityHeader(const std::optional<Credentials>& credentials,
                           std::string_view created) {
    if (!credentials) {
        return {};
    }
    auto nonce = randomBytes(16);
    if (!nonce) {
        return {};  // no token: the camera refuses, and says so
    }
    std::string material(nonce->begin(), nonce->end());
    material += created;
    material += credentials->password;
    unsigned char digest[EVP_MAX_MD_SIZE];
    unsigned int length = 0;
    EVP_Digest(material.data(), material.size(), digest, &length, EVP_sha1(), nullptr);
    OPENSSL_cleanse(material.data(), material.size());
    return fmt::format(
        "<s:Header><wsse:Security s:mustUnderstand=\"1\" "
        "xmlns:wsse=\"http://docs.oasis-open.org/wss/2004/01/"
        "oasis-200401-wss-wssecurity-secext-1.0.xsd\" "
        "xmlns:wsu=\"http://docs.oasis-open.org/wss/2004/01/"
        "oasis-200401-wss-wssecurity-utility-1.0.xsd\"><wsse:UsernameToken>"
        "<wsse:Username>{}</wsse:Username><wsse:Password Type=\"http://docs.oasis-open.org/wss/"
        "2004/01/oasis-200401-wss-username-token-profile-1.0#PasswordDigest\">{}</wsse:Password>"
        "<wsse:Nonce EncodingType=\"http://docs.oasis-open.org/wss/2004/01/"
        "oasis-200401-wss-soap-message-security-1.0#Base64Binary\">{}</wsse:Nonce>"
        "<wsu:Created>{}</wsu:Created></wsse:UsernameToken></wsse:Security></s:Header>",
        escapeMarkup(credentials->user), base64Encode(std::span(digest, length)),
        base64Encode(*nonce), escapeMarkup(created));
}

std::string envelope(const std::optional<Credentials>& credentials, std::string_view created,
                     std::string_view bodyXml) {
    return fmt::format(
        "<?xml version=\"1.0\" encoding=\"UTF-8\"?><s:Envelope "
        "xmlns:s=\"http://www.w3.org/2003/05/soap-envelope\" "
        "xmlns:tds=\"http://www.onvif.org/ver10/device/wsdl\" "
        "xmlns:trt=\"http://www.onvif.org/ver10/media/wsdl\" "
        "xmlns:tt=\"http://www.onvif.org/ver10/schema\">{}<s:Body>{}</s:Body></s:Envelope>",
        securityHeader(credentials, created), bodyXml);
}

// "http://10.0.0.5:80/onvif/device_service" → "10.0.0.5"; empty when not http(s), when it
// carries user info, or has no host.
std::string httpHost(std::string_view url) {
    std::string_view rest;
    if (url.starts_with("http://")) {
        rest = url.substr(7);
    } else if (url.starts_with("https://")) {
        rest = url.substr(8);
    } else {
        return {};
    }
    const auto authority = rest.substr(0, rest.find_first_of("/?#"));
    if (authority.empty() || authority.find('@') != std::string_view::npos) {
        return {};
    }
    if (authority.front() == '[') {
        return std::string(authority.substr(0, authority.find(']') + 1));
    }
    return std::string(authority.substr(0, authority.find(':')));
}

std::string percentDecode(std::string_view s) {
    std::string out;
    for (std::size_t i = 0; i < s.size(); ++i) {
        if (s[i] == '%' && i + 2 < s.size() &&
            std::isxdigit(static_cast<unsigned char>(s[i + 1])) &&
            std::isxdigit(static_cast<unsigned char>(s[i + 2]))) {
            out += static_cast<char>(std::stoi(std::string(s.substr(i + 1, 2)), nullptr, 16));
            i += 2;
        } else {
            out += s[i];
        }
    }
    return out;
}

std::string utcNow() {
    return fmt::format("{:%Y-%m-%dT%H:%M:%SZ}",
                       std::chrono::floor<std::chrono::seconds>(std::chrono::system_clock::now()));
}

Expected<std::string> soapCall(const std::string& url, const std::string& request) {
    platform::CurlTransport transport;
    auto reply = transport.post(url, {{"Content-Type", "application/soap+xml; charset=utf-8"}},
                                request, std::chrono::seconds(5));
    if (!reply) {
        return tl::unexpected(reply.error());
    }
    if (reply->status != 200) {
        // Cameras send their refusal (e.g. NotAuthorized) as a SOAP fault with HTTP 400/401/500.
        pugi::xml_document doc;
        auto fault = body(doc, reply->body, url);
        if (!fault && fault.error().code == ErrorCode::Invalid) {
            return tl::unexpected(fault.error());
        }
        return fail(ErrorCode::Io, fmt::format("{} answered HTTP {}", url, reply->status));
    }
    return std::move(reply->body);
}

Expected<std::vector<Profile>> streamsOf(const ProbeMatch& match, const std::string& from,
                                         const std::optional<Credentials>& credentials) {
    std::string device;
    for (const auto& x : match.xaddrs) {
        if (httpHost(x) == from) {
            device = x;
            break;
        }
    }
    if (device.empty()) {
        return fail(ErrorCode::Invalid,
                    fmt::format("no device service address on {} itself (it announced: {}); not "
                                "contacted",
                                from, fmt::join(match.xaddrs, " ")));
    }
    auto capabilities = soapCall(device, getCapabilitiesRequest(credentials, utcNow()));
    if (!capabilities) {
        return tl::unexpected(capabilities.error());
    }
    auto media = parseMediaAddress(*capabilities);
    if (!media) {
        return tl::unexpected(media.error());
    }
    if (httpHost(*media) != from) {
        return fail(ErrorCode::Invalid,
                    fmt::format("the media service {} is not on {}; not contacted", *media, from));
    }
    auto profilesXml = soapCall(*media, getProfilesRequest(credentials, utcNow()));
    if (!profilesXml) {
        return tl::unexpected(profilesXml.error());
    }
    auto profiles = parseProfiles(*profilesXml);
    if (!profiles) {
        return tl::unexpected(profiles.error());
    }
    for (auto& p : *profiles) {
        auto uriXml = soapCall(*media, getStreamUriRequest(p.token, credentials, utcNow()));
        if (!uriXml) {
            return tl::unexpected(uriXml.error());
        }
        auto uri = parseStreamUri(*uriXml);
        if (!uri) {
            return tl::unexpected(uri.error());
        }
        p.streamUri = withoutUserInfo(*uri);
    }
    return profiles;
}

struct Socket {
    int fd = -1;
    ~Socket() {
        if (fd >= 0) {
            ::close(fd);
        }
    }
};

Expected<in_addr> ipv4(const std::string& text, std::string_view what) {
    in_addr address{};
    if (inet_pton(AF_INET, text.c_str(), &address) != 1) {
        return fail(ErrorCode::BadInput, fmt::format("{} '{}' is not an IPv4 address", what, text));
    }
    return address;
}

}  // namespace

std::string probeMessage(std::string_view messageId) {
    return fmt::format(
        "<?xml version=\"1.0\" encoding=\"UTF-8\"?><e:Envelope "
        "xmlns:e=\"http://www.w3.org/2003/05/soap-envelope\" "
        "xmlns:w=\"http://schemas.xmlsoap.org/ws/2004/08/addressing\" "
        "xmlns:d=\"http://schemas.xmlsoap.org/ws/2005/04/discovery\" "
        "xmlns:dn=\"http://www.onvif.org/ver10/network/wsdl\"><e:Header>"
        "<w:MessageID>{}</w:MessageID><w:To "
        "e:mustUnderstand=\"true\">urn:schemas-xmlsoap-org:ws:2005:04:discovery</w:To>"
        "<w:Action e:mustUnderstand=\"true\">http://schemas.xmlsoap.org/ws/2005/04/discovery/"
        "Probe</w:Action></e:Header><e:Body><d:Probe><d:Types>dn:NetworkVideoTransmitter"
        "</d:Types></d:Probe></e:Body></e:Envelope>",
        escapeMarkup(messageId));
}

Expected<std::vector<ProbeMatch>> parseProbeMatches(std::string_view xml,
                                                    std::string_view messageId) {
    pugi::xml_document doc;
    auto b = body(doc, xml, "WS-Discovery answer");
    if (!b) {
        return tl::unexpected(b.error());
    }
    const auto relatesTo = text(path(doc.document_element(), {"Header", "RelatesTo"}));
    if (relatesTo != messageId) {
        return fail(ErrorCode::BadInput,
                    fmt::format("WS-Discovery answer: relates to '{}', not to this probe",
                                relatesTo.substr(0, 80)));
    }
    const auto matches = child(*b, "ProbeMatches");
    if (!matches) {
        return fail(ErrorCode::BadInput, "WS-Discovery answer: no ProbeMatches");
    }
    std::vector<ProbeMatch> out;
    for (auto m : matches.children()) {
        if (m.type() != pugi::node_element || localName(m.name()) != "ProbeMatch") {
            continue;
        }
        if (out.size() == kMaxMatches) {
            break;
        }
        ProbeMatch match;
        match.address = text(path(m, {"EndpointReference", "Address"}));
        match.types = text(child(m, "Types"));
        match.scopes = words(text(child(m, "Scopes")));
        for (auto& x : words(text(child(m, "XAddrs")))) {
            if (!httpHost(x).empty()) {
                match.xaddrs.push_back(std::move(x));
            }
        }
        if (match.address.empty()) {
            return fail(ErrorCode::BadInput,
                        "WS-Discovery answer: a ProbeMatch without an endpoint address");
        }
        out.push_back(std::move(match));
    }
    return out;
}

std::string scopeValue(const ProbeMatch& match, std::string_view key) {
    const std::string prefix = fmt::format("onvif://www.onvif.org/{}/", key);
    for (const auto& s : match.scopes) {
        if (s.starts_with(prefix)) {
            return percentDecode(std::string_view(s).substr(prefix.size()));
        }
    }
    return {};
}

std::string getCapabilitiesRequest(const std::optional<Credentials>& credentials,
                                   std::string_view created) {
    return envelope(
        credentials, created,
        "<tds:GetCapabilities><tds:Category>Media</tds:Category></tds:GetCapabilities>");
}

std::string getProfilesRequest(const std::optional<Credentials>& credentials,
                               std::string_view created) {
    return envelope(credentials, created, "<trt:GetProfiles/>");
}

std::string getStreamUriRequest(std::string_view profileToken,
                                const std::optional<Credentials>& credentials,
                                std::string_view created) {
    return envelope(credentials, created,
                    fmt::format("<trt:GetStreamUri><trt:StreamSetup><tt:Stream>RTP-Unicast"
                                "</tt:Stream><tt:Transport><tt:Protocol>RTSP</tt:Protocol>"
                                "</tt:Transport></trt:StreamSetup><trt:ProfileToken>{}"
                                "</trt:ProfileToken></trt:GetStreamUri>",
                                escapeMarkup(profileToken)));
}

Expected<std::string> parseMediaAddress(std::string_view xml) {
    pugi::xml_document doc;
    auto b = body(doc, xml, "GetCapabilities answer");
    if (!b) {
        return tl::unexpected(b.error());
    }
    const auto address =
        text(path(*b, {"GetCapabilitiesResponse", "Capabilities", "Media", "XAddr"}));
    if (httpHost(address).empty()) {
        return fail(ErrorCode::BadInput,
                    "GetCapabilities answer: no http(s) media service address");
    }
    return address;
}

Expected<std::vector<Profile>> parseProfiles(std::string_view xml) {
    pugi::xml_document doc;
    auto b = body(doc, xml, "GetProfiles answer");
    if (!b) {
        return tl::unexpected(b.error());
    }
    const auto response = child(*b, "GetProfilesResponse");
    if (!response) {
        return fail(ErrorCode::BadInput, "GetProfiles answer: no GetProfilesResponse");
    }
    std::vector<Profile> out;
    for (auto p : response.children()) {
        if (p.type() != pugi::node_element || localName(p.name()) != "Profiles") {
            continue;
        }
        if (out.size() == kMaxProfiles) {
            break;
        }
        Profile profile;
        const std::string_view token = p.attribute("token").value();
        if (token.empty() || token.size() > 64) {
            return fail(ErrorCode::BadInput,
                        "GetProfiles answer: a profile without a token (or one over 64 bytes)");
        }
        profile.token = token;
        profile.name = text(child(p, "Name"));
        const auto encoder = child(p, "VideoEncoderConfiguration");
        profile.encoding = text(child(encoder, "Encoding"));
        const auto resolution = child(encoder, "Resolution");
        const auto dimension = [](pugi::xml_node n) {
            const int v = n.text().as_int(0);
            return v > 0 && v <= 16384 ? v : 0;
        };
        profile.width = dimension(child(resolution, "Width"));
        profile.height = dimension(child(resolution, "Height"));
        out.push_back(std::move(profile));
    }
    return out;
}

Expected<std::string> parseStreamUri(std::string_view xml) {
    pugi::xml_document doc;
    auto b = body(doc, xml, "GetStreamUri answer");
    if (!b) {
        return tl::unexpected(b.error());
    }
    const auto uri = text(path(*b, {"GetStreamUriResponse", "MediaUri", "Uri"}));
    if (!uri.starts_with("rtsp://") && !uri.starts_with("rtsps://")) {
        return fail(ErrorCode::BadInput, "GetStreamUri answer: no rtsp:// stream address");
    }
    return uri;
}

std::string withoutUserInfo(std::string_view uri) {
    const auto scheme = uri.find("://");
    if (scheme == std::string_view::npos) {
        return std::string(uri);
    }
    const auto start = scheme + 3;
    const auto end = std::min(uri.find_first_of("/?#", start), uri.size());
    const auto at = uri.substr(start, end - start).rfind('@');
    if (at == std::string_view::npos) {
        return std::string(uri);
    }
    return std::string(uri.substr(0, start)) + std::string(uri.substr(start + at + 1));
}

Expected<std::vector<DiscoveredCamera>> discover(const DiscoveryOptions& options) {
    auto target = ipv4(options.target, "the probe target");
    if (!target) {
        return tl::unexpected(target.error());
    }
    Socket sock{::socket(AF_INET, SOCK_DGRAM | SOCK_CLOEXEC, 0)};
    if (sock.fd < 0) {
        return fail(ErrorCode::Io,
                    fmt::format("cannot open a UDP socket: {}", std::strerror(errno)));
    }
    const unsigned char ttl = 4;  // stays on the site's LAN
    setsockopt(sock.fd, IPPROTO_IP, IP_MULTICAST_TTL, &ttl, sizeof ttl);
    if (!options.interfaceAddress.empty()) {
        auto iface = ipv4(options.interfaceAddress, "the interface address");
        if (!iface) {
            return tl::unexpected(iface.error());
        }
        if (setsockopt(sock.fd, IPPROTO_IP, IP_MULTICAST_IF, &*iface, sizeof *iface) != 0) {
            return fail(ErrorCode::Io, fmt::format("cannot send from {}: {}",
                                                   options.interfaceAddress, std::strerror(errno)));
        }
    }
    auto id = randomBytes(16);
    if (!id) {
        return tl::unexpected(id.error());
    }
    const std::string hex = toHex(*id);
    const std::string messageId =
        fmt::format("urn:uuid:{}-{}-{}-{}-{}", hex.substr(0, 8), hex.substr(8, 4),
                    hex.substr(12, 4), hex.substr(16, 4), hex.substr(20));
    const std::string probe = probeMessage(messageId);
    sockaddr_in to{};
    to.sin_family = AF_INET;
    to.sin_port = htons(3702);
    to.sin_addr = *target;
    if (::sendto(sock.fd, probe.data(), probe.size(), 0, reinterpret_cast<sockaddr*>(&to),
                 sizeof to) < 0) {
        return fail(ErrorCode::Io, fmt::format("cannot send the WS-Discovery probe to {}: {}",
                                               options.target, std::strerror(errno)));
    }

    std::map<std::string, DiscoveredCamera> byAddress;  // one entry per endpoint
    const auto deadline = std::chrono::steady_clock::now() + options.wait;
    std::vector<char> datagram(65536);
    for (;;) {
        const auto left = std::chrono::duration_cast<std::chrono::milliseconds>(
            deadline - std::chrono::steady_clock::now());
        if (left.count() <= 0) {
            break;
        }
        pollfd pfd{sock.fd, POLLIN, 0};
        const int ready = ::poll(&pfd, 1, static_cast<int>(left.count()));
        if (ready < 0 && errno != EINTR) {
            return fail(ErrorCode::Io,
                        fmt::format("waiting for answers: {}", std::strerror(errno)));
        }
        if (ready <= 0) {
            continue;
        }
        sockaddr_in from{};
        socklen_t fromLength = sizeof from;
        const auto n = ::recvfrom(sock.fd, datagram.data(), datagram.size(), 0,
                                  reinterpret_cast<sockaddr*>(&from), &fromLength);
        if (n <= 0) {
            continue;
        }
        auto matches = parseProbeMatches(
            std::string_view(datagram.data(), static_cast<std::size_t>(n)), messageId);
        if (!matches) {
            continue;  // someone else's traffic or garbage: not a camera answering us
        }
        char fromText[INET_ADDRSTRLEN] = {};
        inet_ntop(AF_INET, &from.sin_addr, fromText, sizeof fromText);
        for (auto& m : *matches) {
            if (byAddress.size() < kMaxCameras && !byAddress.contains(m.address)) {
                const std::string key = m.address;
                byAddress.emplace(key, DiscoveredCamera{std::move(m), fromText, {}, {}});
            }
        }
    }
    std::vector<DiscoveredCamera> cameras;
    for (auto& [address, camera] : byAddress) {
        auto profiles = streamsOf(camera.match, camera.from, options.credentials);
        if (profiles) {
            camera.profiles = std::move(*profiles);
        } else {
            camera.error = profiles.error().detail;
        }
        cameras.push_back(std::move(camera));
    }
    return cameras;
}

}  // namespace examguard::station::onvif
