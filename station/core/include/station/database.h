#pragma once

#include <cstdint>
#include <filesystem>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "station/error.h"

struct sqlite3;
struct sqlite3_stmt;

namespace examguard::station {

class Statement;

// How hard a commit waits for the disk. FULL survives power loss; NORMAL (with WAL)
// survives a crash of the process but may lose the last commits on power loss.
enum class Durability { Full, Normal };

// One SQLite connection: WAL journal, foreign keys on, busy timeout set.
class Database {
public:
    static Expected<Database> open(const std::filesystem::path& path,
                                   Durability durability = Durability::Full);
    Database(Database&& other) noexcept;
    Database& operator=(Database&& other) noexcept;
    Database(const Database&) = delete;
    Database& operator=(const Database&) = delete;
    ~Database();

    Expected<void> exec(std::string_view sql);
    Expected<Statement> prepare(std::string_view sql);
    std::int64_t lastInsertRowId() const;
    int changes() const;
    const std::filesystem::path& path() const { return m_path; }
    sqlite3* handle() const { return m_db; }

    Expected<int> userVersion();
    Expected<void> setUserVersion(int version);

private:
    Database(sqlite3* db, std::filesystem::path path) : m_db(db), m_path(std::move(path)) {}
    sqlite3* m_db = nullptr;
    std::filesystem::path m_path;
};

// A value bound to or read from a statement column.
using Blob = std::vector<unsigned char>;

class Statement {
public:
    Statement(Statement&& other) noexcept;
    Statement& operator=(Statement&& other) noexcept;
    Statement(const Statement&) = delete;
    Statement& operator=(const Statement&) = delete;
    ~Statement();

    // Binding is 1-based, as in SQLite.
    Statement& bind(int index, std::int64_t value);
    Statement& bind(int index, int value) { return bind(index, static_cast<std::int64_t>(value)); }
    Statement& bind(int index, double value);
    Statement& bind(int index, std::string_view value);
    Statement& bind(int index, const char* value) { return bind(index, std::string_view(value)); }
    Statement& bind(int index, const std::string& value) {
        return bind(index, std::string_view(value));
    }
    Statement& bind(int index, std::span<const unsigned char> value);
    Statement& bind(int index, const Blob& value) {
        return bind(index, std::span<const unsigned char>(value));
    }
    Statement& bindNull(int index);
    template <typename T>
    Statement& bind(int index, const std::optional<T>& value) {
        return value ? bind(index, *value) : bindNull(index);
    }

    // Returns true while a row is available, false when done.
    Expected<bool> step();
    // Calls onRow(*this) for every row; stops at the first error.
    template <typename OnRow>
    Expected<void> forEachRow(OnRow&& onRow) {
        while (true) {
            auto row = step();
            if (!row) {
                return tl::unexpected(row.error());
            }
            if (!*row) {
                return {};
            }
            onRow(*this);
        }
    }
    // Runs a statement that returns no rows.
    Expected<void> run();
    void reset();

    bool isNull(int column) const;
    // What the current row holds, for code that turns any query into data (e.g. JSON).
    enum class ColumnType { Integer, Real, Text, BlobValue, Null };
    int columnCount() const;
    std::string columnName(int column) const;
    ColumnType columnType(int column) const;
    std::int64_t columnInt(int column) const;
    double columnDouble(int column) const;
    std::string columnText(int column) const;
    std::optional<std::string> columnOptionalText(int column) const;
    Blob columnBlob(int column) const;

private:
    friend class Database;
    Statement(sqlite3* db, sqlite3_stmt* stmt) : m_db(db), m_stmt(stmt) {}
    Error lastError(std::string_view what) const;
    sqlite3* m_db = nullptr;
    sqlite3_stmt* m_stmt = nullptr;
    std::optional<Error> m_bindError;
};

// Commits on commit(); rolls back when destroyed without it, so an error anywhere
// leaves the database as it was.
class Transaction {
public:
    static Expected<Transaction> begin(Database& db);
    Transaction(Transaction&& other) noexcept;
    Transaction& operator=(Transaction&&) = delete;
    Transaction(const Transaction&) = delete;
    ~Transaction();
    Expected<void> commit();

private:
    explicit Transaction(Database* db) : m_db(db) {}
    Database* m_db;
};

}  // namespace examguard::station
