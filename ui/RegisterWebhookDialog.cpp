#include "RegisterWebhookDialog.h"

#include "ApiError.h"
#include "PaletteColors.h"

#include <QDialogButtonBox>
#include <QFormLayout>
#include <QLabel>
#include <QLineEdit>
#include <QPushButton>
#include <QVBoxLayout>

namespace activity {

RegisterWebhookDialog::RegisterWebhookDialog(validate::UrlPolicy policy, const QString &prefill,
                                             QWidget *parent)
    : QDialog(parent)
    , m_policy(policy)
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
    m_problem->setAccessibleName(tr("URL problem"));
    m_problem->setWordWrap(true);
    QPalette problemPalette = m_problem->palette();
    problemPalette.setColor(QPalette::WindowText, palette::negativeText(problemPalette));
    m_problem->setPalette(problemPalette);

    auto *form = new QFormLayout;
    auto *label = new QLabel(tr("&URL:"), this);
    label->setBuddy(m_url);
    form->addRow(label, m_url);

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
    layout->addWidget(m_buttons);

    connect(m_url, &QLineEdit::textChanged, this, &RegisterWebhookDialog::revalidate);
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
    } else if (const auto error = validate::webhookUrl(text, m_policy)) {
        m_valid = false;
        m_problem->setText(error->remedy.isEmpty() ? error->cause
                                                   : error->cause + QLatin1Char(' ') + error->remedy);
    } else {
        m_valid = true;
        m_problem->clear();
    }
    m_submit->setEnabled(canSubmit());
}

void RegisterWebhookDialog::submit()
{
    revalidate();
    if (!canSubmit())
        return;
    setBusy(true);
    Q_EMIT registerRequested(url());
}

} // namespace activity
