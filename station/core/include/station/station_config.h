#pragma once

#include <filesystem>
#include <optional>
#include <string>

#include "station/error.h"

namespace examguard::station {

// The station's settings file, station.toml beside the database (docs/formats/station-config.md).
// Every key is optional; a missing file means all defaults.
struct StationConfig {
    struct Checkin {
        // Euclidean distance between L2-normalised embeddings at or below which two faces are
        // the same person; nullopt: the face model's documented default.
        std::optional<double> matchThreshold;
        // Distances in (match, match + reviewMargin] go to the proctor instead of a refusal.
        double reviewMargin = 0.05;
        // A live face must be at least this much closer to its own references than to another
        // candidate's for no impersonation alert.
        double impersonationMargin = 0.0;
        bool requireLiveness = true;
    } checkin;

    struct IdCardReader {
        std::filesystem::path dropFolder;  // empty: no folder-drop reader
    } idCard;
    struct Cameras {
        // The camera service's settings (`examguard monitor run --config`): the console's camera
        // wall opens the same streams. Empty: the wall uses the stream addresses stored with the
        // period's cameras, which never hold credentials.
        std::filesystem::path monitorConfig;
    } cameras;

    struct Archive {
        // PEM certificate of the inspector authority; personal data in sealed archives is
        // encrypted to it. Empty: personal data is left out of archives.
        std::filesystem::path authorityCertificate;
        bool includeRecordings = false;  // copy video segments into archives
        // RFC 3161 time-stamping authority (http:// or https://); empty: no time-stamp.
        std::string tsaUrl;
    } archive;

    struct Platform {
        bool enabled = false;
        std::string baseUrl;
        std::string appId;
        std::filesystem::path privateKeyFile;  // PEM; read when used, never logged
        std::string deviceMac;
        std::string digest = "sha256";  // "sha256" | "sha1"
        int timeoutMs = 5000;
    } platform;
};

// Errors are BadInput and name the file, line and key.
Expected<StationConfig> parseStationConfig(std::string_view text, std::string_view sourceName);
Expected<StationConfig> loadStationConfig(const std::filesystem::path& path);
// station.toml beside the database.
std::filesystem::path defaultConfigPath(const std::filesystem::path& databasePath);

}  // namespace examguard::station
