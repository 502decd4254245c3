#include "console/call_announcer.h"

#include <QDir>
#include <QLocale>
#include <QStandardPaths>

namespace examguard::console {

QString spacedForSpeech(const QString& code) {
    QStringList chars;
    for (const QChar c : code) {
        chars << QString(c);
    }
    return chars.join(QLatin1Char(' '));
}

CallAnnouncer::CallAnnouncer(QObject* parent) : QObject(parent) {
    m_voice =
        QLocale().language() == QLocale::Chinese ? QStringLiteral("cmn") : QStringLiteral("en");
    connect(&m_process, &QProcess::finished, this, [this](int code, QProcess::ExitStatus status) {
        const bool ok = status == QProcess::NormalExit && code == 0;
        const QString detail =
            ok ? QString() : QString::fromLocal8Bit(m_process.readAllStandardError()).trimmed();
        emit spoken(m_current, ok, detail);
        m_current.clear();
        next();
    });
    connect(&m_process, &QProcess::errorOccurred, this, [this](QProcess::ProcessError error) {
        if (error != QProcess::FailedToStart) {
            return;  // a crash or kill ends in finished()
        }
        emit spoken(m_current, false,
                    tr("espeak-ng cannot be started: %1").arg(m_process.errorString()));
        m_current.clear();
        next();
    });
}

CallAnnouncer::~CallAnnouncer() {
    m_queue.clear();
    if (m_process.state() != QProcess::NotRunning) {
        m_process.kill();
        m_process.waitForFinished(1000);
    }
}

void CallAnnouncer::announce(const QString& text) {
    m_queue.enqueue(text);
    if (m_process.state() == QProcess::NotRunning && m_current.isEmpty()) {
        next();
    }
}

void CallAnnouncer::next() {
    if (m_queue.isEmpty()) {
        return;
    }
    m_current = m_queue.dequeue();
    QStringList args{QStringLiteral("-v"), m_voice, QStringLiteral("-s"), QStringLiteral("140")};
    if (!m_waveDir.isEmpty()) {
        QDir().mkpath(m_waveDir);
        m_lastWave = QDir(m_waveDir).filePath(QStringLiteral("call-%1.wav").arg(++m_count));
        args << QStringLiteral("-w") << m_lastWave;
    }
    // The text comes after "--": a call never becomes an option of espeak-ng.
    args << QStringLiteral("--") << m_current;
    m_process.start(QStringLiteral("espeak-ng"), args);
}

}  // namespace examguard::console
