#include "station/scores.h"

#include <charconv>
#include <cmath>
#include <map>
#include <optional>
#include <vector>

#include <fmt/format.h>

#include "station/crypto.h"
#include "station/import/csv.h"
#include "station/import/text_encoding.h"
#include "station/sitting.h"

namespace examguard::station {

namespace {

constexpr std::size_t kMaxScoreFileBytes = 16 * 1024 * 1024;

std::optional<std::size_t> column(const import::CsvTable& table, std::string_view english,
                                  std::string_view chinese) {
    auto i = table.columnIndex(english);
    return i ? i : table.columnIndex(chinese);
}

// nullopt: not a yes/no word.
std::optional<bool> parseYesNo(std::string_view text) {
    for (std::string_view yes : {"1", "yes", "y", "true", "pass", "是", "合格", "Y", "YES"}) {
        if (text == yes) {
            return true;
        }
    }
    for (std::string_view no : {"0", "no", "n", "false", "fail", "否", "不合格", "N", "NO"}) {
        if (text == no) {
            return false;
        }
    }
    return std::nullopt;
}

std::optional<double> parsePoints(std::string_view text) {
    double value = 0;
    const auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), value);
    if (ec != std::errc() || end != text.data() + text.size() || !std::isfinite(value) ||
        value < 0 || value > 1000) {
        return std::nullopt;
    }
    return value;
}

struct Row {
    std::int64_t candidateId = 0;
    std::optional<double> points;
    bool passed = false;
    bool absent = false;
};

}  // namespace

