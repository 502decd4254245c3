#include "console/seat_model.h"

#include <QColor>

namespace examguard::console {

using station::SeatState;

void SeatModel::setSeats(std::vector<station::SeatStatus> seats) {
    const bool sameSeats =
        seats.size() == m_seats.size() &&
        std::equal(seats.begin(), seats.end(), m_seats.begin(),
                   [](const auto& a, const auto& b) { return a.seat == b.seat; });
    if (!sameSeats) {
        beginResetModel();
        m_seats = std::move(seats);
        endResetModel();
        return;
    }
    m_seats = std::move(seats);
    if (!m_seats.empty()) {
        emit dataChanged(index(0, 0), index(rowCount() - 1, ColumnCount - 1));
    }
}

int SeatModel::count(SeatState state) const {
    return static_cast<int>(std::count_if(m_seats.begin(), m_seats.end(),
                                          [&](const auto& s) { return s.state == state; }));
}

int SeatModel::rowCount(const QModelIndex& parent) const {
    return parent.isValid() ? 0 : static_cast<int>(m_seats.size());
}

int SeatModel::columnCount(const QModelIndex& parent) const {
    return parent.isValid() ? 0 : ColumnCount;
}

QVariant SeatModel::data(const QModelIndex& index, int role) const {
    if (!index.isValid() || index.row() >= rowCount() || index.column() >= ColumnCount) {
        return {};
    }
    const auto& s = m_seats[static_cast<std::size_t>(index.row())];
    switch (role) {
        case Qt::DisplayRole:
            switch (index.column()) {
                case Seat:
                    return QString::fromStdString(s.seat);
                case ExamNumber:
                    return QString::fromStdString(s.examNumber);
                case IdNumber:
                    return QString::fromStdString(s.idNumberMasked);  // never the full number
                case State:
                    return stateText(s.state);
            }
            break;
        case Qt::BackgroundRole:
            return stateColor(s.state);
        case Qt::ToolTipRole:
            return s.reason.empty()
                       ? stateText(s.state)
                       : tr("%1: %2").arg(stateText(s.state), QString::fromStdString(s.reason));
        case StateRole:
            return static_cast<int>(s.state);
        default:
            break;
    }
    return {};
}

QVariant SeatModel::headerData(int section, Qt::Orientation orientation, int role) const {
    if (orientation != Qt::Horizontal || role != Qt::DisplayRole) {
        return {};
    }
    switch (section) {
        case Seat:
            return tr("Seat");
        case ExamNumber:
            return tr("Exam number");
        case IdNumber:
            return tr("ID number");
        case State:
            return tr("State");
    }
    return {};
}

QString SeatModel::stateText(SeatState state) {
    switch (state) {
        case SeatState::NotYet:
            return tr("Not yet");
        case SeatState::CheckedIn:
            return tr("Checked in");
        case SeatState::Review:
            return tr("Awaiting review");
        case SeatState::Refused:
            return tr("Refused");
        case SeatState::Absent:
            return tr("Absent");
        case SeatState::Alert:
            return tr("Impersonation alert");
    }
    return {};
}

QColor SeatModel::stateColor(SeatState state) {
    // Readable on a bright desk monitor; red is kept for what needs the proctor now.
    switch (state) {
        case SeatState::NotYet:
            return QColor(0xe8, 0xea, 0xed);
        case SeatState::CheckedIn:
            return QColor(0xb7, 0xe4, 0xc7);
        case SeatState::Review:
            return QColor(0xff, 0xe0, 0x8a);
        case SeatState::Refused:
            return QColor(0xf6, 0xc0, 0x9b);
        case SeatState::Absent:
            return QColor(0xc8, 0xc8, 0xd8);
        case SeatState::Alert:
            return QColor(0xf2, 0x8b, 0x82);
    }
    return {};
}

}  // namespace examguard::console
