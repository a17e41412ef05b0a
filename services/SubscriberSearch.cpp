#include "SubscriberSearch.h"

#include "ProfileResolver.h"

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

void SubscriberSearch::refresh(const QList<SubscriberSource> &sources)
{
    QList<Step> steps;
    for (const SubscriberSource &source : sources)
        steps.append({source, std::nullopt});
    m_resolver.clear();
    m_makeClient = {};
    start(steps);
}

void SubscriberSearch::refreshStored(const QList<SubscriberSource> &sources, ProfileResolver *resolver,
                                     MakeClient makeClient, const QStringList &skipIds)
{
    QList<Step> steps;
    for (const SubscriberSource &source : sources)
        steps.append({source, std::nullopt});
    if (resolver && makeClient) {
        for (const Profile &profile : resolver->store()->profiles()) {
            if (!skipIds.contains(profile.id))
                steps.append({{profile.name, nullptr}, profile});
        }
    }
    m_resolver = resolver;
    m_makeClient = std::move(makeClient);
    start(steps);
}

void SubscriberSearch::start(QList<Step> steps)
{
    delete m_call.data();
    m_steps = std::move(steps);
    m_pending.clear();
    m_listed.clear();
    m_webhooks = 0;
    // The previous refresh's clients go with it (their running calls end silently).
    delete m_clients;
    m_clients = new QObject(this);
    // Answers come on the event loop, never inside the call, even with nothing to list.
    QObject *context = newCall();
    QMetaObject::invokeMethod(
        context,
        [this, context] {
            context->deleteLater();
            nextProfile();
        },
        Qt::QueuedConnection);
}

QObject *SubscriberSearch::newCall()
{
    auto *context = new QObject(this);
    m_call = context;
    return context;
}

// Each answer's context is deleted later, not in its own callback.
void SubscriberSearch::nextProfile()
{
    if (m_steps.isEmpty()) {
        m_call.clear();
        QStringList profiles;
        for (const SubscriberSource &source : std::as_const(m_listed))
            profiles.append(source.profile);
        return Q_EMIT refreshed(profiles, m_webhooks);
    }
    const Step step = m_steps.takeFirst();
    if (!step.stored)
        return listProfile(step.source);
    if (!m_resolver)
        return nextProfile();
    QObject *context = newCall();
    m_resolver->resolve(*step.stored, context,
                        [this, context, name = step.stored->name](const Result<ResolvedProfile> &resolved) {
                            context->deleteLater();
                            if (!resolved) {
                                Q_EMIT profileFailed(name, resolved.error());
                                return nextProfile();
                            }
                            listProfile({name, m_makeClient(resolved.value(), m_clients)});
                        });
}

void SubscriberSearch::listProfile(const SubscriberSource &source)
{
    m_current = source;
    if (!source.client) {
        Q_EMIT profileFailed(source.profile,
                             ApiError::make(ApiError::Kind::MissingCredentials,
                                            tr("The profile has no working connection."),
                                            tr("Fix the profile (its address and secrets) first.")));
        return nextProfile();
    }
    QObject *context = newCall();
    source.client->listWebhooks(context, [this, context](const Result<QList<Webhook>> &result) {
        context->deleteLater();
        if (!result) {
            Q_EMIT profileFailed(m_current.profile, result.error());
            return nextProfile();
        }
        m_pending = result.value();
        m_listed.append(m_current);
        listNext();
    });
}

void SubscriberSearch::listNext()
{
    if (m_pending.isEmpty() || !m_current.client)
        return nextProfile();
    const Webhook webhook = m_pending.takeFirst();
    QObject *context = newCall();
    m_current.client->listSubscriptions(
        webhook.id, context, [this, context, webhook](const Result<SubscriptionList> &result) {
            context->deleteLater();
            const QString profile = m_current.profile;
            if (!result) {
                Q_EMIT webhookFailed(profile, webhook, result.error());
            } else {
                const SubscriberChanges changes =
                    m_directory->update({profile, webhook.id, webhook.url, result.value().userIds, 0});
                ++m_webhooks;
                Q_EMIT webhookRefreshed(profile, webhook, changes,
                                        m_directory->subscriberCount(profile, webhook.id));
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
