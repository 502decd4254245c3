// Event-log throughput: appends per second (each its own transaction, as the station writes
// them) at both durability settings, and `log verify` entries per second. Baselines in the
// same run: a plain SQLite insert of the same row without hashing, and a plain scan.
//   log_bench [ENTRIES]    (default 20000; run from a Release build)
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <string>

#include "station/station.h"

using namespace examguard::station;
namespace fs = std::filesystem;

namespace {

double seconds(std::chrono::steady_clock::duration d) {
    return std::chrono::duration<double>(d).count();
}

fs::path freshDir(const char* name) {
    const fs::path dir = fs::temp_directory_path() / name;
    fs::remove_all(dir);
    fs::create_directories(dir);
    return dir;
}

double appendRate(Durability durability, int entries, const char* label) {
    const fs::path dir = freshDir(label);
    auto station = Station::open({.databasePath = dir / "s.db", .durability = durability});
    if (!station) {
        std::fprintf(stderr, "%s\n", station.error().detail.c_str());
        std::exit(1);
    }
    const auto start = std::chrono::steady_clock::now();
    for (int i = 0; i < entries; ++i) {
        if (!station->log().appendNow(
                {"bench", "checkin.passed", 1, {{"seat", "A01"}, {"i", i}}})) {
            std::exit(1);
        }
    }
    return entries / seconds(std::chrono::steady_clock::now() - start);
}

double plainInsertRate(Durability durability, int entries, const char* label) {
    const fs::path dir = freshDir(label);
    auto db = Database::open(dir / "s.db", durability);
    if (!db || !db->exec("CREATE TABLE t (seq INTEGER PRIMARY KEY, recorded_at TEXT, actor TEXT, "
                         "kind TEXT, period_id INTEGER, payload TEXT)")) {
        std::exit(1);
    }
    const auto start = std::chrono::steady_clock::now();
    for (int i = 0; i < entries; ++i) {
        auto txn = Transaction::begin(*db);
        auto stmt = db->prepare(
            "INSERT INTO t (recorded_at, actor, kind, period_id, payload) "
            "VALUES (?, ?, ?, ?, ?)");
        stmt->bind(1, "2026-11-22T09:00:00.000Z").bind(2, "bench").bind(3, "checkin.passed");
        stmt->bind(4, 1).bind(5, "{\"i\":" + std::to_string(i) + ",\"seat\":\"A01\"}");
        if (!stmt->run() || !txn->commit()) {
            std::exit(1);
        }
    }
    return entries / seconds(std::chrono::steady_clock::now() - start);
}

}  // namespace

int main(int argc, char** argv) {
    const int entries = argc > 1 ? std::atoi(argv[1]) : 20000;
    const int fullEntries = std::max(entries / 10, 100);  // fsync per commit is slow

    const double normal = appendRate(Durability::Normal, entries, "eg-bench-normal");
    const double normalBase = plainInsertRate(Durability::Normal, entries, "eg-bench-normal-base");
    const double full = appendRate(Durability::Full, fullEntries, "eg-bench-full");
    const double fullBase = plainInsertRate(Durability::Full, fullEntries, "eg-bench-full-base");

    std::printf(
        "log appends/s, synchronous=NORMAL (WAL): %10.0f   plain insert %10.0f   ratio %.2f\n",
        normal, normalBase, normal / normalBase);
    std::printf(
        "log appends/s, synchronous=FULL   (WAL): %10.0f   plain insert %10.0f   ratio %.2f\n",
        full, fullBase, full / fullBase);

    // Verify the NORMAL log, then time a bare scan of the same rows as the baseline.
    auto station =
        Station::open({.databasePath = fs::temp_directory_path() / "eg-bench-normal" / "s.db"});
    auto start = std::chrono::steady_clock::now();
    auto verified = station->log().verify();
    const double verifySeconds = seconds(std::chrono::steady_clock::now() - start);
    if (!verified || !verified->intact) {
        std::fprintf(stderr, "verify failed\n");
        return 1;
    }
    start = std::chrono::steady_clock::now();
    std::int64_t scanned = 0;
    (void)station->log().forEach([&](const LogEntry&) { return ++scanned > 0; });
    const double scanSeconds = seconds(std::chrono::steady_clock::now() - start);
    std::printf(
        "log verify entries/s:                    %10.0f   plain scan   %10.0f   ratio %.2f  (%lld "
        "entries)\n",
        verified->entries / verifySeconds, scanned / scanSeconds, scanSeconds / verifySeconds,
        static_cast<long long>(verified->entries));
    return 0;
}
