#pragma once

#include <string>
#include <string_view>

namespace examguard::monitor {

// What of a camera URL may reach a log, a screen or the event log: the user information
// (rtsp://user:pass@host -> rtsp://***@host) and credential-like query parameters
// (?user=admin&password=x -> ?user=***&password=***) are masked. Hosts, ports and paths stay.
std::string redactUrl(std::string_view url);

// Free text (a library's log line) with every URL in it redacted as above.
std::string redactText(std::string_view text);

}  // namespace examguard::monitor
