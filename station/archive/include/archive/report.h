#pragma once

#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "archive/verify.h"

// The inspector's report on a verified archive: the exam-room record reports and the
// cross-checks that answer the regulators' questions, each pointing to its evidence.
namespace examguard::archive {

enum class Verdict { Ok, Problem, NoData };

struct Evidence {
    std::string member;   // archive member, e.g. data/checkins.json
    std::string locator;  // which record in it, e.g. "id=12"
    std::string text;     // what it shows, in the report's language
};

struct CrossCheck {
    std::string id;        // stable: roster_vs_checkin, refusals_overrides, impersonation, ...
    std::string question;  // translated
    Verdict verdict = Verdict::NoData;
    std::string summary;  // translated
    std::vector<Evidence> evidence;
};

// Every check, in the order the report shows them. Works on whatever of the archive could be
// read: a missing or malformed member makes its checks NoData, never a crash.
std::vector<CrossCheck> crossChecks(const VerifyReport& report);

// A self-contained HTML page (no scripts, no external resources); every value from the archive
// is escaped.
std::string renderHtml(const VerifyReport& report, const std::vector<CrossCheck>& checks);

const char* verdictName(Verdict verdict);

}  // namespace examguard::archive
