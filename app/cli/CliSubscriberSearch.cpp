// activity-cli subscriptions find @NAME|ID: which webhook of the profile lists a user (#17), and
// what changed on each webhook since the previous list (the snapshots the console keeps too).
#include "CliFormat.h"
#include "CliRunner.h"
#include "SubscriberSearch.h"

#include <QDateTime>
#include <QDir>
#include <QJsonArray>
#include <QStandardPaths>

#include "ActivityConfig.h"

namespace activity::cli {

namespace {

// ACTIVITY_SUBSCRIBERS_DIR when set, else the console's folder.
QString subscribersFolder(const QProcessEnvironment &environment)
{
    const QString folder = environment.value(QStringLiteral("ACTIVITY_SUBSCRIBERS_DIR"));
    return folder.isEmpty() ? SubscriberDirectory::defaultFolder() : folder;
}

QJsonArray jsonIds(const QStringList &ids)
{
    QJsonArray array;
    for (const QString &id : ids)
        array.append(id);
    return array;
}

} // namespace

void Runner::findSubscriber()
{
    const QString text = m_inv.arguments.value(0);
    const std::optional<SubscriberQuery> query = SubscriberQuery::parse(text);
    if (!query)
        return fail(ApiError::make(ApiError::Kind::Validation,
                                   QStringLiteral("'%1' is not a user.").arg(text),
                                   QStringLiteral("Give @username or the user's numeric id.")));
    QList<Operation> operations {Operation::ListWebhooks, Operation::ListSubscriptions};
    if (!query->username.isEmpty())
        operations.append(Operation::UsersByUsername);
    if (!prepareClient(operations))
        return;
    // The snapshots are per profile; without one, per API address.
    const QString profile = m_profileName.isEmpty() ? m_client->config().baseUrl.toString() : m_profileName;
    m_subscribers = std::make_unique<SubscriberDirectory>(subscribersFolder(m_env.variables));
    auto *search = new SubscriberSearch(m_subscribers.get(), this);
    auto changes = std::make_shared<QJsonArray>();
    auto user = std::make_shared<UserInfo>();
    connect(search, &SubscriberSearch::failed, this, &Runner::fail);
    connect(search, &SubscriberSearch::webhookFailed, this,
            [this](const QString &, const Webhook &webhook, const ApiError &error) {
                m_output.note(QStringLiteral("The subscribers of webhook %1 could not be listed: %2")
                                  .arg(webhook.id, error.cause));
            });
    connect(search, &SubscriberSearch::webhookRefreshed, this,
            [this, changes](const QString &, const Webhook &webhook, const SubscriberChanges &change,
                            qsizetype subscribers) {
                changes->append(QJsonObject {{QStringLiteral("webhook_id"), webhook.id},
                                             {QStringLiteral("url"), webhook.url},
                                             {QStringLiteral("subscribers"), qint64(subscribers)},
                                             {QStringLiteral("first_list"), change.firstSnapshot},
                                             {QStringLiteral("since"),
                                              change.firstSnapshot
                                                  ? QJsonValue()
                                                  : QJsonValue(format::isoTime(QDateTime::fromMSecsSinceEpoch(
                                                        change.previousAtMs, Qt::UTC)))},
                                             {QStringLiteral("appeared"), jsonIds(change.appeared)},
                                             {QStringLiteral("disappeared"), jsonIds(change.disappeared)}});
                if (m_output.json() || change.firstSnapshot)
                    return;
                if (change.appeared.isEmpty() && change.disappeared.isEmpty())
                    return;
                m_output.note(
                    QStringLiteral("Webhook %1 since %2: %3 appeared, %4 disappeared%5")
                        .arg(webhook.id,
                             format::isoTime(QDateTime::fromMSecsSinceEpoch(change.previousAtMs, Qt::UTC)))
                        .arg(change.appeared.size())
                        .arg(change.disappeared.size())
                        .arg(change.appeared.size() + change.disappeared.size() <= 10
                                 ? QStringLiteral(" (%1)").arg(
                                       (change.appeared + change.disappeared).join(QStringLiteral(", ")))
                                 : QString()));
            });
    connect(search, &SubscriberSearch::resolved, this, [this, search, user, profile](const UserInfo &found) {
        *user = found;
        search->refresh(profile, m_client.get());
    });
    connect(search, &SubscriberSearch::refreshed, this,
            [this, user, changes, profile](const QString &, int webhooks) {
                const QList<SubscriberHit> hits = m_subscribers->find(user->id);
                const QString who = user->username.isEmpty()
                    ? user->id
                    : QStringLiteral("@%1 (%2)").arg(user->username, user->id);
                if (m_output.json()) {
                    QJsonArray found;
                    for (const SubscriberHit &hit : hits)
                        found.append(QJsonObject {{QStringLiteral("profile"), hit.profile},
                                                  {QStringLiteral("webhook_id"), hit.webhookId},
                                                  {QStringLiteral("url"), hit.webhookUrl}});
                    m_output.document({{QStringLiteral("user_id"), user->id},
                                       {QStringLiteral("username"), user->username},
                                       {QStringLiteral("subscribed"), !hits.isEmpty()},
                                       {QStringLiteral("webhooks_searched"), webhooks},
                                       {QStringLiteral("found"), found},
                                       {QStringLiteral("webhooks"), *changes}});
                } else if (hits.isEmpty()) {
                    m_output.line(QStringLiteral("%1 is not subscribed to any of the %2 webhooks of %3.")
                                      .arg(who)
                                      .arg(webhooks)
                                      .arg(profile));
                } else {
                    m_output.line(QStringLiteral("%1 is subscribed to:").arg(who));
                    for (const SubscriberHit &hit : hits)
                        m_output.line(QStringLiteral("  %1  webhook %2  %3")
                                          .arg(hit.profile, hit.webhookId, hit.webhookUrl));
                }
                finish(ExitOk);
            });
    search->resolve(*query, m_client.get());
}

} // namespace activity::cli
