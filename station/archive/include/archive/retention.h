#pragma once

#include <string>
#include <vector>

#include "station/station.h"

// What the station keeps and until when (REQUIREMENTS ARC-4, CAM-4): sealed archives, recording
// segments, and periods that ended without an archive.
namespace examguard::archive {

struct SealedArchive {
    std::string period, file, sha256, keepUntil, sealedAt;
    std::int64_t bytes = 0;
};

struct SegmentStatus {
    std::string camera, path, startAt, keepUntil;
    std::int64_t bytes = 0;
    bool due = false;      // keep_until has passed: may be deleted
    bool missing = false;  // the file is gone before its time
};

struct PeriodStatus {
    std::string code, lastSittingEnd, status, keepUntil;
    bool sealed = false;
    bool unsealedAfterEnd = false;  // its sittings are over and no archive was sealed
};

struct RetentionReport {
    std::vector<SealedArchive> archives;
    std::vector<SegmentStatus> segments;
    std::vector<PeriodStatus> periods;
};

// `today` is YYYY-MM-DD (UTC); the archives are those the event log records as sealed.
station::Expected<RetentionReport> retentionStatus(station::Station& station,
                                                   const std::string& today);

}  // namespace examguard::archive
