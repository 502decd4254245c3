#include "vision/error.h"

namespace examguard::vision {

std::string_view toString(ErrorCode code) {
    switch (code) {
        case ErrorCode::ModelMissing:
            return "model_missing";
        case ErrorCode::ModelInvalid:
            return "model_invalid";
        case ErrorCode::ImageUnreadable:
            return "image_unreadable";
        case ErrorCode::ImageInvalid:
            return "image_invalid";
        case ErrorCode::ChipInvalid:
            return "chip_invalid";
        case ErrorCode::InferenceFailed:
            return "inference_failed";
        case ErrorCode::NoFace:
            return "no_face";
    }
    return "unknown";
}

}  // namespace examguard::vision
