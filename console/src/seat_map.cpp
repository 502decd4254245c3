#include "console/seat_map.h"

#include <QPainter>
#include <QStyledItemDelegate>

#include "console/seat_model.h"

namespace examguard::console {

namespace {

class TileDelegate final : public QStyledItemDelegate {
public:
    using QStyledItemDelegate::QStyledItemDelegate;

    void paint(QPainter* painter, const QStyleOptionViewItem& option,
               const QModelIndex& index) const override {
        const QModelIndex stateIndex = index.siblingAtColumn(SeatModel::State);
        const QRect r = option.rect.adjusted(4, 4, -4, -4);
        painter->save();
        painter->setRenderHint(QPainter::Antialiasing);
        painter->setBrush(index.data(Qt::BackgroundRole).value<QColor>());
        painter->setPen(option.state & QStyle::State_Selected ? QPen(Qt::black, 3)
                                                              : QPen(QColor(0x90, 0x90, 0x90), 1));
        painter->drawRoundedRect(r, 6, 6);
        QFont big = option.font;
        big.setPointSizeF(option.font.pointSizeF() * 1.6);
        big.setBold(true);
        painter->setFont(big);
        painter->setPen(Qt::black);
        painter->drawText(r.adjusted(0, 6, 0, -r.height() / 2), Qt::AlignCenter,
                          index.data().toString());
        painter->setFont(option.font);
        painter->drawText(r.adjusted(4, r.height() / 2, -4, -6), Qt::AlignCenter | Qt::TextWordWrap,
                          stateIndex.data().toString());
        painter->restore();
    }

    QSize sizeHint(const QStyleOptionViewItem&, const QModelIndex&) const override {
        return {132, 92};
    }
};

}  // namespace

SeatMap::SeatMap(SeatModel* model, QWidget* parent) : QListView(parent) {
    setModel(model);
    setModelColumn(SeatModel::Seat);
    setViewMode(QListView::IconMode);
    setResizeMode(QListView::Adjust);
    setMovement(QListView::Static);
    setUniformItemSizes(true);
    setSpacing(6);
    setItemDelegate(new TileDelegate(this));
    setSelectionMode(QAbstractItemView::SingleSelection);
    setAccessibleName(tr("Seat map"));
}

}  // namespace examguard::console
