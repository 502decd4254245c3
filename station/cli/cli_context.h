#pragma once

#include <filesystem>
#include <functional>
#include <optional>
#include <string>

#include <nlohmann/json.hpp>

#include "station/error.h"
#include "station/station.h"
#include "station/station_config.h"

namespace examguard::cli {

// Exit codes of the stable CLI contract (docs/cli.md).
enum ExitCode : int {
    kExitOk = 0,
    kExitProblem = 1,   // the command ran and found a problem
    kExitUsage = 2,     // wrong arguments
    kExitBadInput = 3,  // unreadable or malformed input
};

// What every command shares: global options and the way results reach the user.
struct CliContext {
    std::string databasePath;  // --db; empty means the station default
    std::string configPath;    // --config; empty means station.toml beside the database
    bool json = false;         // --json
    int verbosity = 0;         // -v (repeatable) / -q

    std::filesystem::path resolvedDatabasePath() const;
    station::Expected<station::Station> openStation() const;
    station::Expected<station::StationConfig> loadConfig() const;

    // Prints one JSON document on stdout.
    void printJson(const nlohmann::json& document) const;
    // Reports an error: translated text on stderr (and a JSON error document with --json),
    // returning the exit code the error maps to.
    int reportError(const station::Error& error) const;
};

int exitCodeFor(station::ErrorCode code);

// Reads a secret without echo from the terminal, or one line from stdin when asked.
std::optional<std::string> readPassword(const char* prompt, bool fromStdin);

}  // namespace examguard::cli
