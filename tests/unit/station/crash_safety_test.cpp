// A station killed with SIGKILL in the middle of work must reopen and verify: SQLite's WAL
// makes each transaction all-or-nothing, and every state change shares its transaction with
// its log entry.
#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>

#include <fstream>

#include <gtest/gtest.h>

#include "station/period_import.h"
#include "test_support.h"

namespace examguard::station {
namespace {

namespace fs = std::filesystem;
using testing::TempDir;

// Runs `work` in a child process that reports progress by writing bytes to a pipe; the parent
// kills it with SIGKILL once `killAfter` reports have arrived. Returns the reports received.
int runAndKill(const std::function<void(int reportFd)>& work, int killAfter) {
    int fds[2];
    if (::pipe(fds) != 0) {
        ADD_FAILURE() << "pipe failed";
        return 0;
    }
    const pid_t child = ::fork();
    if (child == 0) {
        ::close(fds[0]);
        work(fds[1]);
        ::_exit(0);
    }
    ::close(fds[1]);
    int reports = 0;
    char byte = 0;
    while (reports < killAfter && ::read(fds[0], &byte, 1) == 1) {
        ++reports;
    }
    ::kill(child, SIGKILL);
    int status = 0;
    ::waitpid(child, &status, 0);
    ::close(fds[0]);
    EXPECT_TRUE(WIFSIGNALED(status) && WTERMSIG(status) == SIGKILL)
        << "the child finished before it could be killed";
    return reports;
}

void copyDemoPlan(const fs::path& dir) {
    const fs::path demo = fs::path(EXAMGUARD_SOURCE_DIR) / "schemas/examples/demo-period";
    for (const char* name : {"plan.json", "roster.csv", "machines.csv"}) {
        fs::copy_file(demo / name, dir / name, fs::copy_options::overwrite_existing);
    }
}

TEST(CrashSafety, KilledDuringImportLeavesNothingHalfWritten) {
    TempDir dir;
    copyDemoPlan(dir.path());
    const fs::path db = dir / "station.db";
    {
        auto station = Station::open({.databasePath = db});
        ASSERT_TRUE(station);
        ASSERT_TRUE(station->log().appendNow({"tester", "before.import", std::nullopt, {}}));
    }
    runAndKill(
        [&](int reportFd) {
            auto station = Station::open({.databasePath = db});
            if (!station) {
                ::_exit(2);
            }
            ImportOptions options;
            options.file = dir / "plan.json";
            options.onCandidateWritten = [reportFd](int written) {
                if (written == 6) {  // half-way through the roster: tell the parent, then wait
                    const char byte = 'x';
                    (void)::write(reportFd, &byte, 1);
                    ::pause();
                }
            };
            (void)importPeriod(*station, options);
        },
        1);
    auto station = Station::open({.databasePath = db});
    ASSERT_TRUE(station) << station.error().detail;
    auto verified = station->log().verify();
    ASSERT_TRUE(verified);
    EXPECT_TRUE(verified->intact);
    EXPECT_EQ(verified->entries, 1);
    for (const char* table : {"period", "candidate", "enrollment", "machine", "sitting"}) {
        auto s = station->db().prepare(std::string("SELECT count(*) FROM ") + table);
        ASSERT_TRUE(s && *s->step());
        EXPECT_EQ(s->columnInt(0), 0) << table;
    }
    // And the same import now goes through.
    ImportOptions options;
    options.file = dir / "plan.json";
    auto r = importPeriod(*station, options);
    ASSERT_TRUE(r && r->summary);
    EXPECT_EQ(r->summary->candidates, 12);
}

TEST(CrashSafety, KilledDuringLogAppendsKeepsEveryCommittedEntry) {
    TempDir dir;
    const fs::path db = dir / "station.db";
    ASSERT_TRUE(Station::open({.databasePath = db}));
    const int acknowledged = runAndKill(
        [&](int reportFd) {
            auto station = Station::open({.databasePath = db});
            if (!station) {
                ::_exit(2);
            }
            for (int i = 0;; ++i) {
                if (!station->log().appendNow({"tester", "load", std::nullopt, {{"i", i}}})) {
                    ::_exit(3);
                }
                const char byte = 'x';
                (void)::write(reportFd, &byte, 1);
            }
        },
        40);
    ASSERT_EQ(acknowledged, 40);
    auto station = Station::open({.databasePath = db});
    ASSERT_TRUE(station) << station.error().detail;
    auto verified = station->log().verify();
    ASSERT_TRUE(verified);
    EXPECT_TRUE(verified->intact) << verified->detail;
    EXPECT_GE(verified->entries, 40) << "a committed entry was lost";
    auto integrity = station->db().prepare("PRAGMA integrity_check");
    ASSERT_TRUE(integrity && *integrity->step());
    EXPECT_EQ(integrity->columnText(0), "ok");
}

}  // namespace
}  // namespace examguard::station
