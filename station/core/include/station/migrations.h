#pragma once

#include "station/database.h"

namespace examguard::station {

// The schema version this binary writes; PRAGMA user_version holds a database's version.
int latestSchemaVersion();

// Brings the database up to `target` (default: latest), one transaction per migration so a
// crash leaves it at a whole version. A database newer than this binary is refused.
Expected<void> migrate(Database& db, int target = -1);

}  // namespace examguard::station
