// Subscriptions of both generations: subscribe and check (the user's context), the deprecated
// v1.1 self-unsubscribe, and the app's count, list and unsubscribe-by-id.

#include "SubscriptionHandlers.h"

namespace activity::sandbox {

SubscriptionHandlers::SubscriptionHandlers(const SandboxParts &parts)
    : HandlerGroup(parts)
{
}

void SubscriptionHandlers::registerRoutes()
{
    using enum Operation;
    using G = SubscriptionHandlers;
    for (const ApiGeneration generation : {ApiGeneration::V1_1, ApiGeneration::V2}) {
        m_router.addApi(Subscribe, generation, AuthNeed::UserOnly, handler(&G::subscribe));
        m_router.addApi(CheckSubscription, generation, AuthNeed::UserOnly, handler(&G::check));
        m_router.addApi(SubscriptionCount, generation, AuthNeed::AppOnly, handler(&G::count));
        m_router.addApi(ListSubscriptions, generation, AuthNeed::AppOnly, handler(&G::list));
        m_router.addApi(UnsubscribeUser, generation, AuthNeed::AppOnly, handler(&G::unsubscribeUser));
    }
    m_router.addApi(UnsubscribeSelf, ApiGeneration::V1_1, AuthNeed::UserOnly, handler(&G::unsubscribeSelf));
}

namespace {

const QString pageMissing = QStringLiteral("Sorry, that page does not exist.");

void removeSubscriber(WebhookRecord &w, const QString &userId)
{
    w.subscribers.remove(userId);
    w.subscriberOrder.removeOne(userId);
}

} // namespace

void SubscriptionHandlers::subscribe(const ExchangePtr &ex)
{
    const bool v2 = ex->isV2();
    WebhookRecord *w = ownWebhook(ex, ex->capture(1));
    if (!w)
        return;
    // An OAuth 1.0a token issued before the app had the Direct Message permission (eve's); an OAuth
    // 2.0 token got this far with the Account Activity scopes, which is what X asks of it.
    if (ex->credential != CredentialKind::OAuth2User &&
        !m_world.accessTokens.value(ex->token).permitsSubscriptions) {
        const QString message = QStringLiteral(
            "Client application is not permitted to access this user's webhook subscriptions.");
        if (v2) {
            answer(ex,
                   v2Error(403, QStringLiteral("Forbidden"), message, QStringLiteral("client-forbidden")));
        } else {
            answer(ex, v1Error(403, 348, message));
        }
        return;
    }
    if (w->subscribers.contains(ex->userId)) {
        answer(ex,
               v2 ? v2Error(409, QStringLiteral("DuplicateSubscriptionFailed"),
                            QStringLiteral("The user is already subscribed to this webhook."))
                  : v1Error(409, 355, QStringLiteral("Subscription already exists.")));
        return;
    }
    if (m_world.subscriptionCount(ex->appId) >= m_world.settings.provisionedSubscriptions) {
        // The v1.1 wording for this case is not documented; the first sentence matches code 214's.
        answer(ex,
               v2 ? v2Error(403, QStringLiteral("SubscriptionLimitExceeded"),
                            QStringLiteral("The account's %1 provisioned subscriptions are used up.")
                                .arg(m_world.settings.provisionedSubscriptions))
                  : v1Error(403, 214,
                            QStringLiteral("Too many resources already created. The provisioned subscription "
                                           "count (%1) is used up.")
                                .arg(m_world.settings.provisionedSubscriptions)));
        return;
    }
    w->subscribers.insert(ex->userId);
    w->subscriberOrder.append(ex->userId);
    answer(ex, v2 ? dataReply(QJsonObject {{QStringLiteral("subscribed"), true}}) : emptyReply(204));
}

void SubscriptionHandlers::check(const ExchangePtr &ex)
{
    WebhookRecord *w = ownWebhook(ex, ex->capture(1));
    if (!w)
        return;
    const bool subscribed = w->subscribers.contains(ex->userId);
    if (ex->isV2())
        answer(ex, dataReply(QJsonObject {{QStringLiteral("subscribed"), subscribed}}));
    else
        answer(ex, subscribed ? emptyReply(204) : v1Error(404, 34, pageMissing));
}

void SubscriptionHandlers::unsubscribeSelf(const ExchangePtr &ex)
{
    WebhookRecord *w = ownWebhook(ex, ex->capture(1));
    if (!w)
        return;
    if (!w->subscribers.contains(ex->userId)) {
        answer(ex, v1Error(404, 34, pageMissing));
        return;
    }
    removeSubscriber(*w, ex->userId);
    answer(ex, emptyReply(204));
}

void SubscriptionHandlers::unsubscribeUser(const ExchangePtr &ex)
{
    const bool v2 = ex->isV2();
    WebhookRecord *w = ownWebhook(ex, ex->capture(1));
    if (!w)
        return;
    const QString userId = ex->capture(2);
    if (!w->subscribers.contains(userId)) {
        answer(ex,
               v2 ? v2Error(404, QStringLiteral("SubscriptionNotFound"),
                            QStringLiteral("User ") + userId +
                                QStringLiteral(" is not subscribed to this webhook."))
                  : v1Error(404, 34, pageMissing));
        return;
    }
    removeSubscriber(*w, userId);
    answer(ex, v2 ? dataReply(QJsonObject {{QStringLiteral("subscribed"), false}}) : emptyReply(204));
}

void SubscriptionHandlers::count(const ExchangePtr &ex)
{
    const int total = m_world.subscriptionCount(ex->appId);
    const QJsonObject count {
        {QStringLiteral("account_name"), m_world.apps.value(ex->appId).accountName},
        {QStringLiteral("subscriptions_count_all"), QString::number(total)},
        {QStringLiteral("subscriptions_count_direct_messages"), QStringLiteral("0")},
        {QStringLiteral("provisioned_count"), QString::number(m_world.settings.provisionedSubscriptions)}};
    answer(ex, ex->isV2() ? dataReply(count) : jsonReply(200, count));
}

void SubscriptionHandlers::list(const ExchangePtr &ex)
{
    WebhookRecord *w = ownWebhook(ex, ex->capture(1));
    if (!w)
        return;
    QJsonArray subscriptions;
    for (const QString &userId : std::as_const(w->subscriberOrder))
        subscriptions.append(QJsonObject {{QStringLiteral("user_id"), userId}});
    const QJsonObject list {{QStringLiteral("webhook_id"), w->id},
                            {QStringLiteral("webhook_url"), m_world.webhookUrl(*w)},
                            {QStringLiteral("application_id"), ex->appId},
                            {QStringLiteral("subscriptions"), subscriptions}};
    answer(ex, ex->isV2() ? dataReply(list) : jsonReply(200, list));
}

} // namespace activity::sandbox
