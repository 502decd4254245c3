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

}  // namespace examguard::cli
