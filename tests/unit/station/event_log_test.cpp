#include "station/event_log.h"

#include <gtest/gtest.h>

#include "station/crypto.h"
#include "station/station.h"
#include "test_support.h"

namespace examguard::station {
namespace {

using testing::TempDir;

class EventLogTest : public ::testing::Test {
protected:
    void SetUp() override {
        auto s = Station::open({.databasePath = m_dir.path() / "station.db",
                                .durability = Durability::Normal,
                                .clock = &m_clock});
        ASSERT_TRUE(s) << s.error().detail;
        m_station.emplace(std::move(*s));
    }

    void appendMany(int count) {
        auto txn = Transaction::begin(db());
        ASSERT_TRUE(txn);
        for (int i = 0; i < count; ++i) {
            m_clock.advance(std::chrono::milliseconds(250));
            auto e = log().append({"tester",
                                   "test.event",
                                   i % 3 == 0 ? std::optional<std::int64_t>(7) : std::nullopt,
                                   {{"i", i}, {"text", "考生 " + std::to_string(i)}}});
            ASSERT_TRUE(e) << e.error().detail;
        }
        ASSERT_TRUE(txn->commit());
    }

    // What a forger does first: the append-only triggers are in the way.
    void dropGuards() {
        ASSERT_TRUE(
            db().exec("DROP TRIGGER event_log_no_update; DROP TRIGGER event_log_no_delete;"));
    }

    void execOk(const std::string& sql) {
        auto r = db().exec(sql);
        ASSERT_TRUE(r) << sql << ": " << r.error().detail;
    }

    std::string entryHashAt(std::int64_t seq) {
        auto s = db().prepare("SELECT entry_sha256 FROM event_log WHERE seq = ?");
        EXPECT_TRUE(s);
        s->bind(1, seq);
        EXPECT_TRUE(*s->step());
        return s->columnText(0);
    }

    // Moves entries seq >= from one place up, leaving a free seq at `from`.
    void makeRoomAt(std::int64_t from) {
        execOk("UPDATE event_log SET seq = seq + 1000000 WHERE seq >= " + std::to_string(from));
        execOk("UPDATE event_log SET seq = seq - 999999 WHERE seq >= 1000000");
    }

    void insertForged(std::int64_t seq, const std::string& prev) {
        LogEntry e;
        e.recordedAt = "2026-11-22T09:00:00.000Z";
        e.actor = "forger";
        e.kind = "checkin.passed";
        e.payload = R"({"seat":"A09"})";
        e.prevSha256 = prev;
        e.contentSha256 = sha256Hex(canonicalContent(e));
        e.entrySha256 = sha256Hex(e.prevSha256 + ":" + e.contentSha256);
        auto s = db().prepare(
            "INSERT INTO event_log (seq, recorded_at, actor, kind, payload, content_sha256, "
            "prev_sha256, entry_sha256) VALUES (?, ?, ?, ?, ?, ?, ?, ?)");
        ASSERT_TRUE(s);
        s->bind(1, seq).bind(2, e.recordedAt).bind(3, e.actor).bind(4, e.kind).bind(5, e.payload);
        s->bind(6, e.contentSha256).bind(7, e.prevSha256).bind(8, e.entrySha256);
        ASSERT_TRUE(s->run());
    }

    LogVerification verify(const std::optional<std::string>& head = {}) {
        auto v = log().verify(head);
        EXPECT_TRUE(v) << v.error().detail;
        return *v;
    }

    Database& db() { return m_station->db(); }
    EventLog& log() { return m_station->log(); }

