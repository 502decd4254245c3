// Host facts, network adapters, enabled services and VM indicators on Linux, and the backend that
// gathers everything.
#include <arpa/inet.h>
#include <ifaddrs.h>
#include <net/if.h>
#include <netinet/in.h>
#include <sys/statvfs.h>
#include <sys/utsname.h>
#include <unistd.h>

#include <algorithm>
#include <sstream>

#include <fmt/format.h>

#include "agent/linux_backend.h"
#include "linux/fs_util.h"
#include "text.h"

namespace examguard::agent::linuxhost {

namespace fs = std::filesystem;

std::vector<NetworkAdapter> listAdapters(const Paths& paths) {
    std::vector<NetworkAdapter> out;
    std::error_code ec;
    for (const auto& entry : fs::directory_iterator(paths.sys / "class/net", ec)) {
        NetworkAdapter a;
        a.name = sanitizeUtf8(entry.path().filename().string());
        a.mac = asciiLower(readAttribute(entry.path() / "address").value_or(""));
        a.up = readAttribute(entry.path() / "operstate").value_or("") == "up";
        a.loopback = readAttribute(entry.path() / "type").value_or("") == "772";
        a.physical = fs::exists(entry.path() / "device", ec);
        if (const auto speed = readAttribute(entry.path() / "speed")) {
            try {
                const int mbps = std::stoi(*speed);
                if (mbps > 0) {
                    a.speedMbps = mbps;
                }
            } catch (const std::exception&) {
            }
        }
        out.push_back(std::move(a));
    }
    ifaddrs* list = nullptr;
    if (paths.sys == "/sys" && getifaddrs(&list) == 0) {
        for (ifaddrs* i = list; i != nullptr; i = i->ifa_next) {
            if (i->ifa_addr == nullptr || i->ifa_name == nullptr) {
                continue;
            }
            char text[INET6_ADDRSTRLEN] = {};
            if (i->ifa_addr->sa_family == AF_INET) {
                inet_ntop(AF_INET, &reinterpret_cast<sockaddr_in*>(i->ifa_addr)->sin_addr, text,
                          sizeof text);
            } else if (i->ifa_addr->sa_family == AF_INET6) {
                inet_ntop(AF_INET6, &reinterpret_cast<sockaddr_in6*>(i->ifa_addr)->sin6_addr, text,
                          sizeof text);
            } else {
                continue;
            }
            for (auto& a : out) {
                if (a.name == i->ifa_name) {
                    a.addresses.emplace_back(text);
                }
            }
        }
        freeifaddrs(list);
    }
    std::sort(out.begin(), out.end(),
              [](const NetworkAdapter& a, const NetworkAdapter& b) { return a.name < b.name; });
    return out;
}

namespace {

std::string osReleaseField(const std::string& text, const std::string& key) {
    std::istringstream in(text);
    std::string line;
    while (std::getline(in, line)) {
        if (line.starts_with(key + "=")) {
            std::string v = line.substr(key.size() + 1);
            if (v.size() >= 2 && (v.front() == '"' || v.front() == '\'') && v.back() == v.front()) {
                v = v.substr(1, v.size() - 2);
            }
            return sanitizeUtf8(v);
        }
    }
    return {};
}

std::vector<std::string> gateways(const Paths& paths) {
    std::vector<std::string> out;
    const auto route = readSmallFile(paths.proc / "net/route", 1 << 20);
    if (!route) {
        return out;
    }
    std::istringstream in(*route);
    std::string line;
    std::getline(in, line);
    while (std::getline(in, line)) {
        std::istringstream f(line);
        std::string iface, dest, gw;
        if (f >> iface >> dest >> gw && dest == "00000000" && gw.size() == 8) {
            try {
                const auto v = static_cast<std::uint32_t>(std::stoul(gw, nullptr, 16));
                out.push_back(fmt::format("{}.{}.{}.{}", v & 0xff, (v >> 8) & 0xff,
                                          (v >> 16) & 0xff, v >> 24));
            } catch (const std::exception&) {
            }
        }
    }
    return out;
}

}  // namespace

HostInfo readHost(const Paths& paths) {
    HostInfo h;
    char name[256] = {};
    if (gethostname(name, sizeof name - 1) == 0) {
        h.hostname = sanitizeUtf8(name);
    }
    if (const auto os = readSmallFile(paths.osRelease, 64 * 1024)) {
        h.osName = osReleaseField(*os, "PRETTY_NAME");
        h.osVersion = osReleaseField(*os, "VERSION_ID");
    }
    utsname u{};
    if (uname(&u) == 0) {
        h.architecture = u.machine;
    }
    if (const auto cpuinfo = readSmallFile(paths.proc / "cpuinfo", 16 << 20)) {
        std::istringstream in(*cpuinfo);
        std::string line;
        double maxMhz = 0;
        while (std::getline(in, line)) {
            const auto colon = line.find(':');
            if (colon == std::string::npos) {
                continue;
            }
            const std::string key = trim(line.substr(0, colon));
            const std::string value = trim(line.substr(colon + 1));
            if (key == "processor") {
                ++h.cpuCount;
            } else if (key == "model name" && h.cpuModel.empty()) {
                h.cpuModel = sanitizeUtf8(value);
            } else if (key == "cpu MHz") {
                try {
                    maxMhz = std::max(maxMhz, std::stod(value));
                } catch (const std::exception&) {
                }
            }
        }
        if (maxMhz > 0) {
            h.cpuMaxMhz = maxMhz;
        }
    }
    if (const auto khz =
            readAttribute(paths.sys / "devices/system/cpu/cpu0/cpufreq/cpuinfo_max_freq")) {
        try {
            h.cpuMaxMhz = std::stod(*khz) / 1000.0;
        } catch (const std::exception&) {
        }
    }
    if (const auto meminfo = readSmallFile(paths.proc / "meminfo", 1 << 20)) {
        const auto at = meminfo->find("MemTotal:");
        if (at != std::string::npos) {
            try {
                h.memoryBytes = std::stoull(meminfo->substr(at + 9)) * 1024;
            } catch (const std::exception&) {
            }
        }
    }
    struct statvfs vfs {};
    if (statvfs("/", &vfs) == 0) {
        h.systemDiskBytes = static_cast<std::uint64_t>(vfs.f_blocks) * vfs.f_frsize;
    }
    h.gateways = gateways(paths);
    h.cameras = listCameras(paths);
    return h;
}

std::vector<ServiceEntry> listEnabledServices(const Paths& paths) {
    std::vector<ServiceEntry> out;
    std::error_code ec;
    for (const auto& wants : fs::directory_iterator(paths.systemdSystem, ec)) {
        const std::string dir = wants.path().filename().string();
        if (!dir.ends_with(".wants")) {
            continue;
        }
        std::error_code inner;
        for (const auto& unit : fs::directory_iterator(wants.path(), inner)) {
            const std::string name = sanitizeUtf8(unit.path().filename().string());
            if (name.ends_with(".service") &&
                std::none_of(out.begin(), out.end(),
                             [&](const ServiceEntry& s) { return s.name == name; })) {
                out.push_back(ServiceEntry{name, "systemd-enabled"});
            }
        }
    }
    std::sort(out.begin(), out.end(),
              [](const ServiceEntry& a, const ServiceEntry& b) { return a.name < b.name; });
    return out;
}

VmIndicators readVmIndicators(const Paths& paths, const std::vector<NetworkAdapter>& adapters,
                              const Catalogue& catalogue) {
    VmIndicators vm;
    vm.sysVendor = sanitizeUtf8(readAttribute(paths.sys / "class/dmi/id/sys_vendor").value_or(""));
    vm.productName =
        sanitizeUtf8(readAttribute(paths.sys / "class/dmi/id/product_name").value_or(""));
    for (const auto& text : {vm.sysVendor, vm.productName}) {
        if (const auto hit = catalogue.virtualDmiMatch(text); !text.empty() && !hit.empty()) {
            vm.reasons.push_back(MatchReason{"dmi", text});
        }
    }
    if (const auto cpuinfo = readSmallFile(paths.proc / "cpuinfo", 16 << 20)) {
        std::istringstream in(*cpuinfo);
        std::string line;
        while (std::getline(in, line)) {
            if (line.starts_with("flags") &&
                (line.find(" hypervisor ") != std::string::npos || line.ends_with(" hypervisor"))) {
                vm.cpuHypervisorFlag = true;
                vm.reasons.push_back(MatchReason{"cpu_flag", "hypervisor"});
                break;
            }
        }
    }
    for (const auto& a : adapters) {
        if (!a.physical || a.loopback) {
            continue;  // bridges and veths carry made-up MACs
        }
        if (const auto vendor = catalogue.virtualMacVendor(a.mac); !vendor.empty()) {
            vm.reasons.push_back(
                MatchReason{"mac_prefix", fmt::format("{} {} ({})", a.name, a.mac, vendor)});
        }
    }
    return vm;
}

Inventory LinuxBackend::collect(const CollectOptions& options) {
    Inventory inv;
    inv.host = readHost(m_paths);
    inv.adapters = listAdapters(m_paths);
    inv.processes = listProcesses(m_paths, options.hashImages, inv.warnings);
    if (auto installed = readDpkgStatus(m_paths.dpkgStatus)) {
        inv.installed = std::move(*installed);
    } else if (installed.error().code != ErrorCode::kFileNotFound) {
        inv.warnings.push_back(fmt::format("installed programs: {}", installed.error().detail));
    }
    inv.services = listEnabledServices(m_paths);
    inv.listening = listListening(m_paths, inv.warnings);
    const auto ids = UsbIds::load(m_paths.usbIds);
    if (!ids) {
        inv.warnings.push_back(fmt::format("usb names: {}", ids.error().detail));
    }
    inv.usb = listUsb(m_paths, ids ? &*ids : nullptr, inv.warnings);
    inv.bluetoothHid = listBluetoothHid(m_paths);
    inv.vm = readVmIndicators(m_paths, inv.adapters, m_catalogue);
    return inv;
}

}  // namespace examguard::agent::linuxhost
