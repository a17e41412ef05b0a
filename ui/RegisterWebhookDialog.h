#pragma once

#include "CrcDoctor.h"
#include "Validation.h"

#include <QDialog>
#include <QList>
#include <QPointer>
#include <QSslCertificate>

class QDialogButtonBox;
class QLabel;
class QLineEdit;
class QNetworkAccessManager;
class QPushButton;

namespace activity {

class CrcDoctorDialog;
class CrcSelfTest;
struct ApiError;

// Asks for the URL of a new webhook and checks it as you type, with the rules of X (or the lenient
// loopback rules for a sandbox profile), saying what is wrong. The dialog does not call the API:
// it emits registerRequested(); the window runs the call, and on failure shows the reason here so
// the person can fix the URL without starting again.
//
// "Test endpoint (CRC)…" calls the typed URL the way X's CRC check will (CrcSelfTest), without
// registering anything, and shows the verdict (status, latency, expected and received token) in
// the dialog. It needs setCrcSelfTest(); the consumer secret is used, never shown.
// "Diagnose…" opens the CRC doctor (CrcDoctorDialog) for the typed URL; it needs setCrcDoctor().
class RegisterWebhookDialog : public QDialog
{
    Q_OBJECT
public:
    // The URL is checked live against `generation`'s rules (v2 allows at most 200 characters).
    RegisterWebhookDialog(validate::UrlPolicy policy, ApiGeneration generation, const QString &prefill,
                          QWidget *parent = nullptr);

    QString url() const;
    void setUrl(const QString &url);
    bool canSubmit() const;
    QString problem() const;

    // While the register call runs (X runs a CRC against the URL, up to a few seconds).
    void setBusy(bool busy);
    void showServerProblem(const ApiError &error);

    // Enables the CRC self-test with the current profile's network manager and consumer secret.
    void setCrcSelfTest(QNetworkAccessManager *network, const QByteArray &consumerSecret,
                        const QList<QSslCertificate> &extraCaCertificates = {});
    bool canRunCrcSelfTest() const;
    bool isCrcSelfTestRunning() const;
    // The last verdict as shown ("Passed in 12 ms …", "Failed: …"); empty before the first test.
    QString crcSelfTestText() const;
    // Starts the self-test against url(); ignored when canRunCrcSelfTest() is false.
    void runCrcSelfTest();

    // Enables "Diagnose…" with the current profile's network manager and doctor options (no
    // webhook: the URL is not registered, so X's re-validation is not part of the run).
    void setCrcDoctor(QNetworkAccessManager *network, const CrcDoctorOptions &options);
    // Opens the CRC doctor for url() (a doctor already open runs again for it); null without
    // setCrcDoctor() or a URL.
    CrcDoctorDialog *openCrcDoctor();
    CrcDoctorDialog *crcDoctorDialog() const;

Q_SIGNALS:
    void registerRequested(const QString &url);
    void crcSelfTestFinished(bool passed);

private:
    void revalidate();
    void submit();
    void showCrcSelfTestResult();
    void updateCrcButton();
    void updateDoctorButton();

    validate::UrlPolicy m_policy;
    ApiGeneration m_generation;
    QLineEdit *m_url = nullptr;
    QLabel *m_problem = nullptr;
    QDialogButtonBox *m_buttons = nullptr;
    QPushButton *m_submit = nullptr;
    QPushButton *m_crcButton = nullptr;
    QLabel *m_crcResult = nullptr;
    QPushButton *m_doctorButton = nullptr;
    QPointer<QNetworkAccessManager> m_doctorNetwork; // null until setCrcDoctor()
    CrcDoctorOptions m_doctorOptions;
    QPointer<CrcDoctorDialog> m_doctorDialog;
    CrcSelfTest *m_crcTest = nullptr; // null until setCrcSelfTest()
    bool m_hasConsumerSecret = false;
    bool m_busy = false;
    bool m_valid = false;
};

} // namespace activity
