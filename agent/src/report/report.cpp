#include "agent/report.h"

#include <chrono>

#include <fmt/chrono.h>
#include <fmt/format.h>

#include "text.h"

namespace examguard::agent {

using nlohmann::json;

namespace {

constexpr double kMinCpuMhz = 2500;
// 4 GB installed shows as a little less usable memory (firmware and kernel reservations).
constexpr std::uint64_t kMinMemoryBytes = 3840ull * 1024 * 1024;
constexpr std::uint64_t kMinDiskBytes = 100ull * 1000 * 1000 * 1000;
constexpr int kMinNicMbps = 100;
constexpr std::uint64_t kMinCameraPixels = 1000000;

std::string transportName(Transport t) {
    return t == Transport::kUdp ? "udp" : (t == Transport::kTcp ? "tcp" : "any");
}

json reasons(const std::vector<MatchReason>& list) {
    json out = json::array();
    for (const auto& r : list) {
        out.push_back({{"by", r.by}, {"value", r.value}});
    }
    return out;
}

std::string gib(std::uint64_t bytes) {
    return fmt::format("{:.1f} GiB", static_cast<double>(bytes) / (1024.0 * 1024 * 1024));
}

}  // namespace

std::vector<BaselineItem> evaluateBaseline(const HostInfo& host,
                                           const std::vector<NetworkAdapter>& adapters) {
    std::vector<BaselineItem> out;
    const bool windows10 = host.osName.find("Windows 10") != std::string::npos;
    const bool x64 = host.architecture == "x86_64" || host.architecture == "AMD64";
    out.push_back({"os", windows10 && x64 ? "pass" : "fail", "Windows 10 64-bit",
                   fmt::format("{} {}", host.osName, host.architecture)});
    if (host.cpuMaxMhz) {
        out.push_back({"cpu", *host.cpuMaxMhz >= kMinCpuMhz ? "pass" : "fail", ">= 2.5 GHz",
                       fmt::format("{:.2f} GHz", *host.cpuMaxMhz / 1000.0)});
    } else {
        out.push_back({"cpu", "unknown", ">= 2.5 GHz", "clock not reported"});
    }
    out.push_back({"memory", host.memoryBytes >= kMinMemoryBytes ? "pass" : "fail", ">= 4 GB",
                   gib(host.memoryBytes)});
    out.push_back({"disk", host.systemDiskBytes >= kMinDiskBytes ? "pass" : "fail", ">= 100 GB",
                   fmt::format("{:.0f} GB", static_cast<double>(host.systemDiskBytes) / 1e9)});
    std::optional<int> bestNic;
    for (const auto& a : adapters) {
        if (a.physical && !a.loopback && a.speedMbps) {
            bestNic = std::max(bestNic.value_or(0), *a.speedMbps);
        }
    }
    if (bestNic) {
        out.push_back({"nic", *bestNic >= kMinNicMbps ? "pass" : "fail", ">= 100 Mb/s",
                       fmt::format("{} Mb/s", *bestNic)});
    } else {
        out.push_back({"nic", "unknown", ">= 100 Mb/s", "no physical adapter reports a speed"});
    }
    if (host.cameras.empty()) {
        out.push_back({"camera", "fail", ">= 1 MP", "no camera"});
    } else {
        std::uint64_t best = 0;
        for (const auto& c : host.cameras) {
            best = std::max(best, c.maxPixels.value_or(0));
        }
        if (best == 0) {
            out.push_back(
                {"camera", "unknown", ">= 1 MP",
                 fmt::format("{} camera(s), resolution not reported", host.cameras.size())});
        } else {
            out.push_back({"camera", best >= kMinCameraPixels ? "pass" : "fail", ">= 1 MP",
                           fmt::format("{:.1f} MP", static_cast<double>(best) / 1e6)});
        }
    }
    return out;
}

json buildReport(const Inventory& inv, const std::vector<Detection>& detections,
                 const std::string& timestamp, const std::string& nonce) {
    json r;
    r["schema"] = "examguard-agent-report/1";
    r["timestamp"] = timestamp;
    r["nonce"] = nonce;
    const auto& h = inv.host;
    r["host"] = {{"hostname", h.hostname},
                 {"os_name", h.osName},
                 {"os_version", h.osVersion},
                 {"architecture", h.architecture},
                 {"cpu_model", h.cpuModel},
                 {"cpu_count", h.cpuCount},
                 {"cpu_max_mhz", h.cpuMaxMhz ? json(*h.cpuMaxMhz) : json(nullptr)},
                 {"memory_bytes", h.memoryBytes},
                 {"system_disk_bytes", h.systemDiskBytes},
                 {"gateways", h.gateways}};
    json cameras = json::array();
    for (const auto& c : h.cameras) {
        cameras.push_back(
            {{"name", c.name}, {"max_pixels", c.maxPixels ? json(*c.maxPixels) : json(nullptr)}});
    }
    r["host"]["cameras"] = cameras;
    r["adapters"] = json::array();
    for (const auto& a : inv.adapters) {
        r["adapters"].push_back({{"name", a.name},
                                 {"mac", a.mac},
                                 {"addresses", a.addresses},
                                 {"speed_mbps", a.speedMbps ? json(*a.speedMbps) : json(nullptr)},
                                 {"up", a.up},
                                 {"loopback", a.loopback},
                                 {"physical", a.physical}});
    }
    r["processes"] = json::array();
    for (const auto& p : inv.processes) {
        json j = {{"pid", p.pid},         {"ppid", p.ppid},     {"name", p.name},
                  {"image", p.imagePath}, {"sha256", p.sha256}, {"cmdline", p.cmdline}};
        if (p.versionInfo) {
            j["version_info"] = p.versionInfo->strings;
        }
        if (!p.signers.empty()) {
            j["signers"] = json::array();
            for (const auto& s : p.signers) {
                j["signers"].push_back({{"subject_cn", s.subjectCommonName},
                                        {"subject_o", s.subjectOrganization},
                                        {"issuer_cn", s.issuerCommonName}});
            }
        }
        r["processes"].push_back(std::move(j));
    }
    r["installed"] = json::array();
    for (const auto& i : inv.installed) {
        r["installed"].push_back({{"name", i.name},
                                  {"display_name", i.displayName},
                                  {"version", i.version},
                                  {"source", i.source}});
    }
    r["services"] = json::array();
    for (const auto& s : inv.services) {
        r["services"].push_back({{"name", s.name}, {"source", s.source}});
    }
    r["listening"] = json::array();
    for (const auto& s : inv.listening) {
        r["listening"].push_back({{"transport", transportName(s.transport)},
                                  {"address", s.address},
                                  {"port", s.port},
                                  {"pids", s.pids}});
    }
    r["usb"] = json::array();
    for (const auto& u : inv.usb) {
        r["usb"].push_back({{"bus_path", u.busPath},
                            {"vid", fmt::format("{:04x}", u.vid)},
                            {"pid", fmt::format("{:04x}", u.pid)},
                            {"manufacturer", u.manufacturer},
                            {"product", u.product},
                            {"vendor_name", u.vendorName},
                            {"product_name", u.productName},
                            {"interface_classes", u.interfaceClasses}});
    }
    r["bluetooth_hid"] = json::array();
    for (const auto& b : inv.bluetoothHid) {
        r["bluetooth_hid"].push_back({{"id", b.id}, {"name", b.name}});
    }
    r["vm"] = {{"virtual_machine", inv.vm.virtualMachine()},
               {"sys_vendor", inv.vm.sysVendor},
               {"product_name", inv.vm.productName},
               {"cpu_hypervisor_flag", inv.vm.cpuHypervisorFlag},
               {"reasons", reasons(inv.vm.reasons)}};
    r["detections"] = json::array();
    for (const auto& d : detections) {
        r["detections"].push_back({{"kind", d.kind},
                                   {"app", d.app},
                                   {"name", d.name},
                                   {"subject", d.subject},
                                   {"renamed", d.renamed},
                                   {"source", d.source},
                                   {"reasons", reasons(d.reasons)}});
    }
    r["baseline"] = json::array();
    for (const auto& b : evaluateBaseline(inv.host, inv.adapters)) {
        r["baseline"].push_back({{"item", b.item},
                                 {"result", b.result},
                                 {"required", b.required},
                                 {"actual", b.actual}});
    }
    r["warnings"] = inv.warnings;
    return r;
}

std::string describe(const Detection& d) {
    std::string why;
    for (const auto& r : d.reasons) {
        why += fmt::format("{}{}={}", why.empty() ? "" : ", ", r.by, r.value);
    }
    return fmt::format("{} ({}) by {}{}", d.name, d.subject, why, d.renamed ? " [renamed]" : "");
}

json scanSummary(const Inventory& inv, const std::vector<Detection>& detections) {
    json out;
    out["host"] = inv.host.hostname;
    out["interfaces"] = json::array();
    for (const auto& a : inv.adapters) {
        out["interfaces"].push_back({{"name", a.name}, {"mac", a.mac}, {"ips", a.addresses}});
    }
    out["detections"] = json::array();
    for (const auto& d : detections) {
        const std::string kind =
            d.kind == "remote_control" || d.kind == "installed_software" ? d.source : d.kind;
        out["detections"].push_back({{"app", d.app}, {"kind", kind}, {"evidence", describe(d)}});
    }
    out["usb"] = json::array();
    for (const auto& u : inv.usb) {
        out["usb"].push_back({{"vid", fmt::format("{:04x}", u.vid)},
                              {"pid", fmt::format("{:04x}", u.pid)},
                              {"name", !u.productName.empty() ? u.productName : u.product}});
    }
    return out;
}

std::string canonicalBytes(const json& report) {
    return report.dump(-1, ' ', false, json::error_handler_t::replace);
}

std::string utcNow() {
    const auto now = std::chrono::floor<std::chrono::seconds>(std::chrono::system_clock::now());
    return fmt::format("{:%Y-%m-%dT%H:%M:%SZ}", now);
}

}  // namespace examguard::agent
