#pragma once

#include <filesystem>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>
#include <tl/expected.hpp>

#include "agent/error.h"
#include "agent/inventory.h"

namespace examguard::agent {

// One line of the REQUIREMENTS NET-4 baseline: result is "pass", "fail" or "unknown" (the
// backend could not measure it; an administrator checks by hand).
struct BaselineItem {
    std::string item;  // os, cpu, memory, disk, nic, camera
    std::string result;
    std::string required;
    std::string actual;
};

std::vector<BaselineItem> evaluateBaseline(const HostInfo& host,
                                           const std::vector<NetworkAdapter>& adapters);

// The report object of schemas/agent-report.schema.json (without the signature envelope).
// `timestamp` is UTC RFC 3339, `nonce` 32 hex digits; both are passed in so tests fix them.
nlohmann::json buildReport(const Inventory& inventory, const std::vector<Detection>& detections,
                           const std::string& timestamp, const std::string& nonce);

// "AnyDesk (pid 42 /opt/x) by original_filename=AnyDesk.exe [renamed]".
std::string describe(const Detection& detection);

// The contract's `examguard-agent scan --json` document (../shared/ARCHITECTURE.md):
// {"host", "interfaces": [{"name", "mac", "ips"}], "detections": [{"app", "kind", "evidence"}],
//  "usb": [{"vid", "pid", "name"}]} with kind one of process, installed, service, listening,
// wireless_peripheral, virtual_machine.
nlohmann::json scanSummary(const Inventory& inventory, const std::vector<Detection>& detections);

// The bytes that are signed: the report dumped compactly with keys sorted (nlohmann's default
// object order), UTF-8, no trailing newline.
std::string canonicalBytes(const nlohmann::json& report);

// 16 random bytes from OpenSSL, as 32 lower-case hex digits.
std::string randomNonce();
// Current UTC time, RFC 3339 with seconds ("2026-11-23T02:30:00Z").
std::string utcNow();

// Ed25519 keys in PEM files. generateKey writes the private key with mode 0600.
tl::expected<void, Error> generateKey(const std::filesystem::path& privateKeyPath,
                                      const std::filesystem::path& publicKeyPath);

// {"report": {...}, "signature": {"algorithm": "ed25519", "public_key_sha256": hex of the DER
// SubjectPublicKeyInfo, "value": base64}}.
tl::expected<nlohmann::json, Error> signReport(const nlohmann::json& report,
                                               const std::filesystem::path& privateKeyPath);
// SHA-256 (hex) of a PEM Ed25519 public key's DER SubjectPublicKeyInfo, as in
// signature.public_key_sha256.
tl::expected<std::string, Error> publicKeyFingerprintPem(const std::string& publicKeyPem);

// Checks an envelope against a PEM public key; kSignatureInvalid says why it was refused.
tl::expected<void, Error> verifyEnvelope(const nlohmann::json& envelope,
                                         const std::string& publicKeyPem);

}  // namespace examguard::agent
