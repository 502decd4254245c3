#include "face_prompts.h"

#include "station/i18n.h"

namespace examguard::cli {

using station::i18n::tr;

const char* qualityPrompt(vision::QualityIssue issue) {
    using vision::QualityIssue;
    switch (issue) {
        case QualityIssue::NoFace:
            return tr("No face found: face the camera");
        case QualityIssue::AnotherPersonInView:
            return tr("Another person is in view: only the candidate may face the camera");
        case QualityIssue::FaceTooSmall:
            return tr("Face too small: come closer to the camera");
        case QualityIssue::FaceOutOfFrame:
            return tr("Face partly outside the picture: move to the middle of the picture");
        case QualityIssue::HeadTurned:
            return tr("Head turned: look straight at the camera");
        case QualityIssue::HeadTilted:
            return tr("Head tilted up or down: keep your head level");
        case QualityIssue::TooDark:
            return tr("Too dark: more light on the face");
        case QualityIssue::TooBright:
            return tr("Too bright: avoid direct light or a bright window behind");
        case QualityIssue::TooBlurry:
            return tr("Picture blurred: hold still (or clean and focus the camera)");
    }
    return tr("Capture not usable: try again");
}

const char* challengePrompt(vision::ChallengeStep step) {
    switch (step) {
        case vision::ChallengeStep::Blink:
            return tr("Please blink");
        case vision::ChallengeStep::TurnLeft:
            return tr("Please turn your head to your left, then back");
        case vision::ChallengeStep::TurnRight:
            return tr("Please turn your head to your right, then back");
    }
    return tr("Please follow the instruction on the screen");
}

const char* challengeStateText(vision::ChallengeState state) {
    switch (state) {
        case vision::ChallengeState::Running:
            return tr("liveness check in progress");
        case vision::ChallengeState::Passed:
            return tr("liveness check passed");
        case vision::ChallengeState::TimedOut:
            return tr("liveness check failed: an instruction was not followed in time");
        case vision::ChallengeState::FaceLost:
            return tr("liveness check failed: the face left the picture");
    }
    return tr("liveness check failed");
}

const char* visionErrorText(vision::ErrorCode code) {
    using vision::ErrorCode;
    switch (code) {
        case ErrorCode::ModelMissing:
            return tr(
                "face model files are missing: run scripts/setup.sh (or set "
                "EXAMGUARD_ASSETS_DIR)");
        case ErrorCode::ModelInvalid:
            return tr("a face model file is damaged: run scripts/setup.sh again");
        case ErrorCode::ImageUnreadable:
            return tr("image unreadable (missing, damaged, truncated or not JPEG/PNG/BMP)");
        case ErrorCode::ImageInvalid:
            return tr("image cannot be processed (empty, wrong format or too large)");
        case ErrorCode::ChipInvalid:
            return tr("internal error: wrong face chip for the model");
        case ErrorCode::InferenceFailed:
            return tr("the face model failed on this image");
        case ErrorCode::NoFace:
            return tr("no face found in the image");
    }
    return tr("face processing error");
}

}  // namespace examguard::cli
