#include "console/archive_viewer.h"

#include <QFileDialog>
#include <QLabel>
#include <QListWidget>
#include <QPushButton>
#include <QTextBrowser>
#include <QVBoxLayout>
#include <QtConcurrent>

#include "archive/report.h"
#include "archive/verify.h"
#include "station/file_io.h"

namespace examguard::console {

struct ArchiveResult {
    bool opened = false;
    QString error;  // why the file could not be read at all
    bool valid = false;
    QStringList failures;
    QString signer;
    QString html;
};

namespace {

ArchiveResult verifyFile(const QString& archive, const QString& trust) {
    ArchiveResult out;
    archive::VerifyOptions options;
    if (!trust.isEmpty()) {
        auto pem = station::readFileLimited(trust.toStdString(), 1 << 20);
        if (!pem) {
            out.error = QString::fromStdString(pem.error().detail);
            return out;
        }
        options.trustPem = *pem;
    }
    auto report = archive::verifyArchive(archive.toStdString(), options);
    if (!report) {
        out.error = QString::fromStdString(report.error().detail);
        return out;
    }
    out.opened = true;
    out.valid = report->valid;
    out.signer = QString::fromStdString(report->signer);
    for (const auto& e : report->errors) {
        out.failures << QStringLiteral("%1 %2: %3")
                            .arg(QString::fromStdString(e.code), QString::fromStdString(e.member),
                                 QString::fromStdString(e.message));
    }
    out.html = QString::fromStdString(archive::renderHtml(*report, archive::crossChecks(*report)));
    return out;
}

}  // namespace

ArchiveViewer::ArchiveViewer(QWidget* parent)
    : QWidget(parent),
      m_open(new QPushButton(tr("Open archive…"), this)),
      m_verdict(new QLabel(tr("No archive opened."), this)),
      m_failures(new QListWidget(this)),
      m_report(new QTextBrowser(this)),
      m_watcher(new QFutureWatcher<ArchiveResult>(this)) {
    auto* layout = new QVBoxLayout(this);
    layout->addWidget(m_open, 0, Qt::AlignLeft);
    layout->addWidget(m_verdict);
    layout->addWidget(m_failures);
    layout->addWidget(m_report, 1);
    m_failures->setMaximumHeight(120);
    m_failures->hide();
    QFont big = m_verdict->font();
    big.setPointSizeF(big.pointSizeF() * 1.3);
    big.setBold(true);
    m_verdict->setFont(big);
    m_verdict->setWordWrap(true);
    connect(m_open, &QPushButton::clicked, this, &ArchiveViewer::chooseFile);
    connect(m_watcher, &QFutureWatcher<ArchiveResult>::finished, this,
            [this] { show(m_watcher->result()); });
}

ArchiveViewer::~ArchiveViewer() {
    m_watcher->waitForFinished();
}

void ArchiveViewer::chooseFile() {
    const QString file =
        QFileDialog::getOpenFileName(this, tr("Open archive"), {}, tr("Period archives (*.zip)"));
    if (!file.isEmpty()) {
        openArchive(file);
    }
}

void ArchiveViewer::openArchive(const QString& archive, const QString& trust) {
    m_open->setEnabled(false);
    m_verdict->setText(tr("Verifying %1…").arg(archive));
    m_failures->clear();
    m_report->clear();
    m_watcher->setFuture(QtConcurrent::run(verifyFile, archive, trust));
}

void ArchiveViewer::show(const ArchiveResult& result) {
    m_open->setEnabled(true);
    if (!result.opened) {
        m_verdict->setText(tr("The archive cannot be read: %1").arg(result.error));
    } else if (result.valid) {
        m_verdict->setText(
            tr("Archive VALID: every check holds. Signed by %1.").arg(result.signer));
    } else {
        m_verdict->setText(tr("Archive NOT VALID: %n problem(s).", nullptr,
                              static_cast<int>(result.failures.size())));
    }
    m_failures->addItems(result.failures);
    m_failures->setVisible(!result.failures.isEmpty());
    m_report->setHtml(result.html);
    emit verified();
}

QString ArchiveViewer::verdictText() const {
    return m_verdict->text();
}

int ArchiveViewer::failureCount() const {
    return m_failures->count();
}

QString ArchiveViewer::reportHtml() const {
    return m_report->toPlainText();
}

}  // namespace examguard::console
