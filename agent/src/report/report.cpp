#include "agent/report.h"

#include <sys/stat.h>

#include <chrono>
#include <cstdio>
#include <fstream>
#include <memory>
#include <sstream>

#include <fmt/chrono.h>
#include <fmt/format.h>
#include <openssl/bio.h>
#include <openssl/evp.h>
#include <openssl/pem.h>
#include <openssl/rand.h>
#include <openssl/x509.h>

#include "text.h"

namespace examguard::agent {

using nlohmann::json;

namespace {

constexpr double kMinCpuMhz = 2500;
// 4 GB installed shows as a little less usable memory (firmware and kernel reservations).
constexpr std::uint64_t kMinMemoryBytes = 3840ull * 1024 * 1024;
constexpr std::uint64_t kMinDiskBytes = 100ull * 1000 * 1000 * 1000;
constexpr int kMinNicMbps = 100;
constexpr std::uint64_t kMinCameraPixels = 1000000;

std::string transportName(Transport t) {
    return t == Transport::kUdp ? "udp" : (t == Transport::kTcp ? "tcp" : "any");
}

json reasons(const std::vector<MatchReason>& list) {
    json out = json::array();
    for (const auto& r : list) {
        out.push_back({{"by", r.by}, {"value", r.value}});
    }
    return out;
}

std::string gib(std::uint64_t bytes) {
    return fmt::format("{:.1f} GiB", static_cast<double>(bytes) / (1024.0 * 1024 * 1024));
}

using PkeyPtr = std::unique_ptr<EVP_PKEY, decltype(&EVP_PKEY_free)>;
using MdCtxPtr = std::unique_ptr<EVP_MD_CTX, decltype(&EVP_MD_CTX_free)>;

std::string base64(const unsigned char* data, std::size_t size) {
    std::string out(4 * ((size + 2) / 3) + 1, '\0');
    const int n =
        EVP_EncodeBlock(reinterpret_cast<unsigned char*>(out.data()), data, static_cast<int>(size));
    out.resize(static_cast<std::size_t>(n));
    return out;
}

tl::expected<std::vector<unsigned char>, Error> unbase64(const std::string& text) {
    if (text.size() % 4 != 0 || text.empty()) {
        return tl::unexpected(Error{ErrorCode::kSignatureInvalid, "signature value is not base64"});
    }
    std::vector<unsigned char> out(text.size() / 4 * 3);
    const int n = EVP_DecodeBlock(out.data(), reinterpret_cast<const unsigned char*>(text.data()),
                                  static_cast<int>(text.size()));
    if (n < 0) {
        return tl::unexpected(Error{ErrorCode::kSignatureInvalid, "signature value is not base64"});
    }
    std::size_t size = static_cast<std::size_t>(n);
    for (std::size_t i = text.size(); i > 0 && text[i - 1] == '='; --i) {
        --size;
    }
    out.resize(size);
    return out;
}

std::string publicKeyFingerprint(EVP_PKEY* key) {
    unsigned char* der = nullptr;
    const int length = i2d_PUBKEY(key, &der);
    if (length <= 0) {
        return {};
    }
    unsigned char digest[EVP_MAX_MD_SIZE];
    unsigned int size = 0;
    EVP_Digest(der, static_cast<std::size_t>(length), digest, &size, EVP_sha256(), nullptr);
    OPENSSL_free(der);
    std::string hex;
    for (unsigned int i = 0; i < size; ++i) {
        hex += fmt::format("{:02x}", digest[i]);
    }
    return hex;
}

}  // namespace

std::vector<BaselineItem> evaluateBaseline(const HostInfo& host,
                                           const std::vector<NetworkAdapter>& adapters) {
    std::vector<BaselineItem> out;
    const bool windows10 = host.osName.find("Windows 10") != std::string::npos;
    const bool x64 = host.architecture == "x86_64" || host.architecture == "AMD64";
    out.push_back({"os", windows10 && x64 ? "pass" : "fail", "Windows 10 64-bit",
                   fmt::format("{} {}", host.osName, host.architecture)});
    if (host.cpuMaxMhz) {
        out.push_back({"cpu", *host.cpuMaxMhz >= kMinCpuMhz ? "pass" : "fail", ">= 2.5 GHz",
                       fmt::format("{:.2f} GHz", *host.cpuMaxMhz / 1000.0)});
    } else {
        out.push_back({"cpu", "unknown", ">= 2.5 GHz", "clock not reported"});
    }
    out.push_back({"memory", host.memoryBytes >= kMinMemoryBytes ? "pass" : "fail", ">= 4 GB",
                   gib(host.memoryBytes)});
    out.push_back({"disk", host.systemDiskBytes >= kMinDiskBytes ? "pass" : "fail", ">= 100 GB",
                   fmt::format("{:.0f} GB", static_cast<double>(host.systemDiskBytes) / 1e9)});
    std::optional<int> bestNic;
    for (const auto& a : adapters) {
        if (a.physical && !a.loopback && a.speedMbps) {
            bestNic = std::max(bestNic.value_or(0), *a.speedMbps);
        }
    }
    if (bestNic) {
        out.push_back({"nic", *bestNic >= kMinNicMbps ? "pass" : "fail", ">= 100 Mb/s",
                       fmt::format("{} Mb/s", *bestNic)});
    } else {
        out.push_back({"nic", "unknown", ">= 100 Mb/s", "no physical adapter reports a speed"});
    }
    if (host.cameras.empty()) {
        out.push_back({"camera", "fail", ">= 1 MP", "no camera"});
    } else {
        std::uint64_t best = 0;
        for (const auto& c : host.cameras) {
            best = std::max(best, c.maxPixels.value_or(0));
        }
        if (best == 0) {
            out.push_back(
                {"camera", "unknown", ">= 1 MP",
                 fmt::format("{} camera(s), resolution not reported", host.cameras.size())});
        } else {
            out.push_back({"camera", best >= kMinCameraPixels ? "pass" : "fail", ">= 1 MP",
                           fmt::format("{:.1f} MP", static_cast<double>(best) / 1e6)});
        }
    }
    return out;
}

json buildReport(const Inventory& inv, const std::vector<Detection>& detections,
                 const std::string& timestamp, const std::string& nonce) {
    json r;
    r["schema"] = "examguard-agent-report/1";
    r["timestamp"] = timestamp;
    r["nonce"] = nonce;
    const auto& h = inv.host;
    r["host"] = {{"hostname", h.hostname},
                 {"os_name", h.osName},
                 {"os_version", h.osVersion},
                 {"architecture", h.architecture},
                 {"cpu_model", h.cpuModel},
                 {"cpu_count", h.cpuCount},
                 {"cpu_max_mhz", h.cpuMaxMhz ? json(*h.cpuMaxMhz) : json(nullptr)},
                 {"memory_bytes", h.memoryBytes},
                 {"system_disk_bytes", h.systemDiskBytes},
                 {"gateways", h.gateways}};
    json cameras = json::array();
    for (const auto& c : h.cameras) {
        cameras.push_back(
            {{"name", c.name}, {"max_pixels", c.maxPixels ? json(*c.maxPixels) : json(nullptr)}});
    }
    r["host"]["cameras"] = cameras;
    r["adapters"] = json::array();
    for (const auto& a : inv.adapters) {
        r["adapters"].push_back({{"name", a.name},
                                 {"mac", a.mac},
                                 {"addresses", a.addresses},
                                 {"speed_mbps", a.speedMbps ? json(*a.speedMbps) : json(nullptr)},
                                 {"up", a.up},
                                 {"loopback", a.loopback},
                                 {"physical", a.physical}});
    }
    r["processes"] = json::array();
    for (const auto& p : inv.processes) {
        json j = {{"pid", p.pid},         {"ppid", p.ppid},     {"name", p.name},
                  {"image", p.imagePath}, {"sha256", p.sha256}, {"cmdline", p.cmdline}};
        if (p.versionInfo) {
            j["version_info"] = p.versionInfo->strings;
        }
        if (!p.signers.empty()) {
            j["signers"] = json::array();
            for (const auto& s : p.signers) {
                j["signers"].push_back({{"subject_cn", s.subjectCommonName},
                                        {"subject_o", s.subjectOrganization},
                                        {"issuer_cn", s.issuerCommonName}});
            }
        }
        r["processes"].push_back(std::move(j));
    }
    r["installed"] = json::array();
    for (const auto& i : inv.installed) {
        r["installed"].push_back({{"name", i.name},
                                  {"display_name", i.displayName},
                                  {"version", i.version},
                                  {"source", i.source}});
    }
    r["services"] = json::array();
    for (const auto& s : inv.services) {
        r["services"].push_back({{"name", s.name}, {"source", s.source}});
    }
    r["listening"] = json::array();
    for (const auto& s : inv.listening) {
        r["listening"].push_back({{"transport", transportName(s.transport)},
                                  {"address", s.address},
                                  {"port", s.port},
                                  {"pids", s.pids}});
    }
    r["usb"] = json::array();
    for (const auto& u : inv.usb) {
        r["usb"].push_back({{"bus_path", u.busPath},
                            {"vid", fmt::format("{:04x}", u.vid)},
                            {"pid", fmt::format("{:04x}", u.pid)},
                            {"manufacturer", u.manufacturer},
                            {"product", u.product},
                            {"vendor_name", u.vendorName},
                            {"product_name", u.productName},
                            {"interface_classes", u.interfaceClasses}});
    }
    r["bluetooth_hid"] = json::array();
    for (const auto& b : inv.bluetoothHid) {
        r["bluetooth_hid"].push_back({{"id", b.id}, {"name", b.name}});
    }
    r["vm"] = {{"virtual_machine", inv.vm.virtualMachine()},
               {"sys_vendor", inv.vm.sysVendor},
               {"product_name", inv.vm.productName},
               {"cpu_hypervisor_flag", inv.vm.cpuHypervisorFlag},
               {"reasons", reasons(inv.vm.reasons)}};
    r["detections"] = json::array();
    for (const auto& d : detections) {
        r["detections"].push_back({{"kind", d.kind},
                                   {"app", d.app},
                                   {"name", d.name},
                                   {"subject", d.subject},
                                   {"renamed", d.renamed},
                                   {"source", d.source},
                                   {"reasons", reasons(d.reasons)}});
    }
    r["baseline"] = json::array();
    for (const auto& b : evaluateBaseline(inv.host, inv.adapters)) {
        r["baseline"].push_back({{"item", b.item},
                                 {"result", b.result},
                                 {"required", b.required},
                                 {"actual", b.actual}});
    }
    r["warnings"] = inv.warnings;
    return r;
}

std::string describe(const Detection& d) {
    std::string why;
    for (const auto& r : d.reasons) {
        why += fmt::format("{}{}={}", why.empty() ? "" : ", ", r.by, r.value);
    }
    return fmt::format("{} ({}) by {}{}", d.name, d.subject, why, d.renamed ? " [renamed]" : "");
}

json scanSummary(const Inventory& inv, const std::vector<Detection>& detections) {
    json out;
    out["host"] = inv.host.hostname;
    out["interfaces"] = json::array();
    for (const auto& a : inv.adapters) {
        out["interfaces"].push_back({{"name", a.name}, {"mac", a.mac}, {"ips", a.addresses}});
    }
    out["detections"] = json::array();
    for (const auto& d : detections) {
        const std::string kind =
            d.kind == "remote_control" || d.kind == "installed_software" ? d.source : d.kind;
        out["detections"].push_back({{"app", d.app}, {"kind", kind}, {"evidence", describe(d)}});
    }
    out["usb"] = json::array();
    for (const auto& u : inv.usb) {
        out["usb"].push_back({{"vid", fmt::format("{:04x}", u.vid)},
                              {"pid", fmt::format("{:04x}", u.pid)},
                              {"name", !u.productName.empty() ? u.productName : u.product}});
    }
    return out;
}

std::string canonicalBytes(const json& report) {
    return report.dump(-1, ' ', false, json::error_handler_t::replace);
}

std::string randomNonce() {
    unsigned char bytes[16];
    if (RAND_bytes(bytes, sizeof bytes) != 1) {
        return {};
    }
    std::string hex;
    for (const auto b : bytes) {
        hex += fmt::format("{:02x}", b);
    }
    return hex;
}

std::string utcNow() {
    const auto now = std::chrono::floor<std::chrono::seconds>(std::chrono::system_clock::now());
    return fmt::format("{:%Y-%m-%dT%H:%M:%SZ}", now);
}

tl::expected<void, Error> generateKey(const std::filesystem::path& privateKeyPath,
                                      const std::filesystem::path& publicKeyPath) {
    for (const auto& path : {privateKeyPath, publicKeyPath}) {
        std::error_code ec;
        if (std::filesystem::exists(path, ec)) {
            return tl::unexpected(
                Error{ErrorCode::kInvalidArgument, fmt::format("{}: already exists; a key is never "
                                                               "overwritten",
                                                               path.string())});
        }
    }
    PkeyPtr key(EVP_PKEY_Q_keygen(nullptr, nullptr, "ED25519"), &EVP_PKEY_free);
    if (!key) {
        return tl::unexpected(Error{ErrorCode::kCryptoFailed, "Ed25519 key generation failed"});
    }
    // The private key file is created 0600 before anything is written to it.
    const auto writePem = [&](const std::filesystem::path& path,
                              bool isPrivate) -> tl::expected<void, Error> {
        const auto tmp = path.string() + ".tmp";
        const mode_t old = umask(isPrivate ? 077 : 022);
        FILE* f = std::fopen(tmp.c_str(), "wx");
        umask(old);
        if (f == nullptr) {
            return tl::unexpected(
                Error{ErrorCode::kUnreadable, fmt::format("{}: cannot create", tmp)});
        }
        const int ok =
            isPrivate ? PEM_write_PrivateKey(f, key.get(), nullptr, nullptr, 0, nullptr, nullptr)
                      : PEM_write_PUBKEY(f, key.get());
        const bool closed = std::fclose(f) == 0;
        std::error_code ec;
        if (ok != 1 || !closed) {
            std::filesystem::remove(tmp, ec);
            return tl::unexpected(
                Error{ErrorCode::kCryptoFailed, fmt::format("{}: cannot write the key", tmp)});
        }
        std::filesystem::rename(tmp, path, ec);
        if (ec) {
            std::filesystem::remove(tmp, ec);
            return tl::unexpected(
                Error{ErrorCode::kUnreadable, fmt::format("{}: {}", path.string(), ec.message())});
        }
        return {};
    };
    if (auto r = writePem(privateKeyPath, true); !r) {
        return r;
    }
    return writePem(publicKeyPath, false);
}

tl::expected<json, Error> signReport(const json& report,
                                     const std::filesystem::path& privateKeyPath) {
    FILE* f = std::fopen(privateKeyPath.c_str(), "r");
    if (f == nullptr) {
        return tl::unexpected(
            Error{ErrorCode::kFileNotFound,
                  fmt::format("{}: cannot open the agent key", privateKeyPath.string())});
    }
    PkeyPtr key(PEM_read_PrivateKey(f, nullptr, nullptr, nullptr), &EVP_PKEY_free);
    std::fclose(f);
    if (!key || EVP_PKEY_get_id(key.get()) != EVP_PKEY_ED25519) {
        return tl::unexpected(
            Error{ErrorCode::kMalformedData,
                  fmt::format("{}: not a PEM Ed25519 private key", privateKeyPath.string())});
    }
    const std::string bytes = canonicalBytes(report);
    MdCtxPtr ctx(EVP_MD_CTX_new(), &EVP_MD_CTX_free);
    std::size_t size = 0;
    if (!ctx || EVP_DigestSignInit(ctx.get(), nullptr, nullptr, nullptr, key.get()) != 1 ||
        EVP_DigestSign(ctx.get(), nullptr, &size,
                       reinterpret_cast<const unsigned char*>(bytes.data()), bytes.size()) != 1) {
        return tl::unexpected(Error{ErrorCode::kCryptoFailed, "Ed25519 signing failed"});
    }
    std::vector<unsigned char> sig(size);
    if (EVP_DigestSign(ctx.get(), sig.data(), &size,
                       reinterpret_cast<const unsigned char*>(bytes.data()), bytes.size()) != 1) {
        return tl::unexpected(Error{ErrorCode::kCryptoFailed, "Ed25519 signing failed"});
    }
    return json{{"report", report},
                {"signature",
                 {{"algorithm", "ed25519"},
                  {"public_key_sha256", publicKeyFingerprint(key.get())},
                  {"value", base64(sig.data(), size)}}}};
}

namespace {

// A PEM public key that must be Ed25519; anything else is malformed.
tl::expected<PkeyPtr, Error> readEd25519PublicKey(const std::string& publicKeyPem) {
    std::unique_ptr<BIO, decltype(&BIO_free)> bio(
        BIO_new_mem_buf(publicKeyPem.data(), static_cast<int>(publicKeyPem.size())), &BIO_free);
    PkeyPtr key(PEM_read_bio_PUBKEY(bio.get(), nullptr, nullptr, nullptr), &EVP_PKEY_free);
    if (!key || EVP_PKEY_get_id(key.get()) != EVP_PKEY_ED25519) {
        return tl::unexpected(
            Error{ErrorCode::kMalformedData, "the public key is not a PEM Ed25519 key"});
    }
    return key;
}

}  // namespace

tl::expected<std::string, Error> publicKeyFingerprintPem(const std::string& publicKeyPem) {
    auto key = readEd25519PublicKey(publicKeyPem);
    if (!key) {
        return tl::unexpected(key.error());
    }
    return publicKeyFingerprint(key->get());
}

tl::expected<void, Error> verifyEnvelope(const json& envelope, const std::string& publicKeyPem) {
    const auto refuse = [](std::string why) {
        return tl::unexpected(Error{ErrorCode::kSignatureInvalid, std::move(why)});
    };
    if (!envelope.is_object() || !envelope.contains("report") || !envelope.contains("signature") ||
        !envelope["signature"].is_object()) {
        return refuse("not a signed report: 'report' or 'signature' missing");
    }
    const auto& sig = envelope["signature"];
    if (stringField(sig, "algorithm") != "ed25519" || !sig.contains("value") ||
        !sig["value"].is_string()) {
        return refuse("signature algorithm is not ed25519 or the value is missing");
    }
    auto key = readEd25519PublicKey(publicKeyPem);
    if (!key) {
        return tl::unexpected(key.error());
    }
    if (stringField(sig, "public_key_sha256") != publicKeyFingerprint(key->get())) {
        return refuse("signed by a different key than the one enrolled for this PC");
    }
    auto value = unbase64(sig["value"].get<std::string>());
    if (!value) {
        return tl::unexpected(value.error());
    }
    const std::string bytes = canonicalBytes(envelope["report"]);
    MdCtxPtr ctx(EVP_MD_CTX_new(), &EVP_MD_CTX_free);
    if (!ctx || EVP_DigestVerifyInit(ctx.get(), nullptr, nullptr, nullptr, key->get()) != 1) {
        return tl::unexpected(Error{ErrorCode::kCryptoFailed, "Ed25519 verification unavailable"});
    }
    if (EVP_DigestVerify(ctx.get(), value->data(), value->size(),
                         reinterpret_cast<const unsigned char*>(bytes.data()), bytes.size()) != 1) {
        return refuse("signature does not match the report (altered or forged)");
    }
    return {};
}

}  // namespace examguard::agent
