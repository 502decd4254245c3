#include "station/migrations.h"

#include <fstream>

#include <gtest/gtest.h>

#include "station/station.h"
#include "test_support.h"

namespace examguard::station {
namespace {

using testing::TempDir;

std::int64_t count(Database& db, const std::string& table) {
    auto s = db.prepare("SELECT count(*) FROM " + table);
    EXPECT_TRUE(s);
    EXPECT_TRUE(*s->step());
    return s->columnInt(0);
}

// Rows that a station at `version` could hold, to prove later migrations keep them.
void fillVersion(Database& db, int version) {
    if (version >= 1) {
        ASSERT_TRUE(db.exec(
            "INSERT INTO site (code, name) VALUES ('S1', '示范考点');"
            "INSERT INTO room (site_id, code, name, kind) VALUES (1, 'R1', '理论考场一', 'theory');"
            "INSERT INTO period (site_id, code, institution, trade, training_type, number, "
            "retention_class, retention_years, created_at) VALUES (1, 'P1', '某培训机构', "
            "'电工作业', "
            "'initial', '2026-01', 'special_operations', 6, '2026-11-22T00:00:00.000Z');"
            "INSERT INTO candidate (id_number_hmac, id_number_masked, id_number_enc, name_enc, "
            "created_at) VALUES ('h', '110101********1234', x'01', x'01', '2026-11-22');"
            "INSERT INTO enrollment (period_id, candidate_id, seat) VALUES (1, 1, 'A01');"));
    }
    if (version >= 2) {
        ASSERT_TRUE(db.exec(
            "INSERT INTO app_user (login, role, password_hash, created_at, password_changed_at) "
            "VALUES ('admin', 'admin', 'x', 't', 't');"));
    }
    if (version >= 3) {
        ASSERT_TRUE(db.exec(
            "INSERT INTO sitting (period_id, room_id, subject, round, planned_start, planned_end) "
            "VALUES (1, 1, 'theory', 'main', '2026-11-22T01:00:00Z', '2026-11-22T02:00:00Z');"
            "INSERT INTO score (sitting_id, candidate_id, points, passed, recorded_at) VALUES "
            "(1, 1, 92, 1, 't');"));
    }
}

TEST(Migrations, FromEmptyReachesLatest) {
    TempDir dir;
    auto station = Station::open({.databasePath = dir / "station.db"});
    ASSERT_TRUE(station) << station.error().detail;
    auto version = station->db().userVersion();
    ASSERT_TRUE(version);
    EXPECT_EQ(*version, latestSchemaVersion());
    for (const char* table : {"site",
                              "room",
                              "camera",
                              "period",
                              "sitting",
                              "candidate",
                              "enrollment",
                              "machine",
                              "staff",
                              "staff_assignment",
                              "event_log",
                              "app_user",
                              "checkin",
                              "lan_finding",
                              "camera_event",
                              "recording_segment",
                              "score",
                              "platform_outbox",
                              "face_descriptor",
                              "impersonation_alert"}) {
        EXPECT_EQ(count(station->db(), table), 0) << table;
    }
}

TEST(Migrations, FromEachEarlierVersionKeepsData) {
    for (int from = 0; from < latestSchemaVersion(); ++from) {
        SCOPED_TRACE("from version " + std::to_string(from));
        TempDir dir;
        {
            auto db = Database::open(dir / "station.db");
            ASSERT_TRUE(db);
            ASSERT_TRUE(migrate(*db, from));
            auto v = db->userVersion();
            ASSERT_TRUE(v);
            ASSERT_EQ(*v, from);
            fillVersion(*db, from);
        }
        auto station = Station::open({.databasePath = dir / "station.db"});
        ASSERT_TRUE(station) << station.error().detail;
        auto& db = station->db();
        EXPECT_EQ(*db.userVersion(), latestSchemaVersion());
        EXPECT_EQ(count(db, "enrollment"), from >= 1 ? 1 : 0);
        EXPECT_EQ(count(db, "app_user"), from >= 2 ? 1 : 0);
        auto fk = db.prepare("PRAGMA foreign_key_check");
        ASSERT_TRUE(fk);
        EXPECT_FALSE(*fk->step()) << "foreign key violations after migration";
        auto ok = db.prepare("PRAGMA integrity_check");
        ASSERT_TRUE(ok && *ok->step());
        EXPECT_EQ(ok->columnText(0), "ok");
    }
}

TEST(Migrations, ReopeningIsANoOp) {
    TempDir dir;
    ASSERT_TRUE(Station::open({.databasePath = dir / "station.db"}));
    auto again = Station::open({.databasePath = dir / "station.db"});
    ASSERT_TRUE(again);
    EXPECT_EQ(*again->db().userVersion(), latestSchemaVersion());
}

TEST(Migrations, NewerDatabaseIsRefusedClearly) {
    TempDir dir;
    {
        auto db = Database::open(dir / "station.db");
        ASSERT_TRUE(db);
        ASSERT_TRUE(migrate(*db));
        ASSERT_TRUE(db->setUserVersion(latestSchemaVersion() + 1));
    }
    auto station = Station::open({.databasePath = dir / "station.db"});
    ASSERT_FALSE(station);
    EXPECT_EQ(station.error().code, ErrorCode::SchemaTooNew);
    EXPECT_NE(station.error().detail.find("upgrade ExamGuard"), std::string::npos);
    auto db = Database::open(dir / "station.db");  // untouched
    ASSERT_TRUE(db);
    EXPECT_EQ(*db->userVersion(), latestSchemaVersion() + 1);
}

TEST(Migrations, ForeignKeysAreEnforced) {
    TempDir dir;
    auto station = Station::open({.databasePath = dir / "station.db"});
    ASSERT_TRUE(station);
    EXPECT_FALSE(
        station->db().exec("INSERT INTO room (site_id, code, name, kind) VALUES "
                           "(42, 'R', 'r', 'theory')"));
}

TEST(Migrations, NotADatabaseIsAClearError) {
    TempDir dir;
    {
        std::ofstream f(dir / "station.db");
        f << "this is a text file, not SQLite\n" << std::string(4096, 'x');
    }
    auto station = Station::open({.databasePath = dir / "station.db"});
    ASSERT_FALSE(station);
    EXPECT_NE(station.error().detail.find("station.db"), std::string::npos);
}

}  // namespace
}  // namespace examguard::station
