#include <fmt/format.h>

#include "agent/inventory.h"

namespace examguard::agent {

namespace {

std::string baseName(std::string_view path) {
    const auto slash = path.find_last_of("/\\");
    return std::string(slash == std::string_view::npos ? path : path.substr(slash + 1));
}

void addAll(std::vector<Detection>& out, const std::string& kind, const std::string& source,
            const std::string& subject, const std::vector<AppMatch>& matches) {
    for (const auto& m : matches) {
        out.push_back(Detection{kind, m.app, m.name, subject, m.reasons, m.renamed, source});
    }
}

}  // namespace

std::vector<Detection> detect(const Inventory& inventory, const Catalogue& catalogue) {
    std::vector<Detection> out;
    for (const auto& p : inventory.processes) {
        ExecutableFacts facts;
        facts.names.push_back(p.name);
        if (!p.imagePath.empty()) {
            facts.names.push_back(baseName(p.imagePath));
        }
        if (!p.cmdline.empty()) {
            facts.names.push_back(baseName(p.cmdline.front()));
        }
        facts.versionInfo = p.versionInfo ? &*p.versionInfo : nullptr;
        facts.signers = &p.signers;
        addAll(out, "remote_control", "process",
               fmt::format("pid {} {}", p.pid, p.imagePath.empty() ? p.name : p.imagePath),
               catalogue.matchExecutable(facts));
    }
    for (const auto& s : inventory.listening) {
        std::string owners;
        for (const int pid : s.pids) {
            owners += fmt::format("{}{}", owners.empty() ? " pid " : ",", pid);
        }
        addAll(out, "remote_control", "listening",
               fmt::format("listening {}/{}{}", s.transport == Transport::kUdp ? "udp" : "tcp",
                           s.port, owners),
               catalogue.matchListening(s.transport, s.port));
    }
    for (const auto& i : inventory.installed) {
        addAll(out, "installed_software", "installed", fmt::format("{} {}", i.source, i.name),
               catalogue.matchInstalled(i.name));
    }
    for (const auto& s : inventory.services) {
        addAll(out, "installed_software", "service", fmt::format("service {}", s.name),
               catalogue.matchService(s.name));
    }
    for (const auto& u : inventory.usb) {
        const std::string id = fmt::format("{:04x}:{:04x}", u.vid, u.pid);
        const std::string label = !u.product.empty() ? u.product : u.productName;
        if (const auto* r = catalogue.receiver(u.vid, u.pid)) {
            out.push_back(Detection{"wireless_peripheral",
                                    id,
                                    r->name,
                                    fmt::format("usb {}", u.busPath),
                                    {MatchReason{"usb_id", id}},
                                    false,
                                    "usb"});
        } else if (std::find(u.interfaceClasses.begin(), u.interfaceClasses.end(), 0x03) !=
                       u.interfaceClasses.end() &&
                   catalogue.soundsWireless(label)) {
            out.push_back(Detection{"wireless_peripheral",
                                    id,
                                    label,
                                    fmt::format("usb {}", u.busPath),
                                    {MatchReason{"hid_product_name", label}},
                                    false,
                                    "usb"});
        }
    }
    for (const auto& b : inventory.bluetoothHid) {
        out.push_back(Detection{"wireless_peripheral",
                                "bluetooth_hid",
                                b.name,
                                fmt::format("bluetooth {}", b.id),
                                {MatchReason{"bluetooth_hid", b.id}},
                                false,
                                "bluetooth"});
    }
    if (inventory.vm.virtualMachine()) {
        out.push_back(Detection{"virtual_machine", "virtual_machine",
                                inventory.vm.sysVendor.empty() ? std::string("virtual machine")
                                                               : inventory.vm.sysVendor,
                                "host", inventory.vm.reasons, false, "host"});
    }
    return out;
}

}  // namespace examguard::agent
