#include "vision/image_io.h"

#include <unistd.h>

#include <fstream>

#include <gtest/gtest.h>
#include <opencv2/imgcodecs.hpp>
#include <opencv2/imgproc.hpp>

#include "face_test_support.h"

namespace examguard::vision::test {
namespace {

// Broken files are derived at test time from a real photo, into a scratch directory.
class ImageIo : public ::testing::Test {
protected:
    void SetUp() override {
        m_dir = std::filesystem::temp_directory_path() /
                ("examguard_vision_io_" + std::to_string(::getpid()));
        std::filesystem::create_directories(m_dir);
        m_photo = facesDir() / "east-asian/nuaa_client_0010/0010_01_05_03_132.jpg";
        std::ifstream in(m_photo, std::ios::binary);
        m_bytes.resize(static_cast<std::size_t>(std::filesystem::file_size(m_photo)));
        in.read(m_bytes.data(), static_cast<std::streamsize>(m_bytes.size()));
    }
    void TearDown() override { std::filesystem::remove_all(m_dir); }

    std::filesystem::path write(const std::string& name, const std::string& bytes) {
        const auto p = m_dir / name;
        std::ofstream(p, std::ios::binary) << bytes;
        return p;
    }

    std::filesystem::path m_dir;
    std::filesystem::path m_photo;
    std::string m_bytes;
};

TEST_F(ImageIo, ReadsARealPhotoAsBgr) {
    auto img = vision::readImage(m_photo);
    ASSERT_TRUE(img) << img.error().detail;
    EXPECT_EQ(img->size(), cv::Size(640, 480));
    EXPECT_EQ(img->type(), CV_8UC3);
}

TEST_F(ImageIo, GrayscaleFileIsExpandedToBgr) {
    cv::Mat gray;
    cv::cvtColor(cv::imread(m_photo.string()), gray, cv::COLOR_BGR2GRAY);
    const auto p = m_dir / "gray.png";
    ASSERT_TRUE(cv::imwrite(p.string(), gray));
    auto img = vision::readImage(p);
    ASSERT_TRUE(img);
    EXPECT_EQ(img->type(), CV_8UC3);
}

TEST_F(ImageIo, BrokenFilesAreUnreadable) {
    const std::vector<std::filesystem::path> broken{
        m_dir / "missing.jpg",
        write("empty.jpg", ""),
        write("truncated.jpg", m_bytes.substr(0, m_bytes.size() / 2)),
        write("text.jpg", "this is not an image\n"),
        write("header-only.jpg", m_bytes.substr(0, 200)),
    };
    for (const auto& p : broken) {
        auto img = vision::readImage(p);
        ASSERT_FALSE(img) << p;
        EXPECT_EQ(img.error().code, ErrorCode::ImageUnreadable) << p;
    }
}

TEST_F(ImageIo, TruncatedPngIsUnreadable) {
    std::vector<unsigned char> png;
    ASSERT_TRUE(cv::imencode(".png", cv::imread(m_photo.string()), png));
    const std::string bytes(png.begin(), png.end() - 40);
    auto img = vision::readImage(write("cut.png", bytes));
    ASSERT_FALSE(img);
    EXPECT_EQ(img.error().code, ErrorCode::ImageUnreadable);
}

TEST_F(ImageIo, OversizedFileIsRefusedUnread) {
    const auto p = m_dir / "huge.jpg";
    {
        std::ofstream out(p, std::ios::binary);
        out << m_bytes;
    }
    std::filesystem::resize_file(p, kMaxImageFileBytes + 1);  // sparse: no disk used
    auto img = vision::readImage(p);
    ASSERT_FALSE(img);
    EXPECT_EQ(img.error().code, ErrorCode::ImageUnreadable);
    EXPECT_NE(img.error().detail.find("64 MiB"), std::string::npos);
}

TEST_F(ImageIo, BmpIsAcceptedOtherFormatsAreNot) {
    const cv::Mat photo = cv::imread(m_photo.string());
    std::vector<unsigned char> bmp, tiff;
    ASSERT_TRUE(cv::imencode(".bmp", photo, bmp));
    auto img = decodeImage(bmp, "photo.bmp");
    ASSERT_TRUE(img) << img.error().detail;
    EXPECT_EQ(img->size(), photo.size());
    ASSERT_TRUE(cv::imencode(".tiff", photo, tiff));
    auto refused = decodeImage(tiff, "photo.tiff");
    ASSERT_FALSE(refused);
    EXPECT_EQ(refused.error().code, ErrorCode::ImageUnreadable);
    EXPECT_NE(refused.error().detail.find("not a JPEG, PNG or BMP"), std::string::npos);
}

TEST_F(ImageIo, HeaderGivesFormatAndSizeWithoutDecoding) {
    const std::span<const unsigned char> jpeg(
        reinterpret_cast<const unsigned char*>(m_bytes.data()), m_bytes.size());
    auto h = probeImage(jpeg);
    ASSERT_TRUE(h) << h.error().detail;
    EXPECT_EQ(h->format, ImageFormat::Jpeg);
    EXPECT_EQ(h->width, 640);
    EXPECT_EQ(h->height, 480);
}

// A tiny PNG whose header declares 100000 x 100000 pixels (30 GB decoded) is refused before
// the decoder allocates anything.
TEST_F(ImageIo, DecompressionBombIsRefusedFromItsHeader) {
    std::vector<unsigned char> png;
    ASSERT_TRUE(cv::imencode(".png", cv::Mat(8, 8, CV_8UC3, cv::Scalar(1, 2, 3)), png));
    for (std::size_t at : {16U, 20U}) {  // IHDR width, height (big-endian)
        png[at] = 0x00;
        png[at + 1] = 0x01;
        png[at + 2] = 0x86;
        png[at + 3] = 0xA0;
    }
    auto img = decodeImage(png, "bomb.png");
    ASSERT_FALSE(img);
    EXPECT_EQ(img.error().code, ErrorCode::ImageUnreadable);
    EXPECT_NE(img.error().detail.find("100000x100000"), std::string::npos);
}

TEST_F(ImageIo, DirectoryIsUnreadable) {
    auto img = vision::readImage(m_dir);
    ASSERT_FALSE(img);
    EXPECT_EQ(img.error().code, ErrorCode::ImageUnreadable);
}

}  // namespace
}  // namespace examguard::vision::test
