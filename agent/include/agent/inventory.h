#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "agent/catalogue.h"
#include "agent/pe.h"

namespace examguard::agent {

struct ProcessInfo {
    int pid = 0;
    int ppid = 0;
    std::string name;       // Linux comm / Windows image base name
    std::string imagePath;  // empty when unreadable (another user's process without privileges)
    std::string sha256;     // of the image file; empty when unreadable
    std::vector<std::string> cmdline;
    std::optional<PeVersionInfo> versionInfo;  // PE images only
    std::vector<PeSigner> signers;             // PE images only
};

struct InstalledProgram {
    std::string name;  // dpkg package / Uninstall key name
    std::string displayName;
    std::string version;
    std::string source;  // "dpkg", "uninstall"
};

struct ServiceEntry {
    std::string name;
    std::string source;  // "systemd-enabled", "windows-service", "run-key"
};

struct ListeningSocket {
    Transport transport = Transport::kTcp;
    std::string address;
    std::uint16_t port = 0;
    std::vector<int> pids;  // owners found through /proc/PID/fd; empty when not visible
};

struct UsbDevice {
    std::string busPath;  // "1-1.2"
    std::uint16_t vid = 0;
    std::uint16_t pid = 0;
    std::string manufacturer;  // device's own strings
    std::string product;
    std::string vendorName;  // usb.ids
    std::string productName;
    std::vector<std::uint8_t> interfaceClasses;  // 0x03 HID, 0x0e video, 0xe0 wireless
};

struct BluetoothHid {
    std::string id;  // "0005:046D:B01A.0003"
    std::string name;
};

struct NetworkAdapter {
    std::string name;
    std::string mac;  // lower case "aa:bb:cc:dd:ee:ff"
    std::vector<std::string> addresses;
    std::optional<int> speedMbps;
    bool up = false;
    bool loopback = false;
    bool physical = false;  // backed by a device (not a bridge, veth, tun)
};

struct Camera {
    std::string name;
    std::optional<std::uint64_t> maxPixels;  // unknown unless the backend can ask the driver
};

struct HostInfo {
    std::string hostname;
    std::string osName;
    std::string osVersion;
    std::string architecture;  // "x86_64"
    std::string cpuModel;
    int cpuCount = 0;
    std::optional<double> cpuMaxMhz;
    std::uint64_t memoryBytes = 0;
    std::uint64_t systemDiskBytes = 0;
    std::vector<std::string> gateways;
    std::vector<Camera> cameras;
};

struct VmIndicators {
    std::string sysVendor;
    std::string productName;
    bool cpuHypervisorFlag = false;
    std::vector<MatchReason> reasons;  // dmi, cpu_flag, mac_prefix
    bool virtualMachine() const { return !reasons.empty(); }
};

struct Inventory {
    HostInfo host;
    std::vector<NetworkAdapter> adapters;
    std::vector<ProcessInfo> processes;
    std::vector<InstalledProgram> installed;
    std::vector<ServiceEntry> services;
    std::vector<ListeningSocket> listening;
    std::vector<UsbDevice> usb;
    std::vector<BluetoothHid> bluetoothHid;
    VmIndicators vm;
    std::vector<std::string> warnings;  // parts that could not be read, with the reason
};

struct CollectOptions {
    bool hashImages = true;
};

// A platform's inventory. The agent only reads: no backend may change the PC.
class Backend {
public:
    virtual ~Backend() = default;
    virtual Inventory collect(const CollectOptions& options) = 0;
};

// kind: remote_control, installed_software, wireless_peripheral, virtual_machine
struct Detection {
    std::string kind;
    std::string app;  // catalogue id, or VID:PID for a receiver, or hypervisor name
    std::string name;
    std::string subject;  // "pid 1234 /opt/x/AnyDesk", "dpkg anydesk", "usb 1-1.2"
    std::vector<MatchReason> reasons;
    bool renamed = false;
    // Where it was seen: process, listening, installed, service, usb, bluetooth, host.
    std::string source;
};

std::vector<Detection> detect(const Inventory& inventory, const Catalogue& catalogue);

}  // namespace examguard::agent
