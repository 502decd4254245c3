#include "station/users.h"

#include <cctype>
#include <charconv>

#include <fmt/format.h>
#include <openssl/crypto.h>
#include <openssl/evp.h>

#include "station/logging.h"

namespace examguard::station {
namespace {

constexpr std::size_t kSaltBytes = 16;
constexpr std::size_t kHashBytes = 32;

Expected<Bytes> scrypt(std::string_view password, std::span<const unsigned char> salt,
                       const ScryptParams& params) {
    if (params.logN < 1 || params.logN > 22 || params.r < 1 || params.r > 32 || params.p < 1 ||
        params.p > 16) {
        return fail(ErrorCode::Invalid, "scrypt parameters out of range");
    }
    const std::uint64_t n = std::uint64_t{1} << params.logN;
    const std::uint64_t maxMemory = 256ULL * static_cast<std::uint64_t>(params.r) * n + (1U << 20);
    Bytes out(kHashBytes);
    if (EVP_PBE_scrypt(password.data(), password.size(), salt.data(), salt.size(), n,
                       static_cast<std::uint64_t>(params.r), static_cast<std::uint64_t>(params.p),
                       maxMemory, out.data(), out.size()) != 1) {
        return fail(ErrorCode::Crypto, "scrypt failed");
    }
    return out;
}

struct ParsedHash {
    ScryptParams params;
    Bytes salt;
    Bytes hash;
};

std::optional<ParsedHash> parseHash(std::string_view stored) {
    // $scrypt$ln=15,r=8,p=1$salt$hash
    if (!stored.starts_with("$scrypt$ln=")) {
        return std::nullopt;
    }
    std::string_view rest = stored.substr(std::string_view("$scrypt$").size());
    ParsedHash parsed;
    int* targets[] = {&parsed.params.logN, &parsed.params.r, &parsed.params.p};
    const char* names[] = {"ln=", "r=", "p="};
    for (int i = 0; i < 3; ++i) {
        if (!rest.starts_with(names[i])) {
            return std::nullopt;
        }
        rest.remove_prefix(std::string_view(names[i]).size());
        auto [ptr, ec] = std::from_chars(rest.data(), rest.data() + rest.size(), *targets[i]);
        if (ec != std::errc()) {
            return std::nullopt;
        }
        rest.remove_prefix(static_cast<std::size_t>(ptr - rest.data()));
        const char expected = i < 2 ? ',' : '$';
        if (rest.empty() || rest.front() != expected) {
            return std::nullopt;
        }
        rest.remove_prefix(1);
    }
    const std::size_t dollar = rest.find('$');
    if (dollar == std::string_view::npos) {
        return std::nullopt;
    }
    auto salt = base64Decode(rest.substr(0, dollar));
    auto hash = base64Decode(rest.substr(dollar + 1));
    if (!salt || !hash || salt->empty() || hash->size() != kHashBytes) {
        return std::nullopt;
    }
    parsed.salt = std::move(*salt);
    parsed.hash = std::move(*hash);
    return parsed;
}

// Logins are what people type at the console: short, ASCII, no spaces.
bool validLogin(std::string_view login) {
    if (login.empty() || login.size() > 64) {
        return false;
    }
    for (char c : login) {
        if (!std::isalnum(static_cast<unsigned char>(c)) && c != '.' && c != '_' && c != '-') {
            return false;
        }
    }
    return true;
}

UserInfo readUser(const Statement& s) {
    UserInfo u;
    u.id = s.columnInt(0);
    u.login = s.columnText(1);
    u.role = parseRole(s.columnText(2)).value_or(Role::Proctor);
    u.failedAttempts = static_cast<int>(s.columnInt(3));
    u.lockedUntil = s.columnOptionalText(4);
    u.createdAt = s.columnText(5);
    return u;
}

constexpr const char* kUserColumns =
    "SELECT id, login, role, failed_attempts, locked_until, created_at, password_hash FROM "
    "app_user";

}  // namespace

const char* roleName(Role role) {
    switch (role) {
        case Role::Proctor:
            return "proctor";
        case Role::Sysadmin:
            return "sysadmin";
        case Role::Inspector:
            return "inspector";
        case Role::Admin:
            return "admin";
    }
    return "proctor";
}

std::optional<Role> parseRole(std::string_view name) {
    for (Role r : {Role::Proctor, Role::Sysadmin, Role::Inspector, Role::Admin}) {
        if (name == roleName(r)) {
            return r;
        }
    }
    return std::nullopt;
}

Expected<std::string> hashPassword(std::string_view password, const ScryptParams& params) {
    auto salt = randomBytes(kSaltBytes);
    if (!salt) {
        return tl::unexpected(salt.error());
    }
    auto hash = scrypt(password, *salt, params);
    if (!hash) {
        return tl::unexpected(hash.error());
    }
    return fmt::format("$scrypt$ln={},r={},p={}${}${}", params.logN, params.r, params.p,
                       base64Encode(*salt), base64Encode(*hash));
}

bool verifyPassword(std::string_view password, std::string_view stored) {
    const auto parsed = parseHash(stored);
    if (!parsed) {
        return false;
    }
    const auto computed = scrypt(password, parsed->salt, parsed->params);
    return computed && computed->size() == parsed->hash.size() &&
           CRYPTO_memcmp(computed->data(), parsed->hash.data(), computed->size()) == 0;
}

Expected<void> UserStore::checkPasswordRules(std::string_view login,
                                             std::string_view password) const {
    if (password.size() < m_policy.minLength) {
        return fail(ErrorCode::Invalid, fmt::format("the password must have at least {} characters",
                                                    m_policy.minLength));
    }
    if (password == login) {
        return fail(ErrorCode::Invalid, "the password must differ from the login");
    }
    return {};
}

Expected<UserInfo> UserStore::add(std::string_view login, Role role, std::string_view password,
                                  std::string_view actor) {
    if (!validLogin(login)) {
        return fail(
            ErrorCode::Invalid,
            fmt::format("login '{}' is invalid: use 1-64 letters, digits, '.', '_' or '-'", login));
    }
    if (auto r = checkPasswordRules(login, password); !r) {
        return tl::unexpected(r.error());
    }
    auto hash = hashPassword(password, m_policy.scrypt);
    if (!hash) {
        return tl::unexpected(hash.error());
    }
    auto& db = m_station.db();
    auto txn = Transaction::begin(db);
    if (!txn) {
        return tl::unexpected(txn.error());
    }
    auto exists = db.prepare("SELECT 1 FROM app_user WHERE login = ?");
    if (!exists) {
        return tl::unexpected(exists.error());
    }
    exists->bind(1, login);
    auto found = exists->step();
    if (!found) {
        return tl::unexpected(found.error());
    }
    if (*found) {
        return fail(ErrorCode::Conflict, fmt::format("user '{}' already exists", login));
    }
    const std::string now = formatUtc(m_station.clock().now());
    auto insert = db.prepare(
        "INSERT INTO app_user (login, role, password_hash, created_at, password_changed_at) "
        "VALUES (?, ?, ?, ?, ?)");
    if (!insert) {
        return tl::unexpected(insert.error());
    }
    insert->bind(1, login).bind(2, roleName(role)).bind(3, *hash).bind(4, now).bind(5, now);
    if (auto r = insert->run(); !r) {
        return tl::unexpected(r.error());
    }
    UserInfo info;
    info.id = db.lastInsertRowId();
    info.login = std::string(login);
    info.role = role;
    info.createdAt = now;
    auto logged = m_station.log().append(
        {std::string(actor),
         "user.added",
         std::nullopt,
         {{"login", login}, {"role", roleName(role)}, {"user_id", info.id}}});
    if (!logged) {
        return tl::unexpected(logged.error());
    }
    if (auto r = txn->commit(); !r) {
        return tl::unexpected(r.error());
    }
    return info;
}

Expected<void> UserStore::changePassword(std::string_view login, std::string_view newPassword,
                                         std::string_view actor) {
    if (auto r = checkPasswordRules(login, newPassword); !r) {
        return r;
    }
    auto hash = hashPassword(newPassword, m_policy.scrypt);
    if (!hash) {
        return tl::unexpected(hash.error());
    }
    auto& db = m_station.db();
    auto txn = Transaction::begin(db);
    if (!txn) {
        return tl::unexpected(txn.error());
    }
    auto update = db.prepare(
        "UPDATE app_user SET password_hash = ?, password_changed_at = ?, failed_attempts = 0, "
        "locked_until = NULL WHERE login = ?");
    if (!update) {
        return tl::unexpected(update.error());
    }
    update->bind(1, *hash).bind(2, formatUtc(m_station.clock().now())).bind(3, login);
    if (auto r = update->run(); !r) {
        return r;
    }
    if (db.changes() == 0) {
        return fail(ErrorCode::NotFound, fmt::format("no user '{}'", login));
    }
    auto logged = m_station.log().append(
        {std::string(actor), "user.password_changed", std::nullopt, {{"login", login}}});
    if (!logged) {
        return tl::unexpected(logged.error());
    }
    return txn->commit();
}

Expected<void> UserStore::unlock(std::string_view login, std::string_view actor) {
    auto& db = m_station.db();
    auto txn = Transaction::begin(db);
    if (!txn) {
        return tl::unexpected(txn.error());
    }
    auto update =
        db.prepare("UPDATE app_user SET failed_attempts = 0, locked_until = NULL WHERE login = ?");
    if (!update) {
        return tl::unexpected(update.error());
    }
    update->bind(1, login);
    if (auto r = update->run(); !r) {
        return r;
    }
    if (db.changes() == 0) {
        return fail(ErrorCode::NotFound, fmt::format("no user '{}'", login));
    }
    auto logged = m_station.log().append(
        {std::string(actor), "user.unlocked", std::nullopt, {{"login", login}}});
    if (!logged) {
        return tl::unexpected(logged.error());
    }
    return txn->commit();
}

Expected<std::vector<UserInfo>> UserStore::list() {
    auto stmt = m_station.db().prepare(std::string(kUserColumns) + " ORDER BY login");
    if (!stmt) {
        return tl::unexpected(stmt.error());
    }
    std::vector<UserInfo> users;
    const std::string now = formatUtc(m_station.clock().now());
    auto done = stmt->forEachRow([&](Statement& row) {
        UserInfo u = readUser(row);
        if (u.lockedUntil && *u.lockedUntil <= now) {
            u.lockedUntil.reset();  // the lock has expired
        }
        users.push_back(std::move(u));
    });
    if (!done) {
        return tl::unexpected(done.error());
    }
    return users;
}

Expected<UserInfo> UserStore::authenticate(std::string_view login, std::string_view password) {
    auto& db = m_station.db();
    auto txn = Transaction::begin(db);
    if (!txn) {
        return tl::unexpected(txn.error());
    }
    auto stmt = db.prepare(std::string(kUserColumns) + " WHERE login = ?");
    if (!stmt) {
        return tl::unexpected(stmt.error());
    }
    stmt->bind(1, login);
    auto row = stmt->step();
    if (!row) {
        return tl::unexpected(row.error());
    }
    const auto nowPoint = m_station.clock().now();
    const std::string now = formatUtc(nowPoint);
    if (!*row) {
        // Spend the same work as for a real user, so timing does not reveal which logins exist.
        (void)verifyPassword(password,
                             "$scrypt$ln=15,r=8,p=1$AAAAAAAAAAAAAAAAAAAAAA==$"
                             "AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA=");
        // The typed login may be a password typed into the wrong field: keep only a hint.
        const std::string hint = std::string(login.substr(0, 2)) + "***";
        auto logged = m_station.log().append({"station",
                                              "user.login_failed",
                                              std::nullopt,
                                              {{"login_hint", hint}, {"reason", "unknown_user"}}});
        if (!logged) {
            return tl::unexpected(logged.error());
        }
        (void)txn->commit();
        return fail(ErrorCode::AuthFailed, "wrong login or password");
    }
    UserInfo user = readUser(*stmt);
    const std::string storedHash = stmt->columnText(6);
    stmt = db.prepare("SELECT 1");  // release the read statement before writing
    if (user.lockedUntil && *user.lockedUntil > now) {
        auto logged =
            m_station.log().append({"station",
                                    "user.login_refused_locked",
                                    std::nullopt,
                                    {{"login", login}, {"locked_until", *user.lockedUntil}}});
        if (!logged) {
            return tl::unexpected(logged.error());
        }
        (void)txn->commit();
        return fail(ErrorCode::Locked,
                    fmt::format("account '{}' is locked until {}", login, *user.lockedUntil));
    }
    if (verifyPassword(password, storedHash)) {
        auto reset =
            db.prepare("UPDATE app_user SET failed_attempts = 0, locked_until = NULL WHERE id = ?");
        if (!reset) {
            return tl::unexpected(reset.error());
        }
        reset->bind(1, user.id);
        if (auto r = reset->run(); !r) {
            return tl::unexpected(r.error());
        }
        auto logged = m_station.log().append(
            {user.login, "user.login", std::nullopt, {{"login", user.login}}});
        if (!logged) {
            return tl::unexpected(logged.error());
        }
        if (auto r = txn->commit(); !r) {
            return tl::unexpected(r.error());
        }
        user.failedAttempts = 0;
        user.lockedUntil.reset();
        return user;
    }
    const int failures = user.failedAttempts + 1;
    const bool lockNow = failures >= m_policy.maxFailures;
    std::optional<std::string> lockedUntil;
    if (lockNow) {
        lockedUntil = formatUtc(nowPoint + m_policy.lockDuration);
    }
    auto update =
        db.prepare("UPDATE app_user SET failed_attempts = ?, locked_until = ? WHERE id = ?");
    if (!update) {
        return tl::unexpected(update.error());
    }
    update->bind(1, lockNow ? 0 : failures).bind(2, lockedUntil).bind(3, user.id);
    if (auto r = update->run(); !r) {
        return tl::unexpected(r.error());
    }
    auto logged = m_station.log().append({"station",
                                          "user.login_failed",
                                          std::nullopt,
                                          {{"login", user.login},
                                           {"reason", "wrong_password"},
                                           {"consecutive_failures", failures}}});
    if (!logged) {
        return tl::unexpected(logged.error());
    }
    if (lockNow) {
        log().warn("account '{}' locked until {} after {} failed logins", user.login, *lockedUntil,
                   failures);
        logged = m_station.log().append({"station",
                                         "user.locked",
                                         std::nullopt,
                                         {{"login", user.login},
                                          {"locked_until", *lockedUntil},
                                          {"consecutive_failures", failures}}});
        if (!logged) {
            return tl::unexpected(logged.error());
        }
    }
    if (auto r = txn->commit(); !r) {
        return tl::unexpected(r.error());
    }
    return fail(lockNow ? ErrorCode::Locked : ErrorCode::AuthFailed,
                lockNow
                    ? fmt::format("account '{}' is now locked until {}", user.login, *lockedUntil)
                    : std::string("wrong login or password"));
}

}  // namespace examguard::station
