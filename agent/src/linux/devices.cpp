// USB devices from /sys/bus/usb/devices named through usb.ids (agent/usb_ids.h), and Bluetooth HID
// devices from /sys/bus/hid/devices (bus 0005).
#include <algorithm>
#include <charconv>

#include <fmt/format.h>

#include "agent/linux_backend.h"
#include "linux/fs_util.h"
#include "text.h"

namespace examguard::agent::linuxhost {

namespace fs = std::filesystem;

std::vector<UsbDevice> listUsb(const Paths& paths, const UsbIds* ids,
                               std::vector<std::string>& warnings) {
    std::vector<UsbDevice> out;
    const fs::path root = paths.sys / "bus/usb/devices";
    std::error_code ec;
    if (!fs::exists(root, ec)) {
        return out;  // no USB bus (containers, some VMs)
    }
    for (const auto& entry : fs::directory_iterator(root, ec)) {
        const std::string name = entry.path().filename().string();
        if (name.find(':') != std::string::npos) {
            continue;  // an interface, read with its device
        }
        const auto vidText = readAttribute(entry.path() / "idVendor");
        const auto pidText = readAttribute(entry.path() / "idProduct");
        if (!vidText || !pidText) {
            continue;
        }
        const auto vid = parseHexDigits(*vidText, 4);
        const auto pid = parseHexDigits(*pidText, 4);
        if (!vid || !pid) {
            warnings.push_back(
                fmt::format("usb {}: idVendor '{}' / idProduct '{}' are not 4 hex "
                            "digits",
                            name, sanitizeUtf8(*vidText), sanitizeUtf8(*pidText)));
            continue;
        }
        UsbDevice d;
        d.busPath = name;
        d.vid = static_cast<std::uint16_t>(*vid);
        d.pid = static_cast<std::uint16_t>(*pid);
        d.manufacturer = sanitizeUtf8(readAttribute(entry.path() / "manufacturer").value_or(""));
        d.product = sanitizeUtf8(readAttribute(entry.path() / "product").value_or(""));
        if (ids != nullptr) {
            d.vendorName = ids->vendor(d.vid);
            d.productName = ids->product(d.vid, d.pid);
        }
        std::error_code subEc;
        for (const auto& sub : fs::directory_iterator(entry.path(), subEc)) {
            const std::string subName = sub.path().filename().string();
            if (!subName.starts_with(name + ":")) {
                continue;
            }
            if (const auto cls = readAttribute(sub.path() / "bInterfaceClass")) {
                if (const auto v = parseHexDigits(*cls, 2)) {
                    d.interfaceClasses.push_back(static_cast<std::uint8_t>(*v));
                }
            }
        }
        std::sort(d.interfaceClasses.begin(), d.interfaceClasses.end());
        out.push_back(std::move(d));
    }
    std::sort(out.begin(), out.end(),
              [](const UsbDevice& a, const UsbDevice& b) { return a.busPath < b.busPath; });
    return out;
}

std::vector<BluetoothHid> listBluetoothHid(const Paths& paths) {
    std::vector<BluetoothHid> out;
    std::error_code ec;
    for (const auto& entry : fs::directory_iterator(paths.sys / "bus/hid/devices", ec)) {
        const std::string id = entry.path().filename().string();
        if (!id.starts_with("0005:")) {
            continue;  // 0005 = BUS_BLUETOOTH
        }
        BluetoothHid h;
        h.id = sanitizeUtf8(id);
        if (const auto uevent = readSmallFile(entry.path() / "uevent", 64 * 1024)) {
            const auto at = uevent->find("HID_NAME=");
            if (at != std::string::npos) {
                const auto end = uevent->find('\n', at);
                h.name = sanitizeUtf8(uevent->substr(
                    at + 9, end == std::string::npos ? std::string::npos : end - at - 9));
            }
        }
        out.push_back(std::move(h));
    }
    return out;
}

}  // namespace examguard::agent::linuxhost
