#include "monitor/onvif.h"

#include <arpa/inet.h>
#include <netinet/in.h>
#include <poll.h>
#include <sys/socket.h>
#include <unistd.h>

#include <algorithm>
#include <cctype>
#include <cerrno>
#include <charconv>
#include <cstring>
#include <sstream>

#include <fmt/format.h>
#include <openssl/rand.h>
#include <pugixml.hpp>

#include "xml_util.h"

namespace examguard::monitor {

namespace {

constexpr std::size_t kMaxReplyBytes = 64 * 1024;
constexpr std::size_t kMaxMatches = 64;
constexpr std::size_t kMaxItems = 32;  // XAddrs, types or scopes of one match
constexpr std::size_t kMaxItemBytes = 1024;

using xml::child;
using xml::localName;

std::string trimmed(std::string_view text) {
    const auto begin = text.find_first_not_of(" \t\r\n");
    if (begin == std::string_view::npos) {
        return {};
    }
    const auto end = text.find_last_not_of(" \t\r\n");
    return std::string(text.substr(begin, end - begin + 1));
}

bool printable(std::string_view s) {
    return std::all_of(s.begin(), s.end(), [](char c) {
        return static_cast<unsigned char>(c) >= 0x21 && static_cast<unsigned char>(c) != 0x7f;
    });
}

// A whitespace-separated list, each item printable and bounded.
std::vector<std::string> words(std::string_view text) {
    std::vector<std::string> out;
    std::istringstream in{std::string(text)};
    std::string word;
    while (in >> word && out.size() < kMaxItems) {
        if (word.size() <= kMaxItemBytes && printable(word)) {
            out.push_back(word);
        }
    }
    return out;
}

std::string percentDecoded(std::string_view s) {
    std::string out;
    for (std::size_t i = 0; i < s.size(); ++i) {
        unsigned value = 0;
        const char* hexBegin = s.data() + i + 1;
        if (s[i] == '%' && i + 2 < s.size() &&
            std::isxdigit(static_cast<unsigned char>(s[i + 1])) &&
            std::from_chars(hexBegin, hexBegin + 2, value, 16).ptr == hexBegin + 2) {
            out.push_back(value < 0x20 || value == 0x7f ? ' ' : static_cast<char>(value));
            i += 2;
        } else {
            out.push_back(s[i] == '_' ? ' ' : s[i]);
        }
    }
    return out;
}

bool isHttpUrl(std::string_view url) {
    return url.rfind("http://", 0) == 0 || url.rfind("https://", 0) == 0;
}

std::string uuid4() {
    unsigned char b[16];
    if (RAND_bytes(b, sizeof b) != 1) {
        std::memset(b, 0, sizeof b);
    }
    b[6] = static_cast<unsigned char>((b[6] & 0x0f) | 0x40);
    b[8] = static_cast<unsigned char>((b[8] & 0x3f) | 0x80);
    return fmt::format(
        "urn:uuid:{:02x}{:02x}{:02x}{:02x}-{:02x}{:02x}-{:02x}{:02x}-{:02x}{:02x}-{:02x}{:02x}"
        "{:02x}{:02x}{:02x}{:02x}",
        b[0], b[1], b[2], b[3], b[4], b[5], b[6], b[7], b[8], b[9], b[10], b[11], b[12], b[13],
        b[14], b[15]);
}

}  // namespace

std::string probeMessage(std::string_view messageId) {
    return fmt::format(
        R"(<?xml version="1.0" encoding="UTF-8"?>
<e:Envelope xmlns:e="http://www.w3.org/2003/05/soap-envelope" xmlns:w="http://schemas.xmlsoap.org/ws/2004/08/addressing" xmlns:d="http://schemas.xmlsoap.org/ws/2005/04/discovery" xmlns:dn="http://www.onvif.org/ver10/network/wsdl">
<e:Header><w:MessageID>{}</w:MessageID><w:To e:mustUnderstand="true">urn:schemas-xmlsoap-org:ws:2005:04:discovery</w:To><w:Action e:mustUnderstand="true">http://schemas.xmlsoap.org/ws/2005/04/discovery/Probe</w:Action></e:Header>
<e:Body><d:Probe><d:Types>dn:NetworkVideoTransmitter</d:Types></d:Probe></e:Body>
</e:Envelope>)",
        messageId);
}

