#pragma once

#include <string>
#include <string_view>

namespace examguard::station {

// Text made safe inside HTML or XML element content and quoted attributes: & < > " ' become
// character references.
std::string escapeMarkup(std::string_view text);

}  // namespace examguard::station