Expected<ScoreImport> importScores(Station& station, std::int64_t sittingId,
                                   std::string_view fileBytes, std::string_view sourceName,
                                   std::string_view actor) {
    const auto bad = [&](std::size_t line, std::string_view field, const std::string& what) {
        return fail(ErrorCode::BadInput,
                    line == 0 ? fmt::format("{}: {}", sourceName, what)
                              : fmt::format("{}:{} {}: {}", sourceName, line, field, what));
    };
    if (fileBytes.size() > kMaxScoreFileBytes) {
        return bad(0, {}, "the file is larger than 16 MiB; it is not a score export");
    }
    auto text = import::decodeText(fileBytes);
    if (!text) {
        return bad(0, {}, text.error().detail);
    }
    const auto table = import::parseCsv(text->text);
    if (!table.ok()) {
        return bad(0, {}, table.errors.front().detail);
    }
    const auto examCol = column(table, "exam_number", "准考证号");
    const auto pointsCol = column(table, "points", "成绩");
    const auto passedCol = column(table, "passed", "是否合格");
    const auto absentCol = column(table, "absent", "缺考");
    if (!examCol || !passedCol) {
        return bad(table.headerLine, "header",
                   "needs the columns exam_number (准考证号) and passed (是否合格)");
    }
    auto place = sittingPlace(station.db(), sittingId);
    if (!place) {
        return tl::unexpected(place.error());
    }
    const std::int64_t periodId = place->periodId;
    auto lookup = station.db().prepare(
        "SELECT candidate_id FROM enrollment WHERE period_id = ? AND exam_number = ?");
    if (!lookup) {
        return tl::unexpected(lookup.error());
    }
    std::vector<Row> rows;
    std::map<std::int64_t, std::size_t> seen;
    for (const auto& record : table.records) {
        const std::string& exam = record.fields[*examCol];
        lookup->reset();
        lookup->bind(1, periodId).bind(2, exam);
        auto hit = lookup->step();
        if (!hit) {
            return tl::unexpected(hit.error());
        }
        if (!*hit) {
            return bad(record.line, "exam_number",
                       fmt::format("\"{}\" is not an exam number of this period", exam));
        }
        Row row;
        row.candidateId = lookup->columnInt(0);
        if (auto [it, fresh] = seen.emplace(row.candidateId, record.line); !fresh) {
            return bad(record.line, "exam_number",
                       fmt::format("\"{}\" already has a score on line {}", exam, it->second));
        }
        if (absentCol && !record.fields[*absentCol].empty()) {
            auto absent = parseYesNo(record.fields[*absentCol]);
            if (!absent) {
                return bad(record.line, "absent", "expected yes/no (是/否, 1/0)");
            }
            row.absent = *absent;
        }
        auto passed = parseYesNo(record.fields[*passedCol]);
        if (!passed) {
            return bad(record.line, "passed", "expected yes/no (合格/不合格, 是/否, 1/0)");
        }
        row.passed = *passed;
        if (pointsCol && !record.fields[*pointsCol].empty()) {
            row.points = parsePoints(record.fields[*pointsCol]);
            if (!row.points) {
                return bad(record.line, "points", "expected a number from 0 to 1000");
            }
        }
        if (row.absent && (row.passed || row.points)) {
            return bad(record.line, "absent", "an absent candidate cannot have points or a pass");
        }
        rows.push_back(row);
    }
    if (rows.empty()) {
        return bad(0, {}, "the file has no score rows");
    }
    auto txn = Transaction::begin(station.db());
    if (!txn) {
        return tl::unexpected(txn.error());
    }
    auto upsert = station.db().prepare(
        "INSERT INTO score (sitting_id, candidate_id, points, passed, absent, recorded_at) VALUES "
        "(?, ?, ?, ?, ?, ?) ON CONFLICT (sitting_id, candidate_id) DO UPDATE SET points = "
        "excluded.points, passed = excluded.passed, absent = excluded.absent, recorded_at = "
        "excluded.recorded_at");
    if (!upsert) {
        return tl::unexpected(upsert.error());
    }
    ScoreImport result;
    const std::string now = formatUtc(station.clock().now());
    for (const auto& row : rows) {
        upsert->reset();
        upsert->bind(1, sittingId)
            .bind(2, row.candidateId)
            .bind(3, row.points)
            .bind(4, row.passed ? 1 : 0)
            .bind(5, row.absent ? 1 : 0)
            .bind(6, now);
        if (auto r = upsert->run(); !r) {
            return tl::unexpected(r.error());
        }
        ++result.rows;
        result.passed += row.passed ? 1 : 0;
        result.absent += row.absent ? 1 : 0;
    }
    auto logged = station.log().append({std::string(actor),
                                        "score.imported",
                                        periodId,
                                        {{"sitting_id", sittingId},
                                         {"rows", result.rows},
                                         {"passed", result.passed},
                                         {"absent", result.absent},
                                         {"file_sha256", sha256Hex(fileBytes)}}});
    if (!logged) {
        return tl::unexpected(logged.error());
    }
    if (auto r = txn->commit(); !r) {
        return tl::unexpected(r.error());
    }
    result.logSeq = logged->seq;
    return result;
}

Expected<std::int64_t> addRoomNote(Station& station, std::int64_t sittingId, std::string_view text,
                                   std::string_view actor) {
    constexpr std::size_t kMaxNoteChars = 2000;
    const auto first = text.find_first_not_of(" \t\r\n");
    if (first == std::string_view::npos) {
        return fail(ErrorCode::BadInput, "the room record note is empty");
    }
    text = text.substr(first, text.find_last_not_of(" \t\r\n") - first + 1);
    if (auto bad = import::findInvalidUtf8(text)) {
        return fail(ErrorCode::BadInput,
                    fmt::format("the room record note is not UTF-8 text (byte {})", *bad + 1));
    }
    std::size_t chars = 0;
    for (const unsigned char c : text) {
        chars += (c & 0xC0) != 0x80 ? 1 : 0;
    }
    if (chars > kMaxNoteChars) {
        return fail(ErrorCode::BadInput,
                    fmt::format("the room record note has {} characters; at most {}", chars,
                                kMaxNoteChars));
    }
    auto place = sittingPlace(station.db(), sittingId);
    if (!place) {
        return tl::unexpected(place.error());
    }
    auto logged = station.log().appendNow(
        {std::string(actor),
         "room.note",
         place->periodId,
         {{"sitting_id", sittingId}, {"room", place->roomCode}, {"text", std::string(text)}}});
    if (!logged) {
        return tl::unexpected(logged.error());
    }
    return logged->seq;
}

}  // namespace examguard::station
