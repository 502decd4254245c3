#pragma once

#include <cstdint>
#include <functional>
#include <optional>
#include <string>

#include <nlohmann/json.hpp>

#include "station/clock.h"
#include "station/database.h"

namespace examguard::station {

// One entry as stored. content_sha256 = SHA-256 of canonicalContent(); entry_sha256 =
// SHA-256 of "<prev_sha256>:<content_sha256>"; prev_sha256 is the previous entry's
// entry_sha256 (64 zeros for the first). The order of the log is the chain itself; seq is
// where it is stored.
struct LogEntry {
    std::int64_t seq = 0;
    std::string recordedAt;
    std::string actor;
    std::string kind;
    std::optional<std::int64_t> periodId;
    std::string payload;  // canonical JSON text
    std::string contentSha256;
    std::string prevSha256;
    std::string entrySha256;
};

struct LogEvent {
    std::string actor;  // login of the user, or "station" / "system" for automatic work
    std::string kind;   // dotted name, e.g. "period.imported", "user.locked"
    std::optional<std::int64_t> periodId;
    nlohmann::json payload = nlohmann::json::object();
};

enum class LogProblem { Edited, Deleted, Inserted, Reordered, ChainBroken, HeadMismatch };
const char* logProblemName(LogProblem problem);

struct LogVerification {
    std::int64_t entries = 0;
    std::string headSha256;  // entry_sha256 of the last entry (64 zeros when empty)
    bool intact = true;
    // The first bad entry, when not intact.
    std::optional<LogProblem> problem;
    std::int64_t badSeq = 0;
    std::string detail;
};

inline constexpr const char* kGenesisHash =
    "0000000000000000000000000000000000000000000000000000000000000000";

std::string canonicalContent(const LogEntry& entry);
std::string canonicalJson(const nlohmann::json& value);

class EventLog {
public:
    EventLog(Database& db, const Clock& clock) : m_db(db), m_clock(clock) {}

    // Appends inside the caller's open transaction, so the state change and its log entry
    // commit together or not at all.
    Expected<LogEntry> append(const LogEvent& event);
    // Begins, appends and commits on its own.
    Expected<LogEntry> appendNow(const LogEvent& event);

    // Walks the whole chain; with expectedHead (e.g. from a sealed archive) a truncated
    // tail or appended forgery is caught too.
    Expected<LogVerification> verify(const std::optional<std::string>& expectedHead = {});
    Expected<std::string> head();
    // Streams entries in seq order, those of one period when given and only those after
    // `afterSeq` (a view that polls reads what is new); stop early by returning false.
    Expected<void> forEach(const std::function<bool(const LogEntry&)>& visit,
                           std::optional<std::int64_t> periodId = {}, std::int64_t afterSeq = 0);

private:
    Database& m_db;
    const Clock& m_clock;
};

}  // namespace examguard::station
