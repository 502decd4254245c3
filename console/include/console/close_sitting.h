#pragma once

#include <QWidget>
#include <atomic>
#include <memory>

class QLabel;
class QPlainTextEdit;
class QProgressBar;
class QPushButton;

namespace examguard::console {

class StationThread;

// Closing the exam: import the scores of the sitting (the exam system's CSV export), write the
// room record (incidents, in the proctor's words), then seal
// the period into its signed archive (一期一档) with a progress bar and a cancel button, and
// verify what was written as an inspector would. All of it on the station thread.
class CloseSitting final : public QWidget {
    Q_OBJECT
public:
    CloseSitting(StationThread& worker, QWidget* parent = nullptr);
    void setSitting(std::int64_t sittingId, const QString& periodCode);
    void setActor(const QString& login) { m_actor = login; }
    // Where archives go unless the proctor picks another file.
    void setArchiveDirectory(const QString& dir) { m_archiveDir = dir; }

    void importScores(const QString& csvPath);
    // Adds the text in the room-record box to the sitting's record (考场记录).
    void addRoomNote();
    QPlainTextEdit* noteEditor() const { return m_note; }
    void seal(const QString& archivePath);
    void cancel();

    QString statusShown() const;
    QString verdictShown() const;
    int progressShown() const;
    bool busy() const { return m_busy; }

signals:
    void scoresImported(bool ok);
    void noteAdded(bool ok);
    void sealed(bool valid);

private:
    void setBusy(bool busy);
    void chooseScores();
    void chooseArchive();

    StationThread& m_worker;
    std::int64_t m_sittingId = 0;
    QString m_periodCode;
    QString m_actor = QStringLiteral("console");
    QString m_archiveDir;
    bool m_busy = false;
    std::shared_ptr<std::atomic_bool> m_cancel;
    QLabel* m_status;
    QLabel* m_verdict;
    QProgressBar* m_progress;
    QPushButton* m_scores;
    QPushButton* m_seal;
    QPushButton* m_cancelButton;
    QPlainTextEdit* m_note;
    QPushButton* m_addNote;
};

}  // namespace examguard::console
