#include "netaudit/signatures.h"

#include <algorithm>
#include <fstream>
#include <sstream>

#include <fmt/format.h>
#include <nlohmann/json.hpp>

namespace examguard::netaudit {

namespace embedded {
extern const std::string_view kRemoteControlSignatures;
}

namespace {

using nlohmann::json;

// Exceptions from nlohmann stay inside this file; the API returns Error values.
struct SchemaError {
    std::string message;
};

std::string lower(std::string_view s) {
    std::string out(s);
    std::transform(out.begin(), out.end(), out.begin(), [](unsigned char c) {
        return static_cast<char>(c >= 'A' && c <= 'Z' ? c - 'A' + 'a' : c);
    });
    return out;
}

Transport parseTransport(const json& j, const std::string& where) {
    const std::string t = j.value("transport", "any");
    if (t == "tcp") {
        return Transport::kTcp;
    }
    if (t == "udp") {
        return Transport::kUdp;
    }
    if (t == "any") {
        return Transport::kAny;
    }
    throw SchemaError{fmt::format("{}: transport '{}' is not tcp, udp or any", where, t)};
}

std::vector<PortRange> parsePorts(const json& j, const std::string& where) {
    std::vector<PortRange> out;
    if (!j.contains("ports")) {
        return out;
    }
    for (const auto& p : j.at("ports")) {
        PortRange range;
        range.transport = parseTransport(p, where);
        if (p.contains("port")) {
            range.first = range.last = p.at("port").get<std::uint16_t>();
        } else {
            range.first = p.at("first").get<std::uint16_t>();
            range.last = p.at("last").get<std::uint16_t>();
        }
        if (range.first > range.last) {
            throw SchemaError{
                fmt::format("{}: port range {}-{} is reversed", where, range.first, range.last)};
        }
        out.push_back(range);
    }
    return out;
}

PayloadPart parsePart(const json& j, const std::string& where) {
    PayloadPart part;
    part.offset = j.at("offset").get<std::size_t>();
    if (j.contains("text")) {
        const std::string text = j.at("text").get<std::string>();
        part.bytes.assign(text.begin(), text.end());
        part.mask.assign(text.size(), 0xff);
    } else {
        std::istringstream in(j.at("hex").get<std::string>());
        std::string token;
        while (in >> token) {
            if (token == "??") {
                part.bytes.push_back(0);
                part.mask.push_back(0);
                continue;
            }
            if (token.size() != 2 || !std::isxdigit(static_cast<unsigned char>(token[0])) ||
                !std::isxdigit(static_cast<unsigned char>(token[1]))) {
                throw SchemaError{fmt::format("{}: '{}' is not a hex byte", where, token)};
            }
            part.bytes.push_back(static_cast<std::uint8_t>(std::stoul(token, nullptr, 16)));
            part.mask.push_back(0xff);
        }
    }
    if (part.bytes.empty()) {
        throw SchemaError{fmt::format("{}: empty pattern", where)};
    }
    return part;
}

std::vector<std::string> strings(const json& j, const char* key) {
    std::vector<std::string> out;
    if (j.contains(key)) {
        for (const auto& s : j.at(key)) {
            out.push_back(s.get<std::string>());
        }
    }
    return out;
}

bool globMatch(std::string_view pattern, std::string_view text) {
    // '*' matches any run of characters; iterative with one backtrack point.
    std::size_t p = 0;
    std::size_t t = 0;
    std::size_t star = std::string_view::npos;
    std::size_t mark = 0;
    while (t < text.size()) {
        if (p < pattern.size() && pattern[p] == text[t]) {
            ++p;
            ++t;
        } else if (p < pattern.size() && pattern[p] == '*') {
            star = p++;
            mark = t;
        } else if (star != std::string_view::npos) {
            p = star + 1;
            t = ++mark;
        } else {
            return false;
        }
    }
    while (p < pattern.size() && pattern[p] == '*') {
        ++p;
    }
    return p == pattern.size();
}

bool transportMatches(Transport rule, Transport actual) {
    return rule == Transport::kAny || rule == actual;
}

bool portsMatch(const std::vector<PortRange>& ports, Transport transport, std::uint16_t a,
                std::uint16_t b) {
    if (ports.empty()) {
        return true;
    }
    return std::any_of(ports.begin(), ports.end(), [&](const PortRange& r) {
        return transportMatches(r.transport, transport) &&
               ((a >= r.first && a <= r.last) || (b >= r.first && b <= r.last));
    });
}

}  // namespace

tl::expected<SignatureTable, Error> SignatureTable::fromJson(std::string_view text) {
    SignatureTable table;
    try {
        const json doc = json::parse(text);
        for (const auto& a : doc.at("apps")) {
            AppSignature app;
            app.app = a.at("app").get<std::string>();
            const std::string where = "app '" + app.app + "'";
            app.displayName = a.value("name", app.app);
            app.verified = a.value("verified", true);
            app.ndpiProtocols = strings(a, "ndpi");
            for (auto& d : strings(a, "domains")) {
                app.domains.push_back(lower(d));
            }
            for (auto& c : strings(a, "cert_subjects")) {
                app.certSubjects.push_back(lower(c));
            }
            app.alpnPrefixes = strings(a, "alpn_prefixes");
            app.userAgents = strings(a, "user_agents");
            app.ports = parsePorts(a, where);
            if (a.contains("payloads")) {
                for (const auto& p : a.at("payloads")) {
                    PayloadRule rule;
                    rule.id = p.at("id").get<std::string>();
                    const std::string ruleWhere = where + " rule '" + rule.id + "'";
                    rule.transport = parseTransport(p, ruleWhere);
                    rule.exactLength = p.value("length", std::size_t{0});
                    rule.ports = parsePorts(p, ruleWhere);
                    for (const auto& part : p.at("match")) {
                        rule.parts.push_back(parsePart(part, ruleWhere));
                    }
                    if (rule.parts.empty()) {
                        throw SchemaError{ruleWhere + ": no match parts"};
                    }
                    app.payloads.push_back(std::move(rule));
                }
            }
            table.m_apps.push_back(std::move(app));
        }
    } catch (const SchemaError& e) {
        return tl::unexpected(Error{ErrorCode::kSignaturesInvalid, e.message});
    } catch (const json::exception& e) {
        return tl::unexpected(Error{ErrorCode::kSignaturesInvalid, e.what()});
    }
    if (table.m_apps.empty()) {
        return tl::unexpected(Error{ErrorCode::kSignaturesInvalid, "no apps in signature table"});
    }
    return table;
}

tl::expected<SignatureTable, Error> SignatureTable::builtin() {
    return fromJson(embedded::kRemoteControlSignatures);
}

tl::expected<SignatureTable, Error> SignatureTable::fromFile(const std::string& path) {
    std::ifstream in(path, std::ios::binary);
    if (!in) {
        return tl::unexpected(Error{ErrorCode::kFileNotFound, path + ": cannot open"});
    }
    std::ostringstream text;
    text << in.rdbuf();
    auto table = fromJson(text.str());
    if (!table) {
        table.error().detail = path + ": " + table.error().detail;
    }
    return table;
}

bool SignatureTable::matchDomain(std::string_view name, SignatureMatch& out) const {
    const std::string n = lower(name);
    for (std::size_t i = 0; i < m_apps.size(); ++i) {
        for (const auto& d : m_apps[i].domains) {
            bool hit = false;
            if (d.find('*') != std::string::npos) {
                hit = globMatch(d, n);
            } else {
                hit = n == d ||
                      (n.size() > d.size() && n.ends_with(d) && n[n.size() - d.size() - 1] == '.');
            }
            if (hit) {
                out = {i, d};
                return true;
            }
        }
    }
    return false;
}

bool SignatureTable::matchCertSubject(std::string_view value, SignatureMatch& out) const {
    const std::string v = lower(value);
    for (std::size_t i = 0; i < m_apps.size(); ++i) {
        for (const auto& c : m_apps[i].certSubjects) {
            if (v == c) {
                out = {i, std::string(value)};
                return true;
            }
        }
    }
    return false;
}

bool SignatureTable::matchAlpn(std::string_view protocol, SignatureMatch& out) const {
    for (std::size_t i = 0; i < m_apps.size(); ++i) {
        for (const auto& prefix : m_apps[i].alpnPrefixes) {
            if (protocol.starts_with(prefix)) {
                out = {i, std::string(protocol)};
                return true;
            }
        }
    }
    return false;
}

bool SignatureTable::matchUserAgent(std::string_view userAgent, SignatureMatch& out) const {
    for (std::size_t i = 0; i < m_apps.size(); ++i) {
        for (const auto& ua : m_apps[i].userAgents) {
            if (userAgent.find(ua) != std::string_view::npos) {
                out = {i, ua};
                return true;
            }
        }
    }
    return false;
}

bool SignatureTable::matchPort(Transport transport, std::uint16_t port, SignatureMatch& out) const {
    for (std::size_t i = 0; i < m_apps.size(); ++i) {
        for (const auto& r : m_apps[i].ports) {
            if (transportMatches(r.transport, transport) && port >= r.first && port <= r.last) {
                out = {i, fmt::format("{}/{}", transport == Transport::kUdp ? "udp" : "tcp", port)};
                return true;
            }
        }
    }
    return false;
}

bool SignatureTable::matchPayload(Transport transport, std::uint16_t srcPort, std::uint16_t dstPort,
                                  const std::uint8_t* data, std::size_t length,
                                  SignatureMatch& out) const {
    for (std::size_t i = 0; i < m_apps.size(); ++i) {
        for (const auto& rule : m_apps[i].payloads) {
            if (!transportMatches(rule.transport, transport) ||
                (rule.exactLength != 0 && rule.exactLength != length) ||
                !portsMatch(rule.ports, transport, srcPort, dstPort)) {
                continue;
            }
            const bool all = std::all_of(rule.parts.begin(), rule.parts.end(), [&](const auto& p) {
                if (p.offset > length || length - p.offset < p.bytes.size()) {
                    return false;
                }
                for (std::size_t k = 0; k < p.bytes.size(); ++k) {
                    if ((data[p.offset + k] & p.mask[k]) != p.bytes[k]) {
                        return false;
                    }
                }
                return true;
            });
            if (all) {
                out = {i, rule.id};
                return true;
            }
        }
    }
    return false;
}

}  // namespace examguard::netaudit
