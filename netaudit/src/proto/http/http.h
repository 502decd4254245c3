#pragma once

#include <cstddef>
#include <cstdint>
#include <string>

#include "netaudit/anomaly.h"

namespace examguard::netaudit::proto {

struct HttpRequest {
    std::string method;
    std::string target;
    std::string host;
    std::string userAgent;
};

enum class ParseStatus { kOk, kNeedMore, kNotThisProtocol, kMalformed };

// The request line and headers at the start of a client stream. kNeedMore when the header block
// is not complete yet (the caller retries with more reassembled bytes).
ParseStatus parseHttpRequest(const std::uint8_t* data, std::size_t length, HttpRequest& out,
                             AnomalyCounters& anomalies);

}  // namespace examguard::netaudit::proto
