#include "agent/catalogue.h"

#include <algorithm>
#include <fstream>
#include <sstream>

#include <fmt/format.h>
#include <nlohmann/json.hpp>

#include "text.h"

namespace examguard::agent {

namespace embedded {
extern const std::string_view kRemoteControlCatalogue;
}

namespace {

using nlohmann::json;

struct CatalogueFail {
    std::string message;
};

std::vector<std::string> strings(const json& j, const char* key, const std::string& where) {
    std::vector<std::string> out;
    if (!j.contains(key)) {
        return out;
    }
    const auto& list = j.at(key);
    if (!list.is_array()) {
        throw CatalogueFail{fmt::format("{}: '{}' is not an array", where, key)};
    }
    for (const auto& s : list) {
        if (!s.is_string() || s.get<std::string>().empty()) {
            throw CatalogueFail{
                fmt::format("{}: '{}' holds a non-string or empty entry", where, key)};
        }
        out.push_back(s.get<std::string>());
    }
    return out;
}

std::uint16_t hex16(const json& j, const char* key, const std::string& where) {
    const std::string s = j.at(key).get<std::string>();
    if (s.size() != 4 ||
        !std::all_of(s.begin(), s.end(), [](unsigned char c) { return std::isxdigit(c) != 0; })) {
        throw CatalogueFail{fmt::format("{}: {} '{}' is not 4 hex digits", where, key, s)};
    }
    return static_cast<std::uint16_t>(std::stoul(s, nullptr, 16));
}

std::vector<PortRule> ports(const json& j, const std::string& where) {
    std::vector<PortRule> out;
    if (!j.contains("ports")) {
        return out;
    }
    for (const auto& p : j.at("ports")) {
        PortRule rule;
        const std::string t = p.value("transport", "any");
        if (t == "tcp") {
            rule.transport = Transport::kTcp;
        } else if (t == "udp") {
            rule.transport = Transport::kUdp;
        } else if (t != "any") {
            throw CatalogueFail{fmt::format("{}: transport '{}' is not tcp, udp or any", where, t)};
        }
        if (p.contains("port")) {
            rule.first = rule.last = p.at("port").get<std::uint16_t>();
        } else {
            rule.first = p.at("first").get<std::uint16_t>();
            rule.last = p.at("last").get<std::uint16_t>();
        }
        if (rule.first > rule.last) {
            throw CatalogueFail{
                fmt::format("{}: port range {}-{} is reversed", where, rule.first, rule.last)};
        }
        out.push_back(rule);
    }
    return out;
}

std::string stripExe(std::string_view name) {
    std::string n = asciiLower(name);
    if (n.size() > 4 && n.ends_with(".exe")) {
        n.resize(n.size() - 4);
    }
    return n;
}

bool equalNoCase(std::string_view a, std::string_view b) {
    return asciiLower(a) == asciiLower(b);
}

const std::string* findNoCase(const std::vector<std::string>& list, std::string_view value) {
    for (const auto& s : list) {
        if (equalNoCase(s, value)) {
            return &s;
        }
    }
    return nullptr;
}

void addReason(std::vector<AppMatch>& out, const CatalogueApp& app, std::string by,
               std::string value) {
    auto it =
        std::find_if(out.begin(), out.end(), [&](const AppMatch& m) { return m.app == app.app; });
    if (it == out.end()) {
        out.push_back(AppMatch{app.app, app.name, {}, false});
        it = out.end() - 1;
    }
    it->reasons.push_back(MatchReason{std::move(by), std::move(value)});
}

}  // namespace

bool globMatchNoCase(std::string_view pattern, std::string_view text) {
    const std::string p = asciiLower(pattern);
    const std::string t = asciiLower(text);
    std::size_t pi = 0;
    std::size_t ti = 0;
    std::size_t star = std::string::npos;
    std::size_t mark = 0;
    while (ti < t.size()) {
        if (pi < p.size() && p[pi] == t[ti]) {
            ++pi;
            ++ti;
        } else if (pi < p.size() && p[pi] == '*') {
            star = pi++;
            mark = ti;
        } else if (star != std::string::npos) {
            pi = star + 1;
            ti = ++mark;
        } else {
            return false;
        }
    }
    while (pi < p.size() && p[pi] == '*') {
        ++pi;
    }
    return pi == p.size();
}

tl::expected<Catalogue, Error> Catalogue::parse(std::string_view text, std::string_view origin) {
    try {
        const json j = json::parse(text);
        Catalogue c;
        if (!j.contains("apps") || !j.at("apps").is_array()) {
            throw CatalogueFail{fmt::format("{}: no 'apps' array", origin)};
        }
        for (std::size_t i = 0; i < j.at("apps").size(); ++i) {
            const auto& a = j.at("apps").at(i);
            const std::string where = fmt::format("{}: apps[{}]", origin, i);
            CatalogueApp app;
            app.app = a.at("app").get<std::string>();
            app.name = a.at("name").get<std::string>();
            app.processNames = strings(a, "process_names", where);
            app.originalFilenames = strings(a, "original_filenames", where);
            app.productNames = strings(a, "product_names", where);
            app.companyNames = strings(a, "company_names", where);
            app.signers = strings(a, "signers", where);
            app.installNames = strings(a, "install_names", where);
            app.packages = strings(a, "packages", where);
            app.services = strings(a, "services", where);
            app.ports = ports(a, where);
            if (app.app.empty() || app.name.empty()) {
                throw CatalogueFail{fmt::format("{}: empty 'app' or 'name'", where)};
            }
            c.m_apps.push_back(std::move(app));
        }
        if (j.contains("wireless_receivers")) {
            const auto& w = j.at("wireless_receivers");
            for (std::size_t i = 0; i < w.at("devices").size(); ++i) {
                const auto& d = w.at("devices").at(i);
                const std::string where =
                    fmt::format("{}: wireless_receivers.devices[{}]", origin, i);
                c.m_receivers.push_back(ReceiverId{hex16(d, "vid", where), hex16(d, "pid", where),
                                                   d.at("name").get<std::string>()});
            }
            for (const auto& h : strings(w, "product_name_hints", std::string(origin))) {
                c.m_wirelessHints.push_back(asciiLower(h));
            }
        }
        if (j.contains("virtual_machines")) {
            const auto& v = j.at("virtual_machines");
            for (const auto& m : v.at("mac_prefixes")) {
                c.m_macPrefixes.push_back(MacPrefix{asciiLower(m.at("prefix").get<std::string>()),
                                                    m.at("name").get<std::string>()});
            }
            c.m_dmiStrings = strings(v, "dmi_strings", std::string(origin));
        }
        return c;
    } catch (const CatalogueFail& e) {
        return tl::unexpected(Error{ErrorCode::kMalformedData, e.message});
    } catch (const json::exception& e) {
        return tl::unexpected(
            Error{ErrorCode::kMalformedData, fmt::format("{}: {}", origin, e.what())});
    }
}

tl::expected<Catalogue, Error> Catalogue::load(const std::filesystem::path& path) {
    std::ifstream in(path, std::ios::binary);
    if (!in) {
        return tl::unexpected(
            Error{std::filesystem::exists(path) ? ErrorCode::kUnreadable : ErrorCode::kFileNotFound,
                  fmt::format("{}: cannot open", path.string())});
    }
    std::ostringstream text;
    text << in.rdbuf();
    return parse(text.str(), path.string());
}

const Catalogue& Catalogue::builtIn() {
    static const Catalogue catalogue = [] {
        auto c = parse(embedded::kRemoteControlCatalogue, "built-in catalogue");
        // The embedded copy is checked by the tests; a broken one is a build defect.
        return c ? std::move(*c) : Catalogue{};
    }();
    return catalogue;
}

std::vector<AppMatch> Catalogue::matchExecutable(const ExecutableFacts& facts) const {
    std::vector<AppMatch> out;
    for (const auto& app : m_apps) {
        bool byName = false;
        for (const auto& name : facts.names) {
            if (name.empty()) {
                continue;
            }
            const std::string n = stripExe(name);
            for (const auto& p : app.processNames) {
                if (stripExe(p) == n && !byName) {
                    addReason(out, app, "process_name", name);
                    byName = true;
                }
            }
        }
        bool byContent = false;
        if (facts.versionInfo != nullptr) {
            const auto& vi = *facts.versionInfo;
            if (const auto v = vi.originalFilename();
                !v.empty() && findNoCase(app.originalFilenames, v)) {
                addReason(out, app, "original_filename", v);
                byContent = true;
            }
            if (const auto v = vi.productName(); !v.empty() && findNoCase(app.productNames, v)) {
                addReason(out, app, "product_name", v);
                byContent = true;
            }
            if (const auto v = vi.companyName(); !v.empty() && findNoCase(app.companyNames, v)) {
                addReason(out, app, "company_name", v);
                byContent = true;
            }
        }
        if (facts.signers != nullptr) {
            for (const auto& s : *facts.signers) {
                for (const auto& subject : {s.subjectOrganization, s.subjectCommonName}) {
                    if (!subject.empty() && std::find(app.signers.begin(), app.signers.end(),
                                                      subject) != app.signers.end()) {
                        addReason(out, app, "signer", subject);
                        byContent = true;
                        break;
                    }
                }
            }
        }
        if (byContent && !byName) {
            auto it = std::find_if(out.begin(), out.end(),
                                   [&](const AppMatch& m) { return m.app == app.app; });
            it->renamed = true;
        }
    }
    return out;
}

std::vector<AppMatch> Catalogue::matchInstalled(std::string_view name) const {
    std::vector<AppMatch> out;
    for (const auto& app : m_apps) {
        if (std::find(app.packages.begin(), app.packages.end(), name) != app.packages.end()) {
            addReason(out, app, "package", std::string(name));
            continue;
        }
        for (const auto& g : app.installNames) {
            if (globMatchNoCase(g, name)) {
                addReason(out, app, "install_name", std::string(name));
                break;
            }
        }
    }
    return out;
}

std::vector<AppMatch> Catalogue::matchService(std::string_view name) const {
    std::vector<AppMatch> out;
    std::string n(name);
    if (n.ends_with(".service")) {
        n.resize(n.size() - 8);
    }
    for (const auto& app : m_apps) {
        if (findNoCase(app.services, n)) {
            addReason(out, app, "service", std::string(name));
        }
    }
    return out;
}

std::vector<AppMatch> Catalogue::matchListening(Transport transport, std::uint16_t port) const {
    std::vector<AppMatch> out;
    for (const auto& app : m_apps) {
        for (const auto& r : app.ports) {
            if ((r.transport == Transport::kAny || r.transport == transport) && port >= r.first &&
                port <= r.last) {
                addReason(out, app, "port",
                          fmt::format("{}/{}", transport == Transport::kUdp ? "udp" : "tcp", port));
                break;
            }
        }
    }
    return out;
}

const ReceiverId* Catalogue::receiver(std::uint16_t vid, std::uint16_t pid) const {
    for (const auto& r : m_receivers) {
        if (r.vid == vid && r.pid == pid) {
            return &r;
        }
    }
    return nullptr;
}

bool Catalogue::soundsWireless(std::string_view productName) const {
    const std::string p = asciiLower(productName);
    return std::any_of(m_wirelessHints.begin(), m_wirelessHints.end(),
                       [&](const std::string& h) { return p.find(h) != std::string::npos; });
}

std::string Catalogue::virtualMacVendor(std::string_view mac) const {
    const std::string m = asciiLower(mac);
    for (const auto& p : m_macPrefixes) {
        if (m.starts_with(p.prefix)) {
            return p.name;
        }
    }
    return {};
}

std::string Catalogue::virtualDmiMatch(std::string_view text) const {
    const std::string t = asciiLower(text);
    for (const auto& s : m_dmiStrings) {
        if (t.find(asciiLower(s)) != std::string::npos) {
            return s;
        }
    }
    return {};
}

}  // namespace examguard::agent
