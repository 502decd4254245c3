#pragma once

#include <QString>
#include <cstdint>
#include <optional>

#include "station/users.h"

namespace examguard::console {

// Who is at the desk: every action is logged under this login.
struct Session {
    QString login = QStringLiteral("console");
    std::optional<std::int64_t> userId;
    station::Role role = station::Role::Proctor;
    bool demo = false;  // the demo station, opened without a login
};

}  // namespace examguard::console
