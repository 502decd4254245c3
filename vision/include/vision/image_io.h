#pragma once

#include <filesystem>

#include <opencv2/core.hpp>

#include "vision/error.h"

namespace examguard::vision {

// Files larger than this are refused unread: no ID photo or camera still comes near it.
inline constexpr std::uintmax_t kMaxImageFileBytes = 64U * 1024U * 1024U;

// Reads a JPEG/PNG/BMP/... file as 8-bit BGR (grayscale files are expanded). A missing, empty,
// oversized, undecodable or truncated file (a JPEG without its end marker, a PNG without
// IEND: OpenCV would otherwise hand back a half-grey picture) is ErrorCode::ImageUnreadable.
Result<cv::Mat> readImage(const std::filesystem::path& path);

}  // namespace examguard::vision
