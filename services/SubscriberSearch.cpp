#include "SubscriberSearch.h"

#include <QRegularExpression>

namespace activity {

std::optional<SubscriberQuery> SubscriberQuery::parse(const QString &text)
{
    const QString trimmed = text.trimmed();
    static const QRegularExpression digits(QStringLiteral("^[0-9]{1,19}$"));
    static const QRegularExpression name(QStringLiteral("^@?([A-Za-z0-9_]{1,15})$"));
    if (digits.match(trimmed).hasMatch())
        return SubscriberQuery {trimmed, {}};
    if (const QRegularExpressionMatch match = name.match(trimmed); match.hasMatch())
        return SubscriberQuery {{}, match.captured(1)};
    return std::nullopt;
}

SubscriberSearch::SubscriberSearch(SubscriberDirectory *directory, QObject *parent)
    : QObject(parent)
    , m_directory(directory)
{
}

void SubscriberSearch::refresh(const QString &profile, ApiClient *client)
{
    delete m_call.data();
    m_pending.clear();
    m_profile = profile;
    m_client = client;
    m_listed = 0;
    auto *context = new QObject(this);
    m_call = context;
    client->listWebhooks(context, [this, context](const Result<QList<Webhook>> &result) {
        context->deleteLater();
        if (!result)
            return Q_EMIT failed(result.error());
        m_pending = result.value();
        listNext();
    });
}

void SubscriberSearch::listNext()
{
    if (m_pending.isEmpty() || !m_client) {
        m_call.clear();
        return Q_EMIT refreshed(m_profile, m_listed);
    }
    const Webhook webhook = m_pending.takeFirst();
    auto *context = new QObject(this);
    m_call = context;
    m_client->listSubscriptions(
        webhook.id, context, [this, context, webhook](const Result<SubscriptionList> &result) {
            context->deleteLater();
            if (!result) {
                Q_EMIT webhookFailed(m_profile, webhook, result.error());
            } else {
                const SubscriptionList &list = result.value();
                const SubscriberChanges changes =
                    m_directory->update({m_profile, webhook.id, webhook.url, list.userIds, 0});
                ++m_listed;
                Q_EMIT webhookRefreshed(m_profile, webhook, changes,
                                        m_directory->subscriberCount(m_profile, webhook.id));
            }
            listNext();
        });
}

void SubscriberSearch::resolve(const SubscriberQuery &query, ApiClient *client)
{
    if (!query.userId.isEmpty())
        return Q_EMIT resolved(UserInfo {query.userId, {}, {}});
    delete m_lookup.data();
    auto *context = new QObject(this);
    m_lookup = context;
    const QString username = query.username;
    client->lookupUsersByName(
        {username}, context, [this, context, username](const Result<QList<UserInfo>> &result) {
            context->deleteLater();
            if (!result)
                return Q_EMIT failed(result.error());
            for (const UserInfo &user : result.value()) {
                if (user.username.compare(username, Qt::CaseInsensitive) == 0)
                    return Q_EMIT resolved(user);
            }
            Q_EMIT failed(ApiError::make(
                ApiError::Kind::NotFound,
                QStringLiteral("X knows no user @%1 (or the account is suspended).").arg(username),
                QStringLiteral("Check the spelling, or search by the user's id.")));
        });
}

} // namespace activity
