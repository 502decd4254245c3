#include "station/station.h"

#include <unistd.h>

#include <cstdlib>

#include <fmt/format.h>

#include "station/migrations.h"

namespace examguard::station {

struct Station::Impl {
    Impl(Database database, KeyStore keyStore, const Clock& c)
        : db(std::move(database)), keys(std::move(keyStore)), clock(c), log(db, clock) {}
    Database db;
    KeyStore keys;
    const Clock& clock;
    EventLog log;
};

Station::Station(std::unique_ptr<Impl> impl) : m_impl(std::move(impl)) {}
Station::Station(Station&&) noexcept = default;
Station& Station::operator=(Station&&) noexcept = default;
Station::~Station() = default;

Database& Station::db() {
    return m_impl->db;
}
EventLog& Station::log() {
    return m_impl->log;
}
const KeyStore& Station::keys() const {
    return m_impl->keys;
}
const Clock& Station::clock() const {
    return m_impl->clock;
}

std::filesystem::path Station::defaultDatabasePath() {
    if (const char* env = std::getenv("EXAMGUARD_DB"); env && *env) {
        return env;
    }
    if (::geteuid() == 0) {
        return "/var/lib/examguard/station.db";
    }
    if (const char* xdg = std::getenv("XDG_DATA_HOME"); xdg && *xdg) {
        return std::filesystem::path(xdg) / "examguard" / "station.db";
    }
    const char* home = std::getenv("HOME");
    return std::filesystem::path(home ? home : ".") / ".local/share/examguard/station.db";
}

Expected<Station> Station::open(const StationOptions& options) {
    const auto& path = options.databasePath;
    std::error_code ec;
    if (path.has_parent_path()) {
        std::filesystem::create_directories(path.parent_path(), ec);
        if (ec) {
            return fail(ErrorCode::Io, fmt::format("cannot create directory {}: {}",
                                                   path.parent_path().string(), ec.message()));
        }
    }
    auto db = Database::open(path, options.durability);
    if (!db) {
        return tl::unexpected(db.error());
    }
    if (auto r = migrate(*db); !r) {
        return tl::unexpected(r.error());
    }
    const auto keyDir = options.keyDirectory.empty()
                            ? (path.has_parent_path() ? path.parent_path() : ".") / "keys"
                            : options.keyDirectory;
    auto keys = KeyStore::openOrCreate(keyDir);
    if (!keys) {
        return tl::unexpected(keys.error());
    }
    const Clock& clock = options.clock ? *options.clock : systemClock();
    return Station(std::make_unique<Impl>(std::move(*db), std::move(*keys), clock));
}

}  // namespace examguard::station