tl::expected<std::vector<DiscoveredDevice>, std::string> parseProbeMatches(
    std::string_view xml, std::string_view relatesTo) {
    if (xml.size() > kMaxReplyBytes) {
        return tl::unexpected(
            fmt::format("reply of {} bytes, more than {}", xml.size(), kMaxReplyBytes));
    }
    pugi::xml_document doc;
    // No DTD processing or entity expansion beyond the predefined ones: pugixml never loads
    // external entities, and parse_doctype is off.
    const pugi::xml_parse_result parsed = doc.load_buffer(xml.data(), xml.size(), xml::kParseFlags);
    if (!parsed) {
        return tl::unexpected(
            fmt::format("not XML: {} at byte {}", parsed.description(), parsed.offset));
    }
    const pugi::xml_node envelope = doc.document_element();
    if (localName(envelope.name()) != "Envelope") {
        return tl::unexpected(std::string("not a SOAP envelope"));
    }
    const pugi::xml_node header = child(envelope, "Header");
    if (!relatesTo.empty()) {
        const std::string related = trimmed(child(header, "RelatesTo").text().get());
        if (related != relatesTo) {
            return tl::unexpected(
                fmt::format("reply to another probe ({})", related.substr(0, 80)));
        }
    }
    const pugi::xml_node matches = child(child(envelope, "Body"), "ProbeMatches");
    if (!matches) {
        return tl::unexpected(std::string("not a ProbeMatches reply"));
    }
    std::vector<DiscoveredDevice> devices;
    for (pugi::xml_node match : matches.children()) {
        if (match.type() != pugi::node_element || localName(match.name()) != "ProbeMatch") {
            continue;
        }
        if (devices.size() == kMaxMatches) {
            break;
        }
        DiscoveredDevice d;
        d.endpoint = trimmed(child(child(match, "EndpointReference"), "Address").text().get());
        if (d.endpoint.size() > kMaxItemBytes || !printable(d.endpoint)) {
            d.endpoint.clear();
        }
        for (std::string& url : words(child(match, "XAddrs").text().get())) {
            if (isHttpUrl(url)) {
                d.xaddrs.push_back(std::move(url));
            }
        }
        d.types = words(child(match, "Types").text().get());
        d.scopes = words(child(match, "Scopes").text().get());
        for (const std::string& scope : d.scopes) {
            constexpr std::string_view kPrefix = "onvif://www.onvif.org/";
            if (scope.rfind(kPrefix, 0) != 0) {
                continue;
            }
            const std::string_view rest = std::string_view(scope).substr(kPrefix.size());
            for (auto [key, field] : {std::pair{std::string_view("name/"), &d.name},
                                      {std::string_view("hardware/"), &d.hardware},
                                      {std::string_view("location/"), &d.location}}) {
                if (rest.rfind(key, 0) == 0 && field->empty()) {
                    *field = percentDecoded(rest.substr(key.size()));
                }
            }
        }
        if (d.endpoint.empty() && d.xaddrs.empty()) {
            continue;  // nothing to reach or to tell apart
        }
        devices.push_back(std::move(d));
    }
    return devices;
}

tl::expected<DiscoveryResult, std::string> discover(const DiscoveryOptions& options,
                                                    const std::atomic<bool>* stop) {
    const auto colon = options.target.rfind(':');
    sockaddr_in to{};
    to.sin_family = AF_INET;
    int port = 0;
    if (colon == std::string::npos ||
        inet_pton(AF_INET, options.target.substr(0, colon).c_str(), &to.sin_addr) != 1 ||
        (port = std::atoi(options.target.c_str() + colon + 1)) <= 0 || port > 65535) {
        return tl::unexpected(fmt::format(
            "{}: not an IPv4 address and port (e.g. 239.255.255.250:3702)", options.target));
    }
    to.sin_port = htons(static_cast<std::uint16_t>(port));
    const int fd = ::socket(AF_INET, SOCK_DGRAM | SOCK_CLOEXEC, 0);
    if (fd < 0) {
        return tl::unexpected(fmt::format("UDP socket: {}", std::strerror(errno)));
    }
    struct Closer {
        int fd;
        ~Closer() { ::close(fd); }
    } closer{fd};
    const unsigned char ttl = 1;  // the exam LAN, not beyond its router
    setsockopt(fd, IPPROTO_IP, IP_MULTICAST_TTL, &ttl, sizeof ttl);
    const std::string messageId = uuid4();
    const std::string probe = probeMessage(messageId);
    if (::sendto(fd, probe.data(), probe.size(), 0, reinterpret_cast<const sockaddr*>(&to),
                 sizeof to) < 0) {
        return tl::unexpected(fmt::format("{}: {}", options.target, std::strerror(errno)));
    }
    DiscoveryResult result;
    const auto deadline = std::chrono::steady_clock::now() + options.timeout;
    std::vector<char> buffer(kMaxReplyBytes + 1);
    while (stop == nullptr || !stop->load()) {
        const auto left = std::chrono::duration_cast<std::chrono::milliseconds>(
            deadline - std::chrono::steady_clock::now());
        if (left.count() <= 0) {
            break;
        }
        pollfd p{fd, POLLIN, 0};
        const int ready = ::poll(&p, 1, static_cast<int>(std::min<long long>(left.count(), 200)));
        if (ready <= 0) {
            continue;
        }
        sockaddr_in from{};
        socklen_t fromLength = sizeof from;
        const ssize_t n = ::recvfrom(fd, buffer.data(), buffer.size(), 0,
                                     reinterpret_cast<sockaddr*>(&from), &fromLength);
        if (n <= 0) {
            continue;
        }
        auto devices = parseProbeMatches(
            std::string_view(buffer.data(), static_cast<std::size_t>(n)), messageId);
        if (!devices) {
            ++result.badReplies;
            continue;
        }
        char host[INET_ADDRSTRLEN] = {};
        inet_ntop(AF_INET, &from.sin_addr, host, sizeof host);
        for (auto& d : *devices) {
            d.from = fmt::format("{}:{}", host, ntohs(from.sin_port));
            const bool known = std::any_of(
                result.devices.begin(), result.devices.end(), [&](const DiscoveredDevice& k) {
                    return !d.endpoint.empty() ? k.endpoint == d.endpoint : k.xaddrs == d.xaddrs;
                });
            if (!known) {
                result.devices.push_back(std::move(d));
            }
        }
    }
    return result;
}

}  // namespace examguard::monitor
