#pragma once

#include <QString>
#include <string>

#include "vision/active_challenge.h"

namespace examguard::console {

// The check-in's stable codes (decision, reasons, liveness, challenge steps) in the desk's
// language.
QString decisionText(const std::string& decision);
QString reasonText(const std::string& reason);
QString livenessText(const std::string& liveness);
// Where the impersonation search found the other candidate's face.
QString alertSourceText(const std::string& source);
QString challengePrompt(vision::ChallengeStep step);

}  // namespace examguard::console
