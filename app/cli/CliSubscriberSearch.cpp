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

// One search: the user asked for, what the profiles listed and which could not be searched.
struct SubscriberFind
{
    SubscriberQuery query;
    QStringList profiles; // listed
    int webhooks = 0;
    QJsonArray changes;
    QJsonArray failures; // {profile, error, remedy} per profile that could not be searched
    std::optional<ApiError> firstFailure;
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
    find->query = *query;
    m_subscribers = std::make_unique<SubscriberDirectory>(environmentPath(
        m_env.variables, QStringLiteral("ACTIVITY_SUBSCRIBERS_DIR"), SubscriberDirectory::defaultFolder()));
    if (!m_inv.allProfiles) {
        QList<Operation> operations {Operation::ListWebhooks, Operation::ListSubscriptions};
        if (!query->username.isEmpty())
            operations.append(Operation::UsersByUsername);
        if (!prepareClient(operations))
            return;
        // The snapshots are per profile; without one, per API address.
        const QString profile =
            m_profileName.isEmpty() ? m_client->config().baseUrl.toString() : m_profileName;
        return searchSubscriber(find)->refresh({{profile, m_client.get()}});
    }
    // Every stored profile, its secrets from the keychain and its client made as prepareClient()
    // makes this one's; the search goes through them one after another.
    openProfileStore();
    if (m_profiles->profiles().isEmpty())
        return fail(
            ApiError::make(ApiError::Kind::Validation, QStringLiteral("No profile is stored."),
                           QStringLiteral("Add one in the console or with 'activity-cli profiles add'.")));
    const auto timeout = std::chrono::seconds(m_inv.timeoutSeconds);
    searchSubscriber(find)->refreshStored(
        {}, m_resolver.get(),
        [network = m_env.network, timeout](const ResolvedProfile &target, QObject *parent) {
            return new ApiClient(network, target.clientConfig({}, timeout), target.credentials, nullptr,
                                 parent);
        });
}

SubscriberSearch *Runner::searchSubscriber(const std::shared_ptr<SubscriberFind> &find)
{
    auto *search = new SubscriberSearch(m_subscribers.get(), this);
    connect(search, &SubscriberSearch::failed, this, &Runner::fail);
    connect(search, &SubscriberSearch::profileFailed, this,
            [this, find](const QString &profile, const ApiError &error) {
                if (!find->firstFailure)
                    find->firstFailure = error;
                find->failures.append(QJsonObject {{QStringLiteral("profile"), profile},
                                                   {QStringLiteral("error"), error.cause},
                                                   {QStringLiteral("remedy"), error.remedy}});
                if (m_inv.allProfiles)
                    m_output.note(QStringLiteral("Profile %1 not searched: %2 %3")
                                      .arg(profile, error.cause, error.remedy)
                                      .trimmed());
            });
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
    connect(search, &SubscriberSearch::refreshed, this,
            [this, search, find](const QStringList &profiles, int webhooks) {
                find->profiles = profiles;
                find->webhooks = webhooks;
                if (profiles.isEmpty()) {
                    // One profile: its own error. Several: each was noted above.
                    if (!m_inv.allProfiles && find->firstFailure)
                        return fail(*find->firstFailure);
                    ApiError error =
                        ApiError::make(ApiError::Kind::MissingCredentials,
                                       QStringLiteral("None of the stored profiles could be searched."),
                                       QStringLiteral("See why for each above, fix it, then try again."));
                    if (find->firstFailure)
                        error.kind = find->firstFailure->kind;
                    return fail(error);
                }
                // The name is asked of the first profile that answered.
                search->resolve(find->query, search->listed().constFirst().client);
            });
    connect(search, &SubscriberSearch::resolved, this, [this, find](const UserInfo &found) {
        find->user = found;
        printFound(*find);
    });
    return search;
}

void Runner::printFound(const SubscriberFind &find)
{
    QList<SubscriberHit> hits;
    for (const SubscriberHit &hit : m_subscribers->find(find.user.id)) {
        if (find.profiles.contains(hit.profile))
            hits.append(hit);
    }
    const UserInfo &user = find.user;
    const QString who =
        user.username.isEmpty() ? user.id : QStringLiteral("@%1 (%2)").arg(user.username, user.id);
    const QStringList &profiles = find.profiles;
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
                           {QStringLiteral("profiles_failed"), find.failures},
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
