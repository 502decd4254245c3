#pragma once

#include <QAbstractTableModel>
#include <vector>

#include "station/seat_status.h"

namespace examguard::console {

// The sitting's seats as a table (seat, exam number, masked ID, state), over the station
// core's SeatStatus. Colours by state come back for Qt::BackgroundRole, so any view shows them.
class SeatModel final : public QAbstractTableModel {
    Q_OBJECT
public:
    enum Column { Seat, ExamNumber, IdNumber, State, ColumnCount };
    // The state as an int, for views and tests that need it rather than its translated text.
    static constexpr int StateRole = Qt::UserRole + 1;

    using QAbstractTableModel::QAbstractTableModel;

    // Replaces the rows; a refresh with the same seats keeps views' selection (dataChanged).
    void setSeats(std::vector<station::SeatStatus> seats);
    const std::vector<station::SeatStatus>& seats() const { return m_seats; }
    int count(station::SeatState state) const;

    int rowCount(const QModelIndex& parent = {}) const override;
    int columnCount(const QModelIndex& parent = {}) const override;
    QVariant data(const QModelIndex& index, int role = Qt::DisplayRole) const override;
    QVariant headerData(int section, Qt::Orientation orientation,
                        int role = Qt::DisplayRole) const override;

    static QString stateText(station::SeatState state);
    static QColor stateColor(station::SeatState state);

private:
    std::vector<station::SeatStatus> m_seats;
};

}  // namespace examguard::console
