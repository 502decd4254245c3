#pragma once

#include <string_view>

namespace examguard::cli {

// Words the core stores as stable English names, shown translated.
const char* roleLabel(std::string_view role);
const char* logProblemLabel(std::string_view problem);
const char* periodStatusLabel(std::string_view status);
const char* decisionLabel(std::string_view decision);
// A check-in reason code ("face_mismatch_card", "quality.too_blurry", ...) as a sentence.
const char* checkinReasonLabel(std::string_view reason);
const char* livenessLabel(std::string_view liveness);

}  // namespace examguard::cli
