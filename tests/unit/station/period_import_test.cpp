#include "station/period_import.h"

#include <iconv.h>

#include <fstream>
#include <functional>
#include <sstream>

#include <gtest/gtest.h>

#include "station/import/csv.h"
#include "test_support.h"

namespace examguard::station {
namespace {

namespace fs = std::filesystem;
using testing::TempDir;

std::string readAll(const fs::path& path) {
    std::ifstream in(path, std::ios::binary);
    std::stringstream ss;
    ss << in.rdbuf();
    return ss.str();
}

void writeAll(const fs::path& path, std::string_view text) {
    std::ofstream out(path, std::ios::binary | std::ios::trunc);
    out << text;
}

std::string replaceFirst(std::string text, std::string_view from, std::string_view to) {
    const auto pos = text.find(from);
    EXPECT_NE(pos, std::string::npos) << "fixture does not contain: " << from;
    if (pos != std::string::npos) {
        text.replace(pos, from.size(), to);
    }
    return text;
}

// Everything a failed import must leave as it was.
std::string snapshot(Database& db) {
    std::string out;
    for (const char* table :
         {"site", "room", "camera", "period", "sitting", "candidate", "candidate_photo",
          "enrollment", "machine", "staff", "staff_assignment", "event_log"}) {
        auto s = db.prepare(std::string("SELECT count(*) FROM ") + table);
        EXPECT_TRUE(s && *s->step());
        out += std::string(table) + "=" + std::to_string(s->columnInt(0)) + ";";
    }
    auto head = db.prepare("SELECT coalesce(max(entry_sha256), '') FROM event_log");
    EXPECT_TRUE(head && *head->step());
    return out + head->columnText(0);
}

class PeriodImportTest : public ::testing::Test {
protected:
    void SetUp() override {
        const fs::path demo = fs::path(EXAMGUARD_SOURCE_DIR) / "schemas/examples/demo-period";
        m_plan = readAll(demo / "plan.json");
        m_roster = readAll(demo / "roster.csv");
        m_machines = readAll(demo / "machines.csv");
        auto s = Station::open({.databasePath = m_dir / "db" / "station.db",
                                .durability = Durability::Normal,
                                .clock = &m_clock});
        ASSERT_TRUE(s) << s.error().detail;
        m_station.emplace(std::move(*s));
    }

    ImportResult importFiles() {
        writeAll(m_dir / "plan.json", m_plan);
        writeAll(m_dir / "roster.csv", m_roster);
        writeAll(m_dir / "machines.csv", m_machines);
        ImportOptions options;
        options.file = m_dir / "plan.json";
        options.actor = "tester";
        auto r = importPeriod(*m_station, options);
        EXPECT_TRUE(r) << r.error().detail;
        return r ? *r : ImportResult{};
    }

    // Imports and expects a refusal naming `code` at file:line [field], with nothing changed.
    void expectRefused(const std::string& file, std::size_t line, const std::string& field,
                       const std::string& code) {
        const std::string before = snapshot(m_station->db());
        const ImportResult r = importFiles();
        EXPECT_FALSE(r.summary) << "import should have been refused";
        const bool found = std::any_of(r.issues.begin(), r.issues.end(), [&](const ImportIssue& i) {
            return i.file == file && i.line == line && i.field == field && i.code == code;
        });
        std::string all;
        for (const auto& i : r.issues) {
            all += "\n  " + i.file + ":" + std::to_string(i.line) + " [" + i.field + "] " + i.code +
                   ": " + i.message;
        }
        EXPECT_TRUE(found) << "expected " << file << ":" << line << " [" << field << "] " << code
                           << "; got:" << all;
        EXPECT_EQ(snapshot(m_station->db()), before) << "a refused import changed the database";
    }

