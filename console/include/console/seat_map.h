#pragma once

#include <QListView>

namespace examguard::console {

class SeatModel;

// The room's seats as coloured tiles (seat and state), in seat order; a tooltip gives the
// latest reason. Keyboard: arrows move, the tiles are a normal list view.
class SeatMap final : public QListView {
    Q_OBJECT
public:
    explicit SeatMap(SeatModel* model, QWidget* parent = nullptr);
};

}  // namespace examguard::console
