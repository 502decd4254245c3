#pragma once

// The console tests' station: a real store holding the demo period, under Qt's offscreen
// platform (the QApplication is made once, in console_test.cpp).
#include <gtest/gtest.h>

#include <QApplication>
#include <QDir>
#include <QWidget>
#include <filesystem>
#include <optional>

#include "console/session.h"
#include "station/period_import.h"
#include "station/station.h"

namespace examguard::console {

inline QApplication& app() {
    return *qobject_cast<QApplication*>(QCoreApplication::instance());
}

// A ready station: the demo period imported; the theory main sitting has one candidate passed,
// one refused, one passed by override, one awaiting review.
class ConsoleTest : public ::testing::Test {
protected:
    void SetUp() override {
        m_dir = std::filesystem::temp_directory_path() /
                ("console-test-" + std::to_string(QCoreApplication::applicationPid()) + "-" +
                 ::testing::UnitTest::GetInstance()->current_test_info()->name());
        std::filesystem::remove_all(m_dir);
        std::filesystem::create_directories(m_dir);
        auto s = station::Station::open({.databasePath = m_dir / "station.db",
                                         .durability = station::Durability::Normal,
                                         .clock = &m_clock});
        ASSERT_TRUE(s) << s.error().detail;
        m_station.emplace(std::move(*s));
        station::ImportOptions options;
        options.file =
            std::filesystem::path(EXAMGUARD_SOURCE_DIR) / "schemas/examples/demo-period/plan.json";
        auto r = station::importPeriod(*m_station, options);
        ASSERT_TRUE(r && r->summary);
        auto sitting = m_station->db().prepare(
            "SELECT id FROM sitting WHERE subject = 'theory' AND round = 'main'");
        ASSERT_TRUE(*sitting->step());
        m_sitting = sitting->columnInt(0);
        attempt("A01", "pass");
        attempt("A02", "refuse");
        attempt("A03", "refuse", "pass");
        attempt("A04", "review");
    }
    void TearDown() override {
        m_station.reset();
        std::filesystem::remove_all(m_dir);
    }

    void attempt(const std::string& seat, const char* decision, const char* override = nullptr) {
        auto stmt = m_station->db().prepare(
            "INSERT INTO checkin (sitting_id, candidate_id, id_number_masked, attempted_at, "
            "decision, reason, liveness, override_decision, override_reason) SELECT ?, "
            "e.candidate_id, c.id_number_masked, '2026-11-25T00:40:00.000Z', ?, 'face_match', "
            "'live', ?, ? FROM enrollment e JOIN candidate c ON c.id = e.candidate_id WHERE "
            "e.seat = ?");
        stmt->bind(1, m_sitting)
            .bind(2, std::string(decision))
            .bind(3, override ? std::optional<std::string>(override) : std::nullopt)
            .bind(4,
                  override ? std::optional<std::string>("ID photo is 12 years old") : std::nullopt)
            .bind(5, seat);
        ASSERT_TRUE(stmt->run());
    }

    station::StationOptions options() const {
        return {.databasePath = m_dir / "station.db",
                .durability = station::Durability::Normal,
                .clock = &m_clock};
    }
    static Session proctor() {
        Session s;
        s.login = QStringLiteral("proctor1");
        s.role = station::Role::Proctor;
        return s;
    }

    static void screenshot(QWidget& w, const QString& name) {
        const QString dir = QStringLiteral(EXAMGUARD_BINARY_DIR "/console-screenshots");
        QDir().mkpath(dir);
        ASSERT_TRUE(w.grab().save(dir + "/" + name + ".png")) << name.toStdString();
    }

    std::filesystem::path m_dir;
    station::ManualClock m_clock{std::chrono::sys_days(std::chrono::year(2026) / 11 / 25)};
    std::optional<station::Station> m_station;
    std::int64_t m_sitting = 0;
};

}  // namespace examguard::console
