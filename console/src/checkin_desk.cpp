#include "console/checkin_desk.h"

#include <QDialog>
#include <QDialogButtonBox>
#include <QFileDialog>
#include <QFormLayout>
#include <QGridLayout>
#include <QGroupBox>
#include <QHBoxLayout>
#include <QLabel>
#include <QLineEdit>
#include <QListWidget>
#include <QPainter>
#include <QPushButton>
#include <QShortcut>
#include <QTimer>
#include <QVBoxLayout>
#include <random>

#include "console/checkin_texts.h"
#include "console/override_dialog.h"
#include "console/seat_model.h"
#include "console/station_thread.h"

namespace examguard::console {

namespace checkin = station::checkin;
using station::Expected;

namespace {

constexpr int kCollectMs = 8000;  // as long as the CLI's check-in: enough for three steps
constexpr int kCollectFrames = 240;
constexpr int kPhotoSize = 160;

std::chrono::year_month_day chinaToday() {
    return station::chinaDate(station::systemClock());
}

QPixmap photoPixmap(const station::Bytes& bytes) {
    QImage image;
    if (bytes.empty() || !image.loadFromData(bytes.data(), static_cast<int>(bytes.size()))) {
        return {};
    }
    return QPixmap::fromImage(
        image.scaled(kPhotoSize, kPhotoSize, Qt::KeepAspectRatio, Qt::SmoothTransformation));
}

QLabel* photoLabel(const QString& empty, QWidget* parent) {
    auto* label = new QLabel(empty, parent);
    label->setFixedSize(kPhotoSize, kPhotoSize);
    label->setAlignment(Qt::AlignCenter);
    label->setFrameShape(QFrame::StyledPanel);
    label->setWordWrap(true);
    return label;
}

QString distanceText(const std::optional<double>& d, double threshold) {
    return d ? CheckinDesk::tr("%1 (threshold %2)").arg(*d, 0, 'f', 3).arg(threshold, 0, 'f', 3)
             : CheckinDesk::tr("no photo");
}

struct RosterLookup {
    Expected<std::optional<checkin::RosterMatch>> match;
};

struct CheckResult {
    Expected<checkin::Outcome> outcome;
    std::string liveness;
    std::string livenessDetail;
    double threshold = 0;
    station::Bytes snapshot;
};

struct FaceBox {
    QRect box;
};

struct CardPoll {
    Expected<std::optional<checkin::IdCard>> card;
};

// The manual entry when the reader fails: the same checks as a read card, errors shown in
// place so nothing typed is lost.
class ManualCardDialog final : public QDialog {
public:
    explicit ManualCardDialog(QWidget* parent)
        : QDialog(parent),
          m_id(new QLineEdit(this)),
          m_name(new QLineEdit(this)),
          m_nation(new QLineEdit(this)),
          m_error(new QLabel(this)) {
        setWindowTitle(CheckinDesk::tr("Enter the ID card by hand"));
        auto* form = new QFormLayout(this);
        m_id->setMaxLength(18);
        m_id->setObjectName(QStringLiteral("manualId"));
        m_name->setObjectName(QStringLiteral("manualName"));
        m_nation->setObjectName(QStringLiteral("manualNation"));
        m_nation->setText(CheckinDesk::tr("Han"));
        form->addRow(CheckinDesk::tr("&ID number:"), m_id);
        form->addRow(CheckinDesk::tr("&Name:"), m_name);
        form->addRow(CheckinDesk::tr("N&ation:"), m_nation);
        m_error->setStyleSheet(QStringLiteral("color: #b00020"));
        m_error->setWordWrap(true);
        form->addRow(m_error);
        auto* buttons = new QDialogButtonBox(QDialogButtonBox::Ok | QDialogButtonBox::Cancel, this);
        form->addRow(buttons);
        connect(buttons, &QDialogButtonBox::accepted, this, [this] { tryAccept(); });
        connect(buttons, &QDialogButtonBox::rejected, this, &QDialog::reject);
    }
    std::optional<checkin::IdCard> card;

private:
    void tryAccept() {
        auto parsed = checkin::manualCard(m_id->text().trimmed().toStdString(),
                                          m_name->text().trimmed().toStdString(),
                                          m_nation->text().trimmed().toStdString(), chinaToday());
        if (!parsed) {
            m_error->setText(QString::fromStdString(parsed.error().detail));
            return;
        }
        card = std::move(*parsed);
        accept();
    }
    QLineEdit* m_id;
    QLineEdit* m_name;
    QLineEdit* m_nation;
    QLabel* m_error;
};

}  // namespace

void PreviewView::setImage(const QImage& image) {
    m_image = image;
    update();
}

void PreviewView::paintEvent(QPaintEvent*) {
    QPainter p(this);
    p.fillRect(rect(), QColor(0x20, 0x20, 0x20));
    if (m_image.isNull()) {
        p.setPen(Qt::white);
        p.drawText(rect(), Qt::AlignCenter, CheckinDesk::tr("No camera picture"));
        return;
    }
    const QSize size = m_image.size().scaled(this->size(), Qt::KeepAspectRatio);
    const QRect target(QPoint((width() - size.width()) / 2, (height() - size.height()) / 2), size);
    p.drawImage(target, m_image);
    if (!m_box.isNull()) {
        const double sx = double(target.width()) / m_image.width();
        const double sy = double(target.height()) / m_image.height();
        p.setPen(QPen(QColor(0x2e, 0xcc, 0x71), 3));
        p.drawRect(QRectF(target.x() + m_box.x() * sx, target.y() + m_box.y() * sy,
                          m_box.width() * sx, m_box.height() * sy));
    }
    if (!m_prompt.isEmpty()) {
        QFont f = font();
        f.setPointSizeF(f.pointSizeF() * 1.8);
        f.setBold(true);
        p.setFont(f);
        const QRect band(target.left(), target.bottom() - 60, target.width(), 60);
        p.fillRect(band, QColor(0, 0, 0, 160));
        p.setPen(Qt::white);
        p.drawText(band, Qt::AlignCenter, m_prompt);
    }
}

CheckinDesk::CheckinDesk(StationThread& worker, SeatModel* seats, QWidget* parent)
    : QWidget(parent),
      m_worker(worker),
      m_seats(seats),
      m_preview(new PreviewView(this)),
      m_idPhoto(photoLabel(tr("ID card photo"), this)),
      m_rosterPhoto(photoLabel(tr("Roster photo"), this)),
      m_livePhoto(photoLabel(tr("Live face"), this)),
      m_cardInfo(
          new QLabel(tr("Place the ID card on the reader (F2: card file, F3: type it in)."), this)),
      m_decision(new QLabel(this)),
      m_details(new QLabel(this)),
      m_status(new QLabel(this)),
      m_queue(new QListWidget(this)),
      m_cardFile(new QPushButton(tr("Card file… (F2)"), this)),
      m_cardHand(new QPushButton(tr("Type card… (F3)"), this)),
      m_check(new QPushButton(tr("Check (F5)"), this)),
      m_override(new QPushButton(tr("Override… (F6)"), this)),
      m_boxTimer(new QTimer(this)),
      m_readerTimer(new QTimer(this)) {
    m_preview->setMinimumSize(480, 360);
    m_cardInfo->setWordWrap(true);
    m_cardInfo->setTextFormat(Qt::PlainText);
    QFont big = m_decision->font();
    big.setPointSizeF(big.pointSizeF() * 2.2);
    big.setBold(true);
    m_decision->setFont(big);
    m_decision->setAlignment(Qt::AlignCenter);
    m_details->setWordWrap(true);
    m_details->setTextFormat(Qt::PlainText);
    m_status->setWordWrap(true);
    m_queue->setFocusPolicy(Qt::NoFocus);

    auto* photos = new QHBoxLayout;
    photos->addWidget(m_idPhoto);
    photos->addWidget(m_rosterPhoto);
    photos->addWidget(m_livePhoto);
    auto* cardBox = new QGroupBox(tr("ID card and roster"), this);
    auto* cardLayout = new QVBoxLayout(cardBox);
    cardLayout->addLayout(photos);
    cardLayout->addWidget(m_cardInfo);
    auto* resultBox = new QGroupBox(tr("Decision"), this);
    auto* resultLayout = new QVBoxLayout(resultBox);
    resultLayout->addWidget(m_decision);
    resultLayout->addWidget(m_details, 1);
    auto* queueBox = new QGroupBox(tr("Next to call"), this);
    auto* queueLayout = new QVBoxLayout(queueBox);
    queueLayout->addWidget(m_queue);
    auto* buttons = new QHBoxLayout;
    for (auto* b : {m_cardFile, m_cardHand, m_check, m_override}) {
        buttons->addWidget(b);
    }
    auto* left = new QVBoxLayout;
    left->addWidget(m_preview, 1);
    left->addWidget(m_status);
    left->addLayout(buttons);
    auto* right = new QVBoxLayout;
    right->addWidget(cardBox);
    right->addWidget(resultBox, 1);
    right->addWidget(queueBox);
    auto* layout = new QHBoxLayout(this);
    layout->addLayout(left, 3);
    layout->addLayout(right, 2);

    connect(m_cardFile, &QPushButton::clicked, this, &CheckinDesk::openCardFile);
    connect(m_cardHand, &QPushButton::clicked, this, &CheckinDesk::enterCardByHand);
    connect(m_check, &QPushButton::clicked, this, &CheckinDesk::startCheck);
    connect(m_override, &QPushButton::clicked, this, &CheckinDesk::overrideDecision);
    const auto key = [this](QKeySequence seq, auto slot) {
        auto* s = new QShortcut(seq, this, slot);
        s->setContext(Qt::WidgetWithChildrenShortcut);
    };
    key(Qt::Key_F2, [this] { openCardFile(); });
    key(Qt::Key_F3, [this] { enterCardByHand(); });
    key(Qt::Key_F5, [this] { startCheck(); });
    key(Qt::Key_Return, [this] { startCheck(); });
    key(Qt::Key_Enter, [this] { startCheck(); });
    key(Qt::Key_F6, [this] { overrideDecision(); });
    key(Qt::Key_Escape, [this] { clear(); });
    setFocusPolicy(Qt::StrongFocus);

    if (m_seats != nullptr) {
        connect(m_seats, &QAbstractItemModel::modelReset, this, &CheckinDesk::updateQueue);
        connect(m_seats, &QAbstractItemModel::dataChanged, this, &CheckinDesk::updateQueue);
    }
    connect(m_boxTimer, &QTimer::timeout, this, &CheckinDesk::requestFaceBox);
    connect(m_readerTimer, &QTimer::timeout, this, &CheckinDesk::pollCardReader);
    m_readerTimer->start(1000);
    setChallenge(m_challenge);
    clear();
}

CheckinDesk::~CheckinDesk() {
    setLiveSource({});
}

void CheckinDesk::setSitting(std::int64_t sittingId) {
    if (sittingId != m_sittingId) {
        m_sittingId = sittingId;
        clear();
    }
}

void CheckinDesk::setLiveSource(const QString& source) {
    if (m_feed != nullptr) {
        m_feed->stop();
        delete m_feed;
        m_feed = nullptr;
        m_boxTimer->stop();
    }
    m_preview->setImage({});
    m_preview->setFaceBox({});
    if (source.isEmpty()) {
        return;
    }
    m_feed = new LiveFeed(source, this);
    connect(m_feed, &LiveFeed::frameReady, m_preview, &PreviewView::setImage);
    connect(m_feed, &LiveFeed::collected, this, &CheckinDesk::analyse);
    connect(m_feed, &LiveFeed::failed, this, [this](const QString& detail) {
        setStatus(tr("Camera: %1").arg(detail));
        if (m_busy) {
            m_busy = false;
            m_preview->setPrompt({});
            updateButtons();
        }
    });
    m_feed->start();
    m_boxTimer->start(400);
}

bool CheckinDesk::setChallenge(const QString& challenge) {
    using vision::ChallengeStep;
    std::vector<ChallengeStep> steps;
    if (challenge != QLatin1String("random") && challenge != QLatin1String("none")) {
        for (const QString& word : challenge.split(QLatin1Char(','))) {
            if (word == QLatin1String("blink")) {
                steps.push_back(ChallengeStep::Blink);
            } else if (word == QLatin1String("left")) {
                steps.push_back(ChallengeStep::TurnLeft);
            } else if (word == QLatin1String("right")) {
                steps.push_back(ChallengeStep::TurnRight);
            } else {
                return false;
            }
        }
    }
    m_challenge = challenge;
    m_steps = std::move(steps);
    return true;
}

void CheckinDesk::setStatus(const QString& text) {
    m_status->setText(text);
    emit statusChanged(text);
}

void CheckinDesk::clear() {
    if (m_busy) {
        return;  // an analysis in flight finishes and shows its result
    }
    m_card.reset();
    m_lastCheckin.reset();
    m_idPhoto->setPixmap({});
    m_idPhoto->setText(tr("ID card photo"));
    m_rosterPhoto->setPixmap({});
    m_rosterPhoto->setText(tr("Roster photo"));
    m_livePhoto->setPixmap({});
    m_livePhoto->setText(tr("Live face"));
    m_cardInfo->setText(tr("Place the ID card on the reader (F2: card file, F3: type it in)."));
    m_decision->clear();
    m_decision->setStyleSheet({});
    m_details->clear();
    m_preview->setPrompt({});
    setStatus(m_sittingId == 0 ? tr("Choose a sitting first.")
                               : tr("Ready for the next candidate."));
    updateButtons();
    updateQueue();
}

void CheckinDesk::updateButtons() {
    const bool sitting = m_sittingId != 0;
    m_cardFile->setEnabled(sitting && !m_busy);
    m_cardHand->setEnabled(sitting && !m_busy);
    m_check->setEnabled(sitting && !m_busy && m_card.has_value());
    m_override->setEnabled(!m_busy && m_lastCheckin.has_value());
}

void CheckinDesk::updateQueue() {
    m_queue->clear();
    if (m_seats == nullptr) {
        return;
    }
    for (const auto& seat : station::nextToCall(m_seats->seats(), 8)) {
        m_queue->addItem(tr("%1  seat %2  %3")
                             .arg(QString::fromStdString(seat.examNumber),
                                  QString::fromStdString(seat.seat),
                                  QString::fromStdString(seat.idNumberMasked)));
    }
}

void CheckinDesk::presentCard(const checkin::IdCard& card) {
    if (m_busy || m_sittingId == 0) {
        return;
    }
    clear();
    m_card = card;
    const QPixmap idPhoto = photoPixmap(card.photo);
    if (!idPhoto.isNull()) {
        m_idPhoto->setPixmap(idPhoto);
    } else {
        m_idPhoto->setText(tr("No photo on the card"));
    }
    // Names are shown to the proctor, who compares them; the ID number only masked.
    m_cardInfo->setText(tr("%1 · %2 · %3")
                            .arg(QString::fromStdString(card.name),
                                 QString::fromStdString(card.maskedIdNumber()),
                                 QString::fromStdString(card.nation)));
    setStatus(tr("Card read. Looking the holder up in the roster…"));
    updateButtons();
    emit cardRead();
    const std::int64_t sitting = m_sittingId;
    const std::string idNumber = card.idNumber;
    m_worker.post<RosterLookup>(
        this,
        [sitting, idNumber](StationContext& ctx) -> RosterLookup {
            auto st = ctx.station();
            if (!st) {
                return {tl::unexpected(st.error())};
            }
            return {checkin::rosterMatch(**st, sitting, idNumber)};
        },
        [this, idNumber](RosterLookup r) {
            if (!m_card || m_card->idNumber != idNumber) {
                return;  // another card came meanwhile
            }
            if (!r.match) {
                setStatus(tr("The roster cannot be read: %1")
                              .arg(QString::fromStdString(r.match.error().detail)));
                return;
            }
            if (!*r.match || (*r.match)->seat.empty()) {
                m_cardInfo->setText(m_cardInfo->text() + QLatin1Char('\n') +
                                    tr("NOT on this period's roster"));
                setStatus(tr("Not on the roster: check anyway (F5) to record the attempt."));
                return;
            }
            const auto& m = **r.match;
            m_cardInfo->setText(
                m_cardInfo->text() + QLatin1Char('\n') +
                tr("Exam number %1 · seat %2")
                    .arg(QString::fromStdString(m.examNumber), QString::fromStdString(m.seat)));
            const QPixmap roster = photoPixmap(m.rosterPhoto);
            if (!roster.isNull()) {
                m_rosterPhoto->setPixmap(roster);
            } else {
                m_rosterPhoto->setText(tr("No roster photo"));
            }
            setStatus(tr("Ask the candidate to face the camera, then press F5."));
        });
}

void CheckinDesk::openCardFile() {
    if (!m_cardFile->isEnabled()) {
        return;
    }
    const QString file =
        QFileDialog::getOpenFileName(this, tr("ID card file"), {}, tr("Card files (*.json)"));
    if (file.isEmpty()) {
        return;
    }
    auto card = checkin::readCardFile(file.toStdString(), chinaToday());
    if (!card) {
        setStatus(tr("The card file cannot be used: %1")
                      .arg(QString::fromStdString(card.error().detail)));
        return;
    }
    presentCard(*card);
}

void CheckinDesk::enterCardByHand() {
    if (!m_cardHand->isEnabled()) {
        return;
    }
    ManualCardDialog dialog(this);
    if (dialog.exec() == QDialog::Accepted && dialog.card) {
        presentCard(*dialog.card);
    }
}

void CheckinDesk::startCheck() {
    if (!m_check->isEnabled()) {
        return;
    }
    if (m_feed == nullptr) {
        setStatus(tr("No camera: choose the desk camera in the View menu."));
        return;
    }
    if (m_challenge == QLatin1String("random")) {
        std::random_device random;
        m_steps = vision::randomChallengeSteps((std::uint64_t{random()} << 32) | random());
    }
    QStringList prompts;
    for (auto step : m_steps) {
        prompts << challengePrompt(step);
    }
    m_preview->setPrompt(prompts.isEmpty() ? tr("Please look at the camera")
                                           : prompts.join(QStringLiteral(" → ")));
    m_busy = true;
    m_decision->setText(tr("Checking…"));
    m_decision->setStyleSheet({});
    m_details->clear();
    setStatus(tr("Recording the live face…"));
    updateButtons();
    m_feed->collect(kCollectMs, kCollectFrames);
}

void CheckinDesk::analyse(FrameBatch frames) {
    if (!m_busy || !m_card) {
        return;
    }
    m_preview->setPrompt({});
    setStatus(tr("Comparing faces…"));
    checkin::Attempt attempt;
    attempt.sittingId = m_sittingId;
    attempt.card = *m_card;
    attempt.actor = m_session.login.toStdString();
    attempt.liveSource = m_feed != nullptr ? m_feed->kind().toStdString() : "camera";
    const auto steps = m_steps;
    m_worker.post<CheckResult>(
        this,
        [attempt, frames, steps](StationContext& ctx) mutable -> CheckResult {
            CheckResult out{tl::unexpected(station::Error{})};
            auto service = ctx.checkinService();
            if (!service) {
                out.outcome = tl::unexpected(service.error());
                return out;
            }
            auto* engine = *ctx.engine();
            auto live = engine->analyze(*frames, steps);
            if (!live) {
                out.outcome = tl::unexpected(live.error());
                return out;
            }
            if (!attempt.card.photo.empty()) {
                auto photo = station::identity::decodePhoto(attempt.card.photo);
                auto described =
                    photo ? engine->describePhoto(*photo) : tl::unexpected(photo.error());
                if (!described) {
                    out.outcome = tl::unexpected(described.error());
                    return out;
                }
                attempt.cardPhoto = *described;
            }
            attempt.liveSnapshot = live->snapshotJpeg;
            attempt.live = live->live;
            attempt.qualityIssues = live->qualityIssues;
            attempt.liveness = live->liveness;
            out.liveness = checkin::livenessName(live->liveness.status);
            out.livenessDetail = live->liveness.detail;
            out.snapshot = live->snapshotJpeg;
            auto config = ctx.config();
            out.threshold = checkin::thresholdsFrom(**config, engine->threshold()).match;
            out.outcome = (*service)->record(attempt);
            return out;
        },
        [this](CheckResult r) {
            m_busy = false;
            if (!r.outcome) {
                m_decision->setText(tr("NOT CHECKED"));
                setStatus(tr("The check failed: %1")
                              .arg(QString::fromStdString(r.outcome.error().detail)));
                updateButtons();
                return;
            }
            const QPixmap live = photoPixmap(r.snapshot);
            if (!live.isNull()) {
                m_livePhoto->setPixmap(live);
            }
            showOutcome(
                *r.outcome,
                livenessText(r.liveness) +
                    (r.livenessDetail.empty()
                         ? QString()
                         : QStringLiteral(" (%1)").arg(QString::fromStdString(r.livenessDetail))),
                r.threshold);
            emit checkedIn(r.outcome->checkinId);
        });
}

void CheckinDesk::showOutcome(const checkin::Outcome& outcome, const QString& liveness,
                              double threshold) {
    m_lastCheckin = outcome.checkinId;
    const std::string decision = checkin::decisionName(outcome.decision);
    m_decision->setText(decisionText(decision));
    const char* colour = outcome.decision == checkin::Decision::Pass     ? "#1e8449"
                         : outcome.decision == checkin::Decision::Refuse ? "#b00020"
                                                                         : "#b9770e";
    m_decision->setStyleSheet(
        QStringLiteral("color: white; background: %1; padding: 8px").arg(QLatin1String(colour)));
    QStringList lines;
    lines << tr("Seat: %1")
                 .arg(outcome.seat.empty() ? tr("none") : QString::fromStdString(outcome.seat));
    lines << tr("Liveness: %1").arg(liveness);
    lines << tr("Distance to the ID card photo: %1")
                 .arg(distanceText(outcome.distanceCard, threshold));
    lines << tr("Distance to the roster photo: %1")
                 .arg(distanceText(outcome.distanceRoster, threshold));
    for (const auto& reason : outcome.reasons) {
        lines << QStringLiteral("• ") + reasonText(reason);
    }
    for (const auto& a : outcome.alerts) {
        lines << tr("ALERT: the face matches candidate %1 (%2, distance %3)")
                     .arg(QString::fromStdString(a.matchedMaskedId),
                          alertSourceText(a.matchedSource))
                     .arg(a.distanceOther, 0, 'f', 3);
    }
    lines << tr("Check-in record %1").arg(outcome.checkinId);
    m_details->setText(lines.join(QLatin1Char('\n')));
    setStatus(outcome.decision == checkin::Decision::Pass
                  ? tr("Passed: send the candidate to seat %1. Esc for the next.")
                        .arg(QString::fromStdString(outcome.seat))
                  : tr("Not passed: decide with F6 (a reason is required), or Esc."));
    updateButtons();
}

void CheckinDesk::overrideDecision() {
    if (!m_override->isEnabled() || !m_lastCheckin) {
        return;
    }
    OverrideDialog dialog(*m_lastCheckin, this);
    if (dialog.exec() != QDialog::Accepted) {
        return;
    }
    const std::int64_t id = *m_lastCheckin;
    const auto decision = dialog.decision();
    const std::string reason = dialog.reason().toStdString();
    const std::string actor = m_session.login.toStdString();
    const auto userId = m_session.userId;
    m_busy = true;
    updateButtons();
    m_worker.post<Expected<void>>(
        this,
        [id, decision, reason, actor, userId](StationContext& ctx) -> Expected<void> {
            auto st = ctx.station();
            if (!st) {
                return tl::unexpected(st.error());
            }
            checkin::CheckinService service(**st, {});
            return service.override(id, decision, reason, actor, userId);
        },
        [this, id, decision](Expected<void> r) {
            m_busy = false;
            updateButtons();
            if (!r) {
                setStatus(tr("The override was not stored: %1")
                              .arg(QString::fromStdString(r.error().detail)));
                return;
            }
            m_decision->setText(
                tr("%1 (overridden)").arg(decisionText(checkin::decisionName(decision))));
            m_decision->setStyleSheet(QStringLiteral("color: white; background: %1; padding: 8px")
                                          .arg(decision == checkin::Decision::Pass
                                                   ? QLatin1String("#1e8449")
                                                   : QLatin1String("#b00020")));
            setStatus(tr("Decision stored with your reason. Esc for the next candidate."));
            emit overridden(id);
        });
}

void CheckinDesk::requestFaceBox() {
    if (m_feed == nullptr || m_boxPending || m_busy || !isVisible()) {
        return;
    }
    cv::Mat frame = m_feed->latest();
    if (frame.empty()) {
        return;
    }
    m_boxPending = true;
    m_worker.post<FaceBox>(
        this,
        [frame](StationContext& ctx) -> FaceBox {
            auto engine = ctx.engine();
            if (!engine) {
                return {};
            }
            auto boxes = (*engine)->faceBoxes(frame);
            if (!boxes || boxes->empty()) {
                return {};
            }
            const cv::Rect& b = boxes->front();
            return {QRect(b.x, b.y, b.width, b.height)};
        },
        [this](FaceBox box) {
            m_boxPending = false;
            m_preview->setFaceBox(box.box);
        });
}

void CheckinDesk::pollCardReader() {
    if (m_busy || m_sittingId == 0 || !isVisible()) {
        return;
    }
    m_readerTimer->stop();  // one poll at a time
    m_worker.post<CardPoll>(
        this,
        [](StationContext& ctx) -> CardPoll {
            auto reader = ctx.cardReader(chinaToday());
            if (!reader) {
                return {tl::unexpected(reader.error())};
            }
            if (*reader == nullptr) {
                return {std::optional<checkin::IdCard>()};
            }
            return {(*reader)->poll()};
        },
        [this](CardPoll r) {
            m_readerTimer->start(1000);
            if (!r.card) {
                setStatus(
                    tr("ID card reader: %1").arg(QString::fromStdString(r.card.error().detail)));
            } else if (*r.card) {
                presentCard(**r.card);
            }
        });
}

QString CheckinDesk::decisionShown() const {
    return m_decision->text();
}

QString CheckinDesk::cardShown() const {
    return m_cardInfo->text();
}

QString CheckinDesk::statusShown() const {
    return m_status->text();
}

QString CheckinDesk::detailsShown() const {
    return m_details->text();
}

}  // namespace examguard::console
