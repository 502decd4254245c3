// libFuzzer target for vision::decodeImage, the entry point every image file from outside
// goes through: signature whitelist, header probe with the pixel limit, truncation check, then
// OpenCV's JPEG/PNG/BMP decoders. Whatever the bytes, the result is an error value or an 8-bit
// BGR picture within the limits the header promised.
#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <span>

#include <opencv2/core.hpp>

#include "vision/image_io.h"

namespace {

void check(bool condition) {
    if (!condition) {
        std::abort();
    }
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    static const bool once = [] {
        cv::setNumThreads(1);
        cv::redirectError([](int, const char*, const char*, const char*, int, void*) { return 0; });
        return true;
    }();
    (void)once;
    const std::span<const unsigned char> bytes(data, size);
    const auto header = examguard::vision::probeImage(bytes);
    const auto image = examguard::vision::decodeImage(bytes, "fuzz");
    if (image) {
        check(header.has_value());  // nothing decodes without a header that passed the probe
        check(image->type() == CV_8UC3);
        check(!image->empty());
        check(static_cast<long long>(image->rows) * image->cols <=
              examguard::vision::kMaxImagePixels);
    } else {
        check(image.error().code == examguard::vision::ErrorCode::ImageUnreadable);
    }
    return 0;
}
