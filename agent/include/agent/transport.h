#pragma once

#include <cstddef>
#include <filesystem>
#include <string>
#include <string_view>

#include <nlohmann/json.hpp>
#include <tl/expected.hpp>

#include "agent/error.h"

namespace examguard::agent {

// How a signed report travels to `examguard agent serve` (docs/agent.md, "Delivery"): over TLS
// 1.3 with both sides certified by the station's agent CA, the agent sends one header line
// "EXAMGUARD-REPORT/1 <length>\n" and exactly <length> bytes of the report file; the station
// answers with one line of JSON (the `agent import --json` document, or {"error": {...}}) and
// closes.
inline constexpr std::string_view kReportMagic = "EXAMGUARD-REPORT/1";
inline constexpr std::size_t kMaxReportBytes = 64 * 1024 * 1024;
inline constexpr std::size_t kMaxHeaderBytes = 64;
inline constexpr std::size_t kMaxReplyBytes = 1024 * 1024;

std::string reportHeader(std::size_t length);
// The header line without its '\n': the announced length, or kMalformedData naming what is
// wrong (another protocol, a length that is not a plain decimal, one over kMaxReportBytes).
tl::expected<std::size_t, Error> parseReportHeader(std::string_view line);

// Where and how to deliver: the station's address, the PC's Ed25519 key (the one that signs
// its reports) with the certificate `examguard agent enroll --cert-out` issued for it, and the
// agent CA's certificate the station's listener must chain to.
struct Destination {
    std::string host;  // an IP address or a name in the listener's certificate
    int port = 0;
    std::filesystem::path key;
    std::filesystem::path certificate;
    std::filesystem::path caCertificate;
    int timeoutSeconds = 30;
};

// "HOST:PORT" or "[IPv6]:PORT" into host and port; kInvalidArgument otherwise. Port 0 ("any
// free port") only where a listener asks for it.
tl::expected<Destination, Error> parseAddress(std::string_view address, bool allowPortZero = false);

#ifndef _WIN32
// OpenSSL's error queue as one line ("connection closed" when it is empty), emptied: the words
// both ends of a delivery report a TLS failure with (OpenSSL builds only).
std::string takeTlsErrors();
#endif

// Delivers one report file's bytes and returns the station's answer (an object with either
// "imported" or "error"). A transport failure (cannot connect, certificate refused, timeout,
// no answer) is an Error naming the station and the step that failed. OpenSSL on Linux
// (tls_client.cpp), SChannel on Windows (tls_client_schannel.cpp).
tl::expected<nlohmann::json, Error> sendReport(const Destination& to, std::string_view reportText);

// What both clients make of the bytes the station sent back: the JSON object on its first line,
// with "imported" or "error". `closedWhy` says why the connection ended when no line came.
tl::expected<nlohmann::json, Error> parseStationAnswer(const Destination& to,
                                                       const std::string& reply,
                                                       const std::string& closedWhy);

}  // namespace examguard::agent
