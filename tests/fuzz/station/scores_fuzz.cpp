// The score import on arbitrary bytes, against a real store holding the demo period: whatever
// the file, importScores either stores every row or nothing, and never crashes.
#include <unistd.h>

#include <cstdint>
#include <cstdlib>
#include <filesystem>
#include <optional>
#include <string>

#include "station/period_import.h"
#include "station/scores.h"

namespace {

using namespace examguard::station;

void check(bool condition) {
    if (!condition) {
        std::abort();
    }
}

struct Store {
    std::optional<Station> station;
    std::int64_t sitting = 0;
};

std::string& storeDir() {
    static std::string dir;
    return dir;
}

Store& store() {
    static Store s = [] {
        char dir[] = "/tmp/examguard-scores-fuzz-XXXXXX";
        check(::mkdtemp(dir) != nullptr);
        storeDir() = dir;
        std::atexit([] {
            std::error_code ec;
            std::filesystem::remove_all(storeDir(), ec);
        });
        Store out;
        auto opened = Station::open({.databasePath = std::filesystem::path(dir) / "station.db",
                                     .durability = Durability::Normal});
        check(opened.has_value());
        out.station.emplace(std::move(*opened));
        ImportOptions options;
        options.file = EXAMGUARD_DEMO_PLAN;
        auto imported = importPeriod(*out.station, options);
        check(imported && imported->summary);
        auto sitting = out.station->db().prepare("SELECT min(id) FROM sitting");
        check(sitting && *sitting->step());
        out.sitting = sitting->columnInt(0);
        return out;
    }();
    return s;
}

std::string scoreTable(Station& station) {
    auto stmt = station.db().prepare(
        "SELECT group_concat(candidate_id || ':' || coalesce(points, '') || ':' || passed || ':' "
        "|| absent, ';') FROM (SELECT * FROM score ORDER BY candidate_id)");
    check(stmt && *stmt->step());
    return stmt->columnText(0);
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    Store& s = store();
    const std::string before = scoreTable(*s.station);
    auto r = importScores(*s.station, s.sitting,
                          std::string_view(reinterpret_cast<const char*>(data), size), "fuzz.csv",
                          "fuzz");
    if (!r) {
        check(!r.error().detail.empty());
        check(scoreTable(*s.station) == before);  // a rejected file changes nothing
    } else {
        check(r->rows > 0 && r->passed + r->absent <= r->rows);
    }
    return 0;
}
