#pragma once

#include <QObject>
#include <QProcess>
#include <QQueue>
#include <QString>

namespace examguard::console {

// The waiting room's spoken call: each announcement is synthesised by espeak-ng (Mandarin or
// English voice, as the console's language) in its own process, one after another, so the GUI
// never waits for speech. Without a sound card nothing is heard and nothing breaks.
class CallAnnouncer final : public QObject {
    Q_OBJECT
public:
    explicit CallAnnouncer(QObject* parent = nullptr);
    ~CallAnnouncer() override;

    // Queues `text`. Digits and letters of codes are best passed spaced ("A 0 4"), so they are
    // read one by one.
    void announce(const QString& text);
    // For tests and for a site that records its calls: write each announcement as a WAV file
    // (call-1.wav, call-2.wav, …) in `dir` instead of playing it.
    void setWaveDirectory(const QString& dir) { m_waveDir = dir; }
    // espeak-ng's voice; default from the application's language (cmn or en).
    void setVoice(const QString& voice) { m_voice = voice; }
    QString lastWaveFile() const { return m_lastWave; }

signals:
    void spoken(const QString& text, bool ok, const QString& detail);

private:
    void next();

    QProcess m_process;
    QQueue<QString> m_queue;
    QString m_current;
    QString m_voice;
    QString m_waveDir;
    QString m_lastWave;
    int m_count = 0;
};

// "2026110004" → "2 0 2 6 1 1 0 0 0 4": codes are read character by character.
QString spacedForSpeech(const QString& code);

}  // namespace examguard::console
