// activity-cli activity types|list|add|update|remove: the X Activity API (x-api-2026.md §4).
#include "ActivityBulkDelete.h"
#include "ActivitySubscriptionLoader.h"
#include "ActivitySubscriptions.h"
#include "CliActivityFormat.h"
#include "CliFormat.h"
#include "CliRunner.h"
#include "UserCache.h"
#include "UserLookupPager.h"

#include <QJsonArray>
#include <QRegularExpression>

#include <memory>

namespace activity::cli {

namespace {

bool isNumericId(const QString &text)
{
    static const QRegularExpression pattern(QStringLiteral("^[0-9]{1,19}$"));
    return pattern.match(text).hasMatch();
}

QJsonObject activityParameters(const ActivitySubscriptionRequest &request)
{
    QJsonObject parameters {{QStringLiteral("event_type"), request.eventType}};
    if (!request.filter.userId.isEmpty())
        parameters.insert(QStringLiteral("user_id"), request.filter.userId);
    if (!request.filter.keyword.isEmpty())
        parameters.insert(QStringLiteral("keyword"), request.filter.keyword);
    if (!request.filter.direction.isEmpty())
        parameters.insert(QStringLiteral("direction"), request.filter.direction);
    if (!request.tag.isEmpty())
        parameters.insert(QStringLiteral("tag"), request.tag);
    if (!request.webhookId.isEmpty())
        parameters.insert(QStringLiteral("webhook_id"), request.webhookId);
    return parameters;
}

} // namespace

void Runner::listActivityTypes()
{
    format::activityTypes(m_output);
    finish(ExitOk);
}

void Runner::listActivity()
{
    QList<Operation> ops {Operation::ListActivitySubscriptions};
    if (m_inv.resolve)
        ops.append(Operation::UsersLookup);
    if (!prepareClient(ops))
        return;
    // --tier, else the profile's, else Enterprise (the Account Activity API's own tier).
    xaa::Tier tier = m_resolved ? m_resolved->activityTier : xaa::Tier::Enterprise;
    if (m_inv.activity.tier)
        tier = xaa::Tier(*m_inv.activity.tier);

    auto subscriptions = std::make_shared<QList<ActivitySubscription>>();
    auto total = std::make_shared<std::optional<qint64>>();
    auto *loader = new ActivitySubscriptionLoader(this);
    connect(
        loader, &ActivitySubscriptionLoader::pageLoaded, this,
        [subscriptions, total](const QList<ActivitySubscription> &page, qint64, std::optional<qint64> all) {
            subscriptions->append(page);
            if (all)
                *total = all;
        });
    connect(loader, &ActivitySubscriptionLoader::failed, this, &Runner::fail);
    connect(loader, &ActivitySubscriptionLoader::finished, this, [this, subscriptions, total, tier] {
        const xaa::Quota quota = xaa::quota(tier, total->value_or(subscriptions->size()));
        if (!m_inv.resolve) {
            format::activitySubscriptions(m_output, *subscriptions, nullptr, quota);
            return finish(ExitOk);
        }
        QStringList ids;
        for (const ActivitySubscription &subscription : std::as_const(*subscriptions)) {
            if (!subscription.filter.userId.isEmpty() && !ids.contains(subscription.filter.userId))
                ids.append(subscription.filter.userId);
        }
        // The console's pager: batches of 100 ids, paced by the lookup rate limit.
        m_users = std::make_unique<UserCache>();
        auto *pager = new UserLookupPager(m_users.get(), this);
        pager->setClient(m_client.get());
        connect(pager, &UserLookupPager::finished, this, [this, subscriptions, quota] {
            format::activitySubscriptions(m_output, *subscriptions, m_users.get(), quota);
            finish(ExitOk);
        });
        connect(pager, &UserLookupPager::failed, this, &Runner::fail);
        pager->lookup(ids);
    });
    loader->start(m_client.get());
}

void Runner::resolveActivityUser(const xaa::EventType &type, std::function<void(const QString &)> got)
{
    const QString hint = m_inv.user.trimmed();
    UserCredentials &user = m_credentials.user;
    const bool signedIn = xaa::needsUserToken(type) && user.hasOAuth2();
    // An environment token does not say whose it is: GET /2/users/me asks, once.
    if (signedIn && user.userId.isEmpty()) {
        callAsUser<UserInfo>(
            Operation::CurrentUser, this,
            [this](const UserCredentials &u, QObject *context, ApiClient::Callback<UserInfo> done) {
                m_client->currentUser(u, context, std::move(done));
            },
            [this, &type, got = std::move(got)](const Result<UserInfo> &me) {
                if (!me)
                    return fail(me.error());
                m_credentials.user.userId = me.value().id;
                m_credentials.user.username = me.value().username;
                resolveActivityUser(type, got);
            });
        return;
    }
    if (hint.isEmpty()) {
        // Actor-only types (mute, block) watch the signed-in user; the rest need --user when the type
        // takes a user (the client's check says so).
        got(signedIn && type.actorOnly ? user.userId : QString());
        return;
    }
    if (isNumericId(hint)) {
        got(hint);
        return;
    }
    const QString name = hint.startsWith(QLatin1Char('@')) ? hint.mid(1) : hint;
    if (!user.userId.isEmpty() && user.username.compare(name, Qt::CaseInsensitive) == 0) {
        got(user.userId);
        return;
    }
    m_client->lookupUsersByName({name}, this, [this, name, got](const Result<QList<UserInfo>> &found) {
        if (!found)
            return fail(found.error());
        if (found.value().isEmpty())
            return fail(ApiError::make(ApiError::Kind::NotFound,
                                       QStringLiteral("X knows no user called @%1.").arg(name),
                                       QStringLiteral("Check the spelling, or pass the numeric user id.")));
        got(found.value().constFirst().id);
    });
}

void Runner::addActivity()
{
    const QString eventType = m_inv.arguments.value(0);
    if (auto unknown = xaa::checkEventType(eventType))
        return fail(*unknown);
    const xaa::EventType &type = *xaa::findEventType(eventType);
    if (!prepareClient({Operation::CreateActivitySubscription}))
        return;
    resolveActivityUser(type, [this, &type](const QString &userId) {
        ActivitySubscriptionRequest request;
        request.eventType = type.name;
        request.filter.userId = userId;
        request.filter.keyword = m_inv.activity.keyword;
        request.filter.direction = m_inv.activity.direction;
        request.tag = m_inv.activity.tag.value_or(QString());
        request.webhookId = m_inv.activity.webhookId.value_or(QString());
        const bool asUser = xaa::needsUserToken(type);
        // Checked here too, so that nothing is recorded for a request the client would not send.
        const std::optional<UserCredentials> user =
            asUser ? std::optional<UserCredentials>(m_credentials.user) : std::nullopt;
        if (auto invalid = xaa::checkCreate(request, user))
            return fail(*invalid);
        recordWrite<ActivitySubscriptionChange>(
            Operation::CreateActivitySubscription, activityParameters(request),
            [this, request, asUser](QObject *context,
                                    ApiClient::Callback<ActivitySubscriptionChange> done) -> ApiCall * {
                if (!asUser)
                    return m_client->createActivitySubscription(request, std::nullopt, context,
                                                                std::move(done));
                callAsUser<ActivitySubscriptionChange>(
                    Operation::CreateActivitySubscription, context,
                    [this, request](const UserCredentials &u, QObject *context,
                                    ApiClient::Callback<ActivitySubscriptionChange> done) {
                        m_client->createActivitySubscription(request, u, context, std::move(done));
                    },
                    std::move(done));
                return nullptr;
            },
            [](const ActivitySubscriptionChange &change) {
                return QStringLiteral("subscription %1").arg(change.subscription.id);
            },
            [this](const ActivitySubscriptionChange &change) { format::activityCreated(m_output, change); });
    });
}

void Runner::updateActivity()
{
    const QString id = m_inv.arguments.value(0);
    ActivitySubscriptionUpdate update;
    update.tag = m_inv.activity.tag;
    update.webhookId = m_inv.activity.webhookId;
    if (auto invalid = xaa::checkUpdate(id, update))
        return fail(*invalid);
    if (!prepareClient({Operation::UpdateActivitySubscription}))
        return;
    QJsonObject parameters {{QStringLiteral("subscription_id"), id}};
    if (update.tag)
        parameters.insert(QStringLiteral("tag"), *update.tag);
    if (update.webhookId)
        parameters.insert(QStringLiteral("webhook_id"), *update.webhookId);
    recordWrite<ActivitySubscriptionChange>(
        Operation::UpdateActivitySubscription, parameters,
        [this, id, update](QObject *context, ApiClient::Callback<ActivitySubscriptionChange> done) {
            return m_client->updateActivitySubscription(id, update, context, std::move(done));
        },
        [](const ActivitySubscriptionChange &) { return QStringLiteral("updated"); },
        [this](const ActivitySubscriptionChange &change) { format::activityUpdated(m_output, change); });
}

void Runner::removeActivity()
{
    const QStringList ids = m_inv.arguments;
    for (const QString &id : ids) {
        if (auto invalid = xaa::checkId(id, QStringLiteral("subscription id")))
            return fail(*invalid);
    }
    if (!prepareClient({Operation::DeleteActivitySubscriptions}))
        return;
    const QString question = ids.size() == 1
        ? QStringLiteral("Delete X Activity subscription %1? Its events stop at once.").arg(ids.first())
        : QStringLiteral("Delete %1 X Activity subscriptions? Their events stop at once.").arg(ids.size());
    const QString expected = ids.size() == 1 ? ids.first() : QString::number(ids.size());
    confirmThen(question, expected, [this, ids] {
        auto *bulk = new ActivityBulkDelete(this);
        connect(bulk, &ActivityBulkDelete::waiting, this, [this](const QDateTime &until) {
            m_output.note(QStringLiteral("The delete rate limit is used up; waiting until %1 UTC.")
                              .arg(format::isoTime(until)));
        });
        connect(bulk, &ActivityBulkDelete::progress, this, [this](int done, int total) {
            if (m_inv.verbose && total > endpoints::maxActivityIdsPerDelete)
                m_output.note(QStringLiteral("%1 of %2 done").arg(done).arg(total));
        });
        connect(bulk, &ActivityBulkDelete::stopped, this,
                [this](const ApiError &error) { m_output.apiError(error); });
        connect(bulk, &ActivityBulkDelete::finished, this,
                [this](const QStringList &deleted, const QList<ActivityBulkDeleteError> &failed) {
                    format::activityRemoved(m_output, deleted, failed);
                    finish(failed.isEmpty() ? int(ExitOk) : int(ExitApiRefused));
                });
        bulk->start(m_client.get(), &recorder(), ids);
    });
}

} // namespace activity::cli
