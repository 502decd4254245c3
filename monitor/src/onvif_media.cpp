// ONVIF Media over SOAP/HTTP: GetCapabilities -> GetProfiles -> GetStreamUri.
#include <curl/curl.h>

#include <algorithm>
#include <chrono>
#include <ctime>

#include <fmt/format.h>
#include <openssl/evp.h>
#include <openssl/rand.h>
#include <pugixml.hpp>

#include "monitor/onvif.h"
#include "monitor/redact.h"
#include "xml_util.h"

namespace examguard::monitor {

namespace {

constexpr std::size_t kMaxResponseBytes = 1024 * 1024;
constexpr std::size_t kMaxProfiles = 32;
constexpr std::size_t kMaxTextBytes = 2048;

using xml::child;
using xml::localName;

// Text of a leaf, trimmed, printable and bounded (else empty).
std::string text(pugi::xml_node node) {
    std::string_view t = node.text().get();
    while (!t.empty() && std::string_view(" \t\r\n").find(t.front()) != std::string_view::npos) {
        t.remove_prefix(1);
    }
    while (!t.empty() && std::string_view(" \t\r\n").find(t.back()) != std::string_view::npos) {
        t.remove_suffix(1);
    }
    if (t.size() > kMaxTextBytes) {
        return {};
    }
    std::string out(t);
    for (char& c : out) {
        if (static_cast<unsigned char>(c) < 0x20 || c == 0x7f) {
            c = ' ';
        }
    }
    return out;
}

std::string xmlEscaped(std::string_view s) {
    std::string out;
    for (char c : s) {
        switch (c) {
            case '<':
                out += "&lt;";
                break;
            case '>':
                out += "&gt;";
                break;
            case '&':
                out += "&amp;";
                break;
            case '"':
                out += "&quot;";
                break;
            case '\'':
                out += "&apos;";
                break;
            default:
                out.push_back(c);
        }
    }
    return out;
}

std::string base64(std::string_view bytes) {
    std::string out(4 * ((bytes.size() + 2) / 3) + 1, '\0');
    const int n = EVP_EncodeBlock(reinterpret_cast<unsigned char*>(out.data()),
                                  reinterpret_cast<const unsigned char*>(bytes.data()),
                                  static_cast<int>(bytes.size()));
    out.resize(static_cast<std::size_t>(std::max(n, 0)));
    return out;
}

// The SOAP body of a reply, or the reason of its Fault as the error.
tl::expected<pugi::xml_node, std::string> body(pugi::xml_document& doc, std::string_view xml) {
    if (xml.size() > kMaxResponseBytes) {
        return tl::unexpected(
            fmt::format("reply of {} bytes, more than {}", xml.size(), kMaxResponseBytes));
    }
    const pugi::xml_parse_result parsed = doc.load_buffer(xml.data(), xml.size(), xml::kParseFlags);
    if (!parsed) {
        return tl::unexpected(
            fmt::format("not XML: {} at byte {}", parsed.description(), parsed.offset));
    }
    const pugi::xml_node envelope = doc.document_element();
    const pugi::xml_node b = child(envelope, "Body");
    if (localName(envelope.name()) != "Envelope" || !b) {
        return tl::unexpected(std::string("not a SOAP envelope"));
    }
    if (const pugi::xml_node fault = child(b, "Fault")) {
        std::string reason = text(child(child(fault, "Reason"), "Text"));
        if (reason.empty()) {
            reason = text(child(fault, "faultstring"));
        }
        const std::string subcode = text(child(child(child(fault, "Code"), "Subcode"), "Value"));
        return tl::unexpected(fmt::format("SOAP fault: {}{}",
                                          reason.empty() ? "(no reason)" : reason,
                                          subcode.empty() ? "" : " (" + subcode + ")"));
    }
    return b;
}

bool isHttpUrl(std::string_view url) {
    return url.rfind("http://", 0) == 0 || url.rfind("https://", 0) == 0;
}

std::string utcNow() {
    const std::time_t now = std::time(nullptr);
    std::tm tm{};
    gmtime_r(&now, &tm);
    return fmt::format("{:04}-{:02}-{:02}T{:02}:{:02}:{:02}Z", tm.tm_year + 1900, tm.tm_mon + 1,
                       tm.tm_mday, tm.tm_hour, tm.tm_min, tm.tm_sec);
}

std::size_t collect(char* data, std::size_t size, std::size_t count, void* user) {
    auto* out = static_cast<std::string*>(user);
    const std::size_t n = size * count;
    if (out->size() + n > kMaxResponseBytes) {
        return 0;  // aborts the transfer
    }
    out->append(data, n);
    return n;
}

// One SOAP call; the reply's text, or an error naming the URL (redacted) and what failed.
tl::expected<std::string, std::string> call(const std::string& url, const std::string& action,
                                            const std::string& bodyXml,
                                            const OnvifCredentials& credentials,
                                            std::chrono::milliseconds timeout) {
    const std::string shown = redactUrl(url);
    if (!isHttpUrl(url)) {
        return tl::unexpected(fmt::format("{}: not an http(s) URL", shown));
    }
    std::string security;
    if (!credentials.user.empty()) {
        unsigned char nonce[16];
        RAND_bytes(nonce, sizeof nonce);
        security = usernameTokenHeader(
            credentials, std::string_view(reinterpret_cast<const char*>(nonce), sizeof nonce),
            utcNow());
    }
    const std::string envelope = fmt::format(
        R"(<?xml version="1.0" encoding="UTF-8"?>
<s:Envelope xmlns:s="http://www.w3.org/2003/05/soap-envelope" xmlns:tds="http://www.onvif.org/ver10/device/wsdl" xmlns:trt="http://www.onvif.org/ver10/media/wsdl" xmlns:tt="http://www.onvif.org/ver10/schema"><s:Header>{}</s:Header><s:Body>{}</s:Body></s:Envelope>)",
        security, bodyXml);
    const std::string contentType =
        fmt::format("Content-Type: application/soap+xml; charset=utf-8; action=\"{}\"", action);
    // Without HTTP authentication first (with it, libcurl would probe with an empty POST);
    // again with HTTP digest when the camera answers 401 and a user is given.
    std::string response;
    long status = 0;
    CURLcode rc = CURLE_OK;
    for (const bool digest : {false, true}) {
        if (digest && (status != 401 || credentials.user.empty())) {
            break;
        }
        CURL* curl = curl_easy_init();
        if (curl == nullptr) {
            return tl::unexpected(std::string("libcurl does not start"));
        }
        response.clear();
        curl_slist* headers = curl_slist_append(nullptr, contentType.c_str());
        curl_easy_setopt(curl, CURLOPT_URL, url.c_str());
        curl_easy_setopt(curl, CURLOPT_PROTOCOLS_STR, "http,https");
        curl_easy_setopt(curl, CURLOPT_HTTPHEADER, headers);
        curl_easy_setopt(curl, CURLOPT_POSTFIELDS, envelope.c_str());
        curl_easy_setopt(curl, CURLOPT_POSTFIELDSIZE, static_cast<long>(envelope.size()));
        curl_easy_setopt(curl, CURLOPT_TIMEOUT_MS, static_cast<long>(timeout.count()));
        curl_easy_setopt(curl, CURLOPT_NOSIGNAL, 1L);
        curl_easy_setopt(curl, CURLOPT_WRITEFUNCTION, collect);
        curl_easy_setopt(curl, CURLOPT_WRITEDATA, &response);
        if (digest) {
            curl_easy_setopt(curl, CURLOPT_HTTPAUTH, CURLAUTH_DIGEST);
            curl_easy_setopt(curl, CURLOPT_USERNAME, credentials.user.c_str());
            curl_easy_setopt(curl, CURLOPT_PASSWORD, credentials.password.c_str());
        }
        rc = curl_easy_perform(curl);
        status = 0;
        curl_easy_getinfo(curl, CURLINFO_RESPONSE_CODE, &status);
        curl_slist_free_all(headers);
        curl_easy_cleanup(curl);
        if (rc != CURLE_OK) {
            break;
        }
    }
    if (rc != CURLE_OK) {
        return tl::unexpected(fmt::format("{}: {}", shown, curl_easy_strerror(rc)));
    }
    if (status == 401) {
        return tl::unexpected(fmt::format("{}: HTTP 401, wrong user or password", shown));
    }
    if (status >= 300 && response.find("Fault") == std::string::npos) {
        return tl::unexpected(fmt::format("{}: HTTP {}", shown, status));
    }
    return response;  // a SOAP Fault (HTTP 400/500) is reported by the parsers
}

}  // namespace

