#include "agent/report_import.h"

#include <algorithm>

#include <fmt/format.h>

#include "agent/report.h"
#include "text.h"

namespace examguard::agent {

using nlohmann::json;

namespace {

std::string normalMac(std::string_view mac) {
    std::string out = asciiLower(mac);
    std::replace(out.begin(), out.end(), '-', ':');
    return out;
}

std::string str(const json& j, const char* key) {
    return stringField(j, key);
}

// A boolean field; anything else (absent or another type) reads as false.
bool flag(const json& j, const char* key) {
    const auto it = j.find(key);
    return it != j.end() && it->is_boolean() && it->get<bool>();
}

struct Adapter {
    std::string name;
    std::string mac;
    std::vector<std::string> addresses;
};

}  // namespace

tl::expected<ImportedReport, Error> importReport(
    const json& envelope, const std::string& publicKeyPem,
    const std::function<bool(const std::string& nonce)>& nonceSeen,
    const std::vector<FiledMachine>& registry) {
    if (auto verified = verifyEnvelope(envelope, publicKeyPem); !verified) {
        return tl::unexpected(verified.error());
    }
    const json& r = envelope["report"];
    const auto malformed = [](std::string what) {
        return tl::unexpected(Error{ErrorCode::kMalformedData, std::move(what)});
    };
    if (!r.is_object() || str(r, "schema") != "examguard-agent-report/1") {
        return malformed("report: 'schema' is not examguard-agent-report/1");
    }
    ImportedReport out;
    out.nonce = str(r, "nonce");
    out.timestamp = str(r, "timestamp");
    if (out.nonce.size() != 32 || out.timestamp.empty()) {
        return malformed("report: 'nonce' or 'timestamp' missing or malformed");
    }
    if (nonceSeen(out.nonce)) {
        return tl::unexpected(
            Error{ErrorCode::kReplayed,
                  fmt::format("report nonce {} was already imported (replay)", out.nonce)});
    }
    if (r.contains("host") && r["host"].is_object()) {
        out.hostname = str(r["host"], "hostname");
    }
    std::vector<Adapter> adapters;
    if (r.contains("adapters") && r["adapters"].is_array()) {
        for (const auto& a : r["adapters"]) {
            if (!a.is_object() || flag(a, "loopback") || str(a, "mac").empty()) {
                continue;
            }
            Adapter adapter{str(a, "name"), normalMac(str(a, "mac")), {}};
            if (a.contains("addresses") && a["addresses"].is_array()) {
                for (const auto& ip : a["addresses"]) {
                    if (ip.is_string()) {
                        adapter.addresses.push_back(ip.get<std::string>());
                    }
                }
            }
            adapters.push_back(std::move(adapter));
        }
    }
    // Reconcile: the first adapter whose MAC is filed names the seat.
    const FiledMachine* filed = nullptr;
    const Adapter* matched = nullptr;
    for (const auto& a : adapters) {
        const auto it = std::find_if(registry.begin(), registry.end(), [&](const FiledMachine& m) {
            return normalMac(m.mac) == a.mac;
        });
        if (it != registry.end()) {
            filed = &*it;
            matched = &a;
            break;
        }
    }
    if (filed == nullptr) {
        std::string macs;
        for (const auto& a : adapters) {
            macs += (macs.empty() ? "" : ", ") + a.mac;
        }
        out.findings.push_back({"unregistered_device", "", adapters.empty() ? "" : adapters[0].mac,
                                "", "",
                                fmt::format("agent report from {}: no adapter MAC ({}) is in the "
                                            "machine registry",
                                            out.hostname, macs.empty() ? "none" : macs)});
    } else {
        out.seat = filed->seat;
        out.mac = matched->mac;
        out.ip = filed->ip;
        if (std::find(matched->addresses.begin(), matched->addresses.end(), filed->ip) ==
            matched->addresses.end()) {
            std::string ips;
            for (const auto& ip : matched->addresses) {
                ips += (ips.empty() ? "" : " ") + ip;
            }
            out.findings.push_back(
                {"mac_ip_mismatch", "", matched->mac, ips, filed->seat,
                 fmt::format("seat {} is filed with {} / {}, the agent reports {} on {}",
                             filed->seat, filed->mac, filed->ip, ips.empty() ? "no address" : ips,
                             matched->name)});
        }
    }
    if (r.contains("detections") && r["detections"].is_array()) {
        for (const auto& d : r["detections"]) {
            const std::string kind = str(d, "kind");
            if (kind != "remote_control" && kind != "installed_software" &&
                kind != "wireless_peripheral" && kind != "virtual_machine") {
                return malformed(fmt::format("report: detection kind '{}' is unknown", kind));
            }
            std::string why;
            if (d.contains("reasons") && d["reasons"].is_array()) {
                for (const auto& reason : d["reasons"]) {
                    why += fmt::format("{}{}={}", why.empty() ? "" : ", ", str(reason, "by"),
                                       str(reason, "value"));
                }
            }
            out.findings.push_back(
                {kind, str(d, "app"), out.mac, out.ip, out.seat,
                 fmt::format("agent: {} ({}) by {}{}", str(d, "name"), str(d, "subject"), why,
                             flag(d, "renamed") ? " [renamed]" : "")});
        }
    }
    return out;
}

}  // namespace examguard::agent
