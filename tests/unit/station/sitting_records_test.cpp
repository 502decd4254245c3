// A sitting's records on a real store holding the demo period: scores imported from the exam
// system's CSV (a file with any bad row stores nothing and says which line and field); the
// timeline (the sitting's own and period-wide entries, not other rooms'); the room's cameras,
// their event badges and the proctor's snapshots (encrypted, logged, linked from the timeline).
#include <gtest/gtest.h>

#include "demo_station.h"
#include "station/cameras.h"
#include "station/scores.h"
#include "station/timeline.h"

namespace examguard::station {
namespace {

class SittingRecordsTest : public testing::DemoPeriodTest {
protected:
    void SetUp() override {
        DemoPeriodTest::SetUp();
        m_theory = m_sitting;
        m_practical = sittingId("practical", "main");
    }

    Expected<ScoreImport> import(std::string_view csv) {
        return importScores(*m_station, m_theory, csv, "scores.csv", "admin1");
    }

    // exam_number -> (points or -1, passed, absent)
    std::map<std::string, std::tuple<double, int, int>> scores() {
        auto stmt = m_station->db().prepare(
            "SELECT e.exam_number, coalesce(s.points, -1), s.passed, s.absent FROM score s JOIN "
            "sitting t ON t.id = s.sitting_id JOIN enrollment e ON e.candidate_id = "
            "s.candidate_id AND e.period_id = t.period_id WHERE s.sitting_id = ?");
        stmt->bind(1, m_theory);
        std::map<std::string, std::tuple<double, int, int>> out;
        EXPECT_TRUE(stmt->forEachRow([&](Statement& row) {
            out[row.columnText(0)] = {row.columnDouble(1), static_cast<int>(row.columnInt(2)),
                                      static_cast<int>(row.columnInt(3))};
        }));
        return out;
    }

