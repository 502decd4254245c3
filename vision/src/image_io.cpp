#include "vision/image_io.h"

#include <algorithm>
#include <fstream>
#include <string>
#include <vector>

#include <opencv2/imgcodecs.hpp>

#include <opencv2/imgproc.hpp>

namespace examguard::vision {

namespace {

bool startsWith(std::span<const unsigned char> data, std::string_view magic) {
    return data.size() >= magic.size() &&
           std::equal(magic.begin(), magic.end(), data.begin(),
                      [](char a, unsigned char b) { return static_cast<unsigned char>(a) == b; });
}

std::uint32_t be16(std::span<const unsigned char> d, std::size_t at) {
    return (static_cast<std::uint32_t>(d[at]) << 8) | d[at + 1];
}
std::uint32_t be32(std::span<const unsigned char> d, std::size_t at) {
    return (be16(d, at) << 16) | be16(d, at + 2);
}
std::int64_t le32s(std::span<const unsigned char> d, std::size_t at) {
    const std::uint32_t u = static_cast<std::uint32_t>(d[at]) |
                            (static_cast<std::uint32_t>(d[at + 1]) << 8) |
                            (static_cast<std::uint32_t>(d[at + 2]) << 16) |
                            (static_cast<std::uint32_t>(d[at + 3]) << 24);
    return static_cast<std::int32_t>(u);
}

constexpr std::string_view kJpegMagic = "\xFF\xD8\xFF";
constexpr std::string_view kPngMagic = "\x89PNG\r\n\x1A\n";

// Width and height from the first start-of-frame segment of a JPEG.
bool jpegSize(std::span<const unsigned char> d, std::int64_t& w, std::int64_t& h) {
    std::size_t i = 2;
    while (i + 1 < d.size()) {
        if (d[i] != 0xFF) {
            return false;  // segments must follow each other until the frame header
        }
        const unsigned char marker = d[i + 1];
        if (marker == 0xFF) {  // fill byte
            ++i;
            continue;
        }
        i += 2;
        if (marker == 0x01 || (marker >= 0xD0 && marker <= 0xD7)) {
            continue;  // no length field
        }
        if (marker == 0xD9 || marker == 0xDA || i + 2 > d.size()) {
            return false;  // end of image or scan data before any frame header
        }
        const std::size_t length = be16(d, i);
        if (length < 2 || i + length > d.size()) {
            return false;
        }
        const bool sof =
            marker >= 0xC0 && marker <= 0xCF && marker != 0xC4 && marker != 0xC8 && marker != 0xCC;
        if (sof) {
            if (length < 7) {
                return false;
            }
            h = be16(d, i + 3);
            w = be16(d, i + 5);
            return true;
        }
        i += length;
    }
    return false;
}

// True when a JPEG or PNG stops before its end marker.
bool truncated(std::span<const unsigned char> data, ImageFormat format) {
    if (format == ImageFormat::Jpeg) {
        // Some writers pad after EOI; look for FF D9 in the last bytes.
        const std::size_t tail = std::min<std::size_t>(data.size(), 64);
        for (std::size_t i = data.size() - tail; i + 1 < data.size(); ++i) {
            if (data[i] == 0xFF && data[i + 1] == 0xD9) {
                return false;
            }
        }
        return true;
    }
    if (format == ImageFormat::Png) {
        const std::size_t tail = std::min<std::size_t>(data.size(), 32);
        const std::string_view iend = "IEND";
        return std::search(data.end() - static_cast<std::ptrdiff_t>(tail), data.end(), iend.begin(),
                           iend.end(), [](unsigned char a, char b) {
                               return a == static_cast<unsigned char>(b);
                           }) == data.end();
    }
    return false;
}

}  // namespace

Result<cv::Mat> toBgr8(const cv::Mat& image) {
    if (image.empty()) {
        return makeError(ErrorCode::ImageInvalid, "empty image");
    }
    if (image.depth() != CV_8U) {
        return makeError(ErrorCode::ImageInvalid, "image is not 8-bit");
    }
    if (static_cast<long long>(image.rows) * image.cols > kMaxImagePixels) {
        return makeError(ErrorCode::ImageInvalid, "image too large (over 50 megapixels)");
    }
    cv::Mat bgr;
    switch (image.channels()) {
        case 1:
            cv::cvtColor(image, bgr, cv::COLOR_GRAY2BGR);
            break;
        case 3:
            bgr = image;
            break;
        case 4:
            cv::cvtColor(image, bgr, cv::COLOR_BGRA2BGR);
            break;
        default:
            return makeError(ErrorCode::ImageInvalid, "unsupported channel count");
    }
    return bgr;
}

Result<ImageHeader> probeImage(std::span<const unsigned char> data) {
    ImageHeader header{ImageFormat::Jpeg};
    std::int64_t w = 0, h = 0;
    bool ok = false;
    if (startsWith(data, kJpegMagic)) {
        header.format = ImageFormat::Jpeg;
        ok = jpegSize(data, w, h);
    } else if (startsWith(data, kPngMagic)) {
        header.format = ImageFormat::Png;
        // The first chunk must be IHDR: width and height as big-endian 32-bit numbers.
        ok = data.size() >= 24 && startsWith(data.subspan(12), "IHDR");
        if (ok) {
            w = be32(data, 16);
            h = be32(data, 20);
        }
    } else if (startsWith(data, "BM")) {
        header.format = ImageFormat::Bmp;
        if (data.size() >= 26) {
            const std::int64_t infoSize = le32s(data, 14);
            if (infoSize == 12) {  // OS/2 BITMAPCOREHEADER: 16-bit sizes
                w = data[18] | (data[19] << 8);
                h = data[20] | (data[21] << 8);
                ok = true;
            } else if (infoSize >= 40) {
                w = le32s(data, 18);
                h = le32s(data, 22);
                h = h < 0 ? -h : h;  // negative height: rows stored top-down
                ok = true;
            }
        }
    } else {
        return makeError(ErrorCode::ImageUnreadable,
                         "not a JPEG, PNG or BMP image (other formats are not accepted)");
    }
    if (!ok) {
        return makeError(ErrorCode::ImageUnreadable, "image header is damaged or cut short");
    }
    if (w <= 0 || h <= 0) {
        return makeError(ErrorCode::ImageUnreadable, "image header declares an empty picture");
    }
    if (w > kMaxImagePixels || h > kMaxImagePixels || w * h > kMaxImagePixels) {
        return makeError(ErrorCode::ImageUnreadable,
                         "image of " + std::to_string(w) + "x" + std::to_string(h) +
                             " pixels is larger than the 50-megapixel limit");
    }
    header.width = static_cast<int>(w);
    header.height = static_cast<int>(h);
    return header;
}

Result<cv::Mat> decodeImage(std::span<const unsigned char> data, std::string_view name) {
    const std::string where(name);
    if (data.empty()) {
        return makeError(ErrorCode::ImageUnreadable, where + " is empty");
    }
    if (data.size() > kMaxImageFileBytes) {
        return makeError(ErrorCode::ImageUnreadable, where + " is larger than 64 MiB");
    }
    auto header = probeImage(data);
    if (!header) {
        return makeError(ErrorCode::ImageUnreadable, where + ": " + header.error().detail);
    }
    if (truncated(data, header->format)) {
        return makeError(ErrorCode::ImageUnreadable, where + " is truncated");
    }
    cv::Mat decoded;
    try {
        // imdecode wants a Mat; this wraps the caller's bytes without copying them.
        const cv::Mat buffer(1, static_cast<int>(data.size()), CV_8UC1,
                             const_cast<unsigned char*>(data.data()));
        decoded = cv::imdecode(buffer, cv::IMREAD_COLOR);
    } catch (const cv::Exception& e) {
        return makeError(ErrorCode::ImageUnreadable, where + ": " + e.what());
    }
    if (decoded.empty()) {
        return makeError(ErrorCode::ImageUnreadable, where + " is not a decodable image");
    }
    auto bgr = toBgr8(decoded);
    if (!bgr) {
        return makeError(ErrorCode::ImageUnreadable, where + ": " + bgr.error().detail);
    }
    return *bgr;
}

Result<cv::Mat> readImage(const std::filesystem::path& path) {
    std::error_code ec;
    if (std::filesystem::is_directory(path, ec)) {
        return makeError(ErrorCode::ImageUnreadable, path.string() + " is a directory");
    }
    const auto size = std::filesystem::file_size(path, ec);
    if (ec) {
        return makeError(ErrorCode::ImageUnreadable,
                         "cannot read " + path.string() + ": " + ec.message());
    }
    if (size == 0) {
        return makeError(ErrorCode::ImageUnreadable, path.string() + " is empty");
    }
    if (size > kMaxImageFileBytes) {
        return makeError(ErrorCode::ImageUnreadable, path.string() + " is larger than 64 MiB");
    }
    std::ifstream in(path, std::ios::binary);
    std::vector<unsigned char> data(static_cast<std::size_t>(size));
    if (!in || !in.read(reinterpret_cast<char*>(data.data()), static_cast<std::streamsize>(size))) {
        return makeError(ErrorCode::ImageUnreadable, "cannot read " + path.string());
    }
    return decodeImage(data, path.string());
}

}  // namespace examguard::vision
