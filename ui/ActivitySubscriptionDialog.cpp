#include "ActivitySubscriptionDialog.h"

#include "AccountTableModel.h"
#include "ActivityEventTypes.h"
#include "ActivitySubscriptions.h"
#include "PaletteColors.h"

#include <QComboBox>
#include <QDialogButtonBox>
#include <QFormLayout>
#include <QLabel>
#include <QLineEdit>
#include <QPushButton>
#include <QStandardItem>
#include <QStandardItemModel>
#include <QTimer>
#include <QVBoxLayout>

#include <algorithm>

namespace activity {

namespace {
constexpr int TypeNameRole = Qt::UserRole; // on the event-type items; family headers have none

QLabel *wrappedLabel(const QString &name, QWidget *parent)
{
    auto *label = new QLabel(parent);
    label->setObjectName(name);
    label->setTextFormat(Qt::PlainText);
    label->setWordWrap(true);
    return label;
}

bool isNumericId(const QString &text)
{
    if (text.isEmpty() || text.size() > 19)
        return false;
    return std::all_of(text.cbegin(), text.cend(), [](QChar c) { return c.isDigit() && c.unicode() < 128; });
}
} // namespace

ActivitySubscriptionDialog::ActivitySubscriptionDialog(QWidget *parent)
    : QDialog(parent)
    , m_typeModel(new QStandardItemModel(this))
    , m_accountModel(new AccountTableModel(nullptr, this))
{
    setObjectName(QStringLiteral("activitySubscriptionDialog"));
    setWindowTitle(tr("Create activity subscription"));

    m_eventType = new QComboBox(this);
    m_eventType->setObjectName(QStringLiteral("activityEventType"));
    m_eventType->setAccessibleName(tr("Event type"));
    m_eventType->setModel(m_typeModel);
    m_eventType->setMaxVisibleItems(20);
    rebuildEventTypes();
    m_typeDetails = wrappedLabel(QStringLiteral("activityEventTypeDetails"), this);

    m_userId = new QLineEdit(this);
    m_userId->setObjectName(QStringLiteral("activityFilterUser"));
    m_userId->setAccessibleName(tr("Filter user"));
    m_userId->setPlaceholderText(tr("@username or numeric user id"));
    m_keyword = new QLineEdit(this);
    m_keyword->setObjectName(QStringLiteral("activityFilterKeyword"));
    m_keyword->setAccessibleName(tr("Filter keyword"));
    m_keyword->setPlaceholderText(tr("1 to 150 characters"));
    m_direction = new QComboBox(this);
    m_direction->setObjectName(QStringLiteral("activityFilterDirection"));
    m_direction->setAccessibleName(tr("Filter direction"));
    m_direction->addItem(tr("Both directions"), QString());
    m_direction->addItem(tr("Inbound"), QStringLiteral("inbound"));
    m_direction->addItem(tr("Outbound"), QStringLiteral("outbound"));

    m_account = new QComboBox(this);
    m_account->setObjectName(QStringLiteral("activityAccount"));
    m_account->setAccessibleName(tr("Account whose OAuth 2.0 token signs the subscription"));
    m_account->setModel(m_accountModel);
    m_account->setModelColumn(int(AccountTableModel::Column::Username));
    m_accountHint = wrappedLabel(QStringLiteral("activityAccountHint"), this);

    m_webhook = new QComboBox(this);
    m_webhook->setObjectName(QStringLiteral("activityWebhook"));
    m_webhook->setAccessibleName(tr("Webhook"));
    m_webhook->addItem(tr("Stream only (no webhook)"), QString());
    m_tag = new QLineEdit(this);
    m_tag->setObjectName(QStringLiteral("activityTag"));
    m_tag->setAccessibleName(tr("Tag"));
    m_tag->setPlaceholderText(tr("optional, up to 200 characters; sent with every event"));

    m_readOnlyNote = wrappedLabel(QStringLiteral("activityReadOnlyNote"), this);
    m_readOnlyNote->setText(tr("The event type and filter cannot be changed: delete and recreate to change "
                               "them."));
    m_readOnlyNote->hide();
    m_problemLabel = wrappedLabel(QStringLiteral("activityProblem"), this);
    QPalette pal = m_problemLabel->palette();
    pal.setColor(QPalette::WindowText, palette::negativeText(pal));
    m_problemLabel->setPalette(pal);

    m_buttons = new QDialogButtonBox(QDialogButtonBox::Ok | QDialogButtonBox::Cancel, this);
    m_buttons->button(QDialogButtonBox::Ok)->setText(tr("&Create"));
    connect(m_buttons, &QDialogButtonBox::accepted, this, [this] {
        if (canSubmit())
            accept();
    });
    connect(m_buttons, &QDialogButtonBox::rejected, this, &QDialog::reject);

    auto *form = new QFormLayout;
    auto addRow = [this, form](const QString &text, QWidget *field) {
        auto *label = new QLabel(text, this);
        label->setBuddy(field);
        form->addRow(label, field);
    };
    addRow(tr("&Event type:"), m_eventType);
    form->addRow(QString(), m_typeDetails);
    addRow(tr("&User:"), m_userId);
    addRow(tr("&Keyword:"), m_keyword);
    addRow(tr("&Direction:"), m_direction);
    form->addRow(QString(), m_readOnlyNote);
    addRow(tr("&Account:"), m_account);
    form->addRow(QString(), m_accountHint);
    addRow(tr("&Webhook:"), m_webhook);
    addRow(tr("&Tag:"), m_tag);
    auto *layout = new QVBoxLayout(this);
    layout->addLayout(form);
    layout->addWidget(m_problemLabel);
    layout->addStretch();
    layout->addWidget(m_buttons);

    connect(m_eventType, &QComboBox::currentIndexChanged, this,
            &ActivitySubscriptionDialog::eventTypeChanged);
    connect(m_account, &QComboBox::currentIndexChanged, this, &ActivitySubscriptionDialog::eventTypeChanged);
    for (QLineEdit *edit : {m_userId, m_keyword, m_tag})
        connect(edit, &QLineEdit::textChanged, this, &ActivitySubscriptionDialog::revalidate);
    connect(m_direction, &QComboBox::currentIndexChanged, this, &ActivitySubscriptionDialog::revalidate);
    connect(m_webhook, &QComboBox::currentIndexChanged, this, &ActivitySubscriptionDialog::revalidate);

    // A typed @name is looked up once the typing pauses, not on every keystroke.
    m_lookupTimer = new QTimer(this);
    m_lookupTimer->setSingleShot(true);
    m_lookupTimer->setInterval(400);
    connect(m_lookupTimer, &QTimer::timeout, this, [this] {
        if (!m_lookup || m_lookupWanted.isEmpty() || !m_lookingUp.isEmpty())
            return;
        m_lookingUp = m_lookupWanted;
        const QString name = m_lookingUp;
        m_lookup(name, this, [this, name](std::optional<QString> userId) {
            m_lookedUp.insert(name.toCaseFolded(), userId);
            m_lookingUp.clear();
            revalidate();
        });
        revalidate();
    });

    resize(620, 0);
    eventTypeChanged();
}

ActivitySubscriptionDialog::~ActivitySubscriptionDialog() = default;

void ActivitySubscriptionDialog::rebuildEventTypes()
{
    m_typeModel->clear();
    std::optional<xaa::EventFamily> family;
    for (const xaa::EventType &type : xaa::eventTypes()) {
        if (!family || *family != type.family) {
            // A heading per family: shown, never chosen.
            family = type.family;
            auto *header = new QStandardItem(xaa::familyTitle(type.family));
            header->setFlags(Qt::NoItemFlags);
            QFont font = header->font();
            font.setBold(true);
            header->setFont(font);
            m_typeModel->appendRow(header);
        }
        auto *item = new QStandardItem(QStringLiteral("    ") + type.name);
        item->setData(type.name, TypeNameRole);
        item->setToolTip(type.description);
        item->setFlags(Qt::ItemIsEnabled | Qt::ItemIsSelectable);
        m_typeModel->appendRow(item);
    }
    selectEventType(QStringLiteral("profile.update.bio"));
}

bool ActivitySubscriptionDialog::selectEventType(const QString &name)
{
    const QString canonical = xaa::canonicalEventType(name);
    const int index = canonical.isEmpty() ? -1 : m_eventType->findData(canonical, TypeNameRole);
    if (index < 0)
        return false;
    m_eventType->setCurrentIndex(index);
    return true;
}

QString ActivitySubscriptionDialog::eventType() const
{
    return m_eventType->currentData(TypeNameRole).toString();
}

const xaa::EventType *ActivitySubscriptionDialog::currentType() const
{
    return xaa::findEventType(eventType());
}

void ActivitySubscriptionDialog::setAccounts(const QList<UserCredentials> &accounts)
{
    const QString previous = m_account->currentIndex() >= 0
        ? m_accountModel->row(m_account->currentIndex()).account.userId
        : QString();
    m_accounts.clear();
    QList<AccountRow> rows;
    for (const UserCredentials &account : accounts) {
        if (!account.hasOAuth2())
            continue; // X Activity API user calls take OAuth 2.0 only
        m_accounts.append(account);
        rows.append(AccountRow::fromCredentials(account));
    }
    m_accountModel->setRows(rows);
    int index = rows.isEmpty() ? -1 : 0;
    for (int i = 0; i < int(m_accounts.size()); ++i) {
        if (m_accounts.at(i).userId == previous)
            index = i;
    }
    m_account->setCurrentIndex(index);
    eventTypeChanged();
}

void ActivitySubscriptionDialog::setWebhooks(const QList<Webhook> &webhooks)
{
    const QString previous = m_webhook->currentData().toString();
    while (m_webhook->count() > 1)
        m_webhook->removeItem(1);
    for (const Webhook &webhook : webhooks) {
        m_webhook->addItem(webhook.url.isEmpty() ? webhook.id : webhook.url, webhook.id);
        m_webhook->setItemData(m_webhook->count() - 1, tr("Webhook %1").arg(webhook.id), Qt::ToolTipRole);
    }
    m_webhook->setCurrentIndex(qMax(0, m_webhook->findData(previous)));
    revalidate();
}

void ActivitySubscriptionDialog::setUsernameResolver(UsernameResolver resolver)
{
    m_resolver = std::move(resolver);
    revalidate();
}

void ActivitySubscriptionDialog::setUsernameLookup(UsernameLookup lookup)
{
    m_lookup = std::move(lookup);
    revalidate();
}

void ActivitySubscriptionDialog::setSubscription(const ActivitySubscription &subscription,
                                                 const QString &filterText)
{
    m_editing = subscription;
    setWindowTitle(tr("Edit activity subscription"));
    m_buttons->button(QDialogButtonBox::Ok)->setText(tr("&Save"));
    if (!selectEventType(subscription.eventType)) {
        // A type this console does not know: shown as it is, still read-only.
        auto *item = new QStandardItem(subscription.eventType);
        item->setData(subscription.eventType, TypeNameRole);
        m_typeModel->appendRow(item);
        m_eventType->setCurrentIndex(m_typeModel->rowCount() - 1);
    }
    m_userId->setText(subscription.filter.userId);
    m_userId->setToolTip(filterText);
    m_keyword->setText(subscription.filter.keyword);
    m_direction->setCurrentIndex(qMax(0, m_direction->findData(subscription.filter.direction)));
    m_tag->setText(subscription.tag);
    int webhook = m_webhook->findData(subscription.webhookId);
    if (webhook < 0) {
        m_webhook->addItem(subscription.webhookId, subscription.webhookId);
        webhook = m_webhook->count() - 1;
    }
    m_webhook->setCurrentIndex(webhook);
    eventTypeChanged();
}

void ActivitySubscriptionDialog::eventTypeChanged()
{
    const xaa::EventType *type = currentType();
    if (!type) {
        m_typeDetails->clear();
        revalidate();
        return;
    }
    const QString scope = type->scope.isEmpty() ? tr("none") : xaa::acceptedScopes(*type).join(tr(" or "));
    const QStringList fields = xaa::filterFieldNames(type->filters);
    m_typeDetails->setText(tr("%1\nVisibility: %2 · Scope: %3 · Filter: %4")
                               .arg(type->description, xaa::visibilityName(type->visibility), scope,
                                    fields.isEmpty() ? tr("none") : fields.join(QStringLiteral(", "))));
    m_eventType->setToolTip(type->description);

    const bool editing = isEditing();
    const bool needsUser = xaa::needsUserToken(*type);
    m_userId->setEnabled(!editing && type->filters.testFlag(xaa::FilterField::UserId) && !type->actorOnly);
    m_keyword->setEnabled(!editing && type->filters.testFlag(xaa::FilterField::Keyword));
    m_direction->setEnabled(!editing && type->filters.testFlag(xaa::FilterField::Direction));
    m_eventType->setEnabled(!editing);
    m_readOnlyNote->setVisible(editing);
    m_account->setEnabled(!editing && needsUser && !m_accounts.isEmpty());
    if (editing) {
        m_accountHint->clear();
    } else if (!needsUser) {
        m_accountHint->setText(tr("Public event type: created with the app's Bearer token."));
    } else if (m_accounts.isEmpty()) {
        m_accountHint->setText(tr("This event type needs a user's OAuth 2.0 token: sign an account in with "
                                  "OAuth 2.0 first (Subscriptions tab, \"Sign in with OAuth 2.0…\")."));
    } else {
        m_accountHint->setText(type->actorOnly
                                   ? tr("Created with this account's OAuth 2.0 token; mute and block events "
                                        "can only watch the account itself.")
                                   : tr("Created with this account's OAuth 2.0 token."));
    }
    if (!editing && type->actorOnly) {
        // Actor-only: the filter's user is the signing account, locked.
        const UserCredentials *account = currentAccount();
        m_userId->setText(
            account ? (account->username.isEmpty() ? account->userId : QLatin1Char('@') + account->username)
                    : QString());
    }
    if (!editing) {
        // Fields the type does not take are cleared, so a hidden value never reaches the request.
        if (!type->filters.testFlag(xaa::FilterField::UserId))
            m_userId->clear();
        if (!type->filters.testFlag(xaa::FilterField::Keyword))
            m_keyword->clear();
        if (!type->filters.testFlag(xaa::FilterField::Direction))
            m_direction->setCurrentIndex(0);
    }
    // The stream cannot be chosen for a subscription on a webhook: X's update needs a webhook id.
    if (auto *streamItem = qobject_cast<QStandardItemModel *>(m_webhook->model())->item(0)) {
        const bool lockedToWebhook = editing && !m_editing->webhookId.isEmpty();
        streamItem->setEnabled(!lockedToWebhook);
    }
    revalidate();
}

const UserCredentials *ActivitySubscriptionDialog::currentAccount() const
{
    const int index = m_account->currentIndex();
    return index >= 0 && index < int(m_accounts.size()) ? &m_accounts.at(index) : nullptr;
}

QString ActivitySubscriptionDialog::userIdFromField(QString *problem) const
{
    const xaa::EventType *type = currentType();
    if (type && type->actorOnly) {
        const UserCredentials *account = currentAccount();
        return account ? account->userId : QString();
    }
    const QString text = m_userId->text().trimmed();
    if (text.isEmpty() || isNumericId(text))
        return text;
    const QString username = text.startsWith(QLatin1Char('@')) ? text.mid(1) : text;
    if (m_resolver) {
        if (const auto id = m_resolver(username))
            return *id;
    }
    if (const auto looked = m_lookedUp.constFind(username.toCaseFolded()); looked != m_lookedUp.cend()) {
        if (*looked)
            return **looked;
        if (problem) {
            *problem = tr("X found no user @%1 (or could not be asked). Check the name, or enter the "
                          "numeric user id.")
                           .arg(username);
        }
        return {};
    }
    if (m_lookup) {
        if (problem)
            *problem = tr("Looking up @%1…").arg(username);
        return {};
    }
    if (problem) {
        *problem = tr("@%1 is not a user this console knows yet. Enter the numeric user id (X shows it "
                      "in the account's profile data), or sign the account in first.")
                       .arg(username);
    }
    return {};
}

ActivitySubscriptionRequest ActivitySubscriptionDialog::request() const
{
    ActivitySubscriptionRequest request;
    request.eventType = eventType();
    if (m_userId->isEnabled() || (currentType() && currentType()->actorOnly))
        request.filter.userId = userIdFromField(nullptr);
    if (m_keyword->isEnabled())
        request.filter.keyword = m_keyword->text().trimmed();
    if (m_direction->isEnabled())
        request.filter.direction = m_direction->currentData().toString();
    request.tag = m_tag->text().trimmed();
    request.webhookId = m_webhook->currentData().toString();
    return request;
}

std::optional<UserCredentials> ActivitySubscriptionDialog::account() const
{
    const xaa::EventType *type = currentType();
    const UserCredentials *account = currentAccount();
    if (!type || !xaa::needsUserToken(*type) || !account)
        return std::nullopt;
    return *account;
}

ActivitySubscriptionUpdate ActivitySubscriptionDialog::update() const
{
    ActivitySubscriptionUpdate update;
    if (!m_editing)
        return update;
    const QString tag = m_tag->text().trimmed();
    if (tag != m_editing->tag)
        update.tag = tag;
    const QString webhookId = m_webhook->currentData().toString();
    if (webhookId != m_editing->webhookId)
        update.webhookId = webhookId;
    return update;
}

QString ActivitySubscriptionDialog::problem() const
{
    return m_problem;
}

bool ActivitySubscriptionDialog::canSubmit() const
{
    return m_problem.isEmpty();
}

void ActivitySubscriptionDialog::revalidate()
{
    std::optional<ApiError> error;
    QString fieldProblem;
    if (m_editing) {
        error = xaa::checkUpdate(m_editing->id, update());
    } else if (const xaa::EventType *type = currentType(); type && m_userId->isEnabled()) {
        userIdFromField(&fieldProblem);
    }
    if (!m_editing && fieldProblem.isEmpty())
        error = xaa::checkCreate(request(), account());
    // An unknown @name is asked of X when the typing pauses.
    m_lookupWanted.clear();
    if (!m_editing && m_lookup && m_userId->isEnabled()) {
        const QString text = m_userId->text().trimmed();
        const QString name = text.startsWith(QLatin1Char('@')) ? text.mid(1) : text;
        if (!name.isEmpty() && !isNumericId(text) && !(m_resolver && m_resolver(name)) &&
            !m_lookedUp.contains(name.toCaseFolded())) {
            m_lookupWanted = name;
            if (m_lookingUp.isEmpty())
                m_lookupTimer->start();
        }
    }
    if (!fieldProblem.isEmpty())
        m_problem = fieldProblem;
    else if (error)
        m_problem = error->remedy.isEmpty() ? error->cause : error->cause + QLatin1Char(' ') + error->remedy;
    else
        m_problem.clear();
    m_problemLabel->setText(m_problem);
    m_buttons->button(QDialogButtonBox::Ok)->setEnabled(m_problem.isEmpty());
}

} // namespace activity
