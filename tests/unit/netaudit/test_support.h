#pragma once

#include <cstdint>
#include <filesystem>
#include <string>
#include <vector>

namespace examguard::netaudit::test {

// Path of a capture in the shared data set (never copied into the repository).
std::string capture(const std::string& name);

struct Frame {
    std::int64_t timestampUs = 0;
    std::vector<std::uint8_t> bytes;
};

// All frames of a capture file, for deriving new captures from real ones.
std::vector<Frame> readFrames(const std::string& path, int* linkType = nullptr);
// Writes a classic pcap file.
void writePcap(const std::filesystem::path& path, int linkType, const std::vector<Frame>& frames);

// A fresh directory under the system temp dir, removed with everything in it on destruction.
class TempDir {
public:
    TempDir();
    ~TempDir();
    TempDir(const TempDir&) = delete;
    TempDir& operator=(const TempDir&) = delete;
    const std::filesystem::path& path() const { return m_path; }

private:
    std::filesystem::path m_path;
};

}  // namespace examguard::netaudit::test
