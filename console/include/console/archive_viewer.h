#pragma once

#include <QFutureWatcher>
#include <QWidget>

class QLabel;
class QListWidget;
class QTextBrowser;
class QPushButton;

namespace examguard::console {

struct ArchiveResult;

// For inspectors: open a sealed archive, verify it (off the GUI thread; nothing is written),
// list every failure and show the inspector's report.
class ArchiveViewer final : public QWidget {
    Q_OBJECT
public:
    explicit ArchiveViewer(QWidget* parent = nullptr);
    ~ArchiveViewer() override;

    // Verifies `archive` against the trust anchor file `trust` (empty: signer not checked).
    void openArchive(const QString& archive, const QString& trust = {});
    QString verdictText() const;
    int failureCount() const;
    QString reportHtml() const;

signals:
    void verified();

private:
    void chooseFile();
    void show(const ArchiveResult& result);

    QPushButton* m_open;
    QLabel* m_verdict;
    QListWidget* m_failures;
    QTextBrowser* m_report;
    QFutureWatcher<ArchiveResult>* m_watcher;
};

}  // namespace examguard::console
