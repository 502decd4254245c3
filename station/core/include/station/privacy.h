#pragma once

#include <string>
#include <string_view>

namespace examguard::station {

// Masks what must never reach a log or a screen in full: 18-digit resident ID numbers
// (110101********1234) and credentials in URLs (rtsp://***@host/...).
std::string maskSensitive(std::string_view text);

// rtsp://user:pass@host/path -> rtsp://***@host/path (ZoneMinder's remove_authentication).
std::string maskUrlCredentials(std::string_view url);

}  // namespace examguard::station
