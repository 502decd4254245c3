#pragma once

// A sitting's events for the proctor's timeline, and the evidence each points to. Read-only over
// the store.
#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "station/event_log.h"
#include "station/station.h"

namespace examguard::station {

// The period's log entries that concern the sitting: those naming it (payload sitting_id), those
// from its room (payload room) and period-wide ones (audits, imports, seals). Entries of other
// sittings and rooms are left out. Only entries after `afterSeq`, so a view can poll cheaply.
Expected<std::vector<LogEntry>> sittingTimeline(Station& station, std::int64_t sittingId,
                                                std::int64_t afterSeq = 0);

// What an entry links to: the check-in's live snapshot or the camera event's snapshot
// (decrypted), and the recording that covers the moment.
struct TimelineEvidence {
    Bytes snapshot;  // JPEG; empty when the entry has none
    std::optional<std::string> recordingPath;
    double recordingOffsetSeconds = 0;  // from the start of that segment
};
Expected<TimelineEvidence> timelineEvidence(Station& station, const LogEntry& entry);

}  // namespace examguard::station
