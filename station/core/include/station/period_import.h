#pragma once

#include <cstdint>
#include <filesystem>
#include <functional>
#include <optional>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "station/import/text_encoding.h"
#include "station/station.h"

namespace examguard::station {

// One thing wrong with the input, precise enough for a clerk to find and fix it.
struct ImportIssue {
    std::string file;      // the file as named by the user or the plan
    std::size_t line = 0;  // 1-based; 0 when the issue is not about one line
    std::string field;     // CSV column or JSON path (e.g. "/sittings/2/start")
    std::string code;      // stable, machine-readable (docs/formats/import.md lists them)
    std::string message;   // English detail; front ends translate by code
};

struct ImportSummary {
    std::string periodCode;
    std::int64_t periodId = 0;
    std::string siteCode;
    int rooms = 0;
    int cameras = 0;
    int sittings = 0;
    int candidates = 0;
    int newCandidates = 0;  // not seen in an earlier period
    int photos = 0;
    int machines = 0;
    int staff = 0;
    std::vector<std::pair<std::string, std::string>> encodings;  // file -> encoding read
    std::int64_t logSeq = 0;
};

struct ImportResult {
    std::optional<ImportSummary> summary;  // set when imported
    std::vector<ImportIssue> issues;       // set when refused; then nothing was changed
};

struct ImportOptions {
    std::filesystem::path file;  // plan (.json), or a roster / machine CSV with periodCode
    std::string periodCode;      // for a CSV on its own: the period it belongs to
    std::string actor = "station";
    std::optional<import::TextEncoding> encoding;  // CSV encoding; default: detect
    std::size_t maxIssues = 200;
    // Called after each candidate is written inside the transaction (tests use it to kill
    // the process mid-import).
    std::function<void(int)> onCandidateWritten;
};

// Validates everything first and writes only if nothing is wrong, in one transaction with
// one event-log entry: an import with any issue changes nothing.
Expected<ImportResult> importPeriod(Station& station, const ImportOptions& options);

nlohmann::json toJson(const ImportIssue& issue);
nlohmann::json toJson(const ImportSummary& summary);

// An imported period by its code (e.g. "2026-DG-011"); NotFound names the code.
struct PeriodRef {
    std::int64_t id = 0;
    std::int64_t siteId = 0;
};
Expected<PeriodRef> findPeriod(Database& db, const std::string& code);

}  // namespace examguard::station
