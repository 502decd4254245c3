#include "console/login_dialog.h"

#include <QDialogButtonBox>
#include <QFormLayout>
#include <QLabel>
#include <QLineEdit>
#include <QPushButton>

#include "console/station_thread.h"

namespace examguard::console {

LoginDialog::LoginDialog(StationThread& worker, QWidget* parent)
    : QDialog(parent),
      m_worker(worker),
      m_login(new QLineEdit(this)),
      m_password(new QLineEdit(this)),
      m_error(new QLabel(this)) {
    setWindowTitle(tr("ExamGuard: log in"));
    auto* form = new QFormLayout(this);
    m_login->setObjectName(QStringLiteral("login"));
    m_password->setObjectName(QStringLiteral("password"));
    m_password->setEchoMode(QLineEdit::Password);
    form->addRow(tr("&User:"), m_login);
    form->addRow(tr("&Password:"), m_password);
    m_error->setStyleSheet(QStringLiteral("color: #b00020"));
    m_error->setWordWrap(true);
    form->addRow(m_error);
    auto* buttons = new QDialogButtonBox(QDialogButtonBox::Ok | QDialogButtonBox::Cancel, this);
    m_ok = buttons->button(QDialogButtonBox::Ok);
    m_ok->setText(tr("Log in"));
    form->addRow(buttons);
    connect(buttons, &QDialogButtonBox::accepted, this, &LoginDialog::tryLogin);
    connect(buttons, &QDialogButtonBox::rejected, this, &QDialog::reject);
    setMinimumWidth(360);
}

QString LoginDialog::errorShown() const {
    return m_error->text();
}

void LoginDialog::tryLogin() {
    const std::string login = m_login->text().trimmed().toStdString();
    const std::string password = m_password->text().toStdString();
    if (login.empty() || password.empty()) {
        m_error->setText(tr("Enter your user name and password."));
        return;
    }
    m_ok->setEnabled(false);
    m_error->setText(tr("Checking…"));
    using Result = station::Expected<station::UserInfo>;
    m_worker.post<Result>(
        this,
        [login, password](StationContext& ctx) -> Result {
            auto st = ctx.station();
            if (!st) {
                return tl::unexpected(st.error());
            }
            return station::UserStore(**st).authenticate(login, password);
        },
        [this](Result user) {
            m_ok->setEnabled(true);
            m_password->clear();
            if (!user) {
                // The store's detail may name the account; the dialog says only what to do.
                const auto code = user.error().code;
                m_error->setText(
                    code == station::ErrorCode::Locked
                        ? tr("This account is locked after too many failed attempts. Ask the "
                             "administrator, or wait.")
                    : code == station::ErrorCode::AuthFailed
                        ? tr("Wrong user name or password.")
                        : tr("The station cannot check the password: %1")
                              .arg(QString::fromStdString(user.error().detail)));
                emit attempted();
                return;
            }
            m_session.login = QString::fromStdString(user->login);
            m_session.userId = user->id;
            m_session.role = user->role;
            m_error->clear();
            emit attempted();
            accept();
        });
}

}  // namespace examguard::console
