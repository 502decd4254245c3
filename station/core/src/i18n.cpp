#include "station/i18n.h"

#include <cstdlib>
#include <string>

namespace examguard::station::i18n {
namespace embedded {
extern const std::string_view kCatalogZhCN;
}  // namespace embedded

namespace {

Language& current() {
    static Language language = languageFromEnvironment();
    return language;
}

const std::unordered_map<std::string, std::string>& zhCatalog() {
    static const auto catalog = parsePo(embedded::kCatalogZhCN);
    return catalog;
}

// Reads one "..." literal with C escapes starting at `pos` (on the opening quote).
std::string readQuoted(std::string_view line, std::size_t pos) {
    std::string out;
    for (std::size_t i = pos + 1; i < line.size() && line[i] != '"'; ++i) {
        if (line[i] == '\\' && i + 1 < line.size()) {
            const char c = line[++i];
            switch (c) {
                case 'n':
                    out.push_back('\n');
                    break;
                case 't':
                    out.push_back('\t');
                    break;
                default:
                    out.push_back(c);
                    break;
            }
        } else {
            out.push_back(line[i]);
        }
    }
    return out;
}

}  // namespace

Language languageFromEnvironment() {
    for (const char* name : {"EXAMGUARD_LANG", "LC_ALL", "LC_MESSAGES", "LANG"}) {
        const char* value = std::getenv(name);
        if (!value || !*value) {
            continue;
        }
        const std::string_view v(value);
        if (v.starts_with("en")) {
            return Language::English;
        }
        if (v.starts_with("zh")) {
            return Language::ZhCN;
        }
        if (name == std::string_view("EXAMGUARD_LANG")) {
            break;  // an unknown explicit choice falls back to the default
        }
    }
    return Language::ZhCN;
}

void setLanguage(Language language) {
    current() = language;
}
Language language() {
    return current();
}

const char* tr(const char* source) {
    if (current() == Language::English) {
        return source;
    }
    const auto& catalog = zhCatalog();
    const auto it = catalog.find(source);
    return it == catalog.end() ? source : it->second.c_str();
}

std::unordered_map<std::string, std::string> parsePo(std::string_view text) {
    std::unordered_map<std::string, std::string> catalog;
    std::string msgid;
    std::string msgstr;
    enum class Field { None, Id, Str } field = Field::None;
    auto flush = [&] {
        if (!msgid.empty() && !msgstr.empty()) {
            catalog[msgid] = msgstr;
        }
        msgid.clear();
        msgstr.clear();
        field = Field::None;
    };
    std::size_t start = 0;
    while (start <= text.size()) {
        std::size_t end = text.find('\n', start);
        if (end == std::string_view::npos) {
            end = text.size();
        }
        std::string_view line = text.substr(start, end - start);
        if (!line.empty() && line.back() == '\r') {
            line.remove_suffix(1);
        }
        if (line.starts_with("msgid ")) {
            flush();
            field = Field::Id;
            msgid = readQuoted(line, line.find('"'));
        } else if (line.starts_with("msgstr ")) {
            field = Field::Str;
            msgstr = readQuoted(line, line.find('"'));
        } else if (line.starts_with("\"")) {
            (field == Field::Id ? msgid : msgstr) += readQuoted(line, 0);
        } else if (line.empty()) {
            flush();
        }
        start = end + 1;
    }
    flush();
    return catalog;
}

}  // namespace examguard::station::i18n
