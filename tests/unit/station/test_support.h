#pragma once

#include <unistd.h>

#include <filesystem>
#include <random>
#include <string>

#include <gtest/gtest.h>

namespace examguard::station::testing {

// A private directory under the system temp dir, removed when the test ends.
class TempDir {
public:
    TempDir() {
        std::string pattern =
            (std::filesystem::temp_directory_path() / "examguard-test-XXXXXX").string();
        if (!::mkdtemp(pattern.data())) {
            throw std::runtime_error("mkdtemp failed");
        }
        m_path = pattern;
    }
    ~TempDir() {
        std::error_code ec;
        std::filesystem::remove_all(m_path, ec);
    }
    TempDir(const TempDir&) = delete;
    TempDir& operator=(const TempDir&) = delete;
    const std::filesystem::path& path() const { return m_path; }
    std::filesystem::path operator/(const std::string& name) const { return m_path / name; }

private:
    std::filesystem::path m_path;
};

// Seeds come from GoogleTest's --gtest_random_seed, so a failure can be replayed.
inline std::mt19937 testRng() {
    const auto seed = static_cast<unsigned>(::testing::UnitTest::GetInstance()->random_seed());
    return std::mt19937(seed == 0 ? 20261122U : seed);
}

}  // namespace examguard::station::testing
