#include "console/checkin_texts.h"

#include <QCoreApplication>
#include <utility>

namespace examguard::console {

namespace {

QString tr(const char* text) {
    return QCoreApplication::translate("CheckinTexts", text);
}

template <std::size_t N>
QString lookup(const std::pair<const char*, const char*> (&table)[N], const std::string& code) {
    for (const auto& [key, text] : table) {
        if (code == key) {
            return tr(text);
        }
    }
    return QString::fromStdString(code);  // a code newer than this console: shown as is
}

}  // namespace

QString decisionText(const std::string& decision) {
    static const std::pair<const char*, const char*> kDecisions[] = {
        {"pass", QT_TRANSLATE_NOOP("CheckinTexts", "PASS")},
        {"refuse", QT_TRANSLATE_NOOP("CheckinTexts", "REFUSED")},
        {"review", QT_TRANSLATE_NOOP("CheckinTexts", "PROCTOR REVIEW")},
    };
    return lookup(kDecisions, decision);
}

QString reasonText(const std::string& reason) {
    static const std::pair<const char*, const char*> kReasons[] = {
        {"not_on_roster",
         QT_TRANSLATE_NOOP("CheckinTexts", "the card holder is not on this period's roster")},
        {"card_expired", QT_TRANSLATE_NOOP("CheckinTexts", "the ID card has expired")},
        {"liveness_failed",
         QT_TRANSLATE_NOOP("CheckinTexts", "liveness check failed: possible photo or screen")},
        {"liveness_uncertain", QT_TRANSLATE_NOOP("CheckinTexts", "liveness check inconclusive")},
        {"liveness_not_checked", QT_TRANSLATE_NOOP("CheckinTexts", "liveness was not checked")},
        {"face_mismatch_card",
         QT_TRANSLATE_NOOP("CheckinTexts", "the face does not match the ID card photo")},
        {"face_mismatch_roster",
         QT_TRANSLATE_NOOP("CheckinTexts", "the face does not match the roster photo")},
        {"face_uncertain_card",
         QT_TRANSLATE_NOOP("CheckinTexts", "the face resembles the ID card photo only weakly")},
        {"face_uncertain_roster",
         QT_TRANSLATE_NOOP("CheckinTexts", "the face resembles the roster photo only weakly")},
        {"no_reference_photo",
         QT_TRANSLATE_NOOP("CheckinTexts", "no ID card or roster photo to compare with")},
        {"already_checked_in",
         QT_TRANSLATE_NOOP("CheckinTexts",
                           "this candidate has already checked in to this sitting")},
        {"impersonation", QT_TRANSLATE_NOOP("CheckinTexts",
                                            "the face matches another candidate: possible "
                                            "impersonation")},
        {"quality.no_face", QT_TRANSLATE_NOOP("CheckinTexts", "no face found")},
        {"quality.another_person_in_view",
         QT_TRANSLATE_NOOP("CheckinTexts", "another person is in view")},
        {"quality.face_too_small", QT_TRANSLATE_NOOP("CheckinTexts", "the face is too small")},
        {"quality.face_out_of_frame",
         QT_TRANSLATE_NOOP("CheckinTexts", "the face is partly outside the picture")},
        {"quality.head_turned", QT_TRANSLATE_NOOP("CheckinTexts", "the head is turned")},
        {"quality.head_tilted", QT_TRANSLATE_NOOP("CheckinTexts", "the head is tilted")},
        {"quality.too_dark", QT_TRANSLATE_NOOP("CheckinTexts", "the picture is too dark")},
        {"quality.too_bright", QT_TRANSLATE_NOOP("CheckinTexts", "the picture is too bright")},
        {"quality.too_blurry", QT_TRANSLATE_NOOP("CheckinTexts", "the picture is blurred")},
    };
    return lookup(kReasons, reason);
}

QString alertSourceText(const std::string& source) {
    static const std::pair<const char*, const char*> kSources[] = {
        {"roster", QT_TRANSLATE_NOOP("CheckinTexts", "roster photo")},
        {"id_card", QT_TRANSLATE_NOOP("CheckinTexts", "ID card photo")},
        {"live", QT_TRANSLATE_NOOP("CheckinTexts", "earlier live capture")},
    };
    return lookup(kSources, source);
}

QString livenessText(const std::string& liveness) {
    static const std::pair<const char*, const char*> kLiveness[] = {
        {"live", QT_TRANSLATE_NOOP("CheckinTexts", "live person")},
        {"spoof", QT_TRANSLATE_NOOP("CheckinTexts", "presentation attack suspected")},
        {"uncertain", QT_TRANSLATE_NOOP("CheckinTexts", "inconclusive")},
        {"not_checked", QT_TRANSLATE_NOOP("CheckinTexts", "not checked")},
    };
    return lookup(kLiveness, liveness);
}

QString challengePrompt(vision::ChallengeStep step) {
    switch (step) {
        case vision::ChallengeStep::Blink:
            return tr(QT_TRANSLATE_NOOP("CheckinTexts", "Please blink"));
        case vision::ChallengeStep::TurnLeft:
            return tr(QT_TRANSLATE_NOOP("CheckinTexts", "Please turn your head to your left"));
        case vision::ChallengeStep::TurnRight:
            return tr(QT_TRANSLATE_NOOP("CheckinTexts", "Please turn your head to your right"));
    }
    return {};
}

}  // namespace examguard::console