    TempDir m_dir;
    ManualClock m_clock{std::chrono::system_clock::time_point(std::chrono::seconds(1795000000))};
    std::optional<Station> m_station;
};

TEST_F(EventLogTest, EmptyLogIsIntact) {
    auto v = verify();
    EXPECT_TRUE(v.intact);
    EXPECT_EQ(v.entries, 0);
    EXPECT_EQ(v.headSha256, kGenesisHash);
}

TEST_F(EventLogTest, ChainLinksEachEntryToThePrevious) {
    appendMany(5);
    std::vector<LogEntry> entries;
    ASSERT_TRUE(log().forEach([&](const LogEntry& e) {
        entries.push_back(e);
        return true;
    }));
    ASSERT_EQ(entries.size(), 5U);
    EXPECT_EQ(entries[0].prevSha256, kGenesisHash);
    for (std::size_t i = 1; i < entries.size(); ++i) {
        EXPECT_EQ(entries[i].prevSha256, entries[i - 1].entrySha256);
        EXPECT_EQ(entries[i].contentSha256, sha256Hex(canonicalContent(entries[i])));
    }
    auto v = verify(entries.back().entrySha256);
    EXPECT_TRUE(v.intact);
    EXPECT_EQ(v.entries, 5);
}

TEST_F(EventLogTest, AppendOnlyTriggersRefuseUpdateAndDelete) {
    appendMany(2);
    EXPECT_FALSE(db().exec("UPDATE event_log SET actor = 'x' WHERE seq = 1"));
    EXPECT_FALSE(db().exec("DELETE FROM event_log WHERE seq = 1"));
    EXPECT_TRUE(verify().intact);
}

TEST_F(EventLogTest, AppendRolledBackWithItsTransactionLeavesNoTrace) {
    appendMany(3);
    {
        auto txn = Transaction::begin(db());
        ASSERT_TRUE(txn);
        ASSERT_TRUE(log().append({"tester", "test.event", std::nullopt, {{"lost", true}}}));
    }  // rolled back
    auto v = verify();
    EXPECT_TRUE(v.intact);
    EXPECT_EQ(v.entries, 3);
}

TEST_F(EventLogTest, TruncatedTailIsCaughtOnlyAgainstTheExpectedHead) {
    appendMany(6);
    const std::string head = entryHashAt(6);
    dropGuards();
    execOk("DELETE FROM event_log WHERE seq >= 5");
    EXPECT_TRUE(verify().intact);  // the chain alone cannot know what came after
    auto v = verify(head);
    EXPECT_FALSE(v.intact);
    EXPECT_EQ(v.problem, LogProblem::HeadMismatch);
}

TEST_F(EventLogTest, AppendedForgeryIsCaughtAgainstTheExpectedHead) {
    appendMany(4);
    const std::string head = entryHashAt(4);
    dropGuards();
    insertForged(5, head);
    auto v = verify(head);
    EXPECT_FALSE(v.intact);
    EXPECT_EQ(v.problem, LogProblem::HeadMismatch);
    EXPECT_NE(v.detail.find("added"), std::string::npos);
}

// Each tamper kind at random positions over many random logs.
class EventLogTamperTest : public EventLogTest {
protected:
    static constexpr int kRounds = 12;
};

TEST_F(EventLogTamperTest, EditIsNamed) {
    auto rng = testing::testRng();
    appendMany(120);
    dropGuards();
    for (int round = 0; round < kRounds; ++round) {
        const auto seq = std::uniform_int_distribution<std::int64_t>(1, 120)(rng);
        SCOPED_TRACE("edit of entry " + std::to_string(seq));
        const int column = std::uniform_int_distribution<int>(0, 3)(rng);
        static const char* kEdits[] = {"payload = '{\"i\":-1}'", "actor = 'someone'",
                                       "recorded_at = '2020-01-01T00:00:00.000Z'",
                                       "kind = 'checkin.passed'"};
        execOk("SAVEPOINT t; UPDATE event_log SET " + std::string(kEdits[column]) +
               " WHERE seq = " + std::to_string(seq));
        auto v = verify();
        EXPECT_FALSE(v.intact);
        EXPECT_EQ(v.problem, LogProblem::Edited);
        EXPECT_EQ(v.badSeq, seq);
        EXPECT_EQ(v.entries, 120);
        EXPECT_EQ(v.headSha256, entryHashAt(120));
        execOk("ROLLBACK TO t; RELEASE t");
        EXPECT_TRUE(verify().intact);
    }
}

TEST_F(EventLogTamperTest, EditOfStoredHashesIsNamed) {
    auto rng = testing::testRng();
    appendMany(60);
    dropGuards();
    for (int round = 0; round < kRounds; ++round) {
        const auto seq = std::uniform_int_distribution<std::int64_t>(1, 60)(rng);
        SCOPED_TRACE("hash edit of entry " + std::to_string(seq));
        execOk("SAVEPOINT t; UPDATE event_log SET content_sha256 = '" + std::string(64, 'a') +
               "' WHERE seq = " + std::to_string(seq));
        auto v = verify();
        EXPECT_EQ(v.problem, LogProblem::Edited);
        EXPECT_EQ(v.badSeq, seq);
        execOk("ROLLBACK TO t; RELEASE t");
    }
}

TEST_F(EventLogTamperTest, DeleteIsNamed) {
    auto rng = testing::testRng();
    for (int round = 0; round < kRounds; ++round) {
        TearDown();
        m_station.reset();
        std::filesystem::remove_all(m_dir.path());
        SetUp();
        const int length = std::uniform_int_distribution<int>(3, 80)(rng);
        appendMany(length);
        dropGuards();
        // The last entry is excluded: a truncated tail needs the expected head (tested above).
        const auto seq = std::uniform_int_distribution<std::int64_t>(1, length - 1)(rng);
        const auto count = std::uniform_int_distribution<std::int64_t>(1, 3)(rng);
        const auto last = std::min<std::int64_t>(seq + count - 1, length - 1);
        SCOPED_TRACE("delete of entries " + std::to_string(seq) + ".." + std::to_string(last));
        execOk("DELETE FROM event_log WHERE seq BETWEEN " + std::to_string(seq) + " AND " +
               std::to_string(last));
        auto v = verify();
        EXPECT_FALSE(v.intact);
        EXPECT_EQ(v.problem, LogProblem::Deleted);
        EXPECT_EQ(v.badSeq, last + 1);
        EXPECT_NE(v.detail.find("deleted"), std::string::npos);
    }
}

TEST_F(EventLogTamperTest, InsertIsNamed) {
    auto rng = testing::testRng();
    for (int round = 0; round < kRounds; ++round) {
        TearDown();
        m_station.reset();
        std::filesystem::remove_all(m_dir.path());
        SetUp();
        const int length = std::uniform_int_distribution<int>(2, 80)(rng);
        appendMany(length);
        dropGuards();
        const auto seq = std::uniform_int_distribution<std::int64_t>(1, length)(rng);
        const bool careful = round % 2 == 0;  // a careful forger links to the entry before
        SCOPED_TRACE("insert at " + std::to_string(seq) + (careful ? " (linked)" : " (unlinked)"));
        const std::string prev = seq == 1 ? std::string(kGenesisHash) : entryHashAt(seq - 1);
        makeRoomAt(seq);
        insertForged(seq, careful ? prev : std::string(64, 'f'));
        auto v = verify();
        EXPECT_FALSE(v.intact);
        EXPECT_EQ(v.problem, LogProblem::Inserted);
        EXPECT_EQ(v.badSeq, seq);
    }
}

TEST_F(EventLogTamperTest, SwapIsNamed) {
    auto rng = testing::testRng();
    appendMany(100);
    dropGuards();
    for (int round = 0; round < kRounds; ++round) {
        const auto a = std::uniform_int_distribution<std::int64_t>(1, 99)(rng);
        const auto b = std::uniform_int_distribution<std::int64_t>(a + 1, 100)(rng);
        SCOPED_TRACE("swap of " + std::to_string(a) + " and " + std::to_string(b));
        execOk("SAVEPOINT t");
        execOk("UPDATE event_log SET seq = -1 WHERE seq = " + std::to_string(a));
        execOk("UPDATE event_log SET seq = " + std::to_string(a) +
               " WHERE seq = " + std::to_string(b));
        execOk("UPDATE event_log SET seq = " + std::to_string(b) + " WHERE seq = -1");
        auto v = verify();
        EXPECT_FALSE(v.intact);
        EXPECT_EQ(v.problem, LogProblem::Reordered);
        EXPECT_EQ(v.badSeq, a);
        execOk("ROLLBACK TO t; RELEASE t");
        EXPECT_TRUE(verify().intact);
    }
}

}  // namespace
}  // namespace examguard::station
