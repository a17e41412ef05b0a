#include "FindSubscriberDialog.h"

#include "UserCache.h"

#include <QDateTime>
#include <QDialogButtonBox>
#include <QHBoxLayout>
#include <QHeaderView>
#include <QLabel>
#include <QLineEdit>
#include <QPushButton>
#include <QTreeWidget>
#include <QVBoxLayout>

namespace activity {

FindSubscriberDialog::FindSubscriberDialog(SubscriberDirectory *directory, const QString &profile,
                                           ApiClient *client, const UserCache *names, QWidget *parent)
    : QDialog(parent)
    , m_directory(directory)
    , m_profile(profile)
    , m_client(client)
    , m_names(names)
    , m_search(new SubscriberSearch(directory, this))
    , m_query(new QLineEdit(this))
    , m_find(new QPushButton(tr("&Find"), this))
    , m_refresh(new QPushButton(tr("&Refresh Lists"), this))
    , m_status(new QLabel(this))
    , m_results(new QTreeWidget(this))
    , m_changes(new QTreeWidget(this))
{
    setWindowTitle(tr("Find Subscriber — %1").arg(profile));
    m_query->setPlaceholderText(tr("@username or user id"));
    m_query->setClearButtonEnabled(true);
    m_find->setDefault(true); // Return in the query runs the search
    m_status->setWordWrap(true);
    m_results->setHeaderLabels({tr("Webhook"), tr("URL"), tr("Listed")});
    m_results->setRootIsDecorated(false);
    m_changes->setHeaderLabels({tr("Webhook / user"), tr("Change")});
    m_changes->header()->setSectionResizeMode(0, QHeaderView::Stretch);

    auto *row = new QHBoxLayout;
    row->addWidget(m_query, 1);
    row->addWidget(m_find);
    row->addWidget(m_refresh);
    auto *buttons = new QDialogButtonBox(QDialogButtonBox::Close, this);
    connect(buttons, &QDialogButtonBox::rejected, this, &QDialog::reject);
    auto *layout = new QVBoxLayout(this);
    layout->addLayout(row);
    layout->addWidget(m_status);
    layout->addWidget(m_results, 1);
    layout->addWidget(new QLabel(tr("Changes since each webhook's previous list:"), this));
    layout->addWidget(m_changes, 1);
    layout->addWidget(buttons);
    resize(640, 480);

    connect(m_find, &QPushButton::clicked, this, &FindSubscriberDialog::find);
    connect(m_refresh, &QPushButton::clicked, this, &FindSubscriberDialog::refreshLists);
    connect(
        m_search, &SubscriberSearch::webhookRefreshed, this,
        [this](const QString &, const Webhook &webhook, const SubscriberChanges &change, qsizetype count) {
            auto *top = new QTreeWidgetItem(m_changes);
            top->setText(0,
                         tr("%1  %2 (%n subscriber(s))", nullptr, int(count)).arg(webhook.id, webhook.url));
            if (change.firstSnapshot) {
                top->setText(1, tr("first list: nothing to compare with"));
                return;
            }
            top->setText(1,
                         tr("since %1: %2 appeared, %3 disappeared")
                             .arg(QDateTime::fromMSecsSinceEpoch(change.previousAtMs)
                                      .toString(QStringLiteral("yyyy-MM-dd HH:mm")))
                             .arg(change.appeared.size())
                             .arg(change.disappeared.size()));
            // The first 200 of each: enough to read, and a 100,000-row tree would not be.
            for (const QString &id : change.appeared.mid(0, 200))
                (new QTreeWidgetItem(top, {nameOf(id), tr("appeared")}))->setData(0, Qt::UserRole, id);
            for (const QString &id : change.disappeared.mid(0, 200))
                (new QTreeWidgetItem(top, {nameOf(id), tr("disappeared")}))->setData(0, Qt::UserRole, id);
            top->setExpanded(change.appeared.size() + change.disappeared.size() <= 20);
        });
    connect(m_search, &SubscriberSearch::webhookFailed, this,
            [this](const QString &, const Webhook &webhook, const ApiError &error) {
                (new QTreeWidgetItem(m_changes, {webhook.id, tr("not listed: %1").arg(error.cause)}));
            });
    connect(m_search, &SubscriberSearch::refreshed, this, [this](const QStringList &profiles, int webhooks) {
        if (profiles.isEmpty())
            return; // profileFailed() said why
        m_listed = true;
        setBusy(false);
        m_status->setText(tr("%n webhook(s) listed.", nullptr, webhooks));
        Q_EMIT listsRefreshed();
        if (const std::optional<SubscriberQuery> query = std::exchange(m_pending, std::nullopt))
            m_search->resolve(*query, m_client);
    });
    connect(m_search, &SubscriberSearch::resolved, this, &FindSubscriberDialog::showHits);
    const auto fail = [this](const ApiError &error) {
        setBusy(false);
        m_pending.reset();
        m_status->setText(error.remedy.isEmpty() ? error.cause
                                                 : error.cause + QLatin1Char(' ') + error.remedy);
    };
    connect(m_search, &SubscriberSearch::failed, this, fail);
    connect(m_search, &SubscriberSearch::profileFailed, this,
            [fail](const QString &, const ApiError &error) { fail(error); });
}

void FindSubscriberDialog::find()
{
    const std::optional<SubscriberQuery> query = SubscriberQuery::parse(m_query->text());
    if (!query) {
        m_status->setText(
            tr("'%1' is not a user: type @username or the user's numeric id.").arg(m_query->text()));
        return;
    }
    if (!m_client) {
        m_status->setText(tr("This profile has no working connection: fix the profile first."));
        return;
    }
    m_results->clear();
    // A name the console has resolved already needs no lookup.
    SubscriberQuery resolved = *query;
    if (!resolved.username.isEmpty() && m_names) {
        if (const std::optional<UserInfo> known = m_names->findByUsername(resolved.username))
            resolved = SubscriberQuery {known->id, {}};
    }
    setBusy(true);
    if (!m_listed) {
        m_pending = resolved;
        m_changes->clear();
        m_status->setText(tr("Reading the subscribers of every webhook…"));
        m_search->refresh({{m_profile, m_client}});
        return;
    }
    m_search->resolve(resolved, m_client);
}

void FindSubscriberDialog::refreshLists()
{
    if (!m_client)
        return;
    m_listed = false;
    m_changes->clear();
    setBusy(true);
    m_status->setText(tr("Reading the subscribers of every webhook…"));
    m_search->refresh({{m_profile, m_client}});
}

void FindSubscriberDialog::showHits(const UserInfo &user)
{
    setBusy(false);
    const QString who =
        user.username.isEmpty() ? nameOf(user.id) : QStringLiteral("@%1 (%2)").arg(user.username, user.id);
    const QList<SubscriberHit> hits = m_directory->find(user.id);
    for (const SubscriberHit &hit : hits) {
        if (hit.profile != m_profile)
            continue;
        new QTreeWidgetItem(
            m_results,
            {hit.webhookId, hit.webhookUrl,
             QDateTime::fromMSecsSinceEpoch(hit.listedAtMs).toString(QStringLiteral("yyyy-MM-dd HH:mm"))});
    }
    m_results->resizeColumnToContents(0);
    const bool subscribed = m_results->topLevelItemCount() > 0;
    m_status->setText(
        subscribed
            ? tr("%1 is subscribed to %n webhook(s).", nullptr, m_results->topLevelItemCount()).arg(who)
            : tr("%1 is not subscribed to any webhook of %2.").arg(who, m_profile));
    Q_EMIT searched(subscribed);
}

void FindSubscriberDialog::setBusy(bool busy)
{
    m_busy = busy;
    m_find->setEnabled(!busy);
    m_refresh->setEnabled(!busy);
}

QString FindSubscriberDialog::nameOf(const QString &userId) const
{
    if (m_names) {
        if (const std::optional<UserInfo> user = m_names->value(userId); user && !user->username.isEmpty())
            return QStringLiteral("@%1 (%2)").arg(user->username, userId);
    }
    return userId;
}

} // namespace activity
