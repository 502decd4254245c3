#include "station/database.h"

#include <sqlite3.h>

#include <fmt/format.h>

namespace examguard::station {
namespace {

Error sqliteError(sqlite3* db, std::string_view what) {
    return Error{ErrorCode::Database,
                 fmt::format("{}: {}", what, db ? sqlite3_errmsg(db) : "out of memory")};
}

}  // namespace

Expected<Database> Database::open(const std::filesystem::path& path, Durability durability) {
    sqlite3* raw = nullptr;
    const int rc =
        sqlite3_open_v2(path.c_str(), &raw,
                        SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE | SQLITE_OPEN_NOMUTEX, nullptr);
    if (rc != SQLITE_OK) {
        Error e = sqliteError(raw, fmt::format("cannot open database {}", path.string()));
        sqlite3_close(raw);
        return tl::unexpected(e);
    }
    Database db(raw, path);
    sqlite3_busy_timeout(raw, 5000);
    sqlite3_extended_result_codes(raw, 1);
    // A file that is not a database fails here, on first read, with a clear message.
    if (auto r = db.exec("PRAGMA journal_mode=WAL"); !r) {
        return fail(ErrorCode::Database, fmt::format("{} is not a usable ExamGuard database ({})",
                                                     path.string(), r.error().detail));
    }
    const char* sync =
        durability == Durability::Full ? "PRAGMA synchronous=FULL" : "PRAGMA synchronous=NORMAL";
    if (auto r = db.exec(sync); !r) {
        return tl::unexpected(r.error());
    }
    if (auto r = db.exec("PRAGMA foreign_keys=ON"); !r) {
        return tl::unexpected(r.error());
    }
    return db;
}

Database::Database(Database&& other) noexcept
    : m_db(std::exchange(other.m_db, nullptr)), m_path(std::move(other.m_path)) {}

Database& Database::operator=(Database&& other) noexcept {
    if (this != &other) {
        sqlite3_close_v2(m_db);
        m_db = std::exchange(other.m_db, nullptr);
        m_path = std::move(other.m_path);
    }
    return *this;
}

Database::~Database() {
    sqlite3_close_v2(m_db);
}

Expected<void> Database::exec(std::string_view sql) {
    char* message = nullptr;
    const std::string text(sql);
    if (sqlite3_exec(m_db, text.c_str(), nullptr, nullptr, &message) != SQLITE_OK) {
        std::string detail = message ? message : sqlite3_errmsg(m_db);
        sqlite3_free(message);
        return fail(ErrorCode::Database, detail);
    }
    return {};
}

Expected<Statement> Database::prepare(std::string_view sql) {
    sqlite3_stmt* stmt = nullptr;
    if (sqlite3_prepare_v2(m_db, sql.data(), static_cast<int>(sql.size()), &stmt, nullptr) !=
        SQLITE_OK) {
        return tl::unexpected(sqliteError(m_db, fmt::format("cannot prepare '{}'", sql)));
    }
    return Statement(m_db, stmt);
}

std::int64_t Database::lastInsertRowId() const {
    return sqlite3_last_insert_rowid(m_db);
}
int Database::changes() const {
    return sqlite3_changes(m_db);
}

Expected<int> Database::userVersion() {
    auto stmt = prepare("PRAGMA user_version");
    if (!stmt) {
        return tl::unexpected(stmt.error());
    }
    auto row = stmt->step();
    if (!row) {
        return tl::unexpected(row.error());
    }
    return static_cast<int>(stmt->columnInt(0));
}

Expected<void> Database::setUserVersion(int version) {
    return exec(fmt::format("PRAGMA user_version={}", version));
}

Statement::Statement(Statement&& other) noexcept
    : m_db(other.m_db),
      m_stmt(std::exchange(other.m_stmt, nullptr)),
      m_bindError(std::move(other.m_bindError)) {}

Statement& Statement::operator=(Statement&& other) noexcept {
    if (this != &other) {
        sqlite3_finalize(m_stmt);
        m_db = other.m_db;
        m_stmt = std::exchange(other.m_stmt, nullptr);
        m_bindError = std::move(other.m_bindError);
    }
    return *this;
}

Statement::~Statement() {
    sqlite3_finalize(m_stmt);
}

Error Statement::lastError(std::string_view what) const {
    return sqliteError(m_db, what);
}

Statement& Statement::bind(int index, std::int64_t value) {
    if (sqlite3_bind_int64(m_stmt, index, value) != SQLITE_OK && !m_bindError) {
        m_bindError = lastError("bind");
    }
    return *this;
}

Statement& Statement::bind(int index, double value) {
    if (sqlite3_bind_double(m_stmt, index, value) != SQLITE_OK && !m_bindError) {
        m_bindError = lastError("bind");
    }
    return *this;
}

Statement& Statement::bind(int index, std::string_view value) {
    if (sqlite3_bind_text64(m_stmt, index, value.data(), value.size(), SQLITE_TRANSIENT,
                            SQLITE_UTF8) != SQLITE_OK &&
        !m_bindError) {
        m_bindError = lastError("bind");
    }
    return *this;
}

Statement& Statement::bind(int index, std::span<const unsigned char> value) {
    // A zero-length blob must still be a blob, not NULL, so give SQLite a valid pointer.
    static const unsigned char kEmpty = 0;
    const void* data = value.empty() ? &kEmpty : value.data();
    if (sqlite3_bind_blob64(m_stmt, index, data, value.size(), SQLITE_TRANSIENT) != SQLITE_OK &&
        !m_bindError) {
        m_bindError = lastError("bind");
    }
    return *this;
}

Statement& Statement::bindNull(int index) {
    if (sqlite3_bind_null(m_stmt, index) != SQLITE_OK && !m_bindError) {
        m_bindError = lastError("bind");
    }
    return *this;
}

Expected<bool> Statement::step() {
    if (m_bindError) {
        return tl::unexpected(*m_bindError);
    }
    const int rc = sqlite3_step(m_stmt);
    if (rc == SQLITE_ROW) {
        return true;
    }
    if (rc == SQLITE_DONE) {
        return false;
    }
    return tl::unexpected(lastError(sqlite3_sql(m_stmt)));
}

Expected<void> Statement::run() {
    auto r = step();
    if (!r) {
        return tl::unexpected(r.error());
    }
    return {};
}

void Statement::reset() {
    sqlite3_reset(m_stmt);
    sqlite3_clear_bindings(m_stmt);
    m_bindError.reset();
}

bool Statement::isNull(int column) const {
    return sqlite3_column_type(m_stmt, column) == SQLITE_NULL;
}

int Statement::columnCount() const {
    return sqlite3_column_count(m_stmt);
}

std::string Statement::columnName(int column) const {
    const char* name = sqlite3_column_name(m_stmt, column);
    return name != nullptr ? name : "";
}

Statement::ColumnType Statement::columnType(int column) const {
    switch (sqlite3_column_type(m_stmt, column)) {
        case SQLITE_INTEGER:
            return ColumnType::Integer;
        case SQLITE_FLOAT:
            return ColumnType::Real;
        case SQLITE_TEXT:
            return ColumnType::Text;
        case SQLITE_BLOB:
            return ColumnType::BlobValue;
        default:
            return ColumnType::Null;
    }
}

std::int64_t Statement::columnInt(int column) const {
    return sqlite3_column_int64(m_stmt, column);
}

double Statement::columnDouble(int column) const {
    return sqlite3_column_double(m_stmt, column);
}

std::string Statement::columnText(int column) const {
    const auto* text = sqlite3_column_text(m_stmt, column);
    const int size = sqlite3_column_bytes(m_stmt, column);
    return text ? std::string(reinterpret_cast<const char*>(text), static_cast<std::size_t>(size))
                : std::string();
}

std::optional<std::string> Statement::columnOptionalText(int column) const {
    if (isNull(column)) {
        return std::nullopt;
    }
    return columnText(column);
}

Blob Statement::columnBlob(int column) const {
    const auto* data = static_cast<const unsigned char*>(sqlite3_column_blob(m_stmt, column));
    const int size = sqlite3_column_bytes(m_stmt, column);
    return data ? Blob(data, data + size) : Blob();
}

Expected<Transaction> Transaction::begin(Database& db) {
    // IMMEDIATE takes the write lock now, so a concurrent writer waits instead of failing
    // half-way through our work.
    if (auto r = db.exec("BEGIN IMMEDIATE"); !r) {
        return tl::unexpected(r.error());
    }
    return Transaction(&db);
}

Transaction::Transaction(Transaction&& other) noexcept : m_db(std::exchange(other.m_db, nullptr)) {}

Transaction::~Transaction() {
    if (m_db) {
        (void)m_db->exec("ROLLBACK");
    }
}

Expected<void> Transaction::commit() {
    auto r = m_db->exec("COMMIT");
    if (r) {
        m_db = nullptr;
    }
    return r;
}

}  // namespace examguard::station
