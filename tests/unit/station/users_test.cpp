#include "station/users.h"

#include <gtest/gtest.h>

#include "test_support.h"

namespace examguard::station {
namespace {

using testing::TempDir;

// Cheap scrypt for tests; the production cost is checked separately.
const ScryptParams kFastScrypt{10, 8, 1};

class UsersTest : public ::testing::Test {
protected:
    void SetUp() override {
        auto s = Station::open({.databasePath = m_dir / "station.db",
                                .durability = Durability::Normal,
                                .clock = &m_clock});
        ASSERT_TRUE(s) << s.error().detail;
        m_station.emplace(std::move(*s));
        PasswordPolicy policy;
        policy.scrypt = kFastScrypt;
        m_users.emplace(*m_station, policy);
    }

    std::vector<std::string> logKinds() {
        std::vector<std::string> kinds;
        EXPECT_TRUE(m_station->log().forEach([&](const LogEntry& e) {
            kinds.push_back(e.kind);
            return true;
        }));
        return kinds;
    }

    std::string allLogText() {
        std::string text;
        EXPECT_TRUE(m_station->log().forEach([&](const LogEntry& e) {
            text += e.payload;
            return true;
        }));
        return text;
    }

    TempDir m_dir;
    ManualClock m_clock{std::chrono::system_clock::time_point(std::chrono::seconds(1795000000))};
    std::optional<Station> m_station;
    std::optional<UserStore> m_users;
};

TEST(PasswordHash, FormatSaltAndVerification) {
    auto a = hashPassword("correct horse", kFastScrypt);
    auto b = hashPassword("correct horse", kFastScrypt);
    ASSERT_TRUE(a && b);
    EXPECT_TRUE(a->starts_with("$scrypt$ln=10,r=8,p=1$"));
    EXPECT_NE(*a, *b) << "each hash must have its own salt";
    EXPECT_TRUE(verifyPassword("correct horse", *a));
    EXPECT_FALSE(verifyPassword("correct horsE", *a));
    EXPECT_FALSE(verifyPassword("", *a));
}

TEST(PasswordHash, DefaultCostIsMemoryHard) {
    const ScryptParams defaults;
    EXPECT_GE(defaults.logN, 15);  // 2^15 · 128 · 8 bytes = 32 MiB per guess
    auto h = hashPassword("x", defaults);
    ASSERT_TRUE(h);
    EXPECT_TRUE(h->starts_with("$scrypt$ln=15,r=8,p=1$"));
    EXPECT_TRUE(verifyPassword("x", *h));
}

TEST(PasswordHash, MalformedStoredHashesNeverVerify) {
    for (const char* bad :
         {"", "plain", "$scrypt$", "$scrypt$ln=10,r=8,p=1$", "$scrypt$ln=99,r=8,p=1$AAAA$AAAA",
          "$scrypt$ln=10,r=8$AAAA$AAAA", "$scrypt$ln=10,r=8,p=1$!!!!$AAAA"}) {
        EXPECT_FALSE(verifyPassword("x", bad)) << bad;
    }
}

TEST_F(UsersTest, AddListAndAuthenticate) {
    ASSERT_TRUE(m_users->add("li.wei", Role::Proctor, "s3cret-pass", "admin"));
    ASSERT_TRUE(m_users->add("zhang", Role::Inspector, "another-pass", "admin"));
    auto users = m_users->list();
    ASSERT_TRUE(users);
    ASSERT_EQ(users->size(), 2U);
    EXPECT_EQ((*users)[0].login, "li.wei");
    EXPECT_EQ((*users)[0].role, Role::Proctor);
    auto ok = m_users->authenticate("li.wei", "s3cret-pass");
    ASSERT_TRUE(ok) << ok.error().detail;
    EXPECT_EQ(ok->role, Role::Proctor);
    EXPECT_FALSE(allLogText().find("s3cret-pass") != std::string::npos);
    EXPECT_TRUE(m_station->log().verify()->intact);
}

TEST_F(UsersTest, RejectsDuplicatesBadLoginsAndWeakPasswords) {
    ASSERT_TRUE(m_users->add("li", Role::Proctor, "long-enough", "admin"));
    auto dup = m_users->add("li", Role::Admin, "long-enough", "admin");
    ASSERT_FALSE(dup);
    EXPECT_EQ(dup.error().code, ErrorCode::Conflict);
    EXPECT_EQ(m_users->add("bad login", Role::Proctor, "long-enough", "admin").error().code,
              ErrorCode::Invalid);
    EXPECT_EQ(m_users->add("", Role::Proctor, "long-enough", "admin").error().code,
              ErrorCode::Invalid);
    EXPECT_EQ(m_users->add("wang", Role::Proctor, "short", "admin").error().code,
              ErrorCode::Invalid);
    EXPECT_EQ(m_users->add("wangwang", Role::Proctor, "wangwang", "admin").error().code,
              ErrorCode::Invalid);
    EXPECT_EQ(m_users->list()->size(), 1U);
}

TEST_F(UsersTest, LockOutAfterRepeatedFailuresIsLoggedAndExpires) {
    ASSERT_TRUE(m_users->add("li", Role::Proctor, "right-password", "admin"));
    for (int i = 1; i < 5; ++i) {
        auto r = m_users->authenticate("li", "wrong-" + std::to_string(i));
        ASSERT_FALSE(r);
        EXPECT_EQ(r.error().code, ErrorCode::AuthFailed) << "attempt " << i;
    }
    auto fifth = m_users->authenticate("li", "wrong-5");
    ASSERT_FALSE(fifth);
    EXPECT_EQ(fifth.error().code, ErrorCode::Locked);
    // Even the right password is refused while locked.
    auto locked = m_users->authenticate("li", "right-password");
    ASSERT_FALSE(locked);
    EXPECT_EQ(locked.error().code, ErrorCode::Locked);
    const auto kinds = logKinds();
    EXPECT_EQ(std::count(kinds.begin(), kinds.end(), "user.login_failed"), 5);
    EXPECT_EQ(std::count(kinds.begin(), kinds.end(), "user.locked"), 1);
    EXPECT_EQ(std::count(kinds.begin(), kinds.end(), "user.login_refused_locked"), 1);
    EXPECT_EQ(allLogText().find("wrong-"), std::string::npos) << "passwords must never be logged";
    ASSERT_TRUE(m_users->list()->front().lockedUntil);

    m_clock.advance(std::chrono::minutes(16));
    EXPECT_FALSE(m_users->list()->front().lockedUntil);
    EXPECT_TRUE(m_users->authenticate("li", "right-password"));
}

TEST_F(UsersTest, SuccessResetsTheFailureCount) {
    ASSERT_TRUE(m_users->add("li", Role::Proctor, "right-password", "admin"));
    for (int round = 0; round < 3; ++round) {
        for (int i = 0; i < 4; ++i) {
            EXPECT_EQ(m_users->authenticate("li", "nope-nope").error().code, ErrorCode::AuthFailed);
        }
        EXPECT_TRUE(m_users->authenticate("li", "right-password"));
    }
}

TEST_F(UsersTest, UnlockAndPasswordChange) {
    ASSERT_TRUE(m_users->add("li", Role::Sysadmin, "right-password", "admin"));
    for (int i = 0; i < 5; ++i) {
        (void)m_users->authenticate("li", "nope-nope");
    }
    EXPECT_EQ(m_users->authenticate("li", "right-password").error().code, ErrorCode::Locked);
    ASSERT_TRUE(m_users->unlock("li", "admin"));
    EXPECT_TRUE(m_users->authenticate("li", "right-password"));
    ASSERT_TRUE(m_users->changePassword("li", "new-password-1", "li"));
    EXPECT_EQ(m_users->authenticate("li", "right-password").error().code, ErrorCode::AuthFailed);
    EXPECT_TRUE(m_users->authenticate("li", "new-password-1"));
    EXPECT_EQ(m_users->changePassword("ghost", "new-password-1", "li").error().code,
              ErrorCode::NotFound);
}

TEST_F(UsersTest, UnknownUserFailsWithoutLoggingTheTypedText) {
    auto r = m_users->authenticate("MyPassword123", "whatever");
    ASSERT_FALSE(r);
    EXPECT_EQ(r.error().code, ErrorCode::AuthFailed);
    EXPECT_EQ(allLogText().find("MyPassword123"), std::string::npos);
}

}  // namespace
}  // namespace examguard::station
