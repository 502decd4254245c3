#include "console/timeline.h"

#include <QComboBox>
#include <QCoreApplication>
#include <QDateTime>
#include <QHBoxLayout>
#include <QHeaderView>
#include <QLabel>
#include <QLineEdit>
#include <QSplitter>
#include <QTableView>
#include <QTextBrowser>
#include <QVBoxLayout>

#include "console/camera_wall.h"
#include "console/checkin_texts.h"
#include "console/local_time.h"
#include "console/station_thread.h"
#include "station/timeline.h"

namespace examguard::console {

using station::Expected;
using station::LogEntry;

namespace {

// Log entries to the second; the sitting's day is known.
QString entryTime(const std::string& isoUtc) {
    return localTime(isoUtc, QStringLiteral("MM-dd HH:mm:ss"));
}

// The payload in one line, without the keys every entry of a kind has.
QString text(const nlohmann::json& payload, const char* key) {
    const auto it = payload.find(key);
    if (it == payload.end() || it->is_null()) {
        return {};
    }
    return QString::fromStdString(it->is_string() ? it->get<std::string>() : it->dump());
}

// The entry in a line a proctor reads: the common kinds in words, the others as key=value.
QString summaryOf(const LogEntry& e) {
    const auto payload = nlohmann::json::parse(e.payload, nullptr, false);
    if (!payload.is_object()) {
        return QString::fromStdString(e.payload);
    }
    if (e.kind == "checkin.attempt") {
        QStringList reasons;
        if (auto r = payload.find("reasons"); r != payload.end() && r->is_array()) {
            for (const auto& code : *r) {
                if (code.is_string()) {
                    reasons << reasonText(code.get<std::string>());
                }
            }
        }
        QString line = TimelineModel::tr("seat %1 · %2 · %3 · liveness: %4")
                           .arg(text(payload, "seat"), text(payload, "id_number"),
                                decisionText(text(payload, "decision").toStdString()),
                                livenessText(text(payload, "liveness").toStdString()));
        return reasons.isEmpty() ? line : line + QStringLiteral(" · ") + reasons.join(", ");
    }
    if (e.kind == "checkin.override") {
        const QString seat = text(payload, "seat");
        return (seat.isEmpty() ? QString() : TimelineModel::tr("seat %1 · ").arg(seat)) +
               TimelineModel::tr("check-in %1 (%2): %3 → %4 · reason: %5")
                   .arg(text(payload, "checkin_id"), text(payload, "id_number"),
                        decisionText(text(payload, "decision").toStdString()),
                        decisionText(text(payload, "override").toStdString()),
                        text(payload, "reason"));
    }
    if (e.kind == "room.note") {
        return text(payload, "text");
    }
    if (e.kind == "score.imported") {
        return TimelineModel::tr("%1 scores (%2 passed, %3 absent)")
            .arg(text(payload, "rows"), text(payload, "passed"), text(payload, "absent"));
    }
    if (e.kind == "netaudit.audit") {
        return TimelineModel::tr("%1 packets, %2 hosts, findings: %3")
            .arg(text(payload, "packets"), text(payload, "hosts"), text(payload, "findings"));
    }
    if (e.kind == "camera.event" || e.kind == "camera.signal_lost" || e.kind == "camera.snapshot") {
        const QString kind = text(payload, "kind");
        return TimelineModel::tr("camera %1%2 · from %3")
            .arg(text(payload, "camera"),
                 kind.isEmpty() ? QString()
                                : QStringLiteral(" · ") + cameraEventText(kind.toStdString()),
                 text(payload, "start_at"));
    }
    QStringList parts;
    for (const auto& [key, value] : payload.items()) {
        if (key == "sitting_id" || key == "snapshot_sha256" || key == "model" ||
            key == "threshold" || key == "seen_macs") {
            continue;
        }
        parts << QStringLiteral("%1=%2").arg(
            QString::fromStdString(key),
            QString::fromStdString(value.is_string() ? value.get<std::string>() : value.dump()));
    }
    return parts.join(QStringLiteral("  "));
}

struct Fetched {
    Expected<std::vector<LogEntry>> entries;
    std::int64_t sittingId = 0;
    bool replace = false;
};

}  // namespace

QString TimelineModel::category(const std::string& kind) {
    const auto dot = kind.find('.');
    const std::string head = kind.substr(0, dot);
    if (head == "checkin" || head == "impersonation") {
        return QStringLiteral("checkin");
    }
    if (head == "netaudit" || head == "agent" || head == "lan") {
        return QStringLiteral("lan");
    }
    if (head == "camera" || head == "monitor" || head == "recording") {
        return QStringLiteral("camera");
    }
    if (head == "archive" || head == "period" || head == "score" || head == "room") {
        return QStringLiteral("records");
    }
    return QStringLiteral("other");
}

QString TimelineModel::kindText(const std::string& kind) {
    static const std::pair<const char*, const char*> kKinds[] = {
        {"checkin.attempt", QT_TRANSLATE_NOOP("TimelineModel", "identity check")},
        {"checkin.override", QT_TRANSLATE_NOOP("TimelineModel", "proctor override")},
        {"checkin.card_photo", QT_TRANSLATE_NOOP("TimelineModel", "ID card photo kept")},
        {"camera.event", QT_TRANSLATE_NOOP("TimelineModel", "camera alert")},
        {"camera.signal_lost", QT_TRANSLATE_NOOP("TimelineModel", "camera signal lost")},
        {"camera.snapshot", QT_TRANSLATE_NOOP("TimelineModel", "proctor snapshot")},
        {"camera.added", QT_TRANSLATE_NOOP("TimelineModel", "camera registered")},
        {"recording.segment", QT_TRANSLATE_NOOP("TimelineModel", "recording segment")},
        {"recording.started", QT_TRANSLATE_NOOP("TimelineModel", "recording started")},
        {"recording.stopped", QT_TRANSLATE_NOOP("TimelineModel", "recording stopped")},
        {"recording.disk_low", QT_TRANSLATE_NOOP("TimelineModel", "recording disk low")},
        {"recording.write_error", QT_TRANSLATE_NOOP("TimelineModel", "recording write error")},
        {"netaudit.audit", QT_TRANSLATE_NOOP("TimelineModel", "LAN audit")},
        {"agent.import", QT_TRANSLATE_NOOP("TimelineModel", "exam-PC agent report")},
        {"agent.import_refused", QT_TRANSLATE_NOOP("TimelineModel", "agent report refused")},
        {"agent.enroll", QT_TRANSLATE_NOOP("TimelineModel", "exam PC enrolled")},
        {"period.imported", QT_TRANSLATE_NOOP("TimelineModel", "exam period imported")},
        {"score.imported", QT_TRANSLATE_NOOP("TimelineModel", "scores imported")},
        {"room.note", QT_TRANSLATE_NOOP("TimelineModel", "room record note")},
        {"archive.sealed", QT_TRANSLATE_NOOP("TimelineModel", "archive sealed")},
        {"platform.checked", QT_TRANSLATE_NOOP("TimelineModel", "platform face check")},
        {"platform.signed", QT_TRANSLATE_NOOP("TimelineModel", "platform sign-in")},
        {"platform.queued", QT_TRANSLATE_NOOP("TimelineModel", "platform sign-in queued")},
        {"platform.rejected", QT_TRANSLATE_NOOP("TimelineModel", "platform rejected")},
        {"user.login", QT_TRANSLATE_NOOP("TimelineModel", "login")},
        {"user.login_failed", QT_TRANSLATE_NOOP("TimelineModel", "failed login")},
        {"user.locked", QT_TRANSLATE_NOOP("TimelineModel", "account locked")},
    };
    for (const auto& [code, name] : kKinds) {
        if (kind == code) {
            // The context the names were marked with, not this class's qualified one.
            return QCoreApplication::translate("TimelineModel", name);
        }
    }
    return QString::fromStdString(kind);  // a kind newer than this console: its code
}

QString TimelineModel::categoryText(const QString& category) {
    if (category == QLatin1String("checkin")) {
        return tr("Check-in");
    }
    if (category == QLatin1String("lan")) {
        return tr("LAN and exam PCs");
    }
    if (category == QLatin1String("camera")) {
        return tr("Cameras");
    }
    if (category == QLatin1String("records")) {
        return tr("Records and archive");
    }
    return tr("Other");
}

void TimelineModel::reset(std::vector<LogEntry> entries) {
    beginResetModel();
    m_entries = std::move(entries);
    endResetModel();
}

void TimelineModel::append(std::vector<LogEntry> entries) {
    if (entries.empty()) {
        return;
    }
    const int first = static_cast<int>(m_entries.size());
    beginInsertRows({}, first, first + static_cast<int>(entries.size()) - 1);
    for (auto& e : entries) {
        m_entries.push_back(std::move(e));
    }
    endInsertRows();
}

int TimelineModel::rowCount(const QModelIndex& parent) const {
    return parent.isValid() ? 0 : static_cast<int>(m_entries.size());
}

int TimelineModel::columnCount(const QModelIndex& parent) const {
    return parent.isValid() ? 0 : ColumnCount;
}

QVariant TimelineModel::data(const QModelIndex& index, int role) const {
    if (!index.isValid() || index.row() >= rowCount()) {
        return {};
    }
    const LogEntry& e = m_entries[static_cast<std::size_t>(index.row())];
    if (role == CategoryRole) {
        return category(e.kind);
    }
    if (role != Qt::DisplayRole && role != Qt::ToolTipRole) {
        return {};
    }
    switch (index.column()) {
        case Time:
            return entryTime(e.recordedAt);
        case Kind:
            // The proctor reads the event's name; the code stays in the tooltip.
            return role == Qt::ToolTipRole ? QString::fromStdString(e.kind) : kindText(e.kind);
        case Actor:
            return QString::fromStdString(e.actor);
        case Summary:
            return summaryOf(e);
        default:
            return {};
    }
}

QVariant TimelineModel::headerData(int section, Qt::Orientation orientation, int role) const {
    if (orientation != Qt::Horizontal || role != Qt::DisplayRole) {
        return {};
    }
    switch (section) {
        case Time:
            return tr("Time");
        case Kind:
            return tr("Event");
        case Actor:
            return tr("By");
        case Summary:
            return tr("Details");
        default:
            return {};
    }
}

void TimelineFilter::setCategory(const QString& category) {
    m_category = category;
    invalidateFilter();
}

bool TimelineFilter::filterAcceptsRow(int row, const QModelIndex& parent) const {
    const QModelIndex index = sourceModel()->index(row, 0, parent);
    if (!m_category.isEmpty() &&
        sourceModel()->data(index, TimelineModel::CategoryRole).toString() != m_category) {
        return false;
    }
    const auto re = filterRegularExpression();
    if (re.pattern().isEmpty()) {
        return true;
    }
    for (int c = 0; c < TimelineModel::ColumnCount; ++c) {
        if (sourceModel()->data(sourceModel()->index(row, c, parent)).toString().contains(re)) {
            return true;
        }
    }
    return false;
}

Timeline::Timeline(StationThread& worker, QWidget* parent)
    : QWidget(parent),
      m_worker(worker),
      m_model(new TimelineModel(this)),
      m_filter(new TimelineFilter(this)),
      m_category(new QComboBox(this)),
      m_search(new QLineEdit(this)),
      m_view(new QTableView(this)),
      m_detail(new QTextBrowser(this)),
      m_snapshot(new QLabel(this)) {
    m_filter->setSourceModel(m_model);
    m_filter->setFilterCaseSensitivity(Qt::CaseInsensitive);
    m_category->addItem(tr("All events"), QString());
    for (const char* c : {"checkin", "lan", "camera", "records", "other"}) {
        m_category->addItem(TimelineModel::categoryText(QLatin1String(c)), QLatin1String(c));
    }
    m_search->setPlaceholderText(tr("Filter: seat, kind, actor…"));
    m_search->setClearButtonEnabled(true);
    m_view->setModel(m_filter);
    m_view->setSelectionBehavior(QAbstractItemView::SelectRows);
    m_view->setSelectionMode(QAbstractItemView::SingleSelection);
    m_view->horizontalHeader()->setStretchLastSection(true);
    m_view->verticalHeader()->hide();
    m_view->setWordWrap(false);
    m_snapshot->setAlignment(Qt::AlignCenter);
    m_snapshot->setMinimumSize(320, 240);

    auto* top = new QHBoxLayout;
    auto* label = new QLabel(tr("&Show:"), this);
    label->setBuddy(m_category);
    top->addWidget(label);
    top->addWidget(m_category);
    top->addWidget(m_search, 1);
    auto* evidence = new QWidget(this);
    auto* evidenceLayout = new QVBoxLayout(evidence);
    evidenceLayout->setContentsMargins(0, 0, 0, 0);
    evidenceLayout->addWidget(m_snapshot);
    evidenceLayout->addWidget(m_detail, 1);
    auto* split = new QSplitter(this);
    split->addWidget(m_view);
    split->addWidget(evidence);
    split->setStretchFactor(0, 3);
    split->setStretchFactor(1, 2);
    auto* layout = new QVBoxLayout(this);
    layout->addLayout(top);
    layout->addWidget(split, 1);

    connect(m_category, &QComboBox::currentIndexChanged, this,
            [this] { m_filter->setCategory(m_category->currentData().toString()); });
    connect(m_search, &QLineEdit::textChanged, this, [this](const QString& text) {
        m_filter->setFilterRegularExpression(QRegularExpression(
            QRegularExpression::escape(text), QRegularExpression::CaseInsensitiveOption));
    });
    connect(m_view->selectionModel(), &QItemSelectionModel::currentRowChanged, this,
            [this](const QModelIndex& current) { showEvidence(current); });
}

void Timeline::setSitting(std::int64_t sittingId) {
    if (sittingId == m_sittingId) {
        return;
    }
    m_sittingId = sittingId;
    m_model->reset({});
    m_detail->clear();
    m_snapshot->clear();
    refresh();
}

void Timeline::refresh() {
    if (m_sittingId == 0 || m_pending) {
        return;
    }
    m_pending = true;
    const std::int64_t sitting = m_sittingId;
    const std::int64_t after = m_model->lastSeq();
    m_worker.post<Fetched>(
        this,
        [sitting, after](StationContext& ctx) -> Fetched {
            auto st = ctx.station();
            if (!st) {
                return {tl::unexpected(st.error()), sitting};
            }
            return {station::sittingTimeline(**st, sitting, after), sitting};
        },
        [this](Fetched f) {
            m_pending = false;
            if (f.sittingId != m_sittingId) {
                refresh();  // the sitting changed meanwhile
                return;
            }
            if (!f.entries) {
                m_detail->setPlainText(tr("The event log cannot be read: %1")
                                           .arg(QString::fromStdString(f.entries.error().detail)));
                return;
            }
            m_model->append(std::move(*f.entries));
            emit loaded();
        });
}

void Timeline::select(int proxyRow) {
    m_view->selectRow(proxyRow);
}

QString Timeline::detailShown() const {
    return m_detail->toPlainText();
}

void Timeline::showEvidence(const QModelIndex& proxyIndex) {
    const QModelIndex source = m_filter->mapToSource(proxyIndex);
    if (!source.isValid()) {
        return;
    }
    const LogEntry entry = m_model->entry(source.row());
    const auto payload = nlohmann::json::parse(entry.payload, nullptr, false);
    const QString header = tr("%1 · %2 · by %3 · log entry %4")
                               .arg(entryTime(entry.recordedAt), QString::fromStdString(entry.kind),
                                    QString::fromStdString(entry.actor))
                               .arg(entry.seq);
    m_detail->setPlainText(
        header + QStringLiteral("\n\n") +
        QString::fromStdString(payload.is_discarded() ? entry.payload : payload.dump(2)));
    m_snapshot->clear();
    using Result = Expected<station::TimelineEvidence>;
    m_worker.post<Result>(
        this,
        [entry](StationContext& ctx) -> Result {
            auto st = ctx.station();
            if (!st) {
                return tl::unexpected(st.error());
            }
            return station::timelineEvidence(**st, entry);
        },
        [this, seq = entry.seq, header](Result r) {
            const QModelIndex now = m_filter->mapToSource(m_view->currentIndex());
            if (!now.isValid() || m_model->entry(now.row()).seq != seq) {
                return;  // the proctor moved on
            }
            if (!r) {
                m_detail->append(tr("\nEvidence cannot be read: %1")
                                     .arg(QString::fromStdString(r.error().detail)));
            } else {
                QImage image;
                if (!r->snapshot.empty() &&
                    image.loadFromData(r->snapshot.data(), static_cast<int>(r->snapshot.size()))) {
                    m_snapshot->setPixmap(QPixmap::fromImage(image.scaled(
                        m_snapshot->size(), Qt::KeepAspectRatio, Qt::SmoothTransformation)));
                } else {
                    m_snapshot->setText(tr("No snapshot for this event."));
                }
                if (r->recordingPath) {
                    m_detail->append(tr("\nRecording: %1 at %2 s")
                                         .arg(QString::fromStdString(*r->recordingPath))
                                         .arg(r->recordingOffsetSeconds, 0, 'f', 1));
                }
            }
            emit evidenceShown();
        });
}

}  // namespace examguard::console
