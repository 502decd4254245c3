#pragma once

#include <chrono>
#include <map>
#include <string>
#include <string_view>

#include "station/error.h"

namespace examguard::station::platform {

// The provincial platform's request signature (REQUIREMENTS ID-4; 山西 考勤设备接口设计说明 1.4):
// values of the body parameters sorted by name, concatenated, prefixed with app_id and suffixed
// with message_id; MD5 of that as 32 upper-case hex digits; that text signed with the RSA key
// (appPwd); Base64. The document's example shows spaces between the values only for
// readability: they are concatenated without separators.
std::string signatureBase(std::string_view appId, const std::map<std::string, std::string>& params,
                          std::string_view messageId);
std::string md5UpperHex(std::string_view data);

// The document does not name the RSA scheme; the common choice of such platforms (Java's
// "SHA256withRSA", PKCS#1 v1.5) is the default, "SHA1" the alternative.
enum class SignatureDigest { Sha256, Sha1 };

Expected<std::string> signRequest(std::string_view privateKeyPem, SignatureDigest digest,
                                  std::string_view appId,
                                  const std::map<std::string, std::string>& params,
                                  std::string_view messageId);
bool verifyRequest(std::string_view publicKeyPem, SignatureDigest digest, std::string_view appId,
                   const std::map<std::string, std::string>& params, std::string_view messageId,
                   std::string_view signatureBase64);

// yyyyMMddHHmmssSSS in China Standard Time.
std::string platformDateTime(std::chrono::system_clock::time_point t);

}  // namespace examguard::station::platform
