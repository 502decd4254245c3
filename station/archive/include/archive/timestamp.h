#pragma once

#include <ctime>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "archive/seal.h"
#include "station/error.h"

// RFC 3161 time-stamping of the archive's tag-manifest signature, as CAdES-T does it: the
// token's message imprint is the SHA-256 of the CMS SignerInfo's signature value, and the token
// is kept in that SignerInfo as the unsigned attribute id-aa-timeStampToken (which the
// signature does not cover). A time-stamping authority thereby vouches that the signature
// existed at its time, which the station's own clock cannot prove.
namespace examguard::archive {

using Bytes = std::vector<unsigned char>;

// A DER TimeStampReq for the one signature in `cmsDer` (SHA-256 imprint, random 64-bit nonce,
// the TSA's certificate requested).
station::Expected<Bytes> makeTimestampQuery(std::span<const unsigned char> cmsDer);

// Checks a TSA's DER TimeStampResp against the query (status granted, imprint, nonce, version)
// and returns the CMS with the token added. A refusal, garbage, or a reply to another query
// is an error naming what was wrong; the TSA's signature is checked later by whoever verifies,
// against the TSA trust anchor they choose.
station::Expected<Bytes> attachTimestamp(std::span<const unsigned char> cmsDer,
                                         std::span<const unsigned char> queryDer,
                                         std::span<const unsigned char> replyDer);

struct TimestampCheck {
    bool present = false;   // the signature carries a time-stamp token
    bool intact = false;    // the token's imprint matches the signature
    bool trusted = false;   // the token is signed by a TSA chaining to the anchor
    std::string time;       // genTime, ISO 8601 UTC
    std::time_t at = 0;     // genTime as a time_t; 0 when unknown
    std::string authority;  // subject of the TSA certificate, when the token carries it
    std::string error;      // why not intact or not trusted
};

// `tsaTrustPem`: the TSA's root (or its own certificate); empty: only the imprint is checked.
// The TSA's chain is checked at the token's time, so the archive outlives the TSA certificate.
TimestampCheck checkTimestamp(std::span<const unsigned char> cmsDer, std::string_view tsaTrustPem);

// Posts a time-stamp query to an RFC 3161 authority over HTTP(S) and returns its reply.
SealOptions::Timestamper httpTimestamper(const std::string& url);

}  // namespace examguard::archive
