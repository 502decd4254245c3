#pragma once

// Namespace-blind lookups in SOAP replies: cameras use any prefixes.
#include <string_view>

#include <pugixml.hpp>

namespace examguard::monitor::xml {

inline std::string_view localName(const char* name) {
    std::string_view n(name);
    const auto colon = n.rfind(':');
    return colon == std::string_view::npos ? n : n.substr(colon + 1);
}

// The first child element with this local name (an empty node when there is none).
inline pugi::xml_node child(pugi::xml_node node, std::string_view name) {
    for (pugi::xml_node c : node.children()) {
        if (c.type() == pugi::node_element && localName(c.name()) == name) {
            return c;
        }
    }
    return {};
}

// pugixml without DTDs: no entity declarations, nothing loaded from outside.
inline constexpr unsigned kParseFlags = pugi::parse_default & ~pugi::parse_doctype;

}  // namespace examguard::monitor::xml
