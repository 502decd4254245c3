#pragma once

#include <QDialog>

#include "station/checkin/checkin.h"

class QDialogButtonBox;
class QPlainTextEdit;
class QRadioButton;

namespace examguard::console {

// The proctor's own decision on a check-in. The reason is required (the store refuses an
// override without one), so OK stays disabled until one is written.
class OverrideDialog final : public QDialog {
    Q_OBJECT
public:
    OverrideDialog(std::int64_t checkinId, QWidget* parent = nullptr);

    station::checkin::Decision decision() const;
    QString reason() const;

private:
    QRadioButton* m_pass;
    QRadioButton* m_refuse;
    QPlainTextEdit* m_reason;
    QDialogButtonBox* m_buttons;
};

}  // namespace examguard::console
