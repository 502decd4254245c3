#pragma once

#include <string_view>

namespace examguard::cli {

// Words the core stores as stable English names, shown translated.
const char* roleLabel(std::string_view role);
const char* logProblemLabel(std::string_view problem);
const char* periodStatusLabel(std::string_view status);

}  // namespace examguard::cli
