#pragma once

#include <filesystem>
#include <memory>

#include "station/clock.h"
#include "station/crypto.h"
#include "station/database.h"
#include "station/event_log.h"

namespace examguard::station {

struct StationOptions {
    std::filesystem::path databasePath;
    // Where the station's keys live; default: a "keys" folder beside the database.
    std::filesystem::path keyDirectory;
    Durability durability = Durability::Full;
    const Clock* clock = nullptr;  // default: the system clock
};

// An open station: the migrated database, its event log, and its keys. Everything that
// changes state goes through here, in a transaction that also appends to the log.
class Station {
public:
    static Expected<Station> open(const StationOptions& options);
    // The default database location: $EXAMGUARD_DB, else $XDG_DATA_HOME/examguard/station.db
    // (~/.local/share/examguard/station.db), or /var/lib/examguard/station.db for root.
    static std::filesystem::path defaultDatabasePath();

    Station(Station&&) noexcept;
    Station& operator=(Station&&) noexcept;
    ~Station();

    Database& db();
    EventLog& log();
    const KeyStore& keys() const;
    const Clock& clock() const;

private:
    struct Impl;
    explicit Station(std::unique_ptr<Impl> impl);
    std::unique_ptr<Impl> m_impl;
};

}  // namespace examguard::station
