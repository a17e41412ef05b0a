#pragma once

#include "Validation.h"

#include <QDialog>

class QDialogButtonBox;
class QLabel;
class QLineEdit;
class QPushButton;

namespace activity {

struct ApiError;

// Asks for the URL of a new webhook and checks it as you type, with the rules of X (or the lenient
// loopback rules for a sandbox profile), saying what is wrong. The dialog does not call the API:
// it emits registerRequested(); the window runs the call, and on failure shows the reason here so
// the person can fix the URL without starting again.
class RegisterWebhookDialog : public QDialog
{
    Q_OBJECT
public:
    RegisterWebhookDialog(validate::UrlPolicy policy, const QString &prefill, QWidget *parent = nullptr);

    QString url() const;
    void setUrl(const QString &url);
    bool canSubmit() const;
    QString problem() const;

    // While the register call runs (X runs a CRC against the URL, up to a few seconds).
    void setBusy(bool busy);
    void showServerProblem(const ApiError &error);

Q_SIGNALS:
    void registerRequested(const QString &url);

private:
    void revalidate();
    void submit();

    validate::UrlPolicy m_policy;
    QLineEdit *m_url = nullptr;
    QLabel *m_problem = nullptr;
    QDialogButtonBox *m_buttons = nullptr;
    QPushButton *m_submit = nullptr;
    bool m_busy = false;
    bool m_valid = false;
};

} // namespace activity
