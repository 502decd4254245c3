#pragma once

#include <string>
#include <string_view>
#include <unordered_map>

#include <fmt/format.h>

namespace examguard::station::i18n {

// The CLI's equivalent of Qt's tr(): English source strings looked up in a gettext PO
// catalogue (station/i18n/zh_CN.po, built into the binary). Chinese is the default; English
// is chosen by EXAMGUARD_LANG, LC_ALL, LC_MESSAGES or LANG starting with "en".
enum class Language { ZhCN, English };

Language languageFromEnvironment();
void setLanguage(Language language);
Language language();

// Returns the translation of `source`, or `source` itself in English or when missing.
const char* tr(const char* source);

template <typename... Args>
std::string trf(const char* source, Args&&... args) {
    return fmt::format(fmt::runtime(tr(source)), std::forward<Args>(args)...);
}

// Marks a string for translation where it is defined (a table), translated later by tr().
constexpr const char* trNoop(const char* source) {
    return source;
}

// Parses PO text into msgid -> msgstr (empty translations and the header are skipped).
std::unordered_map<std::string, std::string> parsePo(std::string_view text);

}  // namespace examguard::station::i18n
