#pragma once

#include <filesystem>
#include <map>
#include <string>
#include <string_view>

#include <tl/expected.hpp>

#include "agent/error.h"
#include "agent/inventory.h"

namespace examguard::agent::linuxhost {

// Roots are parameters so tests can point them at a tree they write.
struct Paths {
    std::filesystem::path proc = "/proc";
    std::filesystem::path sys = "/sys";
    std::filesystem::path dpkgStatus = "/var/lib/dpkg/status";
    std::filesystem::path usbIds = "/usr/share/misc/usb.ids";
    std::filesystem::path osRelease = "/etc/os-release";
    std::filesystem::path systemdSystem = "/etc/systemd/system";
};

// USB vendor and product names from the usb.ids database.
class UsbIds {
public:
    static tl::expected<UsbIds, Error> parse(std::string_view text);
    static tl::expected<UsbIds, Error> load(const std::filesystem::path& path);
    std::string vendor(std::uint16_t vid) const;
    std::string product(std::uint16_t vid, std::uint16_t pid) const;
    std::size_t size() const { return m_names.size(); }

private:
    std::map<std::uint64_t, std::string>
        m_names;  // vid << 17 | pid, and vid << 17 | 0x10000 for the vendor
};

std::vector<ProcessInfo> listProcesses(const Paths& paths, bool hashImages,
                                       std::vector<std::string>& warnings);
std::vector<ListeningSocket> listListening(const Paths& paths, std::vector<std::string>& warnings);
tl::expected<std::vector<InstalledProgram>, Error> parseDpkgStatus(std::string_view text,
                                                                   std::string_view origin);
tl::expected<std::vector<InstalledProgram>, Error> readDpkgStatus(
    const std::filesystem::path& path);
std::vector<UsbDevice> listUsb(const Paths& paths, const UsbIds* ids,
                               std::vector<std::string>& warnings);
std::vector<BluetoothHid> listBluetoothHid(const Paths& paths);
std::vector<NetworkAdapter> listAdapters(const Paths& paths);
HostInfo readHost(const Paths& paths);
std::vector<ServiceEntry> listEnabledServices(const Paths& paths);
VmIndicators readVmIndicators(const Paths& paths, const std::vector<NetworkAdapter>& adapters,
                              const Catalogue& catalogue);

// SHA-256 of a file, lower-case hex.
tl::expected<std::string, Error> sha256File(const std::filesystem::path& path);

class LinuxBackend : public Backend {
public:
    explicit LinuxBackend(Paths paths = {}, const Catalogue& catalogue = Catalogue::builtIn())
        : m_paths(std::move(paths)), m_catalogue(catalogue) {}
    Inventory collect(const CollectOptions& options) override;

private:
    Paths m_paths;
    const Catalogue& m_catalogue;
};

}  // namespace examguard::agent::linuxhost
