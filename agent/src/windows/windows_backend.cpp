// The Windows backend (mingw-w64 cross build). Every call only reads; a part that cannot be read
// becomes a warning in the report, never a failed run.
#include "agent/windows_backend.h"

// windows.h first (WIN32_LEAN_AND_MEAN keeps the old winsock.h out), then the rest.
#include <windows.h>
#include <winsock2.h>
// headers that need windows.h
#include <bcrypt.h>
#include <cpuid.h>
#include <iphlpapi.h>
#include <mfapi.h>
#include <mfidl.h>
#include <setupapi.h>
#include <shellapi.h>
#include <tlhelp32.h>
#include <winsvc.h>
#include <winternl.h>
#include <ws2tcpip.h>

#include <algorithm>
#include <cstring>
#include <fstream>
#include <map>
#include <memory>
#include <optional>
#include <vector>

#include <fmt/format.h>

#include "agent/pe.h"
#include "agent/usb_ids.h"

namespace examguard::agent::windowshost {

std::string narrow(const wchar_t* text, int length) {
    if (text == nullptr) {
        return {};
    }
    const int size = WideCharToMultiByte(CP_UTF8, 0, text, length, nullptr, 0, nullptr, nullptr);
    if (size <= 0) {
        return {};
    }
    std::string out(static_cast<std::size_t>(size), '\0');
    WideCharToMultiByte(CP_UTF8, 0, text, length, out.data(), size, nullptr, nullptr);
    if (length < 0 && !out.empty() && out.back() == '\0') {
        out.pop_back();
    }
    return out;
}

std::string sha256FileHex(const std::wstring& path) {
    HANDLE file = CreateFileW(path.c_str(), GENERIC_READ,
                              FILE_SHARE_READ | FILE_SHARE_WRITE | FILE_SHARE_DELETE, nullptr,
                              OPEN_EXISTING, 0, nullptr);
    if (file == INVALID_HANDLE_VALUE) {
        return {};
    }
    BCRYPT_ALG_HANDLE alg = nullptr;
    BCRYPT_HASH_HANDLE hash = nullptr;
    std::string hex;
    if (BCryptOpenAlgorithmProvider(&alg, BCRYPT_SHA256_ALGORITHM, nullptr, 0) == 0 &&
        BCryptCreateHash(alg, &hash, nullptr, 0, nullptr, 0, 0) == 0) {
        std::vector<unsigned char> buffer(1 << 16);
        DWORD got = 0;
        bool ok = true;
        while (ReadFile(file, buffer.data(), static_cast<DWORD>(buffer.size()), &got, nullptr) &&
               got > 0) {
            if (BCryptHashData(hash, buffer.data(), got, 0) != 0) {
                ok = false;
                break;
            }
        }
        unsigned char digest[32];
        if (ok && BCryptFinishHash(hash, digest, sizeof digest, 0) == 0) {
            for (unsigned char b : digest) {
                hex += fmt::format("{:02x}", b);
            }
        }
    }
    if (hash != nullptr) {
        BCryptDestroyHash(hash);
    }
    if (alg != nullptr) {
        BCryptCloseAlgorithmProvider(alg, 0);
    }
    CloseHandle(file);
    return hex;
}

namespace {

struct RegKey {
    HKEY key = nullptr;
    ~RegKey() {
        if (key != nullptr) {
            RegCloseKey(key);
        }
    }
};

bool openKey(HKEY root, const std::wstring& path, REGSAM view, RegKey& out) {
    return RegOpenKeyExW(root, path.c_str(), 0, KEY_READ | view, &out.key) == ERROR_SUCCESS;
}

std::optional<std::wstring> regString(HKEY key, const wchar_t* name) {
    DWORD type = 0, size = 0;
    if (RegQueryValueExW(key, name, nullptr, &type, nullptr, &size) != ERROR_SUCCESS ||
        (type != REG_SZ && type != REG_EXPAND_SZ) || size > (1u << 20)) {
        return std::nullopt;
    }
    std::wstring value(size / sizeof(wchar_t) + 1, L'\0');
    if (RegQueryValueExW(key, name, nullptr, &type, reinterpret_cast<BYTE*>(value.data()), &size) !=
        ERROR_SUCCESS) {
        return std::nullopt;
    }
    value.resize(wcsnlen(value.c_str(), value.size()));
    return value;
}

std::optional<DWORD> regDword(HKEY key, const wchar_t* name) {
    DWORD type = 0, value = 0, size = sizeof value;
    if (RegQueryValueExW(key, name, nullptr, &type, reinterpret_cast<BYTE*>(&value), &size) !=
            ERROR_SUCCESS ||
        type != REG_DWORD) {
        return std::nullopt;
    }
    return value;
}

std::vector<std::wstring> subkeys(HKEY key) {
    std::vector<std::wstring> out;
    for (DWORD i = 0;; ++i) {
        wchar_t name[256];
        DWORD length = 256;
        const LONG rc = RegEnumKeyExW(key, i, name, &length, nullptr, nullptr, nullptr, nullptr);
        if (rc == ERROR_NO_MORE_ITEMS || i > 100000) {
            break;
        }
        if (rc == ERROR_SUCCESS) {
            out.emplace_back(name, length);
        }
    }
    return out;
}

// --- host ------------------------------------------------------------------------------------

HostInfo readHost(std::vector<std::string>& warnings) {
    HostInfo host;
    wchar_t name[256];
    DWORD length = 256;
    if (GetComputerNameExW(ComputerNameDnsHostname, name, &length)) {
        host.hostname = narrow(name, static_cast<int>(length));
    }
    RegKey nt;
    if (openKey(HKEY_LOCAL_MACHINE, L"SOFTWARE\\Microsoft\\Windows NT\\CurrentVersion",
                KEY_WOW64_64KEY, nt)) {
        host.osName = narrow(regString(nt.key, L"ProductName").value_or(L"Windows").c_str());
        const auto build = regString(nt.key, L"CurrentBuild");
        const auto display = regString(nt.key, L"DisplayVersion");
        host.osVersion = narrow(display.value_or(L"").c_str());
        if (build) {
            host.osVersion +=
                (host.osVersion.empty() ? "build " : " build ") + narrow(build->c_str());
        }
    } else {
        warnings.push_back("os: the Windows NT CurrentVersion key cannot be read");
    }
    SYSTEM_INFO si{};
    GetNativeSystemInfo(&si);
    host.architecture = si.wProcessorArchitecture == PROCESSOR_ARCHITECTURE_AMD64   ? "AMD64"
                        : si.wProcessorArchitecture == PROCESSOR_ARCHITECTURE_INTEL ? "x86"
                        : si.wProcessorArchitecture == PROCESSOR_ARCHITECTURE_ARM64 ? "ARM64"
                                                                                    : "unknown";
    host.cpuCount = static_cast<int>(si.dwNumberOfProcessors);
    RegKey cpu;
    if (openKey(HKEY_LOCAL_MACHINE, L"HARDWARE\\DESCRIPTION\\System\\CentralProcessor\\0", 0,
                cpu)) {
        host.cpuModel = narrow(regString(cpu.key, L"ProcessorNameString").value_or(L"").c_str());
        if (const auto mhz = regDword(cpu.key, L"~MHz"); mhz && *mhz > 0) {
            host.cpuMaxMhz = static_cast<double>(*mhz);
        }
    }
    MEMORYSTATUSEX memory{};
    memory.dwLength = sizeof memory;
    if (GlobalMemoryStatusEx(&memory)) {
        host.memoryBytes = memory.ullTotalPhys;
    }
    wchar_t windows[MAX_PATH];
    if (GetSystemWindowsDirectoryW(windows, MAX_PATH) >= 3) {
        const std::wstring root(windows, 3);  // "C:\"
        ULARGE_INTEGER total{};
        if (GetDiskFreeSpaceExW(root.c_str(), nullptr, &total, nullptr)) {
            host.systemDiskBytes = total.QuadPart;
        }
    }
    return host;
}

// --- adapters --------------------------------------------------------------------------------

std::string addressText(const SOCKADDR* address) {
    char text[INET6_ADDRSTRLEN] = {};
    if (address->sa_family == AF_INET) {
        inet_ntop(AF_INET, &reinterpret_cast<const sockaddr_in*>(address)->sin_addr, text,
                  sizeof text);
    } else if (address->sa_family == AF_INET6) {
        inet_ntop(AF_INET6, &reinterpret_cast<const sockaddr_in6*>(address)->sin6_addr, text,
                  sizeof text);
    }
    return text;
}

std::vector<NetworkAdapter> listAdapters(HostInfo& host, std::vector<std::string>& warnings) {
    std::vector<NetworkAdapter> out;
    ULONG size = 16 * 1024;
    std::vector<unsigned char> buffer;
    ULONG rc = ERROR_BUFFER_OVERFLOW;
    for (int attempt = 0; attempt < 4 && rc == ERROR_BUFFER_OVERFLOW; ++attempt) {
        buffer.resize(size);
        rc = GetAdaptersAddresses(AF_UNSPEC, GAA_FLAG_INCLUDE_GATEWAYS, nullptr,
                                  reinterpret_cast<IP_ADAPTER_ADDRESSES*>(buffer.data()), &size);
    }
    if (rc != NO_ERROR) {
        warnings.push_back(fmt::format("network adapters: GetAdaptersAddresses failed ({})", rc));
        return out;
    }
    for (auto* a = reinterpret_cast<IP_ADAPTER_ADDRESSES*>(buffer.data()); a != nullptr;
         a = a->Next) {
        NetworkAdapter n;
        n.name = narrow(a->FriendlyName);
        for (ULONG i = 0; i < a->PhysicalAddressLength && i < 8; ++i) {
            n.mac += fmt::format("{}{:02x}", i == 0 ? "" : ":", a->PhysicalAddress[i]);
        }
        for (auto* u = a->FirstUnicastAddress; u != nullptr; u = u->Next) {
            n.addresses.push_back(addressText(u->Address.lpSockaddr));
        }
        for (auto* g = a->FirstGatewayAddress; g != nullptr; g = g->Next) {
            host.gateways.push_back(addressText(g->Address.lpSockaddr));
        }
        n.up = a->OperStatus == IfOperStatusUp;
        n.loopback = a->IfType == IF_TYPE_SOFTWARE_LOOPBACK;
        n.physical = (a->IfType == IF_TYPE_ETHERNET_CSMACD || a->IfType == IF_TYPE_IEEE80211) &&
                     a->PhysicalAddressLength == 6;
        if (a->TransmitLinkSpeed > 0 && a->TransmitLinkSpeed != ~0ull) {
            n.speedMbps =
                static_cast<int>(std::min<ULONG64>(a->TransmitLinkSpeed / 1000000, 1000000));
        }
        out.push_back(std::move(n));
    }
    return out;
}

// --- processes -------------------------------------------------------------------------------

// A process's command line, split as Windows programs split theirs (CommandLineToArgvW). Read
// from its PEB: ProcessCommandLineInformation is simpler but Windows 8.1+ only and missing in
// Wine. Empty when the process cannot be read (protected, or another user's without privileges).
std::vector<std::string> commandLineOf(DWORD pid) {
    std::vector<std::string> out;
    HANDLE process = OpenProcess(PROCESS_QUERY_INFORMATION | PROCESS_VM_READ, FALSE, pid);
    if (process == nullptr) {
        return out;
    }
    const auto read = [process](const void* at, void* into, SIZE_T size) {
        SIZE_T got = 0;
        return ReadProcessMemory(process, at, into, size, &got) && got == size;
    };
    PROCESS_BASIC_INFORMATION basic{};
    ULONG length = 0;
    PEB peb{};
    RTL_USER_PROCESS_PARAMETERS parameters{};
    std::wstring text;
    // A command line is at most 32767 characters; a larger length is not one.
    if (NtQueryInformationProcess(process, ProcessBasicInformation, &basic, sizeof basic,
                                  &length) == 0 &&
        basic.PebBaseAddress != nullptr && read(basic.PebBaseAddress, &peb, sizeof peb) &&
        peb.ProcessParameters != nullptr &&
        read(peb.ProcessParameters, &parameters, sizeof parameters) &&
        parameters.CommandLine.Length > 0 && parameters.CommandLine.Length % 2 == 0 &&
        parameters.CommandLine.Length <= 32767 * 2) {
        text.resize(parameters.CommandLine.Length / 2);
        if (!read(parameters.CommandLine.Buffer, text.data(), parameters.CommandLine.Length)) {
            text.clear();
        }
    }
    CloseHandle(process);
    // Empty text would make CommandLineToArgvW answer with this program's own path.
    int count = 0;
    LPWSTR* argv = text.empty() ? nullptr : CommandLineToArgvW(text.c_str(), &count);
    for (int i = 0; argv != nullptr && i < count; ++i) {
        out.push_back(narrow(argv[i]));
    }
    if (argv != nullptr) {
        LocalFree(argv);
    }
    return out;
}

std::vector<ProcessInfo> listProcesses(bool hashImages, std::vector<std::string>& warnings) {
    std::vector<ProcessInfo> out;
    HANDLE snapshot = CreateToolhelp32Snapshot(TH32CS_SNAPPROCESS, 0);
    if (snapshot == INVALID_HANDLE_VALUE) {
        warnings.push_back("processes: CreateToolhelp32Snapshot failed");
        return out;
    }
    PROCESSENTRY32W entry{};
    entry.dwSize = sizeof entry;
    for (BOOL more = Process32FirstW(snapshot, &entry); more;
         more = Process32NextW(snapshot, &entry)) {
        ProcessInfo p;
        p.pid = static_cast<int>(entry.th32ProcessID);
        p.ppid = static_cast<int>(entry.th32ParentProcessID);
        p.name = narrow(entry.szExeFile);
        p.cmdline = commandLineOf(entry.th32ProcessID);
        std::wstring image;
        if (HANDLE process =
                OpenProcess(PROCESS_QUERY_LIMITED_INFORMATION, FALSE, entry.th32ProcessID)) {
            wchar_t path[32768];
            DWORD length = 32768;
            if (QueryFullProcessImageNameW(process, 0, path, &length)) {
                image.assign(path, length);
                p.imagePath = narrow(path, static_cast<int>(length));
            }
            CloseHandle(process);
        }
        if (!image.empty()) {
            if (hashImages) {
                p.sha256 = sha256FileHex(image);
            }
            // Version-info and signer: what catches a renamed remote-control tool.
            if (auto pe = parsePeFile(std::filesystem::path(image))) {
                p.versionInfo = pe->versionInfo;
                p.signers = pe->signers;
            }
        }
        out.push_back(std::move(p));
    }
    CloseHandle(snapshot);
    return out;
}

// --- installed programs, services, auto-start ------------------------------------------------

std::vector<InstalledProgram> listInstalled() {
    std::vector<InstalledProgram> out;
    const wchar_t* path = L"SOFTWARE\\Microsoft\\Windows\\CurrentVersion\\Uninstall";
    const std::pair<HKEY, REGSAM> views[] = {{HKEY_LOCAL_MACHINE, KEY_WOW64_64KEY},
                                             {HKEY_LOCAL_MACHINE, KEY_WOW64_32KEY},
                                             {HKEY_CURRENT_USER, 0}};
    for (const auto& [root, view] : views) {
        RegKey uninstall;
        if (!openKey(root, path, view, uninstall)) {
            continue;
        }
        for (const auto& name : subkeys(uninstall.key)) {
            RegKey program;
            if (RegOpenKeyExW(uninstall.key, name.c_str(), 0, KEY_READ, &program.key) !=
                ERROR_SUCCESS) {
                continue;
            }
            InstalledProgram p;
            p.name = narrow(name.c_str());
            p.displayName = narrow(regString(program.key, L"DisplayName").value_or(L"").c_str());
            p.version = narrow(regString(program.key, L"DisplayVersion").value_or(L"").c_str());
            p.source = "uninstall";
            out.push_back(std::move(p));
        }
    }
    std::sort(out.begin(), out.end(), [](const auto& a, const auto& b) { return a.name < b.name; });
    out.erase(std::unique(out.begin(), out.end(),
                          [](const auto& a, const auto& b) { return a.name == b.name; }),
              out.end());
    return out;
}

std::vector<ServiceEntry> listServices(std::vector<std::string>& warnings) {
    std::vector<ServiceEntry> out;
    if (SC_HANDLE manager = OpenSCManagerW(nullptr, nullptr, SC_MANAGER_ENUMERATE_SERVICE)) {
        DWORD needed = 0, count = 0, resume = 0;
        EnumServicesStatusExW(manager, SC_ENUM_PROCESS_INFO, SERVICE_WIN32, SERVICE_STATE_ALL,
                              nullptr, 0, &needed, &count, &resume, nullptr);
        std::vector<unsigned char> buffer(needed + 4096);
        resume = 0;
        if (EnumServicesStatusExW(manager, SC_ENUM_PROCESS_INFO, SERVICE_WIN32, SERVICE_STATE_ALL,
                                  buffer.data(), static_cast<DWORD>(buffer.size()), &needed, &count,
                                  &resume, nullptr)) {
            const auto* services =
                reinterpret_cast<const ENUM_SERVICE_STATUS_PROCESSW*>(buffer.data());
            for (DWORD i = 0; i < count; ++i) {
                out.push_back({narrow(services[i].lpServiceName), "windows-service"});
            }
        } else {
            warnings.push_back("services: EnumServicesStatusEx failed");
        }
        CloseServiceHandle(manager);
    } else {
        warnings.push_back("services: the service manager cannot be opened");
    }
    // Auto-start entries under the Run keys.
    const std::pair<HKEY, REGSAM> runKeys[] = {{HKEY_LOCAL_MACHINE, KEY_WOW64_64KEY},
                                               {HKEY_LOCAL_MACHINE, KEY_WOW64_32KEY},
                                               {HKEY_CURRENT_USER, 0}};
    for (const auto& [root, view] : runKeys) {
        RegKey run;
        if (!openKey(root, L"SOFTWARE\\Microsoft\\Windows\\CurrentVersion\\Run", view, run)) {
            continue;
        }
        for (DWORD i = 0; i < 10000; ++i) {
            wchar_t name[16384];
            DWORD length = 16384;
            if (RegEnumValueW(run.key, i, name, &length, nullptr, nullptr, nullptr, nullptr) !=
                ERROR_SUCCESS) {
                break;
            }
            out.push_back({narrow(name, static_cast<int>(length)), "run-key"});
        }
    }
    return out;
}

// --- listening sockets -----------------------------------------------------------------------

template <typename Table>
std::vector<unsigned char> ownerTable(Table fetch) {
    DWORD size = 0;
    fetch(nullptr, &size);
    std::vector<unsigned char> buffer(size + 4096);
    size = static_cast<DWORD>(buffer.size());
    if (fetch(buffer.data(), &size) != NO_ERROR) {
        return {};
    }
    return buffer;
}

// The rows of one owner table (TCP listeners or UDP endpoints of one address family).
template <typename Table, typename Fetch, typename Address>
void addOwnedSockets(std::vector<ListeningSocket>& out, Transport transport, int family,
                     Fetch fetch, Address addressOf) {
    const auto buffer = ownerTable(fetch);
    if (buffer.empty()) {
        return;
    }
    const auto* table = reinterpret_cast<const Table*>(buffer.data());
    for (DWORD i = 0; i < table->dwNumEntries; ++i) {
        const auto& row = table->table[i];
        char text[INET6_ADDRSTRLEN] = {};
        inet_ntop(family, addressOf(row), text, sizeof text);
        out.push_back({transport,
                       text,
                       ntohs(static_cast<u_short>(row.dwLocalPort)),
                       {static_cast<int>(row.dwOwningPid)}});
    }
}

std::vector<ListeningSocket> listListening() {
    std::vector<ListeningSocket> out;
    addOwnedSockets<MIB_TCPTABLE_OWNER_PID>(
        out, Transport::kTcp, AF_INET,
        [](void* b, DWORD* s) {
            return GetExtendedTcpTable(b, s, FALSE, AF_INET, TCP_TABLE_OWNER_PID_LISTENER, 0);
        },
        [](const auto& row) { return &row.dwLocalAddr; });
    addOwnedSockets<MIB_TCP6TABLE_OWNER_PID>(
        out, Transport::kTcp, AF_INET6,
        [](void* b, DWORD* s) {
            return GetExtendedTcpTable(b, s, FALSE, AF_INET6, TCP_TABLE_OWNER_PID_LISTENER, 0);
        },
        [](const auto& row) { return row.ucLocalAddr; });
    addOwnedSockets<MIB_UDPTABLE_OWNER_PID>(
        out, Transport::kUdp, AF_INET,
        [](void* b, DWORD* s) {
            return GetExtendedUdpTable(b, s, FALSE, AF_INET, UDP_TABLE_OWNER_PID, 0);
        },
        [](const auto& row) { return &row.dwLocalAddr; });
    return out;
}

// --- devices ---------------------------------------------------------------------------------

struct DeviceInfo {
    std::string instanceId;
    std::string hardwareIds;  // REG_MULTI_SZ joined with '|', upper case
    std::string description;
    std::string manufacturer;
    std::string className;  // setup class: "Camera", "Image", "HIDClass", ...
    std::string friendlyName;
};

std::vector<DeviceInfo> presentDevices(const wchar_t* enumerator) {
    std::vector<DeviceInfo> out;
    HDEVINFO set =
        SetupDiGetClassDevsW(nullptr, enumerator, nullptr, DIGCF_ALLCLASSES | DIGCF_PRESENT);
    if (set == INVALID_HANDLE_VALUE) {
        return out;
    }
    SP_DEVINFO_DATA data{};
    data.cbSize = sizeof data;
    const auto property = [&](DWORD which) {
        wchar_t buffer[4096] = {};
        DWORD type = 0;
        if (!SetupDiGetDeviceRegistryPropertyW(set, &data, which, &type,
                                               reinterpret_cast<BYTE*>(buffer),
                                               sizeof buffer - sizeof(wchar_t), nullptr)) {
            return std::string();
        }
        std::string text;
        for (const wchar_t* p = buffer; *p != 0; p += wcslen(p) + 1) {  // MULTI_SZ or SZ
            text += (text.empty() ? "" : "|") + narrow(p);
            if (type != REG_MULTI_SZ) {
                break;
            }
        }
        return text;
    };
    for (DWORD i = 0; SetupDiEnumDeviceInfo(set, i, &data) && i < 10000; ++i) {
        DeviceInfo d;
        wchar_t id[1024] = {};
        if (SetupDiGetDeviceInstanceIdW(set, &data, id, 1024, nullptr)) {
            d.instanceId = narrow(id);
        }
        d.hardwareIds = property(SPDRP_HARDWAREID);
        std::transform(d.hardwareIds.begin(), d.hardwareIds.end(), d.hardwareIds.begin(),
                       [](unsigned char c) { return static_cast<char>(std::toupper(c)); });
        d.description = property(SPDRP_DEVICEDESC);
        d.manufacturer = property(SPDRP_MFG);
        d.className = property(SPDRP_CLASS);
        d.friendlyName = property(SPDRP_FRIENDLYNAME);
        out.push_back(std::move(d));
    }
    SetupDiDestroyDeviceInfoList(set);
    return out;
}

std::optional<std::uint16_t> hexAfter(const std::string& text, const char* tag) {
    const auto at = text.find(tag);
    if (at == std::string::npos || at + std::strlen(tag) + 4 > text.size()) {
        return std::nullopt;
    }
    unsigned value = 0;
    for (std::size_t i = at + std::strlen(tag); i < at + std::strlen(tag) + 4; ++i) {
        const char c = text[i];
        const int digit = c >= '0' && c <= '9' ? c - '0' : c >= 'A' && c <= 'F' ? c - 'A' + 10 : -1;
        if (digit < 0) {
            return std::nullopt;
        }
        value = value * 16 + static_cast<unsigned>(digit);
    }
    return static_cast<std::uint16_t>(value);
}

// usb.ids beside the program, where the Windows package puts it; without it (or with a broken
// one) devices keep their own descriptions and the report says why.
std::optional<UsbIds> usbIdsBesideProgram(std::vector<std::string>& warnings) {
    std::wstring path(32768, L'\0');
    const DWORD length = GetModuleFileNameW(nullptr, path.data(), static_cast<DWORD>(path.size()));
    path.resize(length);
    auto ids = UsbIds::load(std::filesystem::path(path).parent_path() / "usb.ids");
    if (!ids) {
        warnings.push_back(
            fmt::format("usb.ids: {} (USB devices are named by their own descriptions only)",
                        ids.error().detail));
        return std::nullopt;
    }
    return std::move(*ids);
}

std::vector<UsbDevice> listUsb(const UsbIds* ids) {
    std::vector<UsbDevice> out;
    for (const auto& d : presentDevices(L"USB")) {
        const auto vid = hexAfter(d.hardwareIds, "VID_");
        const auto pid = hexAfter(d.hardwareIds, "PID_");
        if (!vid || !pid || d.hardwareIds.find("&MI_") != std::string::npos) {
            continue;  // interfaces of a composite device are listed with the device
        }
        UsbDevice u;
        u.busPath = d.instanceId;
        u.vid = *vid;
        u.pid = *pid;
        u.product = d.description;
        u.manufacturer = d.manufacturer;
        if (ids != nullptr) {
            u.vendorName = ids->vendor(u.vid);
            u.productName = ids->product(u.vid, u.pid);
        }
        out.push_back(std::move(u));
    }
    return out;
}

// Bluetooth keyboards and mice: classic HID (service 0x1124) and HID over GATT (0x1812).
std::vector<BluetoothHid> listBluetoothHid() {
    std::vector<BluetoothHid> out;
    for (const wchar_t* enumerator : {L"BTHENUM", L"BTHLEDEVICE"}) {
        for (const auto& d : presentDevices(enumerator)) {
            if (d.hardwareIds.find("00001124") != std::string::npos ||
                d.hardwareIds.find("00001812") != std::string::npos) {
                out.push_back({d.instanceId, d.description});
            }
        }
    }
    return out;
}

// A COM interface pointer released at the end of its scope.
template <typename T>
struct Com {
    T* p = nullptr;
    Com() = default;
    Com(const Com&) = delete;
    Com& operator=(const Com&) = delete;
    ~Com() {
        if (p != nullptr) {
            p->Release();
        }
    }
    T* operator->() const { return p; }
};

// The largest frame (width × height) among a capture source's media types; 0 when it lists none.
std::uint64_t largestFrame(IMFMediaSource* source) {
    std::uint64_t best = 0;
    Com<IMFPresentationDescriptor> presentation;
    DWORD streams = 0;
    if (FAILED(source->CreatePresentationDescriptor(&presentation.p)) ||
        FAILED(presentation->GetStreamDescriptorCount(&streams))) {
        return best;
    }
    for (DWORD s = 0; s < std::min<DWORD>(streams, 16); ++s) {
        BOOL selected = FALSE;
        Com<IMFStreamDescriptor> stream;
        Com<IMFMediaTypeHandler> handler;
        DWORD types = 0;
        if (FAILED(presentation->GetStreamDescriptorByIndex(s, &selected, &stream.p)) ||
            FAILED(stream->GetMediaTypeHandler(&handler.p)) ||
            FAILED(handler->GetMediaTypeCount(&types))) {
            continue;
        }
        for (DWORD t = 0; t < std::min<DWORD>(types, 1024); ++t) {
            Com<IMFMediaType> type;
            UINT32 width = 0, height = 0;
            if (SUCCEEDED(handler->GetMediaTypeByIndex(t, &type.p)) &&
                SUCCEEDED(MFGetAttributeSize(type.p, MF_MT_FRAME_SIZE, &width, &height))) {
                best = std::max(best, std::uint64_t{width} * height);
            }
        }
    }
    return best;
}

// Each video capture device's largest frame, by friendly name, through Media Foundation. The
// source is created to read its media types and shut down at once: it is never started, so
// nothing is captured. Empty where Media Foundation is missing (Windows N editions without the
// Media Feature Pack) or lists nothing (Wine lists no capture devices).
std::map<std::string, std::uint64_t> captureResolutions() {
    std::map<std::string, std::uint64_t> out;
    const HRESULT com = CoInitializeEx(nullptr, COINIT_MULTITHREADED);
    if (FAILED(MFStartup(MF_VERSION, MFSTARTUP_NOSOCKET))) {
        if (SUCCEEDED(com)) {
            CoUninitialize();
        }
        return out;
    }
    Com<IMFAttributes> attributes;
    IMFActivate** devices = nullptr;
    UINT32 count = 0;
    if (SUCCEEDED(MFCreateAttributes(&attributes.p, 1)) &&
        SUCCEEDED(attributes->SetGUID(MF_DEVSOURCE_ATTRIBUTE_SOURCE_TYPE,
                                      MF_DEVSOURCE_ATTRIBUTE_SOURCE_TYPE_VIDCAP_GUID)) &&
        SUCCEEDED(MFEnumDeviceSources(attributes.p, &devices, &count))) {
        for (UINT32 i = 0; i < count; ++i) {
            WCHAR* name = nullptr;
            UINT32 length = 0;
            Com<IMFMediaSource> source;
            if (SUCCEEDED(devices[i]->GetAllocatedString(MF_DEVSOURCE_ATTRIBUTE_FRIENDLY_NAME,
                                                         &name, &length)) &&
                SUCCEEDED(devices[i]->ActivateObject(IID_IMFMediaSource,
                                                     reinterpret_cast<void**>(&source.p)))) {
                auto& best = out[narrow(name)];
                best = std::max(best, largestFrame(source.p));
                source->Shutdown();
            }
            CoTaskMemFree(name);
            devices[i]->Release();
        }
        CoTaskMemFree(devices);
    }
    MFShutdown();
    if (SUCCEEDED(com)) {
        CoUninitialize();
    }
    return out;
}

// Cameras as the device manager lists them, with the largest frame Media Foundation reports for
// the device of the same name. Media Foundation is asked only when there is a camera: starting
// it costs a tenth of a second under Wine.
std::vector<Camera> listCameras() {
    std::vector<Camera> out;
    for (const auto& d : presentDevices(nullptr)) {
        if (d.className == "Camera" || d.className == "Image") {
            out.push_back({d.friendlyName.empty() ? d.description : d.friendlyName, std::nullopt});
        }
    }
    if (out.empty()) {
        return out;
    }
    const auto resolutions = captureResolutions();
    for (auto& camera : out) {
        if (const auto it = resolutions.find(camera.name);
            it != resolutions.end() && it->second > 0) {
            camera.maxPixels = it->second;
        }
    }
    return out;
}

// --- virtual machine -------------------------------------------------------------------------

VmIndicators readVmIndicators(const std::vector<NetworkAdapter>& adapters,
                              const Catalogue& catalogue) {
    VmIndicators vm;
    RegKey bios;
    if (openKey(HKEY_LOCAL_MACHINE, L"HARDWARE\\DESCRIPTION\\System\\BIOS", 0, bios)) {
        vm.sysVendor = narrow(regString(bios.key, L"SystemManufacturer").value_or(L"").c_str());
        vm.productName = narrow(regString(bios.key, L"SystemProductName").value_or(L"").c_str());
    }
    for (const auto& text : {vm.sysVendor, vm.productName}) {
        if (!text.empty() && !catalogue.virtualDmiMatch(text).empty()) {
            vm.reasons.push_back(MatchReason{"dmi", text});
        }
    }
    unsigned eax = 0, ebx = 0, ecx = 0, edx = 0;
    if (__get_cpuid(1, &eax, &ebx, &ecx, &edx) && (ecx & (1u << 31)) != 0) {
        vm.cpuHypervisorFlag = true;
        vm.reasons.push_back(MatchReason{"cpu_flag", "hypervisor"});
        unsigned regs[4] = {};
        __cpuid(0x40000000, regs[0], regs[1], regs[2], regs[3]);
        char vendor[13] = {};
        std::memcpy(vendor, &regs[1], 4);
        std::memcpy(vendor + 4, &regs[2], 4);
        std::memcpy(vendor + 8, &regs[3], 4);
        if (vendor[0] != 0) {
            vm.reasons.push_back(MatchReason{"cpu_vendor", vendor});
        }
    }
    for (const auto& a : adapters) {
        if (!a.physical || a.loopback) {
            continue;
        }
        if (const auto vendor = catalogue.virtualMacVendor(a.mac); !vendor.empty()) {
            vm.reasons.push_back(
                MatchReason{"mac_prefix", fmt::format("{} {} ({})", a.name, a.mac, vendor)});
        }
    }
    return vm;
}

}  // namespace

Inventory WindowsBackend::collect(const CollectOptions& options) {
    Inventory inv;
    inv.host = readHost(inv.warnings);
    inv.adapters = listAdapters(inv.host, inv.warnings);
    inv.host.cameras = listCameras();
    inv.processes = listProcesses(options.hashImages, inv.warnings);
    inv.installed = listInstalled();
    inv.services = listServices(inv.warnings);
    inv.listening = listListening();
    const auto ids = usbIdsBesideProgram(inv.warnings);
    inv.usb = listUsb(ids ? &*ids : nullptr);
    inv.bluetoothHid = listBluetoothHid();
    inv.vm = readVmIndicators(inv.adapters, m_catalogue);
    return inv;
}

}  // namespace examguard::agent::windowshost
