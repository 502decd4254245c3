#include "station/migrations.h"

#include <array>
#include <string_view>

#include <fmt/format.h>

namespace examguard::station {
namespace embedded {
extern const std::string_view kMigration1;
extern const std::string_view kMigration2;
extern const std::string_view kMigration3;
extern const std::string_view kMigration4;
extern const std::string_view kMigration5;
extern const std::string_view kMigration6;
}  // namespace embedded

namespace {

// Index i holds the SQL that takes a database from version i to i + 1.
const std::array<const std::string_view*, 6> kMigrations = {
    &embedded::kMigration1, &embedded::kMigration2, &embedded::kMigration3,
    &embedded::kMigration4, &embedded::kMigration5, &embedded::kMigration6};

}  // namespace

int latestSchemaVersion() {
    return static_cast<int>(kMigrations.size());
}

Expected<void> migrate(Database& db, int target) {
    if (target < 0) {
        target = latestSchemaVersion();
    }
    auto current = db.userVersion();
    if (!current) {
        return tl::unexpected(current.error());
    }
    if (*current > latestSchemaVersion()) {
        return fail(ErrorCode::SchemaTooNew,
                    fmt::format("database {} has schema version {}, but this ExamGuard only "
                                "knows versions up to {}; upgrade ExamGuard to open it",
                                db.path().string(), *current, latestSchemaVersion()));
    }
    for (int version = *current; version < target; ++version) {
        auto txn = Transaction::begin(db);
        if (!txn) {
            return tl::unexpected(txn.error());
        }
        if (auto r = db.exec(*kMigrations[static_cast<std::size_t>(version)]); !r) {
            return fail(ErrorCode::Database,
                        fmt::format("migration to schema version {} failed: {}", version + 1,
                                    r.error().detail));
        }
        if (auto r = db.setUserVersion(version + 1); !r) {
            return r;
        }
        if (auto r = txn->commit(); !r) {
            return r;
        }
    }
    return {};
}

}  // namespace examguard::station
