#pragma once

#include <QDialog>

#include "console/session.h"

class QLabel;
class QLineEdit;
class QPushButton;

namespace examguard::console {

class StationThread;

// Login with the station's accounts (roles from the foundation). The password is checked on
// the station thread: scrypt takes a tenth of a second or more by design. Failures are counted
// and locked out by the store; the dialog only says which.
class LoginDialog final : public QDialog {
    Q_OBJECT
public:
    explicit LoginDialog(StationThread& worker, QWidget* parent = nullptr);
    const Session& session() const { return m_session; }
    QString errorShown() const;

signals:
    void attempted();  // after each answer from the store, for tests

private:
    void tryLogin();

    StationThread& m_worker;
    Session m_session;
    QLineEdit* m_login;
    QLineEdit* m_password;
    QLabel* m_error;
    QPushButton* m_ok;
};

}  // namespace examguard::console
