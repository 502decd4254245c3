#include "console/lan_panel.h"

#include <QFileDialog>
#include <QHBoxLayout>
#include <QHeaderView>
#include <QInputDialog>
#include <QLabel>
#include <QProgressBar>
#include <QPushButton>
#include <QSplitter>
#include <QTableView>
#include <QVBoxLayout>

#include "console/station_thread.h"
#include "station/crypto.h"

namespace examguard::console {

using station::Expected;

namespace {

QString text(const std::string& s) {
    return s.empty() ? QStringLiteral("—") : QString::fromStdString(s);
}

struct LanState {
    Expected<std::vector<netaudit::RegistryEntry>> machines;
    Expected<std::vector<station::StoredFinding>> findings;
    Expected<std::optional<station::AuditSighting>> sighting;
    std::string version;
    bool unchanged = false;  // nothing read: the panel shows the current records already
};

struct AuditRun {
    Expected<std::int64_t> stored;  // the log entry's seq
    std::set<std::string> seenMacs;
    std::size_t packets = 0;
    std::size_t findings = 0;
};

QTableView* tableView(QAbstractItemModel* model, QWidget* parent) {
    auto* view = new QTableView(parent);
    view->setModel(model);
    view->setSelectionBehavior(QAbstractItemView::SelectRows);
    // Addresses and times are read whole; the evidence takes the rest of the width.
    view->horizontalHeader()->setSectionResizeMode(QHeaderView::ResizeToContents);
    view->horizontalHeader()->setStretchLastSection(true);
    view->setWordWrap(false);
    view->verticalHeader()->hide();
    view->setSortingEnabled(false);
    return view;
}

}  // namespace

QString FindingModel::kindText(const std::string& kind) {
    static const std::pair<const char*, const char*> kKinds[] = {
        {"remote_control", QT_TR_NOOP("remote-control software")},
        {"unregistered_device", QT_TR_NOOP("device not filed")},
        {"missing_device", QT_TR_NOOP("filed machine not seen")},
        {"mac_ip_mismatch", QT_TR_NOOP("MAC/IP differs from the filing")},
        {"duplicate_ip", QT_TR_NOOP("IP address used twice")},
        {"arp_spoof", QT_TR_NOOP("ARP spoofing")},
        {"forbidden_destination", QT_TR_NOOP("traffic to a forbidden destination")},
        {"virtual_machine", QT_TR_NOOP("virtual machine")},
        {"wireless_peripheral", QT_TR_NOOP("wireless keyboard/mouse receiver")},
    };
    for (const auto& [code, label] : kKinds) {
        if (kind == code) {
            return tr(label);
        }
    }
    return QString::fromStdString(kind);
}

void FindingModel::setFindings(std::vector<station::StoredFinding> findings) {
    beginResetModel();
    m_findings = std::move(findings);
    endResetModel();
}

int FindingModel::rowCount(const QModelIndex& parent) const {
    return parent.isValid() ? 0 : static_cast<int>(m_findings.size());
}

int FindingModel::columnCount(const QModelIndex& parent) const {
    return parent.isValid() ? 0 : ColumnCount;
}

QVariant FindingModel::data(const QModelIndex& index, int role) const {
    if (!index.isValid() || index.row() >= rowCount()) {
        return {};
    }
    const auto& f = m_findings[static_cast<std::size_t>(index.row())];
    if (role == Qt::ForegroundRole && index.column() == Kind) {
        return QColor(0xb0, 0x00, 0x20);
    }
    if (role != Qt::DisplayRole && role != Qt::ToolTipRole) {
        return {};
    }
    switch (index.column()) {
        case Kind:
            return kindText(f.kind);
        case App:
            return text(f.app);
        case Seat:
            return text(f.seat);
        case Ip:
            return text(f.ip);
        case Mac:
            return text(f.mac);
        case Source:
            return f.source == "agent"        ? tr("exam-PC agent")
                   : f.source == "lan_active" ? tr("active sweep")
                                              : tr("passive capture");
        case LastSeen:
            return QString::fromStdString(f.lastSeen);
        case Evidence:
            return QString::fromStdString(f.evidence);
        default:
            return {};
    }
}

QVariant FindingModel::headerData(int section, Qt::Orientation orientation, int role) const {
    if (orientation != Qt::Horizontal || role != Qt::DisplayRole) {
        return {};
    }
    switch (section) {
        case Kind:
            return tr("Finding");
        case App:
            return tr("Software");
        case Seat:
            return tr("Seat");
        case Ip:
            return tr("IP");
        case Mac:
            return tr("MAC");
        case Source:
            return tr("Found by");
        case LastSeen:
            return tr("Last seen (UTC)");
        case Evidence:
            return tr("Evidence");
        default:
            return {};
    }
}

void MachineModel::setMachines(std::vector<netaudit::RegistryEntry> machines) {
    beginResetModel();
    m_machines = std::move(machines);
    endResetModel();
}

void MachineModel::setSeen(std::optional<std::set<std::string>> macs) {
    m_seen = std::move(macs);
    if (!m_machines.empty()) {
        emit dataChanged(index(0, Seen), index(rowCount() - 1, Seen));
    }
}

void MachineModel::setFindingsPerSeat(std::map<std::string, int> counts) {
    m_perSeat = std::move(counts);
    if (!m_machines.empty()) {
        emit dataChanged(index(0, Findings), index(rowCount() - 1, Findings));
    }
}

int MachineModel::rowCount(const QModelIndex& parent) const {
    return parent.isValid() ? 0 : static_cast<int>(m_machines.size());
}

int MachineModel::columnCount(const QModelIndex& parent) const {
    return parent.isValid() ? 0 : ColumnCount;
}

QVariant MachineModel::data(const QModelIndex& index, int role) const {
    if (!index.isValid() || index.row() >= rowCount()) {
        return {};
    }
    const auto& m = m_machines[static_cast<std::size_t>(index.row())];
    const auto perSeat = m_perSeat.find(m.seat);
    const int findings = perSeat == m_perSeat.end() ? 0 : perSeat->second;
    if (role == Qt::BackgroundRole && findings > 0) {
        return QColor(0xfa, 0xdb, 0xd8);
    }
    if (role != Qt::DisplayRole) {
        return {};
    }
    switch (index.column()) {
        case Seat:
            return QString::fromStdString(m.seat);
        case Hostname:
            return text(m.hostname);
        case Mac:
            return QString::fromStdString(m.mac.toString());
        case Ip:
            return QString::fromStdString(m.ip.toString());
        case Seen:
            if (!m_seen) {
                return tr("not audited yet");
            }
            return m_seen->count(m.mac.toString()) ? tr("seen") : tr("NOT SEEN");
        case Findings:
            return findings;
        default:
            return {};
    }
}

QVariant MachineModel::headerData(int section, Qt::Orientation orientation, int role) const {
    if (orientation != Qt::Horizontal || role != Qt::DisplayRole) {
        return {};
    }
    switch (section) {
        case Seat:
            return tr("Seat");
        case Hostname:
            return tr("Filed name");
        case Mac:
            return tr("Filed MAC");
        case Ip:
            return tr("Filed IP");
        case Seen:
            return tr("On the network");
        case Findings:
            return tr("Findings");
        default:
            return {};
    }
}

LanPanel::LanPanel(StationThread& worker, QWidget* parent)
    : QWidget(parent),
      m_worker(worker),
      m_findingModel(new FindingModel(this)),
      m_machineModel(new MachineModel(this)),
      m_findingView(tableView(m_findingModel, this)),
      m_machineView(tableView(m_machineModel, this)),
      m_status(new QLabel(this)),
      m_progress(new QProgressBar(this)),
      m_capture(new QPushButton(tr("Audit a capture file…"), this)),
      m_listen(new QPushButton(tr("Listen on the exam LAN…"), this)),
      m_stopButton(new QPushButton(tr("Stop"), this)) {
    m_progress->setRange(0, 0);  // busy: an audit has no known length
    m_progress->hide();
    m_stopButton->hide();
    m_status->setWordWrap(true);
    auto* top = new QHBoxLayout;
    top->addWidget(m_capture);
    top->addWidget(m_listen);
    top->addWidget(m_progress, 1);
    top->addWidget(m_stopButton);
    auto* split = new QSplitter(Qt::Vertical, this);
    auto* machines = new QWidget(split);
    auto* ml = new QVBoxLayout(machines);
    ml->setContentsMargins(0, 0, 0, 0);
    ml->addWidget(new QLabel(tr("Filed machines (报备)"), machines));
    ml->addWidget(m_machineView);
    auto* findings = new QWidget(split);
    auto* fl = new QVBoxLayout(findings);
    fl->setContentsMargins(0, 0, 0, 0);
    fl->addWidget(new QLabel(tr("Findings"), findings));
    fl->addWidget(m_findingView);
    split->addWidget(machines);
    split->addWidget(findings);
    auto* layout = new QVBoxLayout(this);
    layout->addLayout(top);
    layout->addWidget(m_status);
    layout->addWidget(split, 1);
    connect(m_capture, &QPushButton::clicked, this, &LanPanel::chooseCapture);
    connect(m_listen, &QPushButton::clicked, this, &LanPanel::chooseInterface);
    connect(m_stopButton, &QPushButton::clicked, this, &LanPanel::stopAudit);
}

void LanPanel::setPeriod(std::int64_t periodId) {
    if (periodId != m_periodId) {
        m_periodId = periodId;
        m_machineModel->setSeen(std::nullopt);
        m_version.clear();
        refresh();
    }
}

QString LanPanel::statusShown() const {
    return m_status->text();
}

void LanPanel::refresh() {
    if (m_periodId == 0) {
        return;
    }
    const std::int64_t period = m_periodId;
    const std::string shown = m_version;
    m_worker.post<LanState>(
        this,
        [period, shown](StationContext& ctx) -> LanState {
            auto st = ctx.station();
            if (!st) {
                return {tl::unexpected(st.error()), tl::unexpected(st.error()),
                        tl::unexpected(st.error())};
            }
            // The console refreshes every few seconds; the tables are rebuilt (and the
            // proctor's selection lost) only when the records changed.
            auto version = station::lanRecordsVersion(**st, period);
            if (version && *version == shown) {
                return {{}, {}, {}, *version, true};
            }
            return {
                station::registryOfPeriod(**st, period), station::findingsOfPeriod(**st, period),
                station::latestAuditSighting(**st, period), version.value_or(std::string()), false};
        },
        [this, period](LanState s) {
            if (period != m_periodId) {
                return;
            }
            if (s.unchanged) {
                emit loaded();
                return;
            }
            if (!s.machines || !s.findings) {
                m_status->setText(
                    tr("The LAN records cannot be read: %1")
                        .arg(QString::fromStdString(
                            (!s.machines ? s.machines.error() : s.findings.error()).detail)));
                return;
            }
            std::map<std::string, int> perSeat;
            for (const auto& f : *s.findings) {
                if (!f.seat.empty()) {
                    ++perSeat[f.seat];
                }
            }
            m_machineModel->setMachines(std::move(*s.machines));
            // "Seen" is what the period's latest audit saw, wherever it was run.
            if (s.sighting && *s.sighting) {
                m_machineModel->setSeen(std::move((*s.sighting)->seenMacs));
            }
            m_machineModel->setFindingsPerSeat(std::move(perSeat));
            m_findingModel->setFindings(std::move(*s.findings));
            m_version = std::move(s.version);
            if (!m_auditing) {
                m_status->setText(tr("%n finding(s) recorded for this period.", nullptr,
                                     m_findingModel->rowCount()));
            }
            emit loaded();
        });
}

void LanPanel::chooseCapture() {
    const QString file = QFileDialog::getOpenFileName(this, tr("Capture of the exam LAN"), {},
                                                      tr("Captures (*.pcap *.pcapng)"));
    if (!file.isEmpty()) {
        auditCaptureFile(file);
    }
}

void LanPanel::chooseInterface() {
    bool ok = false;
    const QString name =
        QInputDialog::getText(this, tr("Listen on the exam LAN"), tr("Network interface:"),
                              QLineEdit::Normal, QStringLiteral("eth0"), &ok);
    if (!ok || name.trimmed().isEmpty()) {
        return;
    }
    const int seconds = QInputDialog::getInt(this, tr("Listen on the exam LAN"),
                                             tr("For how many seconds:"), 60, 5, 3600, 5, &ok);
    if (ok) {
        auditInterface(name.trimmed(), seconds);
    }
}

void LanPanel::auditCaptureFile(const QString& path) {
    netaudit::AuditOptions options;
    options.captureFile = path.toStdString();
    runAudit(std::move(options), path);
}

void LanPanel::auditInterface(const QString& interfaceName, int seconds) {
    netaudit::AuditOptions options;
    options.live.interfaceName = interfaceName.toStdString();
    options.duration = std::chrono::seconds(seconds);
    runAudit(std::move(options), interfaceName);
}

void LanPanel::stopAudit() {
    if (m_stop) {
        *m_stop = true;
        m_status->setText(tr("Stopping: the findings so far are kept…"));
    }
}

void LanPanel::runAudit(netaudit::AuditOptions options, const QString& what) {
    if (m_auditing || m_periodId == 0) {
        return;
    }
    m_auditing = true;
    m_stop = std::make_shared<std::atomic_bool>(false);
    options.stopFlag = m_stop.get();
    m_capture->setEnabled(false);
    m_listen->setEnabled(false);
    m_progress->show();
    m_stopButton->setVisible(options.captureFile.empty());
    m_status->setText(tr("Auditing %1…").arg(what));
    const std::int64_t period = m_periodId;
    auto stop = m_stop;  // kept alive while the job runs
    const std::string actor = m_actor.toStdString();
    m_worker.post<AuditRun>(
        this,
        [options, period, stop, actor](StationContext& ctx) mutable -> AuditRun {
            AuditRun run{tl::unexpected(station::Error{station::ErrorCode::Io, {}})};
            auto st = ctx.station();
            auto filed = st ? station::registryOfPeriod(**st, period) : tl::unexpected(st.error());
            if (!filed) {
                run.stored = tl::unexpected(filed.error());
                return run;
            }
            options.registry = std::move(*filed);
            auto report = options.captureFile.empty() ? netaudit::auditLive(options)
                                                      : netaudit::auditCaptureFile(options);
            if (!report) {
                run.stored = station::fail(station::ErrorCode::BadInput, report.error().detail);
                return run;
            }
            for (const auto& h : report->hosts) {
                run.seenMacs.insert(h.mac.toString());
            }
            run.packets = report->packets;
            run.findings = report->findings.size();
            const std::string sha = station::sha256Hex(netaudit::toJson(*report).dump(
                -1, ' ', false, nlohmann::json::error_handler_t::replace));
            run.stored = station::storeFindings(**st, period, *report, sha, actor);
            return run;
        },
        [this, what](AuditRun run) {
            m_auditing = false;
            m_stop.reset();
            m_capture->setEnabled(true);
            m_listen->setEnabled(true);
            m_progress->hide();
            m_stopButton->hide();
            if (!run.stored) {
                m_status->setText(
                    tr("The audit of %1 failed: %2")
                        .arg(what, QString::fromStdString(run.stored.error().detail)));
                emit auditFinished(false);
                return;
            }
            m_machineModel->setSeen(std::move(run.seenMacs));
            m_status->setText(tr("Audit of %1: %2 packets, %3 new finding(s); log entry %4.")
                                  .arg(what)
                                  .arg(run.packets)
                                  .arg(run.findings)
                                  .arg(*run.stored));
            refresh();
            emit auditFinished(true);
        });
}

}  // namespace examguard::console
