#include "ProfileDialog.h"

#include "EndpointCatalogue.h"

#include "ActivityEventTypes.h"
#include "ApiClient.h"
#include "ConfirmationPrompter.h"
#include "OAuth2.h"
#include "PaletteColors.h"
#include "Validation.h"

#include <QCheckBox>
#include <QComboBox>
#include <QDialogButtonBox>
#include <QFormLayout>
#include <QGroupBox>
#include <QHBoxLayout>
#include <QLabel>
#include <QLineEdit>
#include <QListWidget>
#include <QLocale>
#include <QPushButton>
#include <QUuid>
#include <QVBoxLayout>

namespace activity {

namespace {

const QString customPresetId = QStringLiteral("custom");

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
    // The X Activity API tier sets the subscription limit the activity pane's quota bar measures.
    m_activityTier = new QComboBox(this);
    m_activityTier->setObjectName(QStringLiteral("profileActivityTier"));
    m_activityTier->setAccessibleName(tr("X Activity API tier"));
    for (const xaa::TierLimit &limit : xaa::tierLimits()) {
        m_activityTier->addItem(
            tr("%1 (up to %2 subscriptions)").arg(limit.name, QLocale().toString(limit.maxSubscriptions)),
            int(limit.tier));
    }
    connect(m_baseUrl, &QLineEdit::textChanged, this, &ProfileDialog::revalidate);
    connect(m_name, &QLineEdit::textChanged, this, &ProfileDialog::revalidate);

    // OAuth 2.0 user sign-in (developer portal: "User authentication settings").
    m_oauth2Group = new QGroupBox(tr("OAuth 2.0"), this);
    m_oauth2Group->setObjectName(QStringLiteral("profileOAuth2Group"));
    m_oauth2ClientId = line(QStringLiteral("profileOAuth2ClientId"), tr("OAuth 2.0 client ID"));
    m_oauth2ClientId->setPlaceholderText(tr("empty: no OAuth 2.0 sign-in"));
    m_oauth2ClientSecret =
        line(QStringLiteral("profileOAuth2ClientSecret"), tr("OAuth 2.0 client secret (optional)"), true);
    m_oauth2ClientSecret->setPlaceholderText(tr(
        "optional: a confidential client's secret, kept in the system keychain; empty for a public client"));
    m_oauth2RedirectUri = line(QStringLiteral("profileOAuth2RedirectUri"), tr("OAuth 2.0 redirect URI"));
    m_oauth2RedirectUri->setPlaceholderText(QStringLiteral("http://127.0.0.1:8976/callback"));
    auto *redirectHint = new QLabel(tr("Must equal a callback URL registered for the app in the developer "
                                       "portal, e.g. http://127.0.0.1:8976/callback."),
                                    this);
    redirectHint->setObjectName(QStringLiteral("profileOAuth2RedirectHint"));
    redirectHint->setTextFormat(Qt::PlainText);
    redirectHint->setWordWrap(true);
    m_oauth2Problem = problemLabel(QStringLiteral("profileOAuth2Problem"), this);
    m_scopePreset = new QComboBox(this);
    m_scopePreset->setObjectName(QStringLiteral("profileOAuth2ScopePreset"));
    m_scopePreset->setAccessibleName(tr("Scope preset"));
    for (const oauth2::ScopePreset &preset : oauth2::scopePresets())
        m_scopePreset->addItem(preset.title, preset.id);
    m_scopePreset->addItem(tr("Custom"), customPresetId);
    m_scopeList = new QListWidget(this);
    m_scopeList->setObjectName(QStringLiteral("profileOAuth2Scopes"));
    m_scopeList->setAccessibleName(tr("Scopes to ask for"));
    m_scopeList->setMaximumHeight(150);
    auto *scopeReason = new QLabel(this);
    scopeReason->setObjectName(QStringLiteral("profileOAuth2ScopeReason"));
    scopeReason->setTextFormat(Qt::PlainText);
    scopeReason->setWordWrap(true);
    showScopes(oauth2::accountActivityScopes());
    connect(m_scopePreset, &QComboBox::currentIndexChanged, this, [this] {
        if (!m_showingScopes)
            choosePreset(m_scopePreset->currentData().toString());
    });
    connect(m_scopeList, &QListWidget::itemChanged, this, &ProfileDialog::scopeEdited);
    connect(m_scopeList, &QListWidget::currentItemChanged, this, [scopeReason](QListWidgetItem *item) {
        scopeReason->setText(item ? item->toolTip() : QString());
    });
    connect(m_oauth2RedirectUri, &QLineEdit::textChanged, this, &ProfileDialog::revalidate);
    auto *oauth2Form = new QFormLayout(m_oauth2Group);
    auto addOAuth2Row = [this, oauth2Form](const QString &text, QWidget *field) {
        auto *label = new QLabel(text, this);
        label->setBuddy(field);
        oauth2Form->addRow(label, field);
    };
    addOAuth2Row(tr("Client I&D:"), m_oauth2ClientId);
    addOAuth2Row(tr("Client secret (opt&ional):"), m_oauth2ClientSecret);
    addOAuth2Row(tr("Redirect &URI:"), m_oauth2RedirectUri);
    oauth2Form->addRow(QString(), redirectHint);
    oauth2Form->addRow(QString(), m_oauth2Problem);
    addOAuth2Row(tr("Sco&pes:"), m_scopePreset);
    oauth2Form->addRow(QString(), m_scopeList);
    oauth2Form->addRow(QString(), scopeReason);

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
    addRow(tr("X Activity API t&ier:"), m_activityTier);

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
    right->addWidget(m_oauth2Group);
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
    setTabOrder(m_callbackUrl, m_activityTier);
    setTabOrder(m_activityTier, m_oauth2ClientId);
    setTabOrder(m_oauth2ClientId, m_oauth2ClientSecret);
    setTabOrder(m_oauth2ClientSecret, m_oauth2RedirectUri);
    setTabOrder(m_oauth2RedirectUri, m_scopePreset);
    setTabOrder(m_scopePreset, m_scopeList);
    setTabOrder(m_scopeList, m_test);
    setTabOrder(m_test, m_save);

