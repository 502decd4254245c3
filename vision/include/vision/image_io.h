#pragma once

#include <cstdint>
#include <filesystem>
#include <span>
#include <string_view>

#include <opencv2/core.hpp>

#include "vision/error.h"

namespace examguard::vision {

// Files larger than this are refused unread: no ID photo or camera still comes near it.
inline constexpr std::uintmax_t kMaxImageFileBytes = 64U * 1024U * 1024U;
// Images with more pixels than this are refused before decoding (a few bytes of PNG or JPEG
// can declare a picture that needs gigabytes) and by every function taking a cv::Mat.
inline constexpr long long kMaxImagePixels = 50LL * 1000 * 1000;

// The formats accepted from outside: JPEG, PNG and BMP, recognised by their signature. OpenCV
// can decode many more (TIFF, WebP, JPEG 2000, OpenEXR, PNM, ...); they are refused so that
// their decoders are not exposed to untrusted files no camera or ID reader produces.
enum class ImageFormat { Jpeg, Png, Bmp };

struct ImageHeader {
    ImageFormat format;
    int width = 0;
    int height = 0;
};

// Format and dimensions from the first bytes of a file, without decoding it; ImageUnreadable
// for an unknown signature, a header that is cut short or dimensions that are zero or too large.
Result<ImageHeader> probeImage(std::span<const unsigned char> data);

// Decodes JPEG/PNG/BMP bytes as 8-bit BGR (grayscale and 16-bit images are converted).
// Unknown formats, oversized or truncated data (a JPEG without its end marker, a PNG without
// IEND: OpenCV would otherwise hand back a half-grey picture) are ErrorCode::ImageUnreadable;
// `name` is used in the message. Never throws.
Result<cv::Mat> decodeImage(std::span<const unsigned char> data, std::string_view name);

// Converts an 8-bit gray/BGR/BGRA image to 8-bit BGR (no copy when it already is);
// ImageInvalid for empty, other depths or channel counts, or more than kMaxImagePixels.
Result<cv::Mat> toBgr8(const cv::Mat& image);

// Reads and decodes a file (see decodeImage); a missing, empty or oversized file is
// ErrorCode::ImageUnreadable.
Result<cv::Mat> readImage(const std::filesystem::path& path);

}  // namespace examguard::vision
