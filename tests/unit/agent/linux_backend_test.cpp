// The Linux backend on this machine's real /proc, dpkg database and usb.ids, and on /sys trees the
// tests write.
#include <gtest/gtest.h>

#include <arpa/inet.h>
#include <netinet/in.h>
#include <signal.h>
#include <spawn.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <unistd.h>

#include <linux/videodev2.h>

#include <cstdio>
#include <fstream>
#include <random>

#include "agent/linux_backend.h"

extern char** environ;

namespace examguard::agent::linuxhost {
namespace {

namespace fs = std::filesystem;

class TempDir {
public:
    TempDir() {
        std::random_device rd;
        m_path = fs::temp_directory_path() / ("agent-test-" + std::to_string(rd()));
        fs::create_directories(m_path);
    }
    ~TempDir() {
        std::error_code ec;
        fs::remove_all(m_path, ec);
    }
    const fs::path& path() const { return m_path; }

private:
    fs::path m_path;
};

void write(const fs::path& path, const std::string& text) {
    fs::create_directories(path.parent_path());
    std::ofstream(path) << text;
}

std::string runOut(const std::string& command) {
    std::string out;
    FILE* p = popen(command.c_str(), "r");
    char buf[4096];
    while (p != nullptr && fgets(buf, sizeof buf, p) != nullptr) {
        out += buf;
    }
    if (p != nullptr) {
        pclose(p);
    }
    return out;
}

// A child process that lives until the test kills it.
class Child {
public:
    explicit Child(const fs::path& program) {
        const std::string path = program.string();
        char* argv[] = {const_cast<char*>(path.c_str()), const_cast<char*>("600"), nullptr};
        // posix_spawn returns once the child has exec'd (glibc uses CLONE_VFORK).
        EXPECT_EQ(posix_spawn(&m_pid, path.c_str(), nullptr, nullptr, argv, environ), 0);
    }
    ~Child() {
        kill(m_pid, SIGKILL);
        waitpid(m_pid, nullptr, 0);
    }
    pid_t pid() const { return m_pid; }

private:
    pid_t m_pid = -1;
};

TEST(LinuxProcesses, RenamedCopyOfARealProgramIsListedAndDetected) {
    TempDir dir;
    const fs::path tool = dir.path() / "AnyDesk";
    fs::copy_file("/bin/sleep", tool);
    fs::permissions(tool, fs::perms::owner_all);
    Child child(tool);
    std::vector<std::string> warnings;
    const auto processes = listProcesses(Paths{}, true, warnings);
    const auto it = std::find_if(processes.begin(), processes.end(),
                                 [&](const ProcessInfo& p) { return p.pid == child.pid(); });
    ASSERT_NE(it, processes.end());
    EXPECT_EQ(it->name, "AnyDesk");
    EXPECT_EQ(it->imagePath, tool.string());
    ASSERT_EQ(it->cmdline.size(), 2u);
    EXPECT_EQ(it->cmdline[1], "600");
    EXPECT_EQ(it->ppid, getpid());
    // Independent check of the image hash with coreutils.
    const std::string expected = runOut("sha256sum /bin/sleep").substr(0, 64);
    EXPECT_EQ(it->sha256, expected);

    Inventory inv;
    inv.processes = processes;
    const auto detections = detect(inv, Catalogue::builtIn());
    const auto hit = std::find_if(detections.begin(), detections.end(), [&](const Detection& d) {
        return d.app == "anydesk" && d.subject.find("pid " + std::to_string(child.pid())) == 0;
    });
    ASSERT_NE(hit, detections.end());
    EXPECT_EQ(hit->kind, "remote_control");
    EXPECT_EQ(hit->reasons.at(0).by, "process_name");
    EXPECT_FALSE(hit->renamed);
}

TEST(LinuxProcesses, FakeProcWithHostileEntries) {
    TempDir dir;
    const auto proc = dir.path() / "proc";
    write(proc / "42/comm", "x11vnc\n");
    write(proc / "42/stat", "42 (x) (evil)) S 7 42 42");
    write(proc / "42/cmdline", std::string("x11vnc\0-forever\0\xff\xfe", 19));
    write(proc / "notapid/comm", "ignored\n");
    write(proc / "43/stat", "43 (gone) Z 1");  // no comm: exited meanwhile
    std::vector<std::string> warnings;
    const auto processes = listProcesses(Paths{.proc = proc}, true, warnings);
    ASSERT_EQ(processes.size(), 1u);
    EXPECT_EQ(processes[0].pid, 42);
    EXPECT_EQ(processes[0].ppid, 7);
    ASSERT_EQ(processes[0].cmdline.size(), 3u);
    EXPECT_EQ(processes[0].cmdline[2], "\xEF\xBF\xBD\xEF\xBF\xBD");  // invalid UTF-8 replaced
    EXPECT_TRUE(processes[0].imagePath.empty());
}

TEST(LinuxListening, OwnListeningSocketFoundWithOurPid) {
    const int fd = socket(AF_INET, SOCK_STREAM, 0);
    ASSERT_GE(fd, 0);
    sockaddr_in addr{};
    addr.sin_family = AF_INET;
    addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    ASSERT_EQ(bind(fd, reinterpret_cast<sockaddr*>(&addr), sizeof addr), 0);
    ASSERT_EQ(listen(fd, 1), 0);
    socklen_t len = sizeof addr;
    getsockname(fd, reinterpret_cast<sockaddr*>(&addr), &len);
    const std::uint16_t port = ntohs(addr.sin_port);
    std::vector<std::string> warnings;
    const auto sockets = listListening(Paths{}, warnings);
    close(fd);
    const auto it = std::find_if(sockets.begin(), sockets.end(), [&](const ListeningSocket& s) {
        return s.transport == Transport::kTcp && s.port == port;
    });
    ASSERT_NE(it, sockets.end());
    EXPECT_EQ(it->address, "127.0.0.1");
    ASSERT_EQ(it->pids.size(), 1u);
    EXPECT_EQ(it->pids[0], getpid());
}

TEST(LinuxDpkg, RealDatabaseMatchesDpkgQuery) {
    const auto installed = readDpkgStatus("/var/lib/dpkg/status");
    ASSERT_TRUE(installed) << installed.error().detail;
    const int expected =
        std::stoi(runOut("dpkg-query -W -f '${Status}\\n' | grep -c ' installed$'"));
    EXPECT_EQ(static_cast<int>(installed->size()), expected);
    for (const char* name : {"dpkg", "libc6", "coreutils", "shim-signed"}) {
        const auto it = std::find_if(installed->begin(), installed->end(),
                                     [&](const InstalledProgram& p) { return p.name == name; });
        ASSERT_NE(it, installed->end()) << name;
        EXPECT_FALSE(it->version.empty());
        EXPECT_EQ(it->source, "dpkg");
    }
}

TEST(LinuxDpkg, OnlyInstalledPackagesAndDetections) {
    const auto installed = parseDpkgStatus(
        "Package: anydesk\nStatus: install ok installed\nVersion: 6.3.0\nDescription: x\n more\n\n"
        "Package: teamviewer\nStatus: deinstall ok config-files\nVersion: 15\n",
        "status");
    ASSERT_TRUE(installed) << installed.error().detail;
    ASSERT_EQ(installed->size(), 1u);
    Inventory inv;
    inv.installed = *installed;
    const auto d = detect(inv, Catalogue::builtIn());
    ASSERT_EQ(d.size(), 1u);
    EXPECT_EQ(d[0].kind, "installed_software");
    EXPECT_EQ(d[0].app, "anydesk");
    EXPECT_EQ(d[0].subject, "dpkg anydesk");
}

TEST(LinuxDpkg, MalformedNamesTheLine) {
    const auto leading = parseDpkgStatus(" orphan continuation\n", "st");
    ASSERT_FALSE(leading);
    EXPECT_EQ(leading.error().detail, "st: line 1 continues a field outside any stanza");
    const auto garbage =
        parseDpkgStatus("Package: a\nStatus: install ok installed\nbroken\n", "st");
    ASSERT_FALSE(garbage);
    EXPECT_EQ(garbage.error().detail, "st: line 3 is not 'Field: value'");
    const auto noName = parseDpkgStatus("Package: a\n\nVersion: 1\nStatus: x\n", "st");
    ASSERT_FALSE(noName);
    EXPECT_EQ(noName.error().detail, "st: stanza at line 3 has no Package field");
    const auto missing = readDpkgStatus("/nonexistent/status");
    ASSERT_FALSE(missing);
    EXPECT_EQ(missing.error().code, ErrorCode::kFileNotFound);
}

TEST(LinuxUsb, FakeSysTree) {
    TempDir dir;
    const auto usb = dir.path() / "sys/bus/usb/devices";
    const auto device = [&](const std::string& name, const std::string& vid, const std::string& pid,
                            const std::string& product, const std::string& cls) {
        write(usb / name / "idVendor", vid + "\n");
        write(usb / name / "idProduct", pid + "\n");
        if (!product.empty()) {
            write(usb / name / "product", product + "\n");
        }
        if (!cls.empty()) {
            write(usb / name / (name + ":1.0") / "bInterfaceClass", cls + "\n");
        }
    };
    device("usb1", "1d6b", "0002", "EHCI Host Controller", "09");
    device("1-1", "046d", "c52b", "USB Receiver", "03");
    device("1-2", "1a2c", "0e24", "2.4G Wireless Receiver", "03");
    device("1-3", "046d", "c077", "USB Optical Mouse", "03");
    device("1-4", "zz", "c52b", "", "");
    write(dir.path() / "sys/bus/hid/devices/0005:046D:B01A.0001/uevent",
          "DRIVER=hid-generic\nHID_NAME=MX Anywhere 2\nHID_ID=0005:0000046D:0000B01A\n");
    write(dir.path() / "sys/bus/hid/devices/0003:046D:C077.0002/uevent", "HID_NAME=wired\n");
    const auto ids = UsbIds::load("/usr/share/misc/usb.ids");
    ASSERT_TRUE(ids);
    const Paths paths{.sys = dir.path() / "sys"};
    std::vector<std::string> warnings;
    Inventory inv;
    inv.usb = listUsb(paths, &*ids, warnings);
    inv.bluetoothHid = listBluetoothHid(paths);
    ASSERT_EQ(inv.usb.size(), 4u);
    ASSERT_EQ(warnings.size(), 1u);
    EXPECT_NE(warnings[0].find("usb 1-4"), std::string::npos);
    EXPECT_EQ(inv.usb[0].busPath, "1-1");
    EXPECT_EQ(inv.usb[0].productName, "Unifying Receiver");
    EXPECT_EQ(inv.usb[0].vendorName, "Logitech, Inc.");
    EXPECT_EQ(inv.usb[0].interfaceClasses, std::vector<std::uint8_t>{0x03});
    ASSERT_EQ(inv.bluetoothHid.size(), 1u);
    EXPECT_EQ(inv.bluetoothHid[0].name, "MX Anywhere 2");

    const auto d = detect(inv, Catalogue::builtIn());
    ASSERT_EQ(d.size(), 3u);
    EXPECT_EQ(d[0].app, "046d:c52b");
    EXPECT_EQ(d[0].reasons[0].by, "usb_id");
    EXPECT_EQ(d[1].app, "1a2c:0e24");
    EXPECT_EQ(d[1].reasons[0].by, "hid_product_name");
    EXPECT_EQ(d[2].app, "bluetooth_hid");
    for (const auto& x : d) {
        EXPECT_EQ(x.kind, "wireless_peripheral");
    }
}

TEST(LinuxUsb, RealTreeIsWellFormed) {
    std::vector<std::string> warnings;
    const auto ids = UsbIds::load("/usr/share/misc/usb.ids");
    const auto devices = listUsb(Paths{}, ids ? &*ids : nullptr, warnings);
    // This machine may have no USB bus at all (a container); what is there must be well-formed.
    EXPECT_TRUE(warnings.empty());
    for (const auto& d : devices) {
        EXPECT_FALSE(d.busPath.empty());
        EXPECT_EQ(d.busPath.find(':'), std::string::npos);
    }
    if (!fs::exists("/sys/bus/usb/devices")) {
        EXPECT_TRUE(devices.empty());
    }
}

// A stand-in for camera drivers (this machine has no camera and cannot load v4l2loopback or
// vivid): answers the V4L2 queries listCameras makes, per device file, as a UVC webcam (a capture
// node and its metadata node), a multi-planar CSI sensor with a stepwise range, and a node whose
// driver refuses VIDIOC_QUERYCAP. The real ioctl path is the same code with ::ioctl.
int fakeCameraDrivers(int fd, unsigned long request, void* argument) {
    char link[64];
    std::snprintf(link, sizeof link, "/proc/self/fd/%d", fd);
    const std::string node = fs::read_symlink(link).filename().string();
    if (request == VIDIOC_QUERYCAP) {
        auto* caps = static_cast<v4l2_capability*>(argument);
        caps->capabilities = V4L2_CAP_DEVICE_CAPS | V4L2_CAP_VIDEO_CAPTURE | V4L2_CAP_META_CAPTURE;
        if (node == "video0") {
            caps->device_caps = V4L2_CAP_VIDEO_CAPTURE | V4L2_CAP_STREAMING;
        } else if (node == "video1") {
            caps->device_caps = V4L2_CAP_META_CAPTURE | V4L2_CAP_STREAMING;
        } else if (node == "video2") {
            caps->device_caps = V4L2_CAP_VIDEO_CAPTURE_MPLANE | V4L2_CAP_STREAMING;
        } else {
            errno = ENOTTY;
            return -1;
        }
        return 0;
    }
    if (request == VIDIOC_ENUM_FMT) {
        auto* format = static_cast<v4l2_fmtdesc*>(argument);
        const std::vector<std::uint32_t> formats =
            node == "video0" ? std::vector<std::uint32_t>{V4L2_PIX_FMT_MJPEG, V4L2_PIX_FMT_YUYV}
                             : std::vector<std::uint32_t>{V4L2_PIX_FMT_NV12};
        const std::uint32_t wanted =
            node == "video0" ? V4L2_BUF_TYPE_VIDEO_CAPTURE : V4L2_BUF_TYPE_VIDEO_CAPTURE_MPLANE;
        if (format->type != wanted || format->index >= formats.size()) {
            errno = EINVAL;
            return -1;
        }
        format->pixelformat = formats[format->index];
        return 0;
    }
    if (request == VIDIOC_ENUM_FRAMESIZES) {
        auto* size = static_cast<v4l2_frmsizeenum*>(argument);
        if (size->pixel_format == V4L2_PIX_FMT_NV12 && size->index == 0) {
            size->type = V4L2_FRMSIZE_TYPE_STEPWISE;
            size->stepwise = {32, 4096, 2, 32, 2160, 2};
            return 0;
        }
        const std::vector<std::pair<std::uint32_t, std::uint32_t>> sizes =
            size->pixel_format == V4L2_PIX_FMT_MJPEG
                ? std::vector<std::pair<std::uint32_t, std::uint32_t>>{{1280, 720}, {1920, 1080}}
                : std::vector<std::pair<std::uint32_t, std::uint32_t>>{{640, 480}};
        if (size->pixel_format == V4L2_PIX_FMT_NV12 || size->index >= sizes.size()) {
            errno = EINVAL;
            return -1;
        }
        size->type = V4L2_FRMSIZE_TYPE_DISCRETE;
        size->discrete = {sizes[size->index].first, sizes[size->index].second};
        return 0;
    }
    errno = ENOTTY;
    return -1;
}

TEST(LinuxCameras, CaptureNodesWithTheirLargestFrame) {
    TempDir dir;
    Paths paths;
    paths.sys = dir.path() / "sys";
    paths.dev = dir.path() / "dev";
    fs::create_directories(paths.dev);
    const std::pair<const char*, const char*> nodes[] = {{"video0", "UVC Camera"},
                                                         {"video1", "UVC Camera"},
                                                         {"video2", "CSI sensor"},
                                                         {"video3", "No device file"},
                                                         {"video4", "Refuses queries"}};
    for (const auto& [node, name] : nodes) {
        const auto sysNode = paths.sys / "class/video4linux" / node;
        fs::create_directories(sysNode);
        std::ofstream(sysNode / "name") << name << "\n";
        if (std::string(node) != "video3") {
            std::ofstream(paths.dev / node) << "";
        }
    }
    const auto cameras = listCameras(paths, fakeCameraDrivers);
    ASSERT_EQ(cameras.size(), 4u);  // the metadata node is not a camera
    EXPECT_EQ(cameras[0].name, "UVC Camera");
    EXPECT_EQ(cameras[0].maxPixels, std::optional<std::uint64_t>(1920ull * 1080));
    EXPECT_EQ(cameras[1].name, "CSI sensor");
    EXPECT_EQ(cameras[1].maxPixels, std::optional<std::uint64_t>(4096ull * 2160));
    // Not openable, or not answering: still cameras, resolution unknown.
    EXPECT_EQ(cameras[2].name, "No device file");
    EXPECT_FALSE(cameras[2].maxPixels);
    EXPECT_EQ(cameras[3].name, "Refuses queries");
    EXPECT_FALSE(cameras[3].maxPixels);
}

TEST(LinuxVm, FakeDmiCpuAndMac) {
    TempDir dir;
    write(dir.path() / "sys/class/dmi/id/sys_vendor", "innotek GmbH\n");
    write(dir.path() / "sys/class/dmi/id/product_name", "VirtualBox\n");
    write(dir.path() / "proc/cpuinfo", "processor : 0\nflags : fpu sse hypervisor lahf_lm\n");
    std::vector<NetworkAdapter> adapters(2);
    adapters[0] = {.name = "enp0s3", .mac = "08:00:27:aa:bb:cc", .physical = true};
    adapters[1] = {.name = "virbr0", .mac = "52:54:00:00:00:01", .physical = false};
    const auto vm = readVmIndicators(Paths{.proc = dir.path() / "proc", .sys = dir.path() / "sys"},
                                     adapters, Catalogue::builtIn());
    ASSERT_EQ(vm.reasons.size(), 4u);
    EXPECT_EQ(vm.reasons[0].by, "dmi");
    EXPECT_EQ(vm.reasons[0].value, "innotek GmbH");
    EXPECT_EQ(vm.reasons[1].value, "VirtualBox");
    EXPECT_EQ(vm.reasons[2].by, "cpu_flag");
    EXPECT_EQ(vm.reasons[3].by, "mac_prefix");
    EXPECT_EQ(vm.reasons[3].value, "enp0s3 08:00:27:aa:bb:cc (VirtualBox)");

    const auto bare = readVmIndicators(
        Paths{.proc = dir.path() / "none", .sys = dir.path() / "none"}, {}, Catalogue::builtIn());
    EXPECT_FALSE(bare.virtualMachine());
}

TEST(LinuxBackend, CollectsThisMachine) {
    LinuxBackend backend;
    const auto inv = backend.collect(CollectOptions{.hashImages = false});
    EXPECT_FALSE(inv.host.hostname.empty());
    EXPECT_GT(inv.host.memoryBytes, 0u);
    EXPECT_GT(inv.host.cpuCount, 0);
    EXPECT_GT(inv.host.systemDiskBytes, 0u);
    EXPECT_TRUE(std::any_of(inv.processes.begin(), inv.processes.end(),
                            [](const ProcessInfo& p) { return p.pid == getpid(); }));
    EXPECT_GT(inv.installed.size(), 100u);
    EXPECT_TRUE(std::any_of(inv.adapters.begin(), inv.adapters.end(),
                            [](const NetworkAdapter& a) { return a.loopback; }));
}

}  // namespace
}  // namespace examguard::agent::linuxhost