    resize(760, 760);
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
    if (!profile.credentials.consumerSecret.isEmpty() || !profile.credentials.bearerToken.isEmpty() ||
        !profile.credentials.oauth2ClientSecret.isEmpty())
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
    fill(m_oauth2ClientSecret, credentials.oauth2ClientSecret);
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
    m_activityTier->setCurrentIndex(m_activityTier->findData(int(profile.activityTier)));
    m_oauth2ClientId->setText(QString::fromUtf8(profile.credentials.oauth2ClientId));
    m_oauth2ClientSecret->setText(QString::fromUtf8(profile.credentials.oauth2ClientSecret));
    m_oauth2RedirectUri->setText(profile.oauth2RedirectUri.toString());
    showScopes(profile.oauth2ScopesToRequest());
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
    profile.activityTier = xaa::Tier(m_activityTier->currentData().toInt());
    profile.credentials.consumerKey = m_consumerKey->text().trimmed().toUtf8();
    profile.credentials.consumerSecret = m_consumerSecret->text().trimmed().toUtf8();
    profile.credentials.ownerToken = m_ownerToken->text().trimmed().toUtf8();
    profile.credentials.ownerTokenSecret = m_ownerTokenSecret->text().trimmed().toUtf8();
    profile.credentials.bearerToken = m_bearerToken->text().trimmed().toUtf8();
    profile.credentials.oauth2ClientId = m_oauth2ClientId->text().trimmed().toUtf8();
    profile.credentials.oauth2ClientSecret = m_oauth2ClientSecret->text().trimmed().toUtf8();
    profile.oauth2RedirectUri = QUrl(m_oauth2RedirectUri->text().trimmed());
    // The Account Activity preset is stored as "none chosen", so the profile follows the preset.
    const QStringList scopes = checkedScopes();
    profile.oauth2Scopes = scopes == oauth2::accountActivityScopes() ? QStringList() : scopes;
    profile.accounts = m_editingAccounts;
    return profile;
}

QStringList ProfileDialog::checkedScopes() const
{
    QStringList scopes;
    for (int row = 0; row < m_scopeList->count(); ++row) {
        const QListWidgetItem *item = m_scopeList->item(row);
        if (item->checkState() == Qt::Checked)
            scopes.append(item->data(Qt::UserRole).toString());
    }
    return oauth2::parseScopes(oauth2::joinScopes(scopes));
}

QString ProfileDialog::scopePresetId() const
{
    return m_scopePreset->currentData().toString();
}

void ProfileDialog::choosePreset(const QString &presetId)
{
    if (const oauth2::ScopePreset *preset = oauth2::findPreset(presetId)) {
        showScopes(preset->scopes);
    } else {
        const QSignalBlocker blocker(m_scopePreset);
        m_scopePreset->setCurrentIndex(m_scopePreset->findData(customPresetId));
    }
    revalidate();
}

void ProfileDialog::showScopes(const QStringList &scopes)
{
    m_showingScopes = true;
    const QStringList wanted = oauth2::parseScopes(oauth2::joinScopes(scopes));
    if (m_scopeList->count() == 0) {
        for (const QString &scope : oauth2::knownScopes()) {
            auto *item = new QListWidgetItem(scope, m_scopeList);
            item->setData(Qt::UserRole, scope);
            item->setFlags(Qt::ItemIsEnabled | Qt::ItemIsSelectable | Qt::ItemIsUserCheckable);
            item->setToolTip(oauth2::scopeReason(scope));
        }
    }
    // A scope the console does not know (a profile written by hand) stays listed, so it is kept.
    for (const QString &scope : wanted) {
        if (m_scopeList->findItems(scope, Qt::MatchExactly).isEmpty()) {
            auto *item = new QListWidgetItem(scope, m_scopeList);
            item->setData(Qt::UserRole, scope);
            item->setFlags(Qt::ItemIsEnabled | Qt::ItemIsSelectable | Qt::ItemIsUserCheckable);
            item->setToolTip(oauth2::scopeReason(scope));
        }
    }
    for (int row = 0; row < m_scopeList->count(); ++row) {
        QListWidgetItem *item = m_scopeList->item(row);
        item->setCheckState(wanted.contains(item->data(Qt::UserRole).toString()) ? Qt::Checked
                                                                                 : Qt::Unchecked);
    }
    QString presetId = customPresetId;
    for (const oauth2::ScopePreset &preset : oauth2::scopePresets()) {
        if (preset.scopes == wanted) {
            presetId = preset.id;
            break;
        }
    }
    m_scopePreset->setCurrentIndex(m_scopePreset->findData(presetId));
    m_showingScopes = false;
}

void ProfileDialog::scopeEdited()
{
    if (m_showingScopes)
        return;
    // Ticked by hand: no preset any more, even when the ticks happen to match one.
    m_showingScopes = true;
    m_scopePreset->setCurrentIndex(m_scopePreset->findData(customPresetId));
    m_showingScopes = false;
    revalidate();
}

QString ProfileDialog::baseUrlProblem() const
{
    return m_baseUrlProblem->text();
}

QString ProfileDialog::oauth2Problem() const
{
    return m_oauth2Problem->text();
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
    QString oauth2Problem;
    const QString redirect = m_oauth2RedirectUri->text().trimmed();
    if (!redirect.isEmpty()) {
        if (const auto problem = oauth2::redirectUriProblem(QUrl(redirect)))
            oauth2Problem = *problem;
    }
    if (oauth2Problem.isEmpty() && checkedScopes().isEmpty())
        oauth2Problem = tr("Tick at least one OAuth 2.0 scope, or choose a preset.");
    m_oauth2Problem->setText(oauth2Problem);
    m_oauth2Problem->setVisible(!oauth2Problem.isEmpty());
    ok = ok && oauth2Problem.isEmpty();
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
    if (!m_save->isEnabled()) {
        const QString problem = !baseUrlProblem().isEmpty() ? baseUrlProblem() : oauth2Problem();
        if (!problem.isEmpty())
            m_storeResult->setText(tr("Not saved: %1").arg(problem));
        return;
    }
    ResolvedProfile profile = editedProfile();
    if (profile.id.isEmpty()) {
        profile.id = QUuid::createUuid().toString(QUuid::WithoutBraces);
        m_editingId = profile.id;
    }
    const bool secretsTyped = !profile.credentials.consumerSecret.isEmpty() ||
        !profile.credentials.ownerToken.isEmpty() || !profile.credentials.ownerTokenSecret.isEmpty() ||
        !profile.credentials.bearerToken.isEmpty() || !profile.credentials.oauth2ClientSecret.isEmpty();
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
