#pragma once

#include <string>

#include "agent/catalogue.h"
#include "agent/inventory.h"

namespace examguard::agent::windowshost {

// The Windows 10 exam PC's inventory through the Win32 API (Toolhelp, QueryFullProcessImageName,
// the Uninstall and Run registry keys, the service manager, GetExtendedTcpTable/UdpTable,
// SetupAPI, GetAdaptersAddresses, CPUID and the BIOS registry key). Read-only, like every
// backend. Built only by the mingw-w64 cross build (agent/cross/).
class WindowsBackend : public Backend {
public:
    explicit WindowsBackend(const Catalogue& catalogue) : m_catalogue(catalogue) {}
    Inventory collect(const CollectOptions& options) override;

private:
    const Catalogue& m_catalogue;
};

// UTF-16 from the Win32 API to UTF-8.
std::string narrow(const wchar_t* text, int length = -1);

// SHA-256 of a file through CNG, hex; empty when it cannot be read.
std::string sha256FileHex(const std::wstring& path);

}  // namespace examguard::agent::windowshost
