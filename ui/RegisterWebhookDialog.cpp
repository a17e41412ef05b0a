#include "RegisterWebhookDialog.h"

#include "ApiClient.h"
#include "ApiError.h"
#include "CrcDoctorDialog.h"
#include "CrcSelfTest.h"
#include "PaletteColors.h"

#include <QDialogButtonBox>
#include <QFormLayout>
#include <QHBoxLayout>
#include <QLabel>
#include <QLineEdit>
#include <QNetworkAccessManager>
#include <QPushButton>
#include <QStringList>
#include <QUrl>
#include <QVBoxLayout>

namespace activity {

RegisterWebhookDialog::RegisterWebhookDialog(validate::UrlPolicy policy, ApiGeneration generation,
                                             const QString &prefill, QWidget *parent)
    : QDialog(parent)
    , m_policy(policy)
    , m_generation(generation)
{
    setObjectName(QStringLiteral("registerWebhookDialog"));
    setWindowTitle(tr("Register a webhook"));

    auto *intro = new QLabel(tr("X sends a CRC check (GET with crc_token) to this URL right away and "
                                "registers it only if the answer "
                                "is correct and arrives within 3 seconds."),
                             this);
    intro->setWordWrap(true);

    m_url = new QLineEdit(this);
    m_url->setObjectName(QStringLiteral("webhookUrlEdit"));
    m_url->setAccessibleName(tr("Webhook URL"));
    m_url->setPlaceholderText(QStringLiteral("https://example.com/webhooks/x"));
    m_url->setClearButtonEnabled(true);
    m_url->setMinimumWidth(420);

    m_problem = new QLabel(this);
    m_problem->setObjectName(QStringLiteral("webhookUrlProblem"));
    m_problem->setTextFormat(Qt::PlainText); // the URL as typed, or X's answer
    m_problem->setAccessibleName(tr("URL problem"));
    m_problem->setWordWrap(true);
    QPalette problemPalette = m_problem->palette();
    problemPalette.setColor(QPalette::WindowText, palette::negativeText(problemPalette));
    m_problem->setPalette(problemPalette);

    m_crcButton = new QPushButton(tr("&Test endpoint (CRC)…"), this);
    m_crcButton->setObjectName(QStringLiteral("crcSelfTestButton"));
    m_crcButton->setAutoDefault(false); // Enter still registers
    connect(m_crcButton, &QPushButton::clicked, this, &RegisterWebhookDialog::runCrcSelfTest);

    m_doctorButton = new QPushButton(tr("&Diagnose…"), this);
    m_doctorButton->setObjectName(QStringLiteral("crcDoctorButton"));
    m_doctorButton->setAutoDefault(false); // Enter still registers
    connect(m_doctorButton, &QPushButton::clicked, this, [this] { openCrcDoctor(); });

    m_crcResult = new QLabel(this);
    m_crcResult->setObjectName(QStringLiteral("crcSelfTestResult"));
    m_crcResult->setAccessibleName(tr("CRC self-test result"));
    m_crcResult->setWordWrap(true);
    m_crcResult->setTextFormat(Qt::PlainText);
    // The tokens can be copied into the endpoint's logs or tests.
    m_crcResult->setTextInteractionFlags(Qt::TextSelectableByMouse | Qt::TextSelectableByKeyboard);
    m_crcResult->hide();

    auto *urlRow = new QHBoxLayout;
    urlRow->addWidget(m_url, 1);
    urlRow->addWidget(m_crcButton);
    urlRow->addWidget(m_doctorButton);
    auto *form = new QFormLayout;
    auto *label = new QLabel(tr("&URL:"), this);
    label->setBuddy(m_url);
    form->addRow(label, urlRow);

    m_buttons = new QDialogButtonBox(QDialogButtonBox::Cancel, this);
    m_submit = m_buttons->addButton(tr("&Register"), QDialogButtonBox::AcceptRole);
    m_submit->setObjectName(QStringLiteral("registerSubmit"));
    m_submit->setDefault(true);
    connect(m_buttons, &QDialogButtonBox::accepted, this, &RegisterWebhookDialog::submit);
    connect(m_buttons, &QDialogButtonBox::rejected, this, &QDialog::reject);

    auto *layout = new QVBoxLayout(this);
    layout->addWidget(intro);
    layout->addLayout(form);
    layout->addWidget(m_problem);
    layout->addWidget(m_crcResult);
    layout->addWidget(m_buttons);

    connect(m_url, &QLineEdit::textChanged, this, [this] {
        // A verdict belongs to the URL it was made for.
        if (m_crcTest)
            m_crcTest->abort();
        m_crcResult->clear();
        m_crcResult->hide();
        revalidate();
    });
    m_url->setText(prefill);
    revalidate();
}

QString RegisterWebhookDialog::url() const
{
    return m_url->text().trimmed();
}

void RegisterWebhookDialog::setUrl(const QString &url)
{
    m_url->setText(url);
}

bool RegisterWebhookDialog::canSubmit() const
{
    return m_valid && !m_busy;
}

QString RegisterWebhookDialog::problem() const
{
    return m_problem->text();
}

void RegisterWebhookDialog::setBusy(bool busy)
{
    m_busy = busy;
    m_url->setReadOnly(busy);
    if (busy)
        m_problem->setText(tr("Registering… X is checking the URL."));
    m_submit->setEnabled(canSubmit());
    updateCrcButton();
    updateDoctorButton();
}

void RegisterWebhookDialog::showServerProblem(const ApiError &error)
{
    setBusy(false);
    m_problem->setText(error.remedy.isEmpty() ? error.cause : error.cause + QLatin1Char(' ') + error.remedy);
}

void RegisterWebhookDialog::revalidate()
{
    const QString text = url();
    if (text.isEmpty()) {
        m_valid = false;
        m_problem->setText(tr("Enter the public https URL of your webhook endpoint."));
    } else if (const auto error = validate::webhookUrl(text, m_policy, m_generation)) {
        m_valid = false;
        m_problem->setText(error->remedy.isEmpty() ? error->cause
                                                   : error->cause + QLatin1Char(' ') + error->remedy);
    } else {
        m_valid = true;
        m_problem->clear();
    }
    m_submit->setEnabled(canSubmit());
    updateCrcButton();
    updateDoctorButton();
}

void RegisterWebhookDialog::submit()
{
    revalidate();
    if (!canSubmit())
        return;
    setBusy(true);
    Q_EMIT registerRequested(url());
}

void RegisterWebhookDialog::setCrcSelfTest(QNetworkAccessManager *network, const QByteArray &consumerSecret,
                                           const QList<QSslCertificate> &extraCaCertificates)
{
    delete m_crcTest;
    m_crcTest = nullptr;
    m_hasConsumerSecret = !consumerSecret.isEmpty();
    if (network) {
        m_crcTest = new CrcSelfTest(network, consumerSecret, this);
        m_crcTest->setExtraCaCertificates(extraCaCertificates);
        connect(m_crcTest, &CrcSelfTest::finished, this, &RegisterWebhookDialog::showCrcSelfTestResult);
    }
    updateCrcButton();
}

bool RegisterWebhookDialog::canRunCrcSelfTest() const
{
    return m_crcTest && m_hasConsumerSecret && !m_busy && !m_crcTest->isRunning() &&
        CrcSelfTest::urlProblem(QUrl(url())).isEmpty();
}

bool RegisterWebhookDialog::isCrcSelfTestRunning() const
{
    return m_crcTest && m_crcTest->isRunning();
}

QString RegisterWebhookDialog::crcSelfTestText() const
{
    return m_crcResult->text();
}

void RegisterWebhookDialog::runCrcSelfTest()
{
    if (!canRunCrcSelfTest())
        return;
    m_crcTest->run(QUrl(url()));
    m_crcResult->setPalette(palette());
    m_crcResult->setText(tr("Testing… calling the URL as X would (up to %1 s).")
                             .arg(m_crcTest->timeLimit().count() / 1000.0, 0, 'g', 2));
    m_crcResult->show();
    updateCrcButton();
}

void RegisterWebhookDialog::showCrcSelfTestResult()
{
    const CrcSelfTestResult &result = m_crcTest->result();
    QStringList lines;
    if (result.passed) {
        lines << tr("Passed in %1 ms: HTTP 200 with the expected response_token.").arg(result.latencyMs);
    } else {
        lines << tr("Failed: %1").arg(result.problem);
        lines << (result.httpStatus == 0
                      ? tr("No HTTP answer, after %1 ms.").arg(result.latencyMs)
                      : tr("HTTP %1 after %2 ms.").arg(result.httpStatus).arg(result.latencyMs));
        if (!result.expectedToken.isEmpty()) {
            lines << tr("Expected response_token: %1").arg(QString::fromLatin1(result.expectedToken));
            lines << tr("Received response_token: %1")
                         .arg(result.receivedToken.isEmpty()
                                  ? tr("(none)")
                                  : QString::fromUtf8(result.receivedToken.left(200)));
        }
    }
    if (!result.remedy.isEmpty())
        lines << result.remedy;

    QPalette resultPalette = palette();
    resultPalette.setColor(QPalette::WindowText,
                           result.passed ? palette::positiveText(resultPalette)
                                         : palette::negativeText(resultPalette));
    m_crcResult->setPalette(resultPalette);
    m_crcResult->setText(lines.join(QLatin1Char('\n')));
    m_crcResult->show();
    updateCrcButton();
    Q_EMIT crcSelfTestFinished(result.passed);
}

void RegisterWebhookDialog::updateCrcButton()
{
    const bool running = isCrcSelfTestRunning();
    m_crcButton->setText(running ? tr("Testing…") : tr("&Test endpoint (CRC)…"));
    m_crcButton->setEnabled(canRunCrcSelfTest());
    if (!m_crcTest)
        m_crcButton->setToolTip(tr("The CRC self-test needs a network connection."));
    else if (!m_hasConsumerSecret)
        m_crcButton->setToolTip(tr("The profile has no consumer secret, so the expected token is unknown."));
    else
        m_crcButton->setToolTip(
            tr("Call this URL the way X's CRC check will (GET with crc_token), time it and "
               "compare its answer with the expected token. Nothing is registered."));
}

void RegisterWebhookDialog::setCrcDoctor(QNetworkAccessManager *network, const CrcDoctorOptions &options)
{
    m_doctorNetwork = network;
    m_doctorOptions = options;
    // Not registered yet: nothing for X to re-validate.
    m_doctorOptions.webhookId.clear();
    m_doctorOptions.client = nullptr;
    updateDoctorButton();
}

CrcDoctorDialog *RegisterWebhookDialog::openCrcDoctor()
{
    if (!m_doctorNetwork || url().isEmpty())
        return nullptr;
    if (m_doctorDialog) {
        m_doctorDialog->setUrl(url());
        m_doctorDialog->run();
    } else {
        // A child of this dialog: usable while this one is window-modal, and closed with it.
        m_doctorDialog = new CrcDoctorDialog(m_doctorNetwork, m_doctorOptions, QUrl(url()), this);
        m_doctorDialog->setAttribute(Qt::WA_DeleteOnClose);
    }
    m_doctorDialog->show();
    m_doctorDialog->raise();
    m_doctorDialog->activateWindow();
    return m_doctorDialog;
}

CrcDoctorDialog *RegisterWebhookDialog::crcDoctorDialog() const
{
    return m_doctorDialog;
}

void RegisterWebhookDialog::updateDoctorButton()
{
    // Any URL can be diagnosed: the doctor says what X would refuse, and why.
    m_doctorButton->setEnabled(m_doctorNetwork && !url().isEmpty() && !m_busy);
    m_doctorButton->setToolTip(
        m_doctorNetwork ? tr("Check this URL step by step (URL, DNS, TCP, TLS, the CRC answer and its token, "
                             "latency, compression) and say what to fix. Nothing is registered.")
                        : tr("The CRC doctor needs a network connection."));
}

} // namespace activity
