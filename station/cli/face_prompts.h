#pragma once

#include "vision/active_challenge.h"
#include "vision/error.h"
#include "vision/face_quality.h"

namespace examguard::cli {

// Translated prompts for the face pipeline's named outcomes, shared by `examguard face` and
// the check-in workflow. Each quality issue and challenge step is one instruction to the
// candidate or proctor (docs/proctor-guide.md, "Check-in").
const char* qualityPrompt(vision::QualityIssue issue);
const char* challengePrompt(vision::ChallengeStep step);
const char* challengeStateText(vision::ChallengeState state);
const char* visionErrorText(vision::ErrorCode code);

}  // namespace examguard::cli
