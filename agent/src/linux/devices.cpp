// USB devices from /sys/bus/usb/devices named through usb.ids, and Bluetooth HID devices from
// /sys/bus/hid/devices (bus 0005).
#include <algorithm>
#include <charconv>

#include <fmt/format.h>

#include "agent/linux_backend.h"
#include "linux/fs_util.h"
#include "text.h"

namespace examguard::agent::linuxhost {

namespace fs = std::filesystem;

namespace {

std::optional<std::uint32_t> parseHex(std::string_view s, std::size_t digits) {
    if (s.size() != digits) {
        return std::nullopt;
    }
    std::uint32_t v = 0;
    const auto [p, ec] = std::from_chars(s.data(), s.data() + s.size(), v, 16);
    if (ec != std::errc{} || p != s.data() + s.size()) {
        return std::nullopt;
    }
    return v;
}

constexpr std::uint32_t kVendorKey = 0x10000;

}  // namespace

tl::expected<UsbIds, Error> UsbIds::parse(std::string_view text) {
    UsbIds ids;
    std::optional<std::uint32_t> vendor;
    std::size_t pos = 0;
    std::size_t lineNo = 0;
    while (pos < text.size()) {
        const auto end = std::min(text.find('\n', pos), text.size());
        std::string_view line = text.substr(pos, end - pos);
        pos = end + 1;
        ++lineNo;
        if (line.empty() || line.front() == '#') {
            continue;
        }
        if (line.front() != '\t') {
            // "vvvv  Vendor name"; other sections ("C 00  class") end the vendor list.
            const auto id = parseHex(line.substr(0, std::min<std::size_t>(4, line.size())), 4);
            if (!id || line.size() < 7 || line.substr(4, 2) != "  ") {
                if (line.size() > 1 && line[1] == ' ' &&
                    std::isupper(static_cast<unsigned char>(line[0]))) {
                    break;
                }
                return tl::unexpected(
                    Error{ErrorCode::kMalformedData,
                          fmt::format("usb.ids line {}: expected 'vvvv  name'", lineNo)});
            }
            vendor = *id;
            ids.m_names[(static_cast<std::uint64_t>(*id) << 17) | kVendorKey] =
                sanitizeUtf8(line.substr(6));
            continue;
        }
        if (line.size() > 1 && line[1] == '\t') {
            continue;  // interface lines
        }
        const auto id = parseHex(line.substr(1, std::min<std::size_t>(4, line.size() - 1)), 4);
        if (!vendor || !id || line.size() < 8) {
            return tl::unexpected(Error{ErrorCode::kMalformedData,
                                        fmt::format("usb.ids line {}: expected '\\tpppp  name' "
                                                    "under a vendor",
                                                    lineNo)});
        }
        ids.m_names[(static_cast<std::uint64_t>(*vendor) << 17) | *id] =
            sanitizeUtf8(line.substr(7));
    }
    return ids;
}

tl::expected<UsbIds, Error> UsbIds::load(const fs::path& path) {
    const auto text = readSmallFile(path, 16 << 20);
    if (!text) {
        return tl::unexpected(
            Error{ErrorCode::kFileNotFound, fmt::format("{}: cannot read", path.string())});
    }
    return parse(*text);
}

std::string UsbIds::vendor(std::uint16_t vid) const {
    const auto it = m_names.find((static_cast<std::uint64_t>(vid) << 17) | kVendorKey);
    return it == m_names.end() ? std::string{} : it->second;
}

std::string UsbIds::product(std::uint16_t vid, std::uint16_t pid) const {
    const auto it = m_names.find((static_cast<std::uint64_t>(vid) << 17) | pid);
    return it == m_names.end() ? std::string{} : it->second;
}

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
        const auto vid = parseHex(*vidText, 4);
        const auto pid = parseHex(*pidText, 4);
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
                if (const auto v = parseHex(*cls, 2)) {
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