    TempDir m_dir;
    ManualClock m_clock{std::chrono::system_clock::time_point(std::chrono::seconds(1795000000))};
    std::optional<Station> m_station;
    std::string m_plan, m_roster, m_machines;
};

TEST_F(PeriodImportTest, DemoPlanImportsWithEveryPart) {
    const ImportResult r = importFiles();
    ASSERT_TRUE(r.summary) << (r.issues.empty() ? "" : r.issues.front().message);
    const auto& s = *r.summary;
    EXPECT_EQ(s.periodCode, "2026-DG-011");
    EXPECT_EQ(s.rooms, 3);
    EXPECT_EQ(s.cameras, 3);
    EXPECT_EQ(s.sittings, 4);
    EXPECT_EQ(s.candidates, 12);
    EXPECT_EQ(s.newCandidates, 12);
    EXPECT_EQ(s.machines, 13);
    EXPECT_EQ(s.staff, 5);
    auto& db = m_station->db();
    auto seat = db.prepare(
        "SELECT c.id_number_masked, e.seat FROM enrollment e JOIN candidate c ON c.id = "
        "e.candidate_id ORDER BY e.seat LIMIT 1");
    ASSERT_TRUE(seat && *seat->step());
    EXPECT_EQ(seat->columnText(0), "370105********6798");
    EXPECT_EQ(seat->columnText(1), "A01");
    auto retention = db.prepare("SELECT retention_years, status FROM period");
    ASSERT_TRUE(retention && *retention->step());
    EXPECT_EQ(retention->columnInt(0), 6);
    EXPECT_EQ(retention->columnText(1), "planned");
    auto verified = m_station->log().verify();
    ASSERT_TRUE(verified);
    EXPECT_TRUE(verified->intact);
    EXPECT_EQ(verified->entries, 1);
}

TEST_F(PeriodImportTest, PersonalDataIsEncryptedAtRest) {
    ASSERT_TRUE(importFiles().summary);
    m_station.reset();  // close, so the WAL is checkpointed into the file
    std::string bytes = readAll(m_dir / "db" / "station.db");
    if (fs::exists(m_dir / "db" / "station.db-wal")) {
        bytes += readAll(m_dir / "db" / "station.db-wal");
    }
    EXPECT_EQ(bytes.find("370105199809286798"), std::string::npos) << "plain ID number on disk";
    EXPECT_EQ(bytes.find("张伟"), std::string::npos) << "plain candidate name on disk";
    EXPECT_NE(bytes.find("370105********6798"), std::string::npos) << "masked form is kept";
}

TEST_F(PeriodImportTest, GbkRosterFromChineseExcelImports) {
    std::string utf8 = m_roster.substr(3);  // without the BOM
    iconv_t cd = ::iconv_open("GBK", "UTF-8");
    ASSERT_NE(cd, reinterpret_cast<iconv_t>(-1));
    std::string gbk(utf8.size() * 2, '\0');
    char* in = utf8.data();
    std::size_t inLeft = utf8.size();
    char* out = gbk.data();
    std::size_t outLeft = gbk.size();
    ASSERT_NE(::iconv(cd, &in, &inLeft, &out, &outLeft), static_cast<std::size_t>(-1));
    ::iconv_close(cd);
    gbk.resize(gbk.size() - outLeft);
    ASSERT_EQ(gbk.find("张伟"), std::string::npos) << "conversion produced UTF-8";
    m_roster = gbk;
    const ImportResult r = importFiles();
    ASSERT_TRUE(r.summary);
    EXPECT_EQ(r.summary->candidates, 12);
    const auto& enc = r.summary->encodings;
    EXPECT_NE(std::find(enc.begin(), enc.end(),
                        std::make_pair(std::string("roster.csv"), std::string("gbk"))),
              enc.end());
}

TEST_F(PeriodImportTest, EnglishHeadersAndPhotosAreAccepted) {
    const fs::path photo = fs::path(EXAMGUARD_SHARED_DATA) / "faces/east-asian/nuaa_client_0010";
    fs::path firstJpeg;
    for (const auto& e : fs::directory_iterator(photo)) {
        firstJpeg = e.path();
        break;
    }
    ASSERT_FALSE(firstJpeg.empty());
    fs::copy_file(firstJpeg, m_dir / "a01.jpg");
    m_roster = replaceFirst(m_roster, "座位号,姓名,身份证号,性别,准考证号,照片",
                            "seat,name,id_number,gender,exam_number,photo");
    m_roster = replaceFirst(m_roster, "2026110001,", "2026110001,a01.jpg");
    const ImportResult r = importFiles();
    ASSERT_TRUE(r.summary) << (r.issues.empty() ? "" : r.issues.front().message);
    EXPECT_EQ(r.summary->photos, 1);
    const std::string jpeg = readAll(firstJpeg);
    m_station.reset();
    const std::string db = readAll(m_dir / "db" / "station.db");
    EXPECT_EQ(db.find(jpeg.substr(200, 64)), std::string::npos) << "photo stored in clear";
}

TEST_F(PeriodImportTest, CandidatesAreRecognisedInALaterPeriod) {
    ASSERT_TRUE(importFiles().summary);
    m_plan = replaceFirst(m_plan, "\"2026-DG-011\"", "\"2026-DG-012\"");
    const ImportResult r = importFiles();
    ASSERT_TRUE(r.summary);
    EXPECT_EQ(r.summary->candidates, 12);
    EXPECT_EQ(r.summary->newCandidates, 0);
}

// Every kind of import error, each reported with its file, line and field, and nothing stored.
TEST_F(PeriodImportTest, RosterErrorsNameLineAndField) {
    const std::string original = m_roster;
    struct Case {
        std::function<std::string(const std::string&)> mutate;
        std::size_t line;
        std::string field, code;
    };
    const std::vector<Case> cases = {
        {[](auto r) { return replaceFirst(r, "370105199809286798", "370105199809286799"); }, 2,
         "id_number", "bad_id_number.bad_checksum"},
        {[](auto r) { return replaceFirst(r, "370112198203267081", "37011219820326708"); }, 3,
         "id_number", "bad_id_number.wrong_length"},
        {[](auto r) { return replaceFirst(r, "370104198102152808", "37010419810215280A"); }, 4,
         "id_number", "bad_id_number.non_digit"},
        {[](auto r) { return replaceFirst(r, "370105197210139397", "370105197213139397"); }, 5,
         "id_number", "bad_id_number.bad_birth_date"},
        {[](auto r) { return replaceFirst(r, "370112198010011813", "000000198010011813"); }, 6,
         "id_number", "bad_id_number.bad_region"},
        {[](auto r) { return replaceFirst(r, "A02,", "A01,"); }, 3, "seat", "duplicate_seat"},
        {[](auto r) { return replaceFirst(r, "A03,", "A 03,"); }, 4, "seat", "bad_seat"},
        {[](auto r) { return replaceFirst(r, "370104198102152808", "370105199809286798"); }, 4,
         "id_number", "duplicate_id_number"},
        {[](auto r) {
             return replaceFirst(r, "王芳,370112198203267081,女", "王芳,370112198203267081,男");
         },
         3, "gender", "gender_mismatch"},
        {[](auto r) { return replaceFirst(r, "2026110002,", "2026110002,missing.jpg"); }, 3,
         "photo", "bad_photo"},
        {[](auto r) { return replaceFirst(r, "准考证号", "备注"); }, 1, "备注", "unknown_column"},
        {[](auto r) { return replaceFirst(r, ",身份证号", ""); }, 1, "id_number", "missing_column"},
        {[](auto r) { return replaceFirst(r, "性别", "姓名"); }, 1, "姓名", "duplicate_column"},
        {[](auto r) { return replaceFirst(r, "A04,刘洋", "A04,\"刘洋"); }, 5, "姓名",
         "csv_unterminated_quote"},
        {[](auto r) { return replaceFirst(r, ",2026110006,", ",2026110006,,extra"); }, 7, "",
         "csv_field_count_mismatch"},
        {[](auto r) { return replaceFirst(r, "赵磊", std::string("赵\xFF磊")); }, 0, "",
         "encoding"},
    };
    for (const auto& c : cases) {
        SCOPED_TRACE(c.code);
        m_roster = c.mutate(original);
        expectRefused("roster.csv", c.line, c.field, c.code);
    }
}

TEST_F(PeriodImportTest, MachineRegistryErrorsNameLineAndField) {
    const std::string original = m_machines;
    struct Case {
        std::string from, to;
        std::size_t line;
        std::string field, code;
    };
    const std::vector<Case> cases = {
        {"00:1b:21:3a:50:10", "00:1b:21:3a:50", 3, "mac", "bad_mac.wrong_length"},
        {"00:1b:21:3a:50:10", "ff:ff:ff:ff:ff:ff", 3, "mac", "bad_mac.broadcast"},
        {"00:1b:21:3a:50:11", "00:1b:21:3a:50:10", 4, "mac", "duplicate_mac"},
        {"10.20.1.101", "10.20.1.256", 3, "ip", "bad_ip.out_of_range"},
        {"10.20.1.102", "10.20.1.101", 4, "ip", "duplicate_ip"},
        {"T1,A03", "T9,A03", 5, "room", "unknown_room"},
        {"T1,A04", "T1,A03", 6, "seat", "duplicate_seat"},
        {"EXAM-PC05", "EXAM PC05", 7, "hostname", "bad_hostname"},
        {",candidate\r\nT1,A06", ",laptop\r\nT1,A06", 7, "role", "bad_value"},
    };
    for (const auto& c : cases) {
        SCOPED_TRACE(c.code);
        m_machines = replaceFirst(original, c.from, c.to);
        expectRefused("machines.csv", c.line, c.field, c.code);
    }
}

TEST_F(PeriodImportTest, PlanErrorsNameTheField) {
    const std::string original = m_plan;
    struct Case {
        std::string from, to;
        std::size_t line;
        std::string field, code;
    };
    const std::vector<Case> cases = {
        {"\"trade\": \"低压电工作业\",", "\"trade\": \"低压电工作业\"", 30, "", "json_syntax"},
        {"\"institution\": \"济南安泰安全技术培训学校\",", "", 0, "/period/institution",
         "missing_field"},
        {"\"training_type\": \"initial\"", "\"training_type\": \"first\"", 0,
         "/period/training_type", "bad_value"},
        {"\"number\": \"2026年第11期\",", "\"number\": 11,", 0, "/period/number", "wrong_type"},
        {"\"kind\": \"waiting\"", "\"kind\": \"waiting\", \"floor\": 2", 0, "/rooms/2/floor",
         "unknown_field"},
        {"\"room\": \"P1\",\n     \"start\": \"2026-11-26T09:00",
         "\"room\": \"P9\",\n     \"start\": \"2026-11-26T09:00", 0, "/sittings/2/room",
         "unknown_room"},
        {"2026-11-25T10:30:00+08:00", "2026-11-25T25:30:00+08:00", 0, "/sittings/0/end",
         "bad_datetime"},
        {"\"sittings\": [\"practical/main\", \"practical/retake\"]}",
         "\"sittings\": [\"practical/final\"]}", 0, "/staff/2/sittings/0", "unknown_sitting"},
    };
    for (const auto& c : cases) {
        SCOPED_TRACE(c.code);
        m_plan = replaceFirst(original, c.from, c.to);
        expectRefused("plan.json", c.line, c.field, c.code);
    }
}

TEST_F(PeriodImportTest, ConflictsWithStoredStateAreRefused) {
    ASSERT_TRUE(importFiles().summary);
    expectRefused("plan.json", 0, "/period/code", "period_exists");
    // A second site filing a MAC that the first site's room already has.
    m_plan = replaceFirst(m_plan, "\"2026-DG-011\"", "\"2026-DG-020\"");
    m_plan = replaceFirst(m_plan, "\"SD-JN-0001\"", "\"SD-JN-0002\"");
    m_machines = replaceFirst(m_machines, "10.20.1.101", "10.30.1.101");
    // Same MAC, new IP: the room T1 of site 2 is a different room.
    expectRefused("machines.csv", 3, "mac", "duplicate_mac");
}

TEST_F(PeriodImportTest, NonPlanFileIsABadInputError) {
    writeAll(m_dir / "x.txt", "hello");
    ImportOptions options;
    options.file = m_dir / "x.txt";
    auto r = importPeriod(*m_station, options);
    ASSERT_FALSE(r);
    EXPECT_EQ(r.error().code, ErrorCode::BadInput);
}

}  // namespace
}  // namespace examguard::station