std::string usernameTokenHeader(const OnvifCredentials& credentials, std::string_view nonce,
                                std::string_view created) {
    const std::string material = std::string(nonce) + std::string(created) + credentials.password;
    unsigned char digest[EVP_MAX_MD_SIZE];
    unsigned length = 0;
    EVP_Digest(material.data(), material.size(), digest, &length, EVP_sha1(), nullptr);
    return fmt::format(
        R"(<wsse:Security s:mustUnderstand="1" xmlns:wsse="http://docs.oasis-open.org/wss/2004/01/oasis-200401-wss-wssecurity-secext-1.0.xsd" xmlns:wsu="http://docs.oasis-open.org/wss/2004/01/oasis-200401-wss-wssecurity-utility-1.0.xsd"><wsse:UsernameToken><wsse:Username>{}</wsse:Username><wsse:Password Type="http://docs.oasis-open.org/wss/2004/01/oasis-200401-wss-username-token-profile-1.0#PasswordDigest">{}</wsse:Password><wsse:Nonce EncodingType="http://docs.oasis-open.org/wss/2004/01/oasis-200401-wss-soap-message-security-1.0#Base64Binary">{}</wsse:Nonce><wsu:Created>{}</wsu:Created></wsse:UsernameToken></wsse:Security>)",
        xmlEscaped(credentials.user),
        base64(std::string_view(reinterpret_cast<const char*>(digest), length)), base64(nonce),
        xmlEscaped(created));
}

