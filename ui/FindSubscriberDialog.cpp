#include "FindSubscriberDialog.h"

#include "UserCache.h"

#include <QCheckBox>
#include <QDateTime>
#include <QDialogButtonBox>
#include <QHBoxLayout>
#include <QHeaderView>
#include <QLabel>
#include <QLineEdit>
#include <QPushButton>
#include <QSettings>
#include <QTreeWidget>
#include <QVBoxLayout>

namespace activity {

namespace {

const QString allProfilesKey = QStringLiteral("health/findAllProfiles");

QString explain(const ApiError &error)
{
    return error.remedy.isEmpty() ? error.cause : error.cause + QLatin1Char(' ') + error.remedy;
}

} // namespace

FindSubscriberDialog::FindSubscriberDialog(SubscriberDirectory *directory, const QString &profile,
                                           ApiClient *client, const UserCache *names, QWidget *parent)
    : QDialog(parent)
    , m_directory(directory)
    , m_profile(profile)
    , m_client(client)
    , m_names(names)
    , m_search(new SubscriberSearch(directory, this))
    , m_query(new QLineEdit(this))
    , m_allProfiles(new QCheckBox(tr("&All profiles"), this))
    , m_find(new QPushButton(tr("&Find"), this))
    , m_refresh(new QPushButton(tr("&Refresh Lists"), this))
    , m_status(new QLabel(this))
    , m_problems(new QLabel(this))
    , m_results(new QTreeWidget(this))
    , m_changes(new QTreeWidget(this))
{
    m_query->setPlaceholderText(tr("@username or user id"));
    m_query->setClearButtonEnabled(true);
    m_allProfiles->setEnabled(false); // until setAllProfiles() names the stored profiles
    m_allProfiles->setToolTip(tr("No profiles are stored."));
    m_find->setDefault(true); // Return in the query runs the search
    m_status->setWordWrap(true);
    // Profile names and X's messages are shown as typed, never as markup.
    m_problems->setTextFormat(Qt::PlainText);
    m_problems->setWordWrap(true);
    m_problems->setObjectName(QStringLiteral("findSubscriberProblems"));
    m_problems->hide();
    m_results->setHeaderLabels({tr("Profile"), tr("Webhook"), tr("URL"), tr("Listed")});
    m_results->setRootIsDecorated(false);
    m_changes->setHeaderLabels({tr("Webhook / user"), tr("Change"), tr("Profile")});
    m_changes->header()->setSectionResizeMode(ChangeSubjectColumn, QHeaderView::Stretch);
    updateTitle();

    auto *row = new QHBoxLayout;
    row->addWidget(m_query, 1);
    row->addWidget(m_allProfiles);
    row->addWidget(m_find);
    row->addWidget(m_refresh);
    auto *buttons = new QDialogButtonBox(QDialogButtonBox::Close, this);
    connect(buttons, &QDialogButtonBox::rejected, this, &QDialog::reject);
    auto *layout = new QVBoxLayout(this);
    layout->addLayout(row);
    layout->addWidget(m_status);
    layout->addWidget(m_problems);
    layout->addWidget(m_results, 1);
    layout->addWidget(new QLabel(tr("Changes since each webhook's previous list:"), this));
    layout->addWidget(m_changes, 1);
    layout->addWidget(buttons);
    resize(720, 520);

    connect(m_find, &QPushButton::clicked, this, &FindSubscriberDialog::find);
    connect(m_refresh, &QPushButton::clicked, this, &FindSubscriberDialog::refreshLists);
    connect(m_allProfiles, &QCheckBox::toggled, this, [this](bool checked) {
        if (m_all.settings)
            m_all.settings->setValue(allProfilesKey, checked);
        // Another set of profiles: the next search reads their lists.
        m_listed = false;
        m_results->clear();
        m_status->clear();
        updateTitle();
    });
    connect(m_search, &SubscriberSearch::webhookRefreshed, this,
            [this](const QString &profile, const Webhook &webhook, const SubscriberChanges &change,
                   qsizetype count) {
                auto *top = new QTreeWidgetItem(m_changes);
                top->setText(
                    ChangeSubjectColumn,
                    tr("%1  %2 (%n subscriber(s))", nullptr, int(count)).arg(webhook.id, webhook.url));
                top->setText(ChangeProfileColumn, profile);
                if (change.firstSnapshot) {
                    top->setText(ChangeTextColumn, tr("first list: nothing to compare with"));
                    return;
                }
                top->setText(ChangeTextColumn,
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
            [this](const QString &profile, const Webhook &webhook, const ApiError &error) {
                new QTreeWidgetItem(m_changes, {webhook.id, tr("not listed: %1").arg(error.cause), profile});
            });
    connect(m_search, &SubscriberSearch::profileFailed, this,
            [this](const QString &profile, const ApiError &error) {
                m_lastError = error;
                m_failures.append(
                    tr("Profile \u201c%1\u201d was not searched: %2").arg(profile, explain(error)));
                m_problems->setText(m_failures.join(QLatin1Char('\n')));
                m_problems->setVisible(searchesAllProfiles());
            });
    connect(m_search, &SubscriberSearch::refreshed, this, &FindSubscriberDialog::finishRefresh);
    connect(m_search, &SubscriberSearch::resolved, this, &FindSubscriberDialog::showHits);
    connect(m_search, &SubscriberSearch::failed, this, [this](const ApiError &error) {
        setBusy(false);
        m_pending.reset();
        m_status->setText(explain(error));
    });
}

void FindSubscriberDialog::setAllProfiles(AllProfiles all)
{
    m_all = std::move(all);
    m_allOffered = m_all.resolver && m_all.makeClient;
    m_allProfiles->setEnabled(m_allOffered && !m_busy);
    m_allProfiles->setToolTip(m_allOffered ? tr("Search every stored profile too, each with its own "
                                                "secrets from the keychain.")
                                           : tr("No profiles are stored."));
    if (m_allOffered && m_all.settings && !m_busy)
        m_allProfiles->setChecked(m_all.settings->value(allProfilesKey, false).toBool());
}

bool FindSubscriberDialog::searchesAllProfiles() const
{
    return m_allOffered && m_allProfiles->isChecked();
}

void FindSubscriberDialog::find()
{
    const std::optional<SubscriberQuery> query = SubscriberQuery::parse(m_query->text());
    if (!query) {
        m_status->setText(
            tr("'%1' is not a user: type @username or the user's numeric id.").arg(m_query->text()));
        return;
    }
    if (!m_client && !searchesAllProfiles()) {
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
        startRefresh();
        return;
    }
    m_search->resolve(resolved, lookupClient());
}

void FindSubscriberDialog::refreshLists()
{
    if (!m_client && !searchesAllProfiles())
        return;
    m_listed = false;
    setBusy(true);
    startRefresh();
}

void FindSubscriberDialog::startRefresh()
{
    m_changes->clear();
    m_failures.clear();
    m_lastError.reset();
    m_problems->clear();
    m_problems->hide();
    QList<SubscriberSource> active;
    if (m_client)
        active.append({m_profile, m_client});
    if (!searchesAllProfiles()) {
        m_status->setText(tr("Reading the subscribers of every webhook…"));
        m_search->refresh(active);
        return;
    }
    m_status->setText(tr("Reading the subscribers of every webhook of every profile…"));
    // The active profile is reached through the window's client; without one, it is read again.
    m_search->refreshStored(active, m_all.resolver, m_all.makeClient,
                            m_client ? QStringList {m_all.activeProfileId} : QStringList {});
}

void FindSubscriberDialog::finishRefresh(const QStringList &profiles, int webhooks)
{
    m_searched = profiles;
    if (profiles.isEmpty()) {
        setBusy(false);
        m_pending.reset();
        m_status->setText(searchesAllProfiles() || !m_lastError
                              ? tr("No profile could be searched: see why below.")
                              : explain(*m_lastError));
        return;
    }
    m_listed = true;
    QString listed = searchesAllProfiles()
        ? tr("%n webhook(s) of %1 listed.", nullptr, webhooks).arg(profiles.join(QStringLiteral(", ")))
        : tr("%n webhook(s) listed.", nullptr, webhooks);
    if (!m_failures.isEmpty())
        listed +=
            QLatin1Char(' ') + tr("%n profile(s) could not be searched.", nullptr, int(m_failures.size()));
    m_status->setText(listed);
    Q_EMIT listsRefreshed();
    if (const std::optional<SubscriberQuery> query = std::exchange(m_pending, std::nullopt))
        return m_search->resolve(*query, lookupClient());
    setBusy(false);
}

void FindSubscriberDialog::showHits(const UserInfo &user)
{
    setBusy(false);
    const QString who =
        user.username.isEmpty() ? nameOf(user.id) : QStringLiteral("@%1 (%2)").arg(user.username, user.id);
    QStringList profiles; // those listing the user, in the order found
    for (const SubscriberHit &hit : m_directory->find(user.id)) {
        if (!m_searched.contains(hit.profile))
            continue; // another profile's, or a list not read in this scope
        new QTreeWidgetItem(
            m_results,
            {hit.profile, hit.webhookId, hit.webhookUrl,
             QDateTime::fromMSecsSinceEpoch(hit.listedAtMs).toString(QStringLiteral("yyyy-MM-dd HH:mm"))});
        if (!profiles.contains(hit.profile))
            profiles.append(hit.profile);
    }
    m_results->resizeColumnToContents(ProfileColumn);
    m_results->resizeColumnToContents(WebhookColumn);
    const int count = m_results->topLevelItemCount();
    QString text = count > 0
        ? tr("%1 is subscribed to %n webhook(s) of %2.", nullptr, count)
              .arg(who, profiles.join(QStringLiteral(", ")))
        : tr("%1 is not subscribed to any webhook of %2.").arg(who, m_searched.join(QStringLiteral(", ")));
    // The answer holds for the profiles listed only.
    if (!m_failures.isEmpty())
        text += QLatin1Char(' ') +
            tr("%n profile(s) could not be searched (see below).", nullptr, int(m_failures.size()));
    m_status->setText(text);
    Q_EMIT searched(count > 0);
}

void FindSubscriberDialog::setBusy(bool busy)
{
    m_busy = busy;
    m_find->setEnabled(!busy);
    m_refresh->setEnabled(!busy);
    // A change of scope would drop the lists being read.
    m_allProfiles->setEnabled(!busy && m_allOffered);
}

void FindSubscriberDialog::updateTitle()
{
    setWindowTitle(searchesAllProfiles() ? tr("Find Subscriber — all profiles")
                                         : tr("Find Subscriber — %1").arg(m_profile));
}

ApiClient *FindSubscriberDialog::lookupClient() const
{
    // A name is asked of a profile that answered the last refresh (the active one when it did).
    const QList<SubscriberSource> &listed = m_search->listed();
    for (const SubscriberSource &source : listed) {
        if (source.client)
            return source.client;
    }
    return m_client;
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
