// usb.ids, the real database from Debian's usb.ids package (what both agents read).
#include "agent/usb_ids.h"

#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>

namespace examguard::agent {
namespace {

TEST(UsbIds, NamesFromTheRealDatabase) {
    const auto ids = UsbIds::load("/usr/share/misc/usb.ids");
    ASSERT_TRUE(ids) << ids.error().detail;
    EXPECT_GT(ids->size(), 20000u);
    EXPECT_EQ(ids->vendor(0x046d), "Logitech, Inc.");
    EXPECT_EQ(ids->product(0x046d, 0xc52b), "Unifying Receiver");
    EXPECT_EQ(ids->product(0x046d, 0xc548), "Logi Bolt Receiver");
    EXPECT_EQ(ids->product(0x046d, 0x0001), "");
}

TEST(UsbIds, MalformedOrMissingFilesAreRefusedWithTheLine) {
    const auto bad = UsbIds::parse("046d  Logitech\n\tzzzz  broken\n");
    ASSERT_FALSE(bad);
    EXPECT_NE(bad.error().detail.find("line 2"), std::string::npos) << bad.error().detail;
    const auto orphan = UsbIds::parse("\tc52b  Receiver without a vendor\n");
    EXPECT_FALSE(orphan);
    const auto missing = UsbIds::load("/nonexistent/usb.ids");
    ASSERT_FALSE(missing);
    EXPECT_EQ(missing.error().code, ErrorCode::kFileNotFound);
    // A directory is not a database either.
    EXPECT_FALSE(UsbIds::load(std::filesystem::temp_directory_path()));
}

}  // namespace
}  // namespace examguard::agent
