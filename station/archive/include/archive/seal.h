#pragma once

#include <filesystem>
#include <functional>
#include <optional>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "station/error.h"
#include "station/station.h"

// One archive per exam period (一期一档): the period's records, evidence and complete event log
// as a BagIt bag in a ZIP, signed by the station (docs/formats/archive.md).
namespace examguard::archive {

struct SealOptions {
    std::string periodCode;
    std::filesystem::path out;
    // PEM certificate of the inspector authority: personal data (names, ID numbers, face
    // images) goes into the archive only encrypted to it. Empty: personal data is left out.
    std::string authorityCertificatePem;
    bool includeRecordings = false;  // copy the video segments in, not only their hashes
    std::string actor = "station";
    // Sends a DER RFC 3161 TimeStampReq to a time-stamping authority and returns its DER reply;
    // empty: the archive is not time-stamped. A failure fails the seal (nothing is written).
    using Timestamper = std::function<station::Expected<std::vector<unsigned char>>(
        const std::vector<unsigned char>& query)>;
    Timestamper timestamper;
    // Called as the seal advances (percent 0–100, a stable stage name: "records", "log",
    // "personal_data", "members", "signature", "timestamp", "sealed"); may be empty.
    std::function<void(int percent, const char* stage)> progress;
    // Polled between steps; true stops the seal with ErrorCode::Cancelled semantics (an
    // Invalid error saying so) and nothing written.
    std::function<bool()> cancelled;
};

struct SealResult {
    std::filesystem::path path;
    std::uint64_t bytes = 0;
    std::string sha256;  // of the whole archive file
    std::size_t payloadFiles = 0;
    std::string eventLogHead;
    std::int64_t eventLogEntries = 0;
    bool eventLogIntact = true;
    std::string personalData;  // "encrypted" or "omitted"
    std::string keepUntil;     // YYYY-MM-DD
    std::string signer;
    std::string timestampTime;          // genTime of the TSA's token; empty when not time-stamped
    std::string timestampAuthority;     // the TSA's certificate subject, when the token carries it
    std::vector<std::string> warnings;  // English; the CLI translates
};

station::Expected<SealResult> sealPeriod(station::Station& station, const SealOptions& options);

// The exam-room record reports (考场记录报告单, one per subject × round) and the score summary
// (成绩汇总表), computed from the period's exported records; sealing stores them and the
// inspector's report shows them.
struct PeriodRecords {
    nlohmann::json period, sittings, roster, staff, machines, checkins, alerts, lanFindings,
        cameraEvents, recordings, scores, roomNotes;
};
nlohmann::json recordReports(const PeriodRecords& records);
nlohmann::json scoreSummary(const PeriodRecords& records);

// "YYYY-MM-DD" `years` after the date part of an ISO time.
std::string keepUntilDate(const std::string& isoTime, int years);

}  // namespace examguard::archive
