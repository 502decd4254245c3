#pragma once

#include <QAbstractTableModel>
#include <QSortFilterProxyModel>
#include <QWidget>
#include <vector>

#include "station/event_log.h"

class QComboBox;
class QLabel;
class QLineEdit;
class QTableView;
class QTextBrowser;

namespace examguard::console {

class StationThread;

// The sitting's log entries (station core's LogEntry) as a table: time, kind, actor, summary.
class TimelineModel final : public QAbstractTableModel {
    Q_OBJECT
public:
    enum Column { Time, Kind, Actor, Summary, ColumnCount };
    static constexpr int CategoryRole = Qt::UserRole + 1;  // "checkin", "lan", "camera", …

    using QAbstractTableModel::QAbstractTableModel;
    void reset(std::vector<station::LogEntry> entries);
    void append(std::vector<station::LogEntry> entries);
    const station::LogEntry& entry(int row) const { return m_entries.at(row); }
    std::int64_t lastSeq() const { return m_entries.empty() ? 0 : m_entries.back().seq; }

    int rowCount(const QModelIndex& parent = {}) const override;
    int columnCount(const QModelIndex& parent = {}) const override;
    QVariant data(const QModelIndex& index, int role = Qt::DisplayRole) const override;
    QVariant headerData(int section, Qt::Orientation orientation,
                        int role = Qt::DisplayRole) const override;

    static QString category(const std::string& kind);
    // The log entry's kind in the proctor's language.
    static QString kindText(const std::string& kind);
    static QString categoryText(const QString& category);

private:
    std::vector<station::LogEntry> m_entries;
};

// Keeps the rows of one category (empty: all) whose text contains the filter text.
class TimelineFilter final : public QSortFilterProxyModel {
    Q_OBJECT
public:
    using QSortFilterProxyModel::QSortFilterProxyModel;
    void setCategory(const QString& category);

protected:
    bool filterAcceptsRow(int row, const QModelIndex& parent) const override;

private:
    QString m_category;
};

// Every event of the sitting, filterable; choosing one shows its details and the evidence it
// links to (snapshot, recording and time within it). Read on the station thread.
class Timeline final : public QWidget {
    Q_OBJECT
public:
    Timeline(StationThread& worker, QWidget* parent = nullptr);
    void setSitting(std::int64_t sittingId);
    // Fetches the entries logged since the last fetch.
    void refresh();
    TimelineModel* model() const { return m_model; }
    TimelineFilter* filter() const { return m_filter; }
    QTableView* view() const { return m_view; }
    void select(int proxyRow);
    QString detailShown() const;

signals:
    void loaded();
    void evidenceShown();

private:
    void showEvidence(const QModelIndex& proxyIndex);

    StationThread& m_worker;
    std::int64_t m_sittingId = 0;
    bool m_pending = false;
    TimelineModel* m_model;
    TimelineFilter* m_filter;
    QComboBox* m_category;
    QLineEdit* m_search;
    QTableView* m_view;
    QTextBrowser* m_detail;
    QLabel* m_snapshot;
};

}  // namespace examguard::console
