#include "labels.h"

#include <utility>

#include "station/i18n.h"

namespace examguard::cli {

using station::i18n::tr;
using station::i18n::trNoop;

namespace {

template <std::size_t N>
const char* lookup(const std::pair<std::string_view, const char*> (&table)[N],
                   std::string_view key) {
    for (const auto& [name, label] : table) {
        if (name == key) {
            return tr(label);
        }
    }
    return tr(trNoop("unknown"));
}

}  // namespace

const char* roleLabel(std::string_view role) {
    static const std::pair<std::string_view, const char*> kRoles[] = {
        {"proctor", trNoop("proctor")},
        {"sysadmin", trNoop("system administrator")},
        {"inspector", trNoop("inspector")},
        {"admin", trNoop("administrator")},
    };
    return lookup(kRoles, role);
}

const char* logProblemLabel(std::string_view problem) {
    static const std::pair<std::string_view, const char*> kProblems[] = {
        {"edited", trNoop("was edited")},
        {"deleted", trNoop("follows deleted entries")},
        {"inserted", trNoop("was inserted")},
        {"reordered", trNoop("is out of order")},
        {"chain_broken", trNoop("breaks the chain")},
        {"head_mismatch", trNoop("does not end at the expected head")},
    };
    return lookup(kProblems, problem);
}

const char* periodStatusLabel(std::string_view status) {
    static const std::pair<std::string_view, const char*> kStatuses[] = {
        {"planned", trNoop("planned")},
        {"open", trNoop("open")},
        {"closed", trNoop("closed")},
        {"sealed", trNoop("sealed")},
    };
    return lookup(kStatuses, status);
}

const char* decisionLabel(std::string_view decision) {
    static const std::pair<std::string_view, const char*> kDecisions[] = {
        {"pass", trNoop("PASS")},
        {"refuse", trNoop("REFUSED")},
        {"review", trNoop("PROCTOR REVIEW NEEDED")},
    };
    return lookup(kDecisions, decision);
}

const char* checkinReasonLabel(std::string_view reason) {
    static const std::pair<std::string_view, const char*> kReasons[] = {
        {"not_on_roster", trNoop("the card holder is not on this period's roster")},
        {"card_expired", trNoop("the ID card has expired")},
        {"liveness_failed", trNoop("liveness check failed: possible photo or screen")},
        {"liveness_uncertain", trNoop("liveness check inconclusive")},
        {"liveness_not_checked", trNoop("liveness was not checked")},
        {"face_mismatch_card", trNoop("the face does not match the ID card photo")},
        {"face_mismatch_roster", trNoop("the face does not match the roster photo")},
        {"face_uncertain_card", trNoop("the face resembles the ID card photo only weakly")},
        {"face_uncertain_roster", trNoop("the face resembles the roster photo only weakly")},
        {"no_reference_photo", trNoop("no ID card or roster photo to compare with")},
        {"already_checked_in", trNoop("this candidate has already checked in to this sitting")},
        {"impersonation", trNoop("the face matches another candidate: possible impersonation")},
    };
    return lookup(kReasons, reason);
}

const char* livenessLabel(std::string_view liveness) {
    static const std::pair<std::string_view, const char*> kLiveness[] = {
        {"live", trNoop("live person")},
        {"spoof", trNoop("presentation attack suspected")},
        {"uncertain", trNoop("inconclusive")},
        {"not_checked", trNoop("not checked")},
    };
    return lookup(kLiveness, liveness);
}

}  // namespace examguard::cli
