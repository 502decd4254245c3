#pragma once

#include <filesystem>
#include <map>
#include <optional>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "archive/zip_container.h"
#include "station/error.h"

// Offline verification of a sealed period archive. The file is untrusted: it is read with
// limits and never extracted; nothing is written anywhere.
namespace examguard::archive {

struct VerifyOptions {
    std::string trustPem;     // anchor; empty: the signer is not checked
    std::string tsaTrustPem;  // time-stamping authority's anchor; empty: the TSA is not checked
    std::optional<std::filesystem::path> recordings;  // directory of the recording store
    ReadLimits limits;
};

// One failed check. `code` is stable (docs/formats/archive.md lists them); `member` names the
// archive member or recording concerned, empty when about the whole archive.
struct VerifyFailure {
    std::string code;
    std::string member;
    std::string message;  // English detail
};

struct VerifyReport {
    bool valid = false;
    std::vector<VerifyFailure> errors;
    std::vector<std::string> warnings;
    std::string signer;
    std::string signingTime;
    bool trusted = false;
    // The RFC 3161 time-stamp on the signature, when there is one.
    struct Timestamp {
        std::string time;
        std::string authority;
        bool trusted = false;
    };
    std::optional<Timestamp> timestamp;
    std::size_t files = 0;  // payload files listed in the manifest
    std::string eventLogHead;
    std::int64_t eventLogEntries = 0;
    std::size_t recordingsChecked = 0;
    nlohmann::json summary;  // data/summary.json when it could be read
    // Members kept for the inspector's report (the JSON files under data/), by name.
    std::map<std::string, std::string> kept;
};

// Fails (Io/BadInput) only when the file cannot be opened at all; everything else is a
// VerifyFailure in the report.
station::Expected<VerifyReport> verifyArchive(const std::filesystem::path& path,
                                              const VerifyOptions& options);

}  // namespace examguard::archive
