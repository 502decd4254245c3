#include "console/close_sitting.h"

#include <QDir>
#include <QFileDialog>
#include <QGroupBox>
#include <QHBoxLayout>
#include <QLabel>
#include <QPlainTextEdit>
#include <QProgressBar>
#include <QPushButton>
#include <QVBoxLayout>

#include "archive/seal.h"
#include "archive/signing.h"
#include "archive/timestamp.h"
#include "archive/verify.h"
#include "console/station_thread.h"
#include "station/file_io.h"
#include "station/scores.h"

namespace examguard::console {

using station::Expected;

namespace {

constexpr std::size_t kMaxScoreFile = 16 * 1024 * 1024;
constexpr std::size_t kMaxPem = 1024 * 1024;

struct SealOutcome {
    Expected<archive::SealResult> sealed;
    bool verified = false;
    bool valid = false;
    QStringList problems;
};

QString stageText(const char* stage) {
    const std::string s = stage;
    if (s == "records") {
        return CloseSitting::tr("Reading the period's records…");
    }
    if (s == "log") {
        return CloseSitting::tr("Verifying the event log…");
    }
    if (s == "personal_data") {
        return CloseSitting::tr("Encrypting personal data for the inspector authority…");
    }
    if (s == "members") {
        return CloseSitting::tr("Writing the archive…");
    }
    if (s == "signature") {
        return CloseSitting::tr("Signing…");
    }
    if (s == "timestamp") {
        return CloseSitting::tr("Getting a trusted time-stamp…");
    }
    return CloseSitting::tr("Sealed.");
}

}  // namespace

CloseSitting::CloseSitting(StationThread& worker, QWidget* parent)
    : QWidget(parent),
      m_worker(worker),
      m_status(new QLabel(this)),
      m_verdict(new QLabel(this)),
      m_progress(new QProgressBar(this)),
      m_scores(new QPushButton(tr("Import scores (CSV)…"), this)),
      m_seal(new QPushButton(tr("Seal the period archive…"), this)),
      m_cancelButton(new QPushButton(tr("Cancel"), this)),
      m_note(new QPlainTextEdit(this)),
      m_addNote(new QPushButton(tr("Add to the room record"), this)) {
    auto* explain = new QLabel(
        tr("After the exam: import the scores from the exam system, write down what happened in "
           "the room, then seal the whole period into one signed archive (一期一档). The archive "
           "is verified at once, as an inspector would."),
        this);
    explain->setWordWrap(true);
    m_status->setWordWrap(true);
    m_verdict->setWordWrap(true);
    m_verdict->setTextFormat(Qt::PlainText);
    QFont big = m_verdict->font();
    big.setPointSizeF(big.pointSizeF() * 1.3);
    big.setBold(true);
    m_verdict->setFont(big);
    m_progress->setRange(0, 100);
    m_progress->setValue(0);
    m_cancelButton->setEnabled(false);
    // In the order of the work: scores, the room record, then the seal.
    auto* scoreRow = new QHBoxLayout;
    scoreRow->addWidget(m_scores);
    scoreRow->addStretch(1);
    auto* record = new QGroupBox(tr("Room record (考场记录)"), this);
    auto* recordLayout = new QVBoxLayout(record);
    m_note->setObjectName(QStringLiteral("roomNote"));
    m_addNote->setObjectName(QStringLiteral("addRoomNote"));
    m_note->setPlaceholderText(
        tr("What happened in the room: a candidate left early, a machine was swapped, a camera "
           "was moved… Each note is logged with your name and goes into the sealed archive."));
    m_note->setMaximumHeight(120);
    recordLayout->addWidget(m_note);
    auto* noteButtons = new QHBoxLayout;
    noteButtons->addStretch(1);
    noteButtons->addWidget(m_addNote);
    recordLayout->addLayout(noteButtons);
    auto* sealRow = new QHBoxLayout;
    sealRow->addWidget(m_seal);
    sealRow->addStretch(1);
    sealRow->addWidget(m_cancelButton);
    auto* layout = new QVBoxLayout(this);
    layout->addWidget(explain);
    layout->addLayout(scoreRow);
    layout->addWidget(record);
    layout->addLayout(sealRow);
    layout->addWidget(m_progress);
    layout->addWidget(m_status);
    layout->addWidget(m_verdict);
    layout->addStretch(1);
    connect(m_addNote, &QPushButton::clicked, this, &CloseSitting::addRoomNote);
    connect(m_note, &QPlainTextEdit::textChanged, this, [this] { setBusy(m_busy); });
    connect(m_scores, &QPushButton::clicked, this, &CloseSitting::chooseScores);
    connect(m_seal, &QPushButton::clicked, this, &CloseSitting::chooseArchive);
    connect(m_cancelButton, &QPushButton::clicked, this, &CloseSitting::cancel);
    setBusy(false);
}

void CloseSitting::setSitting(std::int64_t sittingId, const QString& periodCode) {
    m_sittingId = sittingId;
    m_periodCode = periodCode;
    setBusy(m_busy);
}

QString CloseSitting::statusShown() const {
    return m_status->text();
}

QString CloseSitting::verdictShown() const {
    return m_verdict->text();
}

int CloseSitting::progressShown() const {
    return m_progress->value();
}

void CloseSitting::setBusy(bool busy) {
    m_busy = busy;
    m_scores->setEnabled(!busy && m_sittingId != 0);
    m_seal->setEnabled(!busy && !m_periodCode.isEmpty());
    m_cancelButton->setEnabled(busy && m_cancel != nullptr);
    m_addNote->setEnabled(!busy && m_sittingId != 0 && !m_note->toPlainText().trimmed().isEmpty());
}

void CloseSitting::addRoomNote() {
    if (!m_addNote->isEnabled()) {
        return;
    }
    setBusy(true);
    const std::int64_t sitting = m_sittingId;
    const std::string text = m_note->toPlainText().toStdString();
    const std::string actor = m_actor.toStdString();
    m_worker.post<Expected<std::int64_t>>(
        this,
        [sitting, text, actor](StationContext& ctx) -> Expected<std::int64_t> {
            auto st = ctx.station();
            if (!st) {
                return tl::unexpected(st.error());
            }
            return station::addRoomNote(**st, sitting, text, actor);
        },
        [this](Expected<std::int64_t> seq) {
            if (!seq) {
                setBusy(false);
                m_status->setText(tr("The note was not stored: %1")
                                      .arg(QString::fromStdString(seq.error().detail)));
                emit noteAdded(false);
                return;
            }
            m_note->clear();  // kept in the log now; the box is ready for the next one
            setBusy(false);
            m_status->setText(tr("Note added to the room record (log entry %1).").arg(*seq));
            emit noteAdded(true);
        });
}

void CloseSitting::cancel() {
    if (m_cancel) {
        *m_cancel = true;
        m_status->setText(tr("Cancelling…"));
    }
}

void CloseSitting::chooseScores() {
    const QString file = QFileDialog::getOpenFileName(this, tr("Scores of this sitting"), {},
                                                      tr("CSV files (*.csv)"));
    if (!file.isEmpty()) {
        importScores(file);
    }
}

void CloseSitting::chooseArchive() {
    const QString suggested = QDir(m_archiveDir.isEmpty() ? QDir::homePath() : m_archiveDir)
                                  .filePath(QStringLiteral("archive-%1.zip").arg(m_periodCode));
    const QString file = QFileDialog::getSaveFileName(this, tr("Seal the period archive"),
                                                      suggested, tr("Period archives (*.zip)"));
    if (!file.isEmpty()) {
        seal(file);
    }
}

void CloseSitting::importScores(const QString& csvPath) {
    if (m_busy || m_sittingId == 0) {
        return;
    }
    setBusy(true);
    m_status->setText(tr("Importing %1…").arg(csvPath));
    const std::int64_t sitting = m_sittingId;
    const std::string path = csvPath.toStdString();
    const std::string actor = m_actor.toStdString();
    using Result = Expected<station::ScoreImport>;
    m_worker.post<Result>(
        this,
        [sitting, path, actor](StationContext& ctx) -> Result {
            auto st = ctx.station();
            if (!st) {
                return tl::unexpected(st.error());
            }
            auto bytes = station::readFileLimited(path, kMaxScoreFile);
            if (!bytes) {
                return tl::unexpected(bytes.error());
            }
            return station::importScores(**st, sitting, *bytes,
                                         std::filesystem::path(path).filename().string(), actor);
        },
        [this](Result r) {
            setBusy(false);
            if (!r) {
                m_status->setText(
                    tr("No score was stored: %1").arg(QString::fromStdString(r.error().detail)));
                emit scoresImported(false);
                return;
            }
            m_status->setText(tr("%1 scores stored (%2 passed, %3 absent).")
                                  .arg(r->rows)
                                  .arg(r->passed)
                                  .arg(r->absent));
            emit scoresImported(true);
        });
}

void CloseSitting::seal(const QString& archivePath) {
    if (m_busy || m_periodCode.isEmpty()) {
        return;
    }
    m_cancel = std::make_shared<std::atomic_bool>(false);
    setBusy(true);
    m_progress->setValue(0);
    m_verdict->clear();
    m_status->setText(tr("Sealing period %1…").arg(m_periodCode));
    archive::SealOptions options;
    options.periodCode = m_periodCode.toStdString();
    options.out = archivePath.toStdString();
    options.actor = m_actor.toStdString();
    auto cancel = m_cancel;
    options.cancelled = [cancel] { return cancel->load(); };
    // Called on the station thread: the bar is updated through the GUI thread's queue.
    options.progress = [this](int percent, const char* stage) {
        const QString text = stageText(stage);
        QMetaObject::invokeMethod(
            this,
            [this, percent, text] {
                m_progress->setValue(percent);
                if (m_cancel && !*m_cancel) {
                    m_status->setText(text);
                }
            },
            Qt::QueuedConnection);
    };
    m_worker.post<SealOutcome>(
        this,
        [options](StationContext& ctx) mutable -> SealOutcome {
            SealOutcome out{tl::unexpected(station::Error{station::ErrorCode::Io, {}})};
            auto st = ctx.station();
            auto config = st ? ctx.config() : tl::unexpected(st.error());
            if (!config) {
                out.sealed = tl::unexpected(config.error());
                return out;
            }
            const auto& archiveConfig = (*config)->archive;
            if (!archiveConfig.authorityCertificate.empty()) {
                auto pem = station::readFileLimited(archiveConfig.authorityCertificate, kMaxPem);
                if (!pem) {
                    out.sealed = tl::unexpected(pem.error());
                    return out;
                }
                options.authorityCertificatePem = *pem;
            }
            options.includeRecordings = archiveConfig.includeRecordings;
            if (!archiveConfig.tsaUrl.empty()) {
                options.timestamper = archive::httpTimestamper(archiveConfig.tsaUrl);
            }
            out.sealed = archive::sealPeriod(**st, options);
            if (!out.sealed) {
                return out;
            }
            // Verified against the station's own certificate, as the inspector's copy will be.
            auto signer = archive::Signer::load((*st)->keys().directory());
            archive::VerifyOptions verify;
            if (signer) {
                verify.trustPem = signer->certificatePem();
            }
            auto report = archive::verifyArchive(options.out, verify);
            if (report) {
                out.verified = true;
                out.valid = report->valid;
                for (const auto& e : report->errors) {
                    out.problems << QString::fromStdString(e.code + ": " + e.message);
                }
            } else {
                out.problems << QString::fromStdString(report.error().detail);
            }
            return out;
        },
        [this](SealOutcome r) {
            m_cancel.reset();
            setBusy(false);
            if (!r.sealed) {
                m_progress->setValue(0);
                m_status->setText(tr("The period was not sealed: %1")
                                      .arg(QString::fromStdString(r.sealed.error().detail)));
                emit sealed(false);
                return;
            }
            const auto& s = *r.sealed;
            QString status =
                tr("Archive %1: %2 bytes, SHA-256 %3, personal data %4, keep until %5.")
                    .arg(QString::fromStdString(s.path.string()))
                    .arg(s.bytes)
                    .arg(QString::fromStdString(s.sha256),
                         s.personalData == "encrypted" ? tr("encrypted") : tr("left out"),
                         QString::fromStdString(s.keepUntil));
            for (const auto& w : s.warnings) {
                status += QLatin1Char('\n') + tr("Warning: %1").arg(QString::fromStdString(w));
            }
            m_status->setText(status);
            m_verdict->setText(
                r.valid
                    ? tr("Verification: VALID. Every check holds.")
                    : tr("Verification: NOT VALID.\n%1").arg(r.problems.join(QLatin1Char('\n'))));
            m_verdict->setStyleSheet(r.valid ? QStringLiteral("color: #1e8449")
                                             : QStringLiteral("color: #b00020"));
            emit sealed(r.valid);
        });
}

}  // namespace examguard::console
