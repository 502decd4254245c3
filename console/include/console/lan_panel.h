#pragma once

#include <QAbstractTableModel>
#include <QWidget>
#include <atomic>
#include <map>
#include <memory>
#include <set>
#include <string>
#include <vector>

#include "netaudit/audit.h"
#include "station/lan_store.h"

class QLabel;
class QProgressBar;
class QPushButton;
class QTableView;

namespace examguard::console {

class StationThread;

// The period's stored LAN findings (station core's StoredFinding).
class FindingModel final : public QAbstractTableModel {
    Q_OBJECT
public:
    enum Column { Kind, App, Seat, Ip, Mac, Source, LastSeen, Evidence, ColumnCount };
    using QAbstractTableModel::QAbstractTableModel;
    void setFindings(std::vector<station::StoredFinding> findings);
    const std::vector<station::StoredFinding>& findings() const { return m_findings; }
    int rowCount(const QModelIndex& parent = {}) const override;
    int columnCount(const QModelIndex& parent = {}) const override;
    QVariant data(const QModelIndex& index, int role = Qt::DisplayRole) const override;
    QVariant headerData(int section, Qt::Orientation orientation,
                        int role = Qt::DisplayRole) const override;
    static QString kindText(const std::string& kind);

private:
    std::vector<station::StoredFinding> m_findings;
};

// The filed machines (netaudit's RegistryEntry), whether the last audit from this desk saw each,
// and how many findings name its seat.
class MachineModel final : public QAbstractTableModel {
    Q_OBJECT
public:
    enum Column { Seat, Hostname, Mac, Ip, Seen, Findings, ColumnCount };
    using QAbstractTableModel::QAbstractTableModel;
    void setMachines(std::vector<netaudit::RegistryEntry> machines);
    // MACs the last audit saw; nullopt: no audit from this desk yet.
    void setSeen(std::optional<std::set<std::string>> macs);
    void setFindingsPerSeat(std::map<std::string, int> counts);
    int rowCount(const QModelIndex& parent = {}) const override;
    int columnCount(const QModelIndex& parent = {}) const override;
    QVariant data(const QModelIndex& index, int role = Qt::DisplayRole) const override;
    QVariant headerData(int section, Qt::Orientation orientation,
                        int role = Qt::DisplayRole) const override;

private:
    std::vector<netaudit::RegistryEntry> m_machines;
    std::optional<std::set<std::string>> m_seen;
    std::map<std::string, int> m_perSeat;
};

// Filed machines against what the network shows, the findings with their evidence, and an
// audit run now (a capture file, or listening on an interface for a while), on the station
// thread with a progress bar and a stop button.
class LanPanel final : public QWidget {
    Q_OBJECT
public:
    LanPanel(StationThread& worker, QWidget* parent = nullptr);
    void setPeriod(std::int64_t periodId);
    void setActor(const QString& login) { m_actor = login; }
    void refresh();
    void auditCaptureFile(const QString& path);
    void auditInterface(const QString& interfaceName, int seconds);
    void stopAudit();
    FindingModel* findings() const { return m_findingModel; }
    MachineModel* machines() const { return m_machineModel; }
    QString statusShown() const;
    bool auditing() const { return m_auditing; }

signals:
    void loaded();
    void auditFinished(bool ok);

private:
    void runAudit(netaudit::AuditOptions options, const QString& what);
    void chooseCapture();
    void chooseInterface();

    StationThread& m_worker;
    std::int64_t m_periodId = 0;
    QString m_actor = QStringLiteral("console");
    bool m_auditing = false;
    std::string m_version;  // of the records shown (lanRecordsVersion)
    std::shared_ptr<std::atomic_bool> m_stop;
    FindingModel* m_findingModel;
    MachineModel* m_machineModel;
    QTableView* m_findingView;
    QTableView* m_machineView;
    QLabel* m_status;
    QProgressBar* m_progress;
    QPushButton* m_capture;
    QPushButton* m_listen;
    QPushButton* m_stopButton;
};

}  // namespace examguard::console
