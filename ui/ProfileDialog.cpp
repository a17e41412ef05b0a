#include "ProfileDialog.h"

#include "EndpointCatalogue.h"

#include "ApiClient.h"
#include "ConfirmationPrompter.h"
#include "PaletteColors.h"
#include "Validation.h"

#include <QCheckBox>
#include <QComboBox>
#include <QDialogButtonBox>
#include <QFormLayout>
#include <QHBoxLayout>
#include <QLabel>
#include <QLineEdit>
#include <QListWidget>
#include <QPushButton>
#include <QUuid>
#include <QVBoxLayout>

namespace activity {

namespace {

QLabel *problemLabel(const QString &name, QWidget *parent)
{
    auto *label = new QLabel(parent);
    label->setObjectName(name);
    label->setTextFormat(Qt::PlainText); // the URL as typed, or a keychain or server error
    label->setWordWrap(true);
    QPalette pal = label->palette();
    pal.setColor(QPalette::WindowText, palette::negativeText(pal));
    label->setPalette(pal);
    return label;
}

} // namespace

ProfileDialog::ProfileDialog(QNetworkAccessManager *network, ConfirmationPrompter *prompter, QWidget *parent)
    : QDialog(parent)
    , m_network(network)
    , m_prompter(prompter)
{
    setObjectName(QStringLiteral("profileDialog"));
    setWindowTitle(tr("Profiles"));

    m_list = new QListWidget(this);
    m_list->setObjectName(QStringLiteral("profileList"));
    m_list->setAccessibleName(tr("Profiles"));
    m_list->setMinimumWidth(180);
    connect(m_list, &QListWidget::currentRowChanged, this, &ProfileDialog::showProfile);

    auto line = [this](const QString &name, const QString &accessible, bool secret = false) {
        auto *edit = new QLineEdit(this);
        edit->setObjectName(name);
        edit->setAccessibleName(accessible);
        if (secret) {
            edit->setEchoMode(QLineEdit::Password);
            edit->setPlaceholderText(tr("stored in the system keychain"));
        }
        return edit;
    };
    m_name = line(QStringLiteral("profileName"), tr("Profile name"));
    m_name->setMinimumWidth(340);
    m_generation = new QComboBox(this);
    m_generation->setObjectName(QStringLiteral("profileGeneration"));
    m_generation->setAccessibleName(tr("API generation"));
    m_generation->addItem(tr("X API v2"), int(ApiGeneration::V2));
    m_generation->addItem(tr("v1.1 Enterprise"), int(ApiGeneration::V1_1));
    // X's deprecation notice for the generation being chosen; informative, nothing is blocked.
    m_deprecation = new QLabel(this);
    m_deprecation->setObjectName(QStringLiteral("profileDeprecation"));
    m_deprecation->setTextFormat(Qt::PlainText);
    m_deprecation->setWordWrap(true);
    m_deprecation->setSizePolicy(QSizePolicy::Preferred, QSizePolicy::MinimumExpanding);
    const auto showDeprecation = [this] {
        const auto notice = endpoints::deprecation(ApiGeneration(m_generation->currentData().toInt()));
        m_deprecation->setText(notice ? notice->text : QString());
        m_deprecation->setVisible(notice.has_value());
    };
    connect(m_generation, &QComboBox::currentIndexChanged, this, showDeprecation);
    showDeprecation();
    m_baseUrl = line(QStringLiteral("profileBaseUrl"), tr("API base URL"));
    m_baseUrl->setPlaceholderText(QStringLiteral("https://api.x.com"));
    m_baseUrlProblem = problemLabel(QStringLiteral("profileBaseUrlProblem"), this);
    // The person's confirmation that plain http to this computer is meant (a local test server);
    // without it such a base URL is refused, since every secret would travel unencrypted.
    m_allowInsecure = new QCheckBox(tr("Allow plain &http to this computer (a local test server): keys, "
                                       "tokens and signatures are sent unencrypted"),
                                    this);
    m_allowInsecure->setObjectName(QStringLiteral("profileAllowInsecureLoopback"));
    m_allowInsecure->setVisible(false);
    connect(m_allowInsecure, &QCheckBox::toggled, this, &ProfileDialog::revalidate);
    m_consumerKey = line(QStringLiteral("profileConsumerKey"), tr("Consumer key (API key)"));
    m_consumerSecret =
        line(QStringLiteral("profileConsumerSecret"), tr("Consumer secret (API secret)"), true);
    m_ownerToken = line(QStringLiteral("profileOwnerToken"), tr("App owner access token"), true);
    m_ownerTokenSecret =
        line(QStringLiteral("profileOwnerTokenSecret"), tr("App owner access token secret"), true);
    m_bearerToken = line(QStringLiteral("profileBearerToken"), tr("Bearer token (optional)"), true);
    m_bearerToken->setPlaceholderText(tr("optional: fetched with the consumer key and secret"));
    m_callbackUrl = line(QStringLiteral("profileCallbackUrl"), tr("Callback URL"));
    connect(m_baseUrl, &QLineEdit::textChanged, this, &ProfileDialog::revalidate);
    connect(m_name, &QLineEdit::textChanged, this, &ProfileDialog::revalidate);

    auto *form = new QFormLayout;
    auto addRow = [this, form](const QString &text, QWidget *field) {
        auto *label = new QLabel(text, this);
        label->setBuddy(field);
        form->addRow(label, field);
    };
    addRow(tr("&Name:"), m_name);
    addRow(tr("API &generation:"), m_generation);
    form->addRow(m_deprecation); // the whole width: a wrapped sentence must never be clipped
    addRow(tr("&Base URL:"), m_baseUrl);
    form->addRow(QString(), m_allowInsecure);
    form->addRow(QString(), m_baseUrlProblem);
    addRow(tr("Consumer &key:"), m_consumerKey);
    addRow(tr("Consumer &secret:"), m_consumerSecret);
    addRow(tr("Owner access &token:"), m_ownerToken);
    addRow(tr("Owner token s&ecret:"), m_ownerTokenSecret);
    addRow(tr("Bearer t&oken:"), m_bearerToken);
    addRow(tr("&Callback URL:"), m_callbackUrl);

    m_testResult = new QLabel(this);
    m_testResult->setObjectName(QStringLiteral("profileTestResult"));
    m_testResult->setTextFormat(Qt::PlainText); // X's answer to the test
    m_testResult->setAccessibleName(tr("Connection test result"));
    m_testResult->setWordWrap(true);
    m_testResult->setTextInteractionFlags(Qt::TextSelectableByMouse);
    m_storeResult = problemLabel(QStringLiteral("profileStoreResult"), this);

    m_add = new QPushButton(tr("&Add"), this);
    m_add->setObjectName(QStringLiteral("profileAdd"));
    m_remove = new QPushButton(tr("&Remove…"), this);
    m_remove->setObjectName(QStringLiteral("profileRemove"));
    m_test = new QPushButton(tr("&Test connection"), this);
    m_test->setObjectName(QStringLiteral("profileTest"));
    m_test->setToolTip(tr("List the webhooks with the values as entered, without saving them"));
    m_save = new QPushButton(tr("Sa&ve"), this);
    m_save->setObjectName(QStringLiteral("profileSave"));
    connect(m_add, &QPushButton::clicked, this, &ProfileDialog::addProfile);
    connect(m_remove, &QPushButton::clicked, this, &ProfileDialog::removeProfile);
    connect(m_test, &QPushButton::clicked, this, &ProfileDialog::testConnection);
    connect(m_save, &QPushButton::clicked, this, &ProfileDialog::saveProfile);

    auto *listButtons = new QHBoxLayout;
    listButtons->addWidget(m_add);
    listButtons->addWidget(m_remove);
    auto *left = new QVBoxLayout;
    left->addWidget(m_list, 1);
    left->addLayout(listButtons);

    auto *formButtons = new QHBoxLayout;
    formButtons->addWidget(m_test);
    formButtons->addStretch();
    formButtons->addWidget(m_save);
    auto *right = new QVBoxLayout;
    right->addLayout(form);
    right->addWidget(m_testResult);
    right->addWidget(m_storeResult);
    right->addStretch();
    right->addLayout(formButtons);

    auto *columns = new QHBoxLayout;
    columns->addLayout(left);
    columns->addLayout(right, 1);

    auto *close = new QDialogButtonBox(QDialogButtonBox::Close, this);
    connect(close, &QDialogButtonBox::rejected, this, &QDialog::reject);
    auto *layout = new QVBoxLayout(this);
    layout->addLayout(columns, 1);
    layout->addWidget(close);

    setTabOrder(m_list, m_name);
    setTabOrder(m_name, m_generation);
    setTabOrder(m_generation, m_baseUrl);
    setTabOrder(m_baseUrl, m_consumerKey);
    setTabOrder(m_consumerKey, m_consumerSecret);
    setTabOrder(m_consumerSecret, m_ownerToken);
    setTabOrder(m_ownerToken, m_ownerTokenSecret);
    setTabOrder(m_ownerTokenSecret, m_bearerToken);
    setTabOrder(m_bearerToken, m_callbackUrl);
    setTabOrder(m_callbackUrl, m_test);
    setTabOrder(m_test, m_save);

    resize(720, 500);
    addProfile(); // an empty form to start with, until profiles are handed over
}

ProfileDialog::~ProfileDialog()
{
    delete m_testClient;
}

void ProfileDialog::setProfiles(const QList<ResolvedProfile> &profiles)
{
    const QString keep = m_editingId;
    m_profiles = profiles;
    const QSignalBlocker blocker(m_list);
    m_list->clear();
    int keepRow = -1;
    for (const ResolvedProfile &profile : profiles) {
        auto *item = new QListWidgetItem(profile.name, m_list);
        item->setData(Qt::UserRole, profile.id);
        if (!keep.isEmpty() && profile.id == keep)
            keepRow = m_list->count() - 1;
    }
    if (keepRow >= 0) {
        // The profile being edited is still there: keep what is in the form (it may hold typed
        // secrets that the store has not confirmed yet).
        m_list->setCurrentRow(keepRow);
        revalidate();
        return;
    }
    if (profiles.isEmpty())
        addProfile();
    else
        selectProfile(profiles.first().id);
}

bool ProfileDialog::selectProfile(const QString &id)
{
    for (int row = 0; row < m_profiles.size(); ++row) {
        if (m_profiles.at(row).id == id && !id.isEmpty()) {
            m_list->setCurrentRow(row);
            showProfile(row);
            return true;
        }
    }
    return false;
}

QString ProfileDialog::selectedProfileId() const
{
    return m_editingId;
}

void ProfileDialog::showProfile(int row)
{
    if (row < 0 || row >= m_profiles.size())
        return;
    const ResolvedProfile &profile = m_profiles.at(row);
    if (!profile.credentials.consumerSecret.isEmpty() || !profile.credentials.bearerToken.isEmpty())
        m_secretsKnown.insert(profile.id);
    setEditedProfile(profile);
    if (!m_secretsKnown.contains(profile.id)) {
        m_storeResult->setText(tr("Reading the secrets from the keychain…"));
        Q_EMIT secretsNeeded(profile.id);
    }
}

void ProfileDialog::setSecrets(const QString &profileId, const AppCredentials &credentials)
{
    for (ResolvedProfile &profile : m_profiles) {
        if (profile.id == profileId)
            profile.credentials = credentials;
    }
    m_secretsKnown.insert(profileId);
    if (profileId != m_editingId)
        return;
    m_storeResult->clear();
    // Fill only fields the person has not typed into meanwhile.
    auto fill = [](QLineEdit *edit, const QByteArray &value) {
        if (edit->text().isEmpty())
            edit->setText(QString::fromUtf8(value));
    };
    fill(m_consumerSecret, credentials.consumerSecret);
    fill(m_ownerToken, credentials.ownerToken);
    fill(m_ownerTokenSecret, credentials.ownerTokenSecret);
    fill(m_bearerToken, credentials.bearerToken);
}

void ProfileDialog::setEditedProfile(const ResolvedProfile &profile)
{
    m_editingId = profile.id;
    m_editingAccounts = profile.accounts;
    m_name->setText(profile.name);
    m_generation->setCurrentIndex(m_generation->findData(int(profile.generation)));
    m_allowInsecure->setChecked(profile.allowInsecureLoopback || profile.builtInSandbox);
    m_baseUrl->setText(profile.baseUrl.toString());
    m_consumerKey->setText(QString::fromUtf8(profile.credentials.consumerKey));
    m_consumerSecret->setText(QString::fromUtf8(profile.credentials.consumerSecret));
    m_ownerToken->setText(QString::fromUtf8(profile.credentials.ownerToken));
    m_ownerTokenSecret->setText(QString::fromUtf8(profile.credentials.ownerTokenSecret));
    m_bearerToken->setText(QString::fromUtf8(profile.credentials.bearerToken));
    m_callbackUrl->setText(profile.callbackUrl);
    m_testResult->clear();
    m_storeResult->clear();
    revalidate();
}

ResolvedProfile ProfileDialog::editedProfile() const
{
    ResolvedProfile profile;
    profile.id = m_editingId;
    profile.name = m_name->text().trimmed();
    profile.generation = ApiGeneration(m_generation->currentData().toInt());
    profile.allowInsecureLoopback = !m_allowInsecure->isHidden() && m_allowInsecure->isChecked();
    const auto base = validate::baseUrl(m_baseUrl->text().trimmed(), profile.allowInsecureLoopback);
    profile.baseUrl = base ? base.value() : QUrl(m_baseUrl->text().trimmed());
    profile.callbackUrl = m_callbackUrl->text().trimmed();
    profile.credentials.consumerKey = m_consumerKey->text().trimmed().toUtf8();
    profile.credentials.consumerSecret = m_consumerSecret->text().trimmed().toUtf8();
    profile.credentials.ownerToken = m_ownerToken->text().trimmed().toUtf8();
    profile.credentials.ownerTokenSecret = m_ownerTokenSecret->text().trimmed().toUtf8();
    profile.credentials.bearerToken = m_bearerToken->text().trimmed().toUtf8();
    profile.accounts = m_editingAccounts;
    return profile;
}

QString ProfileDialog::baseUrlProblem() const
{
    return m_baseUrlProblem->text();
}

QString ProfileDialog::testResult() const
{
    return m_testResult->text();
}

void ProfileDialog::revalidate()
{
    const QString text = m_baseUrl->text().trimmed();
    const QUrl typed(text);
    // Asked only where it applies: plain http to this computer's own address.
    m_allowInsecure->setVisible(typed.scheme().compare(QLatin1String("http"), Qt::CaseInsensitive) == 0 &&
                                validate::isLoopbackAddress(typed.host()));
    bool ok = true;
    if (text.isEmpty()) {
        m_baseUrlProblem->setText(tr("Enter the API base URL, e.g. https://api.x.com."));
        ok = false;
    } else if (const auto base =
                   validate::baseUrl(text, !m_allowInsecure->isHidden() && m_allowInsecure->isChecked());
               !base) {
        m_baseUrlProblem->setText(base.error().text());
        ok = false;
    } else {
        m_baseUrlProblem->clear();
    }
    m_save->setEnabled(ok && !m_name->text().trimmed().isEmpty());
    m_test->setEnabled(ok && !isTesting() && m_network);
    m_remove->setEnabled(!m_editingId.isEmpty());
}

void ProfileDialog::addProfile()
{
    ResolvedProfile fresh;
    fresh.name = tr("New X app");
    fresh.baseUrl = QUrl(QStringLiteral("https://api.x.com"));
    m_list->clearSelection();
    setEditedProfile(fresh);
    m_name->setFocus();
    m_name->selectAll();
}

void ProfileDialog::saveProfile()
{
    revalidate();
    if (!m_save->isEnabled())
        return;
    ResolvedProfile profile = editedProfile();
    if (profile.id.isEmpty()) {
        profile.id = QUuid::createUuid().toString(QUuid::WithoutBraces);
        m_editingId = profile.id;
    }
    const bool secretsTyped = !profile.credentials.consumerSecret.isEmpty() ||
        !profile.credentials.ownerToken.isEmpty() || !profile.credentials.ownerTokenSecret.isEmpty() ||
        !profile.credentials.bearerToken.isEmpty();
    const bool secretsIncluded = m_secretsKnown.contains(profile.id) || secretsTyped;
    m_secretsKnown.insert(profile.id);
    m_storeResult->setText(tr("Saving… (secrets go to the system keychain)"));
    Q_EMIT saveRequested(profile, secretsIncluded);
}

void ProfileDialog::removeProfile()
{
    if (m_editingId.isEmpty())
        return;
    const QString id = m_editingId;
    Confirmation confirmation;
    confirmation.title = tr("Remove profile");
    confirmation.question = tr("Remove the profile \"%1\"?").arg(m_name->text());
    confirmation.details =
        tr("Its settings, its secrets in the keychain and its signed-in accounts are deleted "
           "from this computer. Webhooks and subscriptions on X are not changed.");
    confirmation.acceptLabel = tr("Remove profile");
    QPointer<ProfileDialog> self(this);
    m_prompter->ask(this, confirmation, [self, id](bool accepted) {
        if (self && accepted)
            Q_EMIT self->removeRequested(id);
    });
}

void ProfileDialog::setStoreResult(const QString &problem)
{
    m_storeResult->setText(problem);
}

void ProfileDialog::testConnection()
{
    if (!m_network || isTesting())
        return;
    const ResolvedProfile profile = editedProfile();
    ClientConfig config;
    config.baseUrl = profile.baseUrl;
    config.generation = profile.generation;
    config.allowInsecureLoopback = profile.allowInsecureLoopback;
    config.transferTimeout = std::chrono::seconds(10);
    config.maxAttempts = 1;
    m_testClient = new ApiClient(m_network, config, profile.credentials, nullptr, this);
    m_test->setEnabled(false);
    m_testResult->setPalette(palette());
    m_testResult->setText(tr("Testing: listing webhooks with these values…"));
    m_testClient->listWebhooks(this, [this](const Result<QList<Webhook>> &result) {
        m_testClient->deleteLater();
        m_testClient = nullptr;
        revalidate();
        if (result) {
            setTestResult(tr("OK: %n webhook(s)", nullptr, int(result.value().size())), true);
        } else {
            const ApiError &error = result.error();
            setTestResult(tr("Failed: %1").arg(error.text()), false);
        }
    });
}

void ProfileDialog::setTestResult(const QString &text, bool ok)
{
    QPalette pal = palette();
    pal.setColor(QPalette::WindowText, ok ? palette::positiveText(pal) : palette::negativeText(pal));
    m_testResult->setPalette(pal);
    m_testResult->setText(text);
    Q_EMIT testFinished(ok);
}

} // namespace activity
