// activity-cli subscriptions find @NAME|ID [--all-profiles]: which webhook of which profile lists a
// user (#17), and what changed on each webhook since the previous list (the snapshots the console
// keeps too).
#include "CliCommands.h"
#include "CliFormat.h"
#include "CliRunner.h"
#include "ProfileResolver.h"
#include "ProfileStore.h"
#include "SubscriberSearch.h"

#include <QCommandLineParser>
#include <QDateTime>
#include <QJsonArray>

namespace activity::cli {

// One search: the profiles to list (name and client), what they found, and the user asked for.
struct SubscriberFind
{
    struct Source
    {
        QString profile;
        ApiClient *client = nullptr;
    };
    QList<Source> sources;
    std::vector<std::unique_ptr<ApiClient>> ownClients; // --all-profiles: one per stored profile
    int next = 0;
    int webhooks = 0;
    QJsonArray changes;
    UserInfo user;
};

QList<QCommandLineOption> findSubscriberOptions()
{
    return {
        QCommandLineOption(QStringLiteral("all-profiles"),
                           QStringLiteral("Search every profile stored by the console (their secrets come "
                                          "from the keychain), not only this one."))};
}

std::optional<QString> readFindSubscriberOptions(const QCommandLineParser &parser, Invocation &invocation)
{
    invocation.allProfiles = parser.isSet(QStringLiteral("all-profiles"));
    return std::nullopt;
}

void Runner::findSubscriber()
{
    const QString text = m_inv.arguments.value(0);
    const std::optional<SubscriberQuery> query = SubscriberQuery::parse(text);
    if (!query)
        return fail(ApiError::make(ApiError::Kind::Validation,
                                   QStringLiteral("'%1' is not a user.").arg(text),
                                   QStringLiteral("Give @username or the user's numeric id.")));
    auto find = std::make_shared<SubscriberFind>();
    m_subscribers = std::make_unique<SubscriberDirectory>(environmentPath(
        m_env.variables, QStringLiteral("ACTIVITY_SUBSCRIBERS_DIR"), SubscriberDirectory::defaultFolder()));
    if (!m_inv.allProfiles) {
        QList<Operation> operations {Operation::ListWebhooks, Operation::ListSubscriptions};
        if (!query->username.isEmpty())
            operations.append(Operation::UsersByUsername);
        if (!prepareClient(operations))
            return;
        // The snapshots are per profile; without one, per API address.
        find->sources.append({m_profileName.isEmpty() ? m_client->config().baseUrl.toString() : m_profileName,
                              m_client.get()});
        return searchSubscriber(*query, find);
    }
    // Every stored profile, its secrets from the keychain, one after another.
    openProfileStore();
    const QList<Profile> profiles = m_profiles->profiles();
    if (profiles.isEmpty())
        return fail(
            ApiError::make(ApiError::Kind::Validation, QStringLiteral("No profile is stored."),
                           QStringLiteral("Add one in the console or with 'activity-cli profiles add'.")));
    auto resolveNext = std::make_shared<std::function<void(int)>>();
    // The function holds itself weakly (a strong copy would be a cycle that is never freed); the
    // pending resolve's callback keeps it alive from one profile to the next.
    *resolveNext = [this, find, profiles, query = *query, weakNext = std::weak_ptr(resolveNext)](int index) {
        if (index >= profiles.size()) {
            if (find->sources.isEmpty())
                return fail(ApiError::make(ApiError::Kind::MissingCredentials,
                                           QStringLiteral("No stored profile could be read."),
                                           QStringLiteral("Check the keychain, then try again.")));
            return searchSubscriber(query, find);
        }
        const Profile &profile = profiles.at(index);
        m_resolver->resolve(
            profile, this,
            [this, find, index, next = weakNext.lock()](const Result<ResolvedProfile> &resolved) {
                if (!resolved) {
                    m_output.note(QStringLiteral("Profile skipped: %1").arg(resolved.error().cause));
                } else {
                    const ResolvedProfile &target = resolved.value();
                    find->ownClients.push_back(std::make_unique<ApiClient>(
                        m_env.network, target.clientConfig({}, std::chrono::seconds(m_inv.timeoutSeconds)),
                        target.credentials));
                    find->sources.append({target.name, find->ownClients.back().get()});
                }
                (*next)(index + 1);
            });
    };
    (*resolveNext)(0);
}

void Runner::searchSubscriber(const SubscriberQuery &query, const std::shared_ptr<SubscriberFind> &find)
{
    auto *search = new SubscriberSearch(m_subscribers.get(), this);
    connect(search, &SubscriberSearch::failed, this, &Runner::fail);
    connect(search, &SubscriberSearch::webhookFailed, this,
            [this](const QString &profile, const Webhook &webhook, const ApiError &error) {
                m_output.note(QStringLiteral("The subscribers of webhook %1 (%2) could not be listed: %3")
                                  .arg(webhook.id, profile, error.cause));
            });
    connect(search, &SubscriberSearch::webhookRefreshed, this,
            [this, find](const QString &profile, const Webhook &webhook, const SubscriberChanges &change,
                         qsizetype subscribers) {
                find->changes.append(QJsonObject {
                    {QStringLiteral("profile"), profile},
                    {QStringLiteral("webhook_id"), webhook.id},
                    {QStringLiteral("url"), webhook.url},
                    {QStringLiteral("subscribers"), qint64(subscribers)},
                    {QStringLiteral("first_list"), change.firstSnapshot},
                    {QStringLiteral("since"),
                     change.firstSnapshot ? QJsonValue() : QJsonValue(format::isoTime(change.previousAtMs))},
                    {QStringLiteral("appeared"), QJsonArray::fromStringList(change.appeared)},
                    {QStringLiteral("disappeared"), QJsonArray::fromStringList(change.disappeared)}});
                if (m_output.json() || change.firstSnapshot ||
                    (change.appeared.isEmpty() && change.disappeared.isEmpty()))
                    return;
                const QStringList both = change.appeared + change.disappeared;
                m_output.note(QStringLiteral("Webhook %1 since %2: %3 appeared, %4 disappeared%5")
                                  .arg(webhook.id, format::isoTime(change.previousAtMs))
                                  .arg(change.appeared.size())
                                  .arg(change.disappeared.size())
                                  .arg(both.size() <= 10
                                           ? QStringLiteral(" (%1)").arg(both.join(QStringLiteral(", ")))
                                           : QString()));
            });
    connect(search, &SubscriberSearch::resolved, this, [search, find](const UserInfo &found) {
        find->user = found;
        const SubscriberFind::Source &first = find->sources.at(find->next++);
        search->refresh(first.profile, first.client);
    });
    connect(search, &SubscriberSearch::refreshed, this, [this, search, find](const QString &, int webhooks) {
        find->webhooks += webhooks;
        if (find->next < find->sources.size()) {
            const SubscriberFind::Source &source = find->sources.at(find->next++);
            return search->refresh(source.profile, source.client);
        }
        printFound(*find);
    });
    search->resolve(query, find->sources.constFirst().client);
}

void Runner::printFound(const SubscriberFind &find)
{
    QList<SubscriberHit> hits;
    for (const SubscriberHit &hit : m_subscribers->find(find.user.id)) {
        for (const SubscriberFind::Source &source : find.sources) {
            if (source.profile == hit.profile)
                hits.append(hit);
        }
    }
    const UserInfo &user = find.user;
    const QString who =
        user.username.isEmpty() ? user.id : QStringLiteral("@%1 (%2)").arg(user.username, user.id);
    QStringList profiles;
    for (const SubscriberFind::Source &source : find.sources)
        profiles.append(source.profile);
    if (m_output.json()) {
        QJsonArray found;
        for (const SubscriberHit &hit : hits)
            found.append(QJsonObject {{QStringLiteral("profile"), hit.profile},
                                      {QStringLiteral("webhook_id"), hit.webhookId},
                                      {QStringLiteral("url"), hit.webhookUrl}});
        m_output.document({{QStringLiteral("user_id"), user.id},
                           {QStringLiteral("username"), user.username},
                           {QStringLiteral("subscribed"), !hits.isEmpty()},
                           {QStringLiteral("profiles_searched"), QJsonArray::fromStringList(profiles)},
                           {QStringLiteral("webhooks_searched"), find.webhooks},
                           {QStringLiteral("found"), found},
                           {QStringLiteral("webhooks"), find.changes}});
    } else if (hits.isEmpty()) {
        m_output.line(QStringLiteral("%1 is not subscribed to any of the %2 webhooks of %3.")
                          .arg(who)
                          .arg(find.webhooks)
                          .arg(profiles.join(QStringLiteral(", "))));
    } else {
        m_output.line(QStringLiteral("%1 is subscribed to:").arg(who));
        for (const SubscriberHit &hit : hits)
            m_output.line(
                QStringLiteral("  %1  webhook %2  %3").arg(hit.profile, hit.webhookId, hit.webhookUrl));
    }
    finish(ExitOk);
}

} // namespace activity::cli
