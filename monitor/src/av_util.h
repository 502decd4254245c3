#pragma once

#include <string>

extern "C" {
#include <libavutil/error.h>
}

namespace examguard::monitor {

inline std::string avError(int code) {
    char text[AV_ERROR_MAX_STRING_SIZE] = {};
    av_strerror(code, text, sizeof text);
    return text;
}

}  // namespace examguard::monitor
