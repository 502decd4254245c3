#pragma once

#include <chrono>
#include <cstdint>
#include <map>
#include <optional>
#include <string>

#include <nlohmann/json.hpp>

#include "station/platform/platform_signing.h"
#include "station/station.h"

namespace examguard::station::platform {

// Where and how to reach the provincial platform. Loaded from the station configuration;
// the key is read from a file readable only by the station.
struct PlatformConfig {
    std::string baseUrl;  // e.g. https://platform.example/ (no trailing path)
    std::string appId;
    std::string privateKeyPem;  // appPwd
    std::string deviceMac;      // the check-in device's MAC, sent as "mac"
    SignatureDigest digest = SignatureDigest::Sha256;
    std::chrono::milliseconds timeout{5000};
    std::chrono::seconds firstRetry{2};
    std::chrono::seconds maxRetry{300};
};

// One sign-in as the platform wants it: faceCheck with the card data, then faceSign with the
// ID-card photo and the live photo (JPEG, sent Base64).
struct SignIn {
    std::optional<std::int64_t> candidateId;
    std::string cardNo;
    std::string realName;
    std::string nation;
    std::string idPhotoJpeg;
    std::string livePhotoJpeg;
};

struct HttpReply {
    long status = 0;
    std::string body;
};

// Posts one signed request; separated so that the queue logic does not know about curl.
class Transport {
public:
    virtual ~Transport() = default;
    virtual Expected<HttpReply> post(const std::string& url,
                                     const std::map<std::string, std::string>& headers,
                                     const std::string& body,
                                     std::chrono::milliseconds timeout) = 0;
};

// libcurl over HTTP or HTTPS.
class CurlTransport final : public Transport {
public:
    Expected<HttpReply> post(const std::string& url,
                             const std::map<std::string, std::string>& headers,
                             const std::string& body, std::chrono::milliseconds timeout) override;
};

// Builds the request body {"datetime", "version", "message", "signature"} and headers.
struct SignedRequest {
    std::map<std::string, std::string> headers;
    std::string body;
};
Expected<SignedRequest> buildRequest(const PlatformConfig& config, const nlohmann::json& business,
                                     std::chrono::system_clock::time_point now,
                                     const std::string& messageId);

struct DrainReport {
    int signedIn = 0;  // faceSign accepted
    int rejected = 0;  // the platform answered code 500: a final business refusal
    int retrying = 0;  // transport or server failure; tried again later
    int pending = 0;   // still waiting after this drain
    std::optional<std::string> nextAttemptAt;
};

// The durable queue of sign-ins (table platform_outbox).
class PlatformOutbox {
public:
    PlatformOutbox(Station& station, PlatformConfig config, Transport& transport)
        : m_station(station), m_config(std::move(config)), m_transport(transport) {}

    // Queues a sign-in; call inside the check-in's transaction so both commit together.
    Expected<std::int64_t> enqueue(const SignIn& signIn, std::string_view actor);
    // Sends every due item, oldest first: faceCheck, then faceSign only after a successful
    // faceCheck. Failures back off exponentially (firstRetry · 2^attempts, at most maxRetry).
    Expected<DrainReport> drain();

private:
    Expected<void> process(std::int64_t id, const std::string& state, int attempts,
                           const std::string& maskedId, DrainReport& report);
    Station& m_station;
    PlatformConfig m_config;
    Transport& m_transport;
};

}  // namespace examguard::station::platform
