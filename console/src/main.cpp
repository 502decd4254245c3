// examguard-console: the proctor's monitor desk (Qt Widgets), Chinese by default.
#include <QApplication>
#include <QCommandLineParser>
#include <QDir>
#include <QFileInfo>
#include <QMessageBox>
#include <QProcess>
#include <QStandardPaths>

#include "console/call_display.h"
#include "console/checkin_desk.h"
#include "console/languages.h"
#include "console/login_dialog.h"
#include "console/main_window.h"
#include "console/station_thread.h"

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

}  // namespace

int main(int argc, char** argv) {
    QApplication app(argc, argv);
    QApplication::setApplicationName("examguard-console");
    QCommandLineParser parser;
    parser.addHelpOption();
    const QCommandLineOption dbOption("db", "Station database", "PATH");
    const QCommandLineOption langOption("lang", "zh_CN (default) or en", "LANG",
                                        qEnvironmentVariable("EXAMGUARD_LANG", "zh_CN"));
    const QCommandLineOption demoOption("demo", "Open the demo period");
    const QCommandLineOption sittingOption("sitting", "Sitting to show", "ID");
    const QCommandLineOption callOption("call-display",
                                        "Also open the waiting-room display full screen");
    const QCommandLineOption speakOption("speak",
                                         "Call candidates aloud on the waiting-room display");
    const QCommandLineOption cameraOption(
        "camera", "Desk camera: /dev/videoN, rtsp:// address or a recorded file", "SOURCE");
    const QCommandLineOption challengeOption(
        "challenge", "Liveness challenge: random (default), none, or steps like blink,left",
        "STEPS", "random");
    parser.addOptions({dbOption, langOption, demoOption, sittingOption, callOption, cameraOption,
                       challengeOption, speakOption});
    parser.process(app);
    if (!console::installLanguage(app, parser.value(langOption))) {
        qCritical("examguard-console: unknown language '%s' (zh_CN or en)",
                  qPrintable(parser.value(langOption)));
        return 2;
    }
    QString db = parser.value(dbOption);
    if (parser.isSet(demoOption)) {
        QString error;
        db = demoDatabase(error);
        if (db.isEmpty()) {
            QMessageBox::critical(nullptr, QObject::tr("ExamGuard"), error);
            return 3;
        }
    }
    const station::StationOptions options{
        .databasePath = db.isEmpty() ? station::Station::defaultDatabasePath()
                                     : std::filesystem::path(db.toStdString())};
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
        qCritical("examguard-console: --challenge must be random, none or steps like blink,left");
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
