#pragma once

#include <filesystem>
#include <functional>
#include <map>
#include <optional>
#include <string>
#include <string_view>

#include <tl/expected.hpp>

#include "agent/error.h"
#include "agent/inventory.h"
#include "agent/usb_ids.h"

namespace examguard::agent::linuxhost {

// Roots are parameters so tests can point them at a tree they write.
struct Paths {
    std::filesystem::path proc = "/proc";
    std::filesystem::path sys = "/sys";
    std::filesystem::path dpkgStatus = "/var/lib/dpkg/status";
    std::filesystem::path usbIds = "/usr/share/misc/usb.ids";
    std::filesystem::path osRelease = "/etc/os-release";
    std::filesystem::path systemdSystem = "/etc/systemd/system";
    std::filesystem::path dev = "/dev";
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

// What one V4L2 device node says of itself: whether it answered VIDIOC_QUERYCAP, whether it
// captures video, and the largest frame (width × height) any of its formats offers.
struct CaptureQuery {
    bool answered = false;
    bool capture = false;
    std::optional<std::uint64_t> maxPixels;
};
// ioctl(2), passed in so tests can stand in for a camera driver (this machine has none).
using V4l2Ioctl = std::function<int(int fd, unsigned long request, void* argument)>;
int systemIoctl(int fd, unsigned long request, void* argument);
CaptureQuery queryCaptureDevice(int fd, const V4l2Ioctl& ioctl);
// The cameras under paths.sys/class/video4linux, each opened at paths.dev and queried.
std::vector<Camera> listCameras(const Paths& paths, const V4l2Ioctl& ioctl = systemIoctl);
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
