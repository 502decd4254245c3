#include "console/languages.h"

#include <QApplication>
#include <QLibraryInfo>
#include <QLocale>
#include <QTranslator>

#include "station/i18n.h"

namespace examguard::console {

bool installLanguage(QApplication& app, const QString& language) {
    // A switch of language replaces the catalogues installed before.
    for (auto* old : app.findChildren<QTranslator*>(QStringLiteral("examguard-translator"))) {
        QApplication::removeTranslator(old);
        delete old;
    }
    if (language == QStringLiteral("en") || language == QStringLiteral("en_US")) {
        station::i18n::setLanguage(station::i18n::Language::English);
        QLocale::setDefault(QLocale(QLocale::English, QLocale::UnitedStates));
        return true;
    }
    if (language != QStringLiteral("zh_CN")) {
        return false;
    }
    station::i18n::setLanguage(station::i18n::Language::ZhCN);
    QLocale::setDefault(QLocale(QLocale::Chinese, QLocale::China));
    auto* own = new QTranslator(&app);
    own->setObjectName(QStringLiteral("examguard-translator"));
    if (!own->load(QStringLiteral(":/i18n/examguard_console_zh_CN.qm"))) {
        return false;
    }
    app.installTranslator(own);
    auto* qt = new QTranslator(&app);
    qt->setObjectName(QStringLiteral("examguard-translator"));
    if (qt->load(QLocale(QLocale::Chinese, QLocale::China), QStringLiteral("qtbase"),
                 QStringLiteral("_"), QLibraryInfo::path(QLibraryInfo::TranslationsPath))) {
        app.installTranslator(qt);
    }
    return true;
}

}  // namespace examguard::console
