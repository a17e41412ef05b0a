// activity-cli subscriptions count|list|add|check|remove.
#include "CliFormat.h"
#include "CliRunner.h"
#include "UserCache.h"
#include "UserLookupPager.h"
#include "Validation.h"

namespace activity::cli {

void Runner::subscriptionCount()
{
    if (!prepareClient({Operation::SubscriptionCount}))
        return;
    m_client->subscriptionCount(this, [this](const Result<SubscriptionCount> &result) {
        if (!result)
            return fail(result.error());
        format::subscriptionCount(m_output, result.value());
        finish(ExitOk);
    });
}

void Runner::listSubscriptions()
{
    QList<Operation> ops {Operation::ListSubscriptions};
    if (m_inv.resolve)
        ops.append(Operation::UsersLookup);
    if (!prepareClient(ops))
        return;
    m_client->listSubscriptions(
        m_inv.arguments.value(0), this, [this](const Result<SubscriptionList> &result) {
            if (!result)
                return fail(result.error());
            const SubscriptionList list = result.value();
            if (!m_inv.resolve) {
                format::subscriptions(m_output, list, nullptr);
                return finish(ExitOk);
            }
            // The console's pager: batches of 100 ids, paced by the lookup rate limit.
            m_users = std::make_unique<UserCache>();
            auto *pager = new UserLookupPager(m_users.get(), this);
            pager->setClient(m_client.get());
            connect(pager, &UserLookupPager::finished, this, [this, list] {
                format::subscriptions(m_output, list, m_users.get());
                finish(ExitOk);
            });
            connect(pager, &UserLookupPager::failed, this, &Runner::fail);
            connect(pager, &UserLookupPager::waiting, this, [this](const QDateTime &until) {
                m_output.note(QStringLiteral("The user lookup rate limit is used up; waiting until %1 UTC.")
                                  .arg(format::isoTime(until)));
            });
            pager->lookup(list.userIds);
        });
}

void Runner::addSubscription()
{
    if (!prepareClient({Operation::Subscribe}))
        return;
    const QString id = m_inv.arguments.value(0);
    recordWrite<Done>(
        Operation::Subscribe, {{QStringLiteral("webhook_id"), id}},
        [this, id](QObject *context, ApiClient::Callback<Done> done) -> ApiCall * {
            callAsUser<Done>(
                Operation::Subscribe, context,
                [this, id](const UserCredentials &user, QObject *context, ApiClient::Callback<Done> done) {
                    m_client->subscribe(id, user, context, std::move(done));
                },
                std::move(done));
            return nullptr;
        },
        [](const Done &) { return QStringLiteral("subscribed"); },
        [this, id](const Done &) { format::subscribed(m_output, id, m_credentials.user.userId); });
}

void Runner::checkSubscription()
{
    if (!prepareClient({Operation::CheckSubscription}))
        return;
    const QString id = m_inv.arguments.value(0);
    callAsUser<bool>(
        Operation::CheckSubscription, this,
        [this, id](const UserCredentials &user, QObject *context, ApiClient::Callback<bool> done) {
            m_client->checkSubscription(id, user, context, std::move(done));
        },
        [this, id](const Result<bool> &result) {
            if (!result)
                return fail(result.error());
            format::checked(m_output, id, m_credentials.user.userId, result.value());
            finish(ExitOk);
        });
}

void Runner::removeSubscription()
{
    if (!prepareClient({Operation::UnsubscribeUser}))
        return;
    const QString webhookId = m_inv.arguments.value(0);
    const QString userId = m_inv.arguments.value(1);
    if (auto invalid = validate::numericId(webhookId, QStringLiteral("webhook id")))
        return fail(*invalid);
    if (auto invalid = validate::numericId(userId, QStringLiteral("user id")))
        return fail(*invalid);
    confirmThen(QStringLiteral("Unsubscribe user %1 from webhook %2? Their events stop arriving.")
                    .arg(userId, webhookId),
                userId, [this, webhookId, userId] {
                    recordWrite<Done>(
                        Operation::UnsubscribeUser,
                        {{QStringLiteral("webhook_id"), webhookId}, {QStringLiteral("user_id"), userId}},
                        [this, webhookId, userId](QObject *context, ApiClient::Callback<Done> done) {
                            return m_client->unsubscribe(webhookId, userId, context, std::move(done));
                        },
                        [](const Done &) { return QStringLiteral("unsubscribed"); },
                        [this, webhookId, userId](const Done &) {
                            format::unsubscribed(m_output, webhookId, userId);
                        });
                });
}

} // namespace activity::cli