    std::int64_t m_theory = 0;
    std::int64_t m_practical = 0;
};

TEST_F(SittingRecordsTest, ScoresImportInEnglishOrChineseAndReplaceEarlierOnes) {
    auto first = import(
        "exam_number,points,passed,absent\n2026110001,88,yes,\n2026110002,52,no,\n"
        "2026110003,,no,yes\n");
    ASSERT_TRUE(first) << first.error().detail;
    EXPECT_EQ(first->rows, 3);
    EXPECT_EQ(first->passed, 1);
    EXPECT_EQ(first->absent, 1);
    EXPECT_GT(first->logSeq, 0);
    auto s = scores();
    ASSERT_EQ(s.size(), 3U);
    EXPECT_EQ(s["2026110001"], std::make_tuple(88.0, 1, 0));
    EXPECT_EQ(s["2026110003"], std::make_tuple(-1.0, 0, 1));

    // The exam system's Chinese export, with a BOM: a corrected score replaces the earlier one.
    auto second = import("\xEF\xBB\xBF准考证号,成绩,是否合格\n2026110002,61.5,合格\n");
    ASSERT_TRUE(second) << second.error().detail;
    s = scores();
    EXPECT_EQ(s.size(), 3U);
    EXPECT_EQ(s["2026110002"], std::make_tuple(61.5, 1, 0));
}

TEST_F(SittingRecordsTest, AnyBadRowStoresNothingAndTheErrorNamesLineAndField) {
    ASSERT_TRUE(import("exam_number,points,passed\n2026110001,90,1\n"));
    const auto before = scores();
    const std::pair<const char*, const char*> cases[] = {
        {"exam_number,points,passed\n2026110002,70,1\n9999999999,70,1\n",
         "scores.csv:3 exam_number: \"9999999999\" is not an exam number of this period"},
        {"exam_number,points,passed\n2026110002,70,1\n2026110002,71,1\n",
         "scores.csv:3 exam_number: \"2026110002\" already has a score on line 2"},
        {"exam_number,points,passed\n2026110002,1001,1\n",
         "scores.csv:2 points: expected a number from 0 to 1000"},
        {"exam_number,points,passed\n2026110002,nan,1\n",
         "scores.csv:2 points: expected a number from 0 to 1000"},
        {"exam_number,points,passed\n2026110002,70,maybe\n",
         "scores.csv:2 passed: expected yes/no (合格/不合格, 是/否, 1/0)"},
        {"exam_number,points,passed,absent\n2026110002,70,1,1\n",
         "scores.csv:2 absent: an absent candidate cannot have points or a pass"},
        {"exam_number,points\n2026110002,70\n",
         "scores.csv:1 header: needs the columns exam_number (准考证号) and passed (是否合格)"},
        {"exam_number,passed\n", "scores.csv: the file has no score rows"},
        {"exam_number,passed\n2026110002\n", "scores.csv: line 2"},
        {"exam_number,passed\n\"2026110002,1\n", "scores.csv: line 2"},
        {"exam_number,passed\n\xFF\xFE\x00\x01,1\n", "scores.csv: "},
    };
    for (const auto& [csv, expected] : cases) {
        auto r = import(csv);
        ASSERT_FALSE(r) << csv;
        EXPECT_EQ(r.error().code, ErrorCode::BadInput) << csv;
        EXPECT_EQ(r.error().detail.rfind(expected, 0), 0U)
            << "got: " << r.error().detail << "\nexpected to start with: " << expected;
        EXPECT_EQ(scores(), before) << "a rejected file changed the stored scores: " << csv;
    }
    EXPECT_EQ(importScores(*m_station, 987654, "exam_number,passed\n2026110002,1\n", "s.csv", "a")
                  .error()
                  .code,
              ErrorCode::NotFound);
}

TEST_F(SittingRecordsTest, RoomNotesAreTrimmedCheckedAndLoggedWithTheirSitting) {
    const std::pair<std::string, const char*> bad[] = {
        {"", "the room record note is empty"},
        {" \n\t ", "the room record note is empty"},
        {"A07 left \xC3\x28 early", "the room record note is not UTF-8 text (byte 10)"},
        {std::string(2001, 'x'), "the room record note has 2001 characters; at most 2000"},
    };
    for (const auto& [text, expected] : bad) {
        auto r = addRoomNote(*m_station, m_theory, text, "proctor1");
        ASSERT_FALSE(r);
        EXPECT_EQ(r.error().code, ErrorCode::BadInput);
        EXPECT_EQ(r.error().detail, expected);
    }
    EXPECT_EQ(addRoomNote(*m_station, 987654, "note", "proctor1").error().code,
              ErrorCode::NotFound);
    // 2000 Chinese characters are 6000 bytes: the limit counts characters.
    std::string longChinese;
    for (int i = 0; i < 2000; ++i) {
        longChinese += "考";
    }
    EXPECT_TRUE(addRoomNote(*m_station, m_theory, longChinese, "proctor1"));
    auto seq = addRoomNote(*m_station, m_theory, "  A07 交卷后提前离场 10:12\n", "proctor1");
    ASSERT_TRUE(seq) << seq.error().detail;
    auto timeline = sittingTimeline(*m_station, m_theory, *seq - 1);
    ASSERT_TRUE(timeline);
    ASSERT_EQ(timeline->size(), 1U);
    const auto payload = nlohmann::json::parse(timeline->front().payload);
    EXPECT_EQ(timeline->front().kind, "room.note");
    EXPECT_EQ(payload["text"], "A07 交卷后提前离场 10:12");
    EXPECT_EQ(payload["room"], "T1");
    EXPECT_EQ(payload["sitting_id"], m_theory);
}

TEST_F(SittingRecordsTest, TimelineKeepsTheSittingsEntriesAndPeriodWideOnesOnly) {
    auto periodId = [&] {
        auto stmt = m_station->db().prepare("SELECT period_id FROM sitting WHERE id = ?");
        stmt->bind(1, m_theory);
        EXPECT_TRUE(*stmt->step());
        return stmt->columnInt(0);
    }();
    auto append = [&](const char* kind, nlohmann::json payload) {
        auto e = m_station->log().appendNow({"proctor1", kind, periodId, std::move(payload)});
        EXPECT_TRUE(e) << e.error().detail;
        return e->seq;
    };
    const auto ours = append("checkin.attempted", {{"sitting_id", m_theory}});
    append("checkin.attempted", {{"sitting_id", m_practical}});
    const auto room = append("camera.event", {{"room", "T1"}});
    append("camera.event", {{"room", "P1"}});
    const auto wide = append("netaudit.completed", {{"packets", 12}});
    auto timeline = sittingTimeline(*m_station, m_theory);
    ASSERT_TRUE(timeline) << timeline.error().detail;
    std::vector<std::int64_t> seqs;
    for (const auto& e : *timeline) {
        seqs.push_back(e.seq);
    }
    // period.imported (period-wide) came first, then the three entries that concern T1's sitting.
    ASSERT_GE(seqs.size(), 4U);
    EXPECT_EQ(std::vector<std::int64_t>(seqs.end() - 3, seqs.end()),
              (std::vector<std::int64_t>{ours, room, wide}));
    auto later = sittingTimeline(*m_station, m_theory, room);
    ASSERT_TRUE(later);
    ASSERT_EQ(later->size(), 1U);
    EXPECT_EQ(later->front().seq, wide);

    // Evidence of an entry whose check-in does not exist is empty, not an error.
    auto evidence = timelineEvidence(*m_station, timeline->back());
    ASSERT_TRUE(evidence);
    EXPECT_TRUE(evidence->snapshot.empty());
    EXPECT_FALSE(evidence->recordingPath);
    EXPECT_FALSE(sittingTimeline(*m_station, 987654));
}

TEST_F(SittingRecordsTest, CamerasBadgesAndProctorSnapshotsOfTheSittingsRoom) {
    auto cameras = camerasOfSitting(*m_station, m_theory);
    ASSERT_TRUE(cameras) << cameras.error().detail;
    ASSERT_EQ(cameras->size(), 2U);
    EXPECT_EQ((*cameras)[0].code, "T1-BACK");
    EXPECT_EQ((*cameras)[1].code, "T1-FRONT");
    EXPECT_EQ((*cameras)[1].room, "T1");
    auto practical = camerasOfSitting(*m_station, m_practical);
    ASSERT_TRUE(practical);
    ASSERT_EQ(practical->size(), 1U);
    const std::int64_t front = (*cameras)[1].id;

    // now = 2026-11-25T00:00Z: an open event, one ended 5 minutes ago, one ended an hour ago.
    auto event = [&](std::int64_t camera, const char* kind, const char* start, const char* end) {
        auto stmt = m_station->db().prepare(
            "INSERT INTO camera_event (camera_id, sitting_id, kind, start_at, end_at, confidence) "
            "VALUES (?, ?, ?, ?, ?, 0.8)");
        stmt->bind(1, camera)
            .bind(2, m_theory)
            .bind(3, std::string(kind))
            .bind(4, std::string(start))
            .bind(5, end ? std::optional<std::string>(end) : std::nullopt);
        EXPECT_TRUE(stmt->run());
    };
    event(front, "covered", "2026-11-24T23:50:00.000Z", nullptr);
    event(front, "frozen", "2026-11-24T23:54:00.000Z", "2026-11-24T23:55:00.000Z");
    event(front, "too_dark", "2026-11-24T22:00:00.000Z", "2026-11-24T23:00:00.000Z");
    event((*practical)[0].id, "moved", "2026-11-24T23:59:00.000Z", nullptr);
    auto badges = cameraBadges(*m_station, m_theory, std::chrono::minutes(10));
    ASSERT_TRUE(badges) << badges.error().detail;
    ASSERT_EQ(badges->size(), 2U);
    EXPECT_EQ((*badges)[0].kind, "frozen");  // newest first
    EXPECT_FALSE((*badges)[0].open);
    EXPECT_EQ((*badges)[1].kind, "covered");
    EXPECT_TRUE((*badges)[1].open);

    // A proctor's snapshot: only a JPEG, only a camera of the room; stored encrypted, logged,
    // and not a badge.
    const std::string jpeg = "\xFF\xD8\xFF\xE0 a picture of the room";
    const auto bytes = std::span(reinterpret_cast<const unsigned char*>(jpeg.data()), jpeg.size());
    EXPECT_EQ(storeProctorSnapshot(*m_station, m_theory, front,
                                   std::span(bytes.data() + 2, bytes.size() - 2), "proctor1")
                  .error()
                  .code,
              ErrorCode::BadInput);
    EXPECT_EQ(storeProctorSnapshot(*m_station, m_theory, (*practical)[0].id, bytes, "proctor1")
                  .error()
                  .code,
              ErrorCode::NotFound);
    auto seq = storeProctorSnapshot(*m_station, m_theory, front, bytes, "proctor1");
    ASSERT_TRUE(seq) << seq.error().detail;
    auto timeline = sittingTimeline(*m_station, m_theory, *seq - 1);
    ASSERT_TRUE(timeline);
    ASSERT_EQ(timeline->size(), 1U);
    EXPECT_EQ(timeline->front().kind, "camera.snapshot");
    auto evidence = timelineEvidence(*m_station, timeline->front());
    ASSERT_TRUE(evidence) << evidence.error().detail;
    EXPECT_EQ(std::string(evidence->snapshot.begin(), evidence->snapshot.end()), jpeg);
    auto stored = m_station->db().prepare(
        "SELECT instr(snapshot, 'a picture') FROM camera_event WHERE kind = 'proctor_snapshot'");
    ASSERT_TRUE(*stored->step());
    EXPECT_EQ(stored->columnInt(0), 0) << "the picture is stored encrypted";
    badges = cameraBadges(*m_station, m_theory, std::chrono::minutes(10));
    EXPECT_EQ(badges->size(), 2U);
    EXPECT_FALSE(camerasOfSitting(*m_station, 987654));
}

}  // namespace
}  // namespace examguard::station
