#include "console/override_dialog.h"

#include <QDialogButtonBox>
#include <QLabel>
#include <QPlainTextEdit>
#include <QPushButton>
#include <QRadioButton>
#include <QVBoxLayout>

namespace examguard::console {

OverrideDialog::OverrideDialog(std::int64_t checkinId, QWidget* parent)
    : QDialog(parent),
      m_pass(new QRadioButton(tr("&Admit: the candidate is who the card says"), this)),
      m_refuse(new QRadioButton(tr("&Refuse entry"), this)),
      m_reason(new QPlainTextEdit(this)),
      m_buttons(new QDialogButtonBox(QDialogButtonBox::Ok | QDialogButtonBox::Cancel, this)) {
    setWindowTitle(tr("Override check-in %1").arg(checkinId));
    auto* layout = new QVBoxLayout(this);
    layout->addWidget(m_pass);
    layout->addWidget(m_refuse);
    auto* label = new QLabel(tr("Reason (required; kept in the event log and the archive):"), this);
    label->setBuddy(m_reason);
    layout->addWidget(label);
    m_reason->setObjectName(QStringLiteral("overrideReason"));
    m_reason->setTabChangesFocus(true);
    layout->addWidget(m_reason);
    layout->addWidget(m_buttons);
    m_pass->setChecked(true);
    const auto check = [this] {
        m_buttons->button(QDialogButtonBox::Ok)->setEnabled(!reason().isEmpty());
    };
    connect(m_reason, &QPlainTextEdit::textChanged, this, check);
    connect(m_buttons, &QDialogButtonBox::accepted, this, &QDialog::accept);
    connect(m_buttons, &QDialogButtonBox::rejected, this, &QDialog::reject);
    check();
    m_reason->setFocus();
}

station::checkin::Decision OverrideDialog::decision() const {
    return m_pass->isChecked() ? station::checkin::Decision::Pass
                               : station::checkin::Decision::Refuse;
}

QString OverrideDialog::reason() const {
    return m_reason->toPlainText().trimmed();
}

}  // namespace examguard::console
