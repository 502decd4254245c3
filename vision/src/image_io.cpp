#include "vision/image_io.h"

#include <algorithm>
#include <fstream>
#include <string_view>
#include <vector>

#include <opencv2/imgcodecs.hpp>

#include "vision/face_detector.h"

namespace examguard::vision {

namespace {

bool startsWith(const std::vector<unsigned char>& data, std::string_view magic) {
    return data.size() >= magic.size() &&
           std::equal(magic.begin(), magic.end(), data.begin(),
                      [](char a, unsigned char b) { return static_cast<unsigned char>(a) == b; });
}

// True when a JPEG or PNG stops before its end marker. Other formats are left to the decoder.
bool truncated(const std::vector<unsigned char>& data) {
    if (startsWith(data, "\xFF\xD8\xFF")) {
        // Some writers pad after EOI; look for FF D9 in the last bytes.
        const std::size_t tail = std::min<std::size_t>(data.size(), 64);
        for (std::size_t i = data.size() - tail; i + 1 < data.size(); ++i) {
            if (data[i] == 0xFF && data[i + 1] == 0xD9) {
                return false;
            }
        }
        return true;
    }
    if (startsWith(data, "\x89PNG\r\n\x1A\n")) {
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

Result<cv::Mat> readImage(const std::filesystem::path& path) {
    std::error_code ec;
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
    if (!in.read(reinterpret_cast<char*>(data.data()), static_cast<std::streamsize>(size))) {
        return makeError(ErrorCode::ImageUnreadable, "cannot read " + path.string());
    }
    if (truncated(data)) {
        return makeError(ErrorCode::ImageUnreadable, path.string() + " is truncated");
    }
    cv::Mat decoded;
    try {
        decoded = cv::imdecode(data, cv::IMREAD_COLOR);
    } catch (const cv::Exception& e) {
        return makeError(ErrorCode::ImageUnreadable, path.string() + ": " + e.what());
    }
    if (decoded.empty()) {
        return makeError(ErrorCode::ImageUnreadable, path.string() + " is not a decodable image");
    }
    auto bgr = toBgr8(decoded);
    if (!bgr) {
        return tl::unexpected(bgr.error());
    }
    return *bgr;
}

}  // namespace examguard::vision
