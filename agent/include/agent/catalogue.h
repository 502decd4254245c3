#pragma once

#include <cstdint>
#include <filesystem>
#include <string>
#include <string_view>
#include <vector>

#include <tl/expected.hpp>

#include "agent/error.h"
#include "agent/pe.h"

namespace examguard::agent {

enum class Transport { kTcp, kUdp, kAny };

struct PortRule {
    Transport transport = Transport::kAny;
    std::uint16_t first = 0;
    std::uint16_t last = 0;
};

// One application of schemas/remote_control_catalogue.json.
struct CatalogueApp {
    std::string app;  // stable id, shared with the LAN audit's signature table
    std::string name;
    std::vector<std::string> processNames;
    std::vector<std::string> originalFilenames;
    std::vector<std::string> productNames;
    std::vector<std::string> companyNames;
    std::vector<std::string> signers;
    std::vector<std::string> installNames;  // globs
    std::vector<std::string> packages;
    std::vector<std::string> services;
    std::vector<PortRule> ports;
};

struct ReceiverId {
    std::uint16_t vid = 0;
    std::uint16_t pid = 0;
    std::string name;
};

struct MacPrefix {
    std::string prefix;  // "08:00:27", lower case
    std::string name;
};

// Why an app was recognised: `by` is a stable key (process_name, original_filename,
// product_name, company_name, signer, install_name, package, service, port), `value` the
// matching text from the PC.
struct MatchReason {
    std::string by;
    std::string value;
};

struct AppMatch {
    std::string app;
    std::string name;
    std::vector<MatchReason> reasons;
    bool renamed = false;  // caught by version-info or signer while its file name says otherwise
};

// What is known about one executable (a running image or a file on disk).
struct ExecutableFacts {
    std::vector<std::string> names;  // process name, image file name, argv[0] base name
    const PeVersionInfo* versionInfo = nullptr;
    const std::vector<PeSigner>* signers = nullptr;
};

class Catalogue {
public:
    // `origin` names the source in error messages (a path, or "built-in catalogue").
    static tl::expected<Catalogue, Error> parse(std::string_view json, std::string_view origin);
    static tl::expected<Catalogue, Error> load(const std::filesystem::path& path);
    // The copy embedded in the library at build time.
    static const Catalogue& builtIn();

    const std::vector<CatalogueApp>& apps() const { return m_apps; }
    const std::vector<ReceiverId>& receivers() const { return m_receivers; }

    std::vector<AppMatch> matchExecutable(const ExecutableFacts& facts) const;
    // An installed program: a dpkg package name or a Windows Uninstall key / DisplayName.
    std::vector<AppMatch> matchInstalled(std::string_view packageOrDisplayName) const;
    std::vector<AppMatch> matchService(std::string_view serviceName) const;
    std::vector<AppMatch> matchListening(Transport transport, std::uint16_t port) const;

    const ReceiverId* receiver(std::uint16_t vid, std::uint16_t pid) const;
    // A product string that sounds like a wireless receiver ("2.4G Receiver").
    bool soundsWireless(std::string_view productName) const;
    // The hypervisor a MAC address's prefix belongs to, or empty.
    std::string virtualMacVendor(std::string_view mac) const;
    // The DMI or hypervisor string that names a virtual machine, or empty.
    std::string virtualDmiMatch(std::string_view text) const;

private:
    std::vector<CatalogueApp> m_apps;
    std::vector<ReceiverId> m_receivers;
    std::vector<std::string> m_wirelessHints;
    std::vector<MacPrefix> m_macPrefixes;
    std::vector<std::string> m_dmiStrings;
};

// Case-insensitive (ASCII) glob with '*'.
bool globMatchNoCase(std::string_view pattern, std::string_view text);

}  // namespace examguard::agent
