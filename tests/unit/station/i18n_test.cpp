#include "station/i18n.h"

#include <gtest/gtest.h>

namespace examguard::station::i18n {
namespace {

class I18nTest : public ::testing::Test {
protected:
    void TearDown() override { setLanguage(m_saved); }
    Language m_saved = language();
};

TEST_F(I18nTest, ChineseIsTheDefaultAndEnglishIsAvailable) {
    setLanguage(Language::ZhCN);
    EXPECT_STREQ(tr("wrong login or password"), "用户名或密码错误");
    EXPECT_EQ(trf("User {} unlocked.", "li"), "用户 li 已解锁。");
    setLanguage(Language::English);
    EXPECT_STREQ(tr("wrong login or password"), "wrong login or password");
    EXPECT_EQ(trf("User {} unlocked.", "li"), "User li unlocked.");
}

TEST_F(I18nTest, UnknownStringsFallBackToTheSource) {
    setLanguage(Language::ZhCN);
    EXPECT_STREQ(tr("no such message"), "no such message");
}

TEST_F(I18nTest, EnvironmentChoosesTheLanguage) {
    ::setenv("EXAMGUARD_LANG", "en_US.UTF-8", 1);
    EXPECT_EQ(languageFromEnvironment(), Language::English);
    ::setenv("EXAMGUARD_LANG", "zh_CN", 1);
    ::setenv("LANG", "en_US.UTF-8", 1);
    EXPECT_EQ(languageFromEnvironment(), Language::ZhCN);
    ::unsetenv("EXAMGUARD_LANG");
    EXPECT_EQ(languageFromEnvironment(), Language::English);
    ::setenv("LANG", "C", 1);
    ::unsetenv("LC_ALL");
    ::unsetenv("LC_MESSAGES");
    EXPECT_EQ(languageFromEnvironment(), Language::ZhCN);
}

TEST(PoParser, ReadsEscapesContinuationsAndSkipsEmpty) {
    const auto catalog = parsePo(
        "msgid \"\"\nmsgstr \"\"\n\"Language: zh_CN\\n\"\n\n"
        "msgid \"a \\\"quoted\\\" {}\"\nmsgstr \"引号 \\\"{}\\\"\"\n\n"
        "msgid \"long \"\n\"line\"\nmsgstr \"\"\n\"长\"\n\"行\"\n\n"
        "msgid \"untranslated\"\nmsgstr \"\"\n");
    EXPECT_EQ(catalog.size(), 2U);
    EXPECT_EQ(catalog.at("a \"quoted\" {}"), "引号 \"{}\"");
    EXPECT_EQ(catalog.at("long line"), "长行");
}

}  // namespace
}  // namespace examguard::station::i18n
