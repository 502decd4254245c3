// examguard-console: the proctor's monitor desk (Qt Widgets), Chinese by default.
#include <QApplication>
#include <QCommandLineParser>
#include <QDir>
#include <QFileInfo>
#include <QMessageBox>
#include <QProcess>
#include <QStandardPaths>

#include <chrono>
#include <optional>

#include "console/call_display.h"
#include "console/checkin_desk.h"
#include "console/languages.h"
#include "console/login_dialog.h"
#include "console/main_window.h"
#include "console/station_thread.h"
#include "station/sitting.h"

using namespace examguard;

namespace {

// The demo station, made once by `examguard demo` (the same data the CLI demo shows).
QString demoDatabase(QString& error) {
    const QString dir =
        QStandardPaths::writableLocation(QStandardPaths::AppLocalDataLocation) + "/demo";
    const QString db = dir + "/station.db";
    if (QFileInfo::exists(db)) {
        return db;
    }
    QString examguard = QCoreApplication::applicationDirPath() + "/examguard";
    if (!QFileInfo::exists(examguard)) {
        examguard = QCoreApplication::applicationDirPath() + "/../station/examguard";
    }
    if (!QFileInfo::exists(examguard)) {
        examguard = QStandardPaths::findExecutable("examguard");
    }
    QProcess demo;
    demo.start(examguard, {"demo", "--out", dir});
    if (examguard.isEmpty() || !demo.waitForFinished(600000) || demo.exitCode() != 0) {
        error = QCoreApplication::translate("main", "The demo could not be prepared: %1")
                    .arg(QString::fromUtf8(demo.readAllStandardError()).trimmed());
        return {};
    }
    return db;
}

// --lang LANG or --lang=LANG, else $EXAMGUARD_LANG, else zh_CN.
QString requestedLanguage(const QStringList& arguments) {
    for (int i = 1; i < arguments.size(); ++i) {
        if (arguments[i] == QLatin1String("--lang") && i + 1 < arguments.size()) {
            return arguments[i + 1];
        }
        if (arguments[i].startsWith(QLatin1String("--lang="))) {
            return arguments[i].mid(7);
        }
    }
    const QString fromEnvironment = qEnvironmentVariable("EXAMGUARD_LANG");
    return fromEnvironment.isEmpty() ? QStringLiteral("zh_CN") : fromEnvironment;
}

}  // namespace

int main(int argc, char** argv) {
    QApplication app(argc, argv);
    QApplication::setApplicationName("examguard-console");
    // The language is known before the options are described, so --help speaks it too.
    const QString language = requestedLanguage(app.arguments());
    if (!console::installLanguage(app, language)) {
        // No catalogue could be installed: said in both languages.
        qCritical(
            "examguard-console: unknown language '%s' (zh_CN or en) / 未知语言（zh_CN 或 en）",
            qPrintable(language));
        return 2;
    }
    // Texts marked with QT_TRANSLATE_NOOP for lupdate, translated here.
    const auto say = [](const char* text) { return QCoreApplication::translate("main", text); };
    QCommandLineParser parser;
    parser.setApplicationDescription(
        say(QT_TRANSLATE_NOOP("main", "ExamGuard monitor desk for the proctors of an exam site")));
    parser.addHelpOption();
    const QCommandLineOption dbOption("db", say(QT_TRANSLATE_NOOP("main", "Station database")),
                                      "PATH");
    const QCommandLineOption langOption(
        "lang", say(QT_TRANSLATE_NOOP("main", "Language: zh_CN (default) or en")), "LANG",
        language);
    const QCommandLineOption demoOption(
        "demo", say(QT_TRANSLATE_NOOP("main", "Open the demo period (sample data)")));
    const QCommandLineOption sittingOption("sitting",
                                           say(QT_TRANSLATE_NOOP("main", "Sitting to show")), "ID");
    const QCommandLineOption callOption(
        "call-display",
        say(QT_TRANSLATE_NOOP("main", "Also open the waiting-room display full screen")));
    const QCommandLineOption speakOption(
        "speak",
        say(QT_TRANSLATE_NOOP("main", "Call candidates aloud on the waiting-room display")));
    const QCommandLineOption cameraOption(
        "camera",
        say(QT_TRANSLATE_NOOP("main",
                              "Desk camera: /dev/videoN, rtsp:// address or a recorded file")),
        "SOURCE");
    const QCommandLineOption challengeOption(
        "challenge",
        say(QT_TRANSLATE_NOOP(
            "main", "Liveness challenge: random (default), none, or steps like blink,left")),
        "STEPS", "random");
    parser.addOptions({dbOption, langOption, demoOption, sittingOption, callOption, cameraOption,
                       challengeOption, speakOption});
    parser.process(app);
    QString db = parser.value(dbOption);
    if (parser.isSet(demoOption)) {
        QString error;
        db = demoDatabase(error);
        if (db.isEmpty()) {
            QMessageBox::critical(nullptr, QObject::tr("ExamGuard"), error);
            return 3;
        }
    }
    station::StationOptions options{.databasePath = db.isEmpty()
                                                        ? station::Station::defaultDatabasePath()
                                                        : std::filesystem::path(db.toStdString())};
    // The demo period is sample data with fixed dates: the demo desk runs on a clock that starts
    // at the entrance twenty minutes before its first sitting, so its candidates are still to be
    // called (not absent) on whatever day the demo is opened.
    std::optional<station::OffsetClock> demoClock;
    if (parser.isSet(demoOption)) {
        if (auto plain = station::Station::open(options)) {
            if (auto start = station::firstSittingStart(plain->db())) {
                demoClock.emplace(*start - std::chrono::minutes(20) -
                                  std::chrono::system_clock::now());
                options.clock = &*demoClock;
            }
        }
    }
    auto station = station::Station::open(options);
    if (!station) {
        QMessageBox::critical(nullptr, QObject::tr("ExamGuard"),
                              QObject::tr("The station database cannot be opened: %1")
                                  .arg(QString::fromStdString(station.error().detail)));
        return 3;
    }
    // The demo station holds sample data only and its one account's password was shown once
    // on the terminal that made it: it opens without a login. A real station always asks.
    console::Session session;
    if (parser.isSet(demoOption)) {
        session.login = QStringLiteral("demo");
        session.role = station::Role::Admin;
        session.demo = true;
    } else {
        console::StationThread loginThread(options);
        console::LoginDialog login(loginThread);
        if (login.exec() != QDialog::Accepted) {
            return 1;
        }
        session = login.session();
    }
    console::MainWindow window(*station, options, session);
    if (!window.desk()->setChallenge(parser.value(challengeOption))) {
        qCritical("examguard-console: %s",
                  qPrintable(say(QT_TRANSLATE_NOOP(
                      "main", "--challenge must be random, none or steps like blink,left"))));
        return 2;
    }
    if (parser.isSet(cameraOption)) {
        window.desk()->setLiveSource(parser.value(cameraOption));
    }
    if (parser.isSet(sittingOption)) {
        window.selectSitting(parser.value(sittingOption).toLongLong());
    }
    window.show();
    if (parser.isSet(speakOption)) {
        window.setSpokenCall(true);
    }
    if (parser.isSet(callOption)) {
        window.openCallDisplay()->showFullScreen();
    }
    return QApplication::exec();
}
