#include "station/crypto.h"

#include <sys/stat.h>

#include <gtest/gtest.h>

#include "test_support.h"

namespace examguard::station {
namespace {

TEST(Crypto, Sha256KnownVector) {
    EXPECT_EQ(sha256Hex(std::string_view("abc")),
              "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
}

TEST(Crypto, Base64RoundTripAndRejectsGarbage) {
    for (std::string text : {"", "a", "ab", "abc", "abcd", "中文 text"}) {
        const Bytes bytes(text.begin(), text.end());
        auto decoded = base64Decode(base64Encode(bytes));
        ASSERT_TRUE(decoded) << text;
        EXPECT_EQ(*decoded, bytes);
    }
    EXPECT_FALSE(base64Decode("abc"));
    EXPECT_FALSE(base64Decode("a*c="));
}

TEST(Crypto, SealOpensOnlyWithSameKeyAndContext) {
    testing::TempDir dir;
    auto keys = KeyStore::openOrCreate(dir.path() / "keys");
    ASSERT_TRUE(keys) << keys.error().detail;
    auto sealed = seal(keys->dataKey(), std::string_view("110101199003071234"), "candidate.id");
    ASSERT_TRUE(sealed);
    auto opened = open(keys->dataKey(), *sealed, "candidate.id");
    ASSERT_TRUE(opened);
    EXPECT_EQ(std::string(opened->begin(), opened->end()), "110101199003071234");
    EXPECT_FALSE(open(keys->dataKey(), *sealed, "candidate.name"));
    EXPECT_FALSE(open(keys->lookupKey(), *sealed, "candidate.id"));
    for (std::size_t i = 0; i < sealed->size(); ++i) {
        Bytes flipped = *sealed;
        flipped[i] ^= 0x01;
        EXPECT_FALSE(open(keys->dataKey(), flipped, "candidate.id")) << "byte " << i;
    }
    EXPECT_FALSE(open(keys->dataKey(), Bytes{1, 2, 3}, "candidate.id"));
}

TEST(Crypto, KeyStoreIsStableAndPrivate) {
    testing::TempDir dir;
    auto first = KeyStore::openOrCreate(dir.path() / "keys");
    auto second = KeyStore::openOrCreate(dir.path() / "keys");
    ASSERT_TRUE(first && second);
    EXPECT_EQ(first->dataKey(), second->dataKey());
    EXPECT_NE(first->dataKey(), first->lookupKey());
    struct stat st {};
    ASSERT_EQ(::stat((dir.path() / "keys" / "master.key").c_str(), &st), 0);
    EXPECT_EQ(st.st_mode & 0777, 0600U);
    EXPECT_EQ(st.st_size, 32);
}

TEST(Crypto, DamagedKeyFileIsRefused) {
    testing::TempDir dir;
    std::filesystem::create_directories(dir.path() / "keys");
    {
        std::FILE* f = std::fopen((dir.path() / "keys" / "master.key").c_str(), "wb");
        std::fputs("short", f);
        std::fclose(f);
    }
    auto keys = KeyStore::openOrCreate(dir.path() / "keys");
    ASSERT_FALSE(keys);
    EXPECT_EQ(keys.error().code, ErrorCode::Crypto);
    EXPECT_NE(keys.error().detail.find("damaged"), std::string::npos);
}

}  // namespace
}  // namespace examguard::station
