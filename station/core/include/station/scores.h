#pragma once

// The records a sitting is closed with. Scores from the exam system's export, for the score summary
// (成绩汇总表) and the room record report (考场记录报告单) that sealing puts into the archive.
#include <cstdint>
#include <string>
#include <string_view>

#include "station/station.h"

namespace examguard::station {

struct ScoreImport {
    int rows = 0;
    int passed = 0;
    int absent = 0;
    std::int64_t logSeq = 0;
};

// CSV (UTF-8 or GBK) with a header naming, in English or Chinese:
//   exam_number | 准考证号   (required: the candidate, as filed for the period)
//   points      | 成绩       (optional, 0–1000; empty when absent)
//   passed      | 是否合格   (1/0, yes/no, 是/否, 合格/不合格)
//   absent      | 缺考       (optional, the same values)
// All rows or none: a file with any bad row stores nothing, and the error names the line and
// the field. A candidate's earlier score for the sitting is replaced; one `score.imported` log
// entry records the import with the file's SHA-256.
Expected<ScoreImport> importScores(Station& station, std::int64_t sittingId,
                                   std::string_view fileBytes, std::string_view sourceName,
                                   std::string_view actor);

// A line of the exam-room record (考场记录) the proctor writes at the close: an incident, a
// candidate who left early, a machine swapped. Logged as `room.note` with the sitting and room;
// sealing lists the notes in the sitting's record report. 1–2000 characters of UTF-8 text.
// Returns the log entry's seq.
Expected<std::int64_t> addRoomNote(Station& station, std::int64_t sittingId, std::string_view text,
                                   std::string_view actor);

}  // namespace examguard::station