tl::expected<std::string, std::string> parseMediaXAddr(std::string_view xml) {
    pugi::xml_document doc;
    auto b = body(doc, xml);
    if (!b) {
        return tl::unexpected(b.error());
    }
    const std::string xaddr = text(child(
        child(child(child(*b, "GetCapabilitiesResponse"), "Capabilities"), "Media"), "XAddr"));
    if (!isHttpUrl(xaddr)) {
        return tl::unexpected(std::string("the camera names no http(s) Media service"));
    }
    return xaddr;
}

tl::expected<std::vector<StreamProfile>, std::string> parseProfiles(std::string_view xml) {
    pugi::xml_document doc;
    auto b = body(doc, xml);
    if (!b) {
        return tl::unexpected(b.error());
    }
    const pugi::xml_node response = child(*b, "GetProfilesResponse");
    if (!response) {
        return tl::unexpected(std::string("not a GetProfiles reply"));
    }
    std::vector<StreamProfile> profiles;
    for (pugi::xml_node p : response.children()) {
        if (p.type() != pugi::node_element || localName(p.name()) != "Profiles") {
            continue;
        }
        StreamProfile profile;
        profile.token = p.attribute("token").as_string();
        if (profile.token.empty() || profile.token.size() > 256) {
            continue;
        }
        profile.name = text(child(p, "Name"));
        const pugi::xml_node video = child(p, "VideoEncoderConfiguration");
        profile.encoding = text(child(video, "Encoding"));
        const pugi::xml_node resolution = child(video, "Resolution");
        profile.width = std::clamp(child(resolution, "Width").text().as_int(), 0, 100000);
        profile.height = std::clamp(child(resolution, "Height").text().as_int(), 0, 100000);
        profiles.push_back(std::move(profile));
        if (profiles.size() == kMaxProfiles) {
            break;
        }
    }
    return profiles;
}

tl::expected<std::string, std::string> parseStreamUri(std::string_view xml) {
    pugi::xml_document doc;
    auto b = body(doc, xml);
    if (!b) {
        return tl::unexpected(b.error());
    }
    const std::string uri =
        text(child(child(child(*b, "GetStreamUriResponse"), "MediaUri"), "Uri"));
    if (uri.rfind("rtsp://", 0) != 0 && uri.rfind("rtsps://", 0) != 0) {
        return tl::unexpected(std::string("the reply names no rtsp:// URI"));
    }
    return uri;
}

tl::expected<std::vector<StreamProfile>, std::string> readStreamProfiles(
    const std::string& deviceXAddr, const OnvifCredentials& credentials,
    std::chrono::milliseconds timeout) {
    auto capabilities =
        call(deviceXAddr, "http://www.onvif.org/ver10/device/wsdl/GetCapabilities",
             "<tds:GetCapabilities><tds:Category>Media</tds:Category></tds:GetCapabilities>",
             credentials, timeout);
    if (!capabilities) {
        return tl::unexpected(capabilities.error());
    }
    auto media = parseMediaXAddr(*capabilities);
    if (!media) {
        return tl::unexpected(fmt::format("{}: {}", redactUrl(deviceXAddr), media.error()));
    }
    auto reply = call(*media, "http://www.onvif.org/ver10/media/wsdl/GetProfiles",
                      "<trt:GetProfiles/>", credentials, timeout);
    if (!reply) {
        return tl::unexpected(reply.error());
    }
    auto profiles = parseProfiles(*reply);
    if (!profiles) {
        return tl::unexpected(fmt::format("{}: {}", redactUrl(*media), profiles.error()));
    }
    for (StreamProfile& p : *profiles) {
        auto uriReply =
            call(*media, "http://www.onvif.org/ver10/media/wsdl/GetStreamUri",
                 fmt::format("<trt:GetStreamUri><trt:StreamSetup><tt:Stream>RTP-Unicast</tt:Stream>"
                             "<tt:Transport><tt:Protocol>RTSP</tt:Protocol></tt:Transport>"
                             "</trt:StreamSetup><trt:ProfileToken>{}</trt:ProfileToken>"
                             "</trt:GetStreamUri>",
                             xmlEscaped(p.token)),
                 credentials, timeout);
        if (!uriReply) {
            return tl::unexpected(uriReply.error());
        }
        auto uri = parseStreamUri(*uriReply);
        if (uri) {
            p.uri = *uri;
        }
    }
    return profiles;
}

}  // namespace examguard::monitor
