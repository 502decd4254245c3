#pragma once

#include <chrono>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "station/station.h"

namespace examguard::station {

enum class Role { Proctor, Sysadmin, Inspector, Admin };
const char* roleName(Role role);
std::optional<Role> parseRole(std::string_view name);

// scrypt cost: N = 2^logN, memory about 128·r·N bytes (32 MiB by default).
struct ScryptParams {
    int logN = 15;
    int r = 8;
    int p = 1;
};

// Format: $scrypt$ln=15,r=8,p=1$<salt base64>$<hash base64>; the salt is 16 random bytes.
Expected<std::string> hashPassword(std::string_view password, const ScryptParams& params = {});
// Constant-time comparison; a malformed stored hash never verifies.
bool verifyPassword(std::string_view password, std::string_view stored);

struct PasswordPolicy {
    std::size_t minLength = 8;
    int maxFailures = 5;  // consecutive failures before lock-out
    std::chrono::minutes lockDuration{15};
    ScryptParams scrypt{};
};

struct UserInfo {
    std::int64_t id = 0;
    std::string login;
    Role role = Role::Proctor;
    int failedAttempts = 0;
    std::optional<std::string> lockedUntil;  // ISO 8601 UTC, when locked now
    std::string createdAt;
};

class UserStore {
public:
    explicit UserStore(Station& station, PasswordPolicy policy = {})
        : m_station(station), m_policy(policy) {}

    Expected<UserInfo> add(std::string_view login, Role role, std::string_view password,
                           std::string_view actor);
    Expected<void> changePassword(std::string_view login, std::string_view newPassword,
                                  std::string_view actor);
    Expected<void> unlock(std::string_view login, std::string_view actor);
    Expected<std::vector<UserInfo>> list();
    // Checks a password. Failures are counted and logged; after maxFailures the account is
    // locked for lockDuration and every attempt meanwhile fails with ErrorCode::Locked.
    Expected<UserInfo> authenticate(std::string_view login, std::string_view password);

private:
    Expected<void> checkPasswordRules(std::string_view login, std::string_view password) const;
    Station& m_station;
    PasswordPolicy m_policy;
};

}  // namespace examguard::station
