// ApiClient's X Activity API calls (x-api-2026.md §4): each checked first (ActivitySubscriptions.h).
#include "ActivitySubscriptions.h"
#include "ApiClientCall.h"
#include "Parsers.h"
#include "RequestBuilder.h"

namespace activity {

using clientdetail::parsedWith;
using clientdetail::validationError;

ApiCall *ApiClient::createActivitySubscription(const ActivitySubscriptionRequest &request,
                                               const std::optional<UserCredentials> &user, QObject *context,
                                               Callback<ActivitySubscriptionChange> done)
{
    const std::optional<ApiError> precheck = xaa::checkCreate(request, user);
    const xaa::EventType *type = xaa::findEventType(request.eventType);
    // Bearer unless the type needs a user token; then the user's OAuth 2.0 token with the type's
    // scope, which userCredentialFor confirms.
    const QStringList scopes = type ? xaa::signingScopes(*type, user) : QStringList();
    const std::optional<UserCredentials> signer = scopes.isEmpty() ? std::nullopt : user;
    return call<ActivitySubscriptionChange>(
        Operation::CreateActivitySubscription, requests::createActivitySubscription(request), signer,
        precheck, context, std::move(done), parsedWith(&parse::activitySubscriptionChange), {}, scopes);
}

ApiCall *ApiClient::listActivitySubscriptions(const QString &paginationToken, QObject *context,
                                              Callback<ActivitySubscriptionPage> done, int maxResults)
{
    std::optional<ApiError> precheck;
    // Spec 2.167: pagination_token has at least 16 characters; max_results is 1 to 1000.
    if (!paginationToken.isEmpty() && paginationToken.size() < 16)
        precheck = validationError(
            QStringLiteral("The page token %1 is too short to be one of X's (at least 16 characters).")
                .arg(paginationToken),
            QStringLiteral(
                "Pass the next_token of the previous page unchanged, or no token for the first page."));
    if (maxResults < 0 || maxResults > 1000)
        precheck = validationError(
            QStringLiteral("A page holds 1 to 1000 subscriptions; %1 were asked for.").arg(maxResults),
            QStringLiteral("Ask for 1 to 1000 per page."));
    return call<ActivitySubscriptionPage>(Operation::ListActivitySubscriptions,
                                          requests::listActivitySubscriptions(paginationToken, maxResults),
                                          std::nullopt, precheck, context, std::move(done),
                                          parsedWith(&parse::activitySubscriptionPage));
}

ApiCall *ApiClient::updateActivitySubscription(const QString &subscriptionId,
                                               const ActivitySubscriptionUpdate &update, QObject *context,
                                               Callback<ActivitySubscriptionChange> done)
{
    return call<ActivitySubscriptionChange>(Operation::UpdateActivitySubscription,
                                            requests::updateActivitySubscription(subscriptionId, update),
                                            std::nullopt, xaa::checkUpdate(subscriptionId, update), context,
                                            std::move(done), parsedWith(&parse::activitySubscriptionChange));
}

ApiCall *ApiClient::deleteActivitySubscription(const QString &subscriptionId, QObject *context,
                                               Callback<ActivityDeleteResult> done)
{
    return call<ActivityDeleteResult>(
        Operation::DeleteActivitySubscription, requests::activitySubscription(subscriptionId), std::nullopt,
        xaa::checkId(subscriptionId, QStringLiteral("subscription id")), context, std::move(done),
        [](const ApiReply &reply) -> Result<ActivityDeleteResult> {
            if (!reply.ok())
                return reply.error;
            const Result<ActivityDeleteResult> result = parse::activitySubscriptionDeleted(reply.body);
            if (result && !result.value().deleted)
                return ApiError::make(ApiError::Kind::NotConfirmed,
                                      QStringLiteral("X answered that the subscription was not deleted."),
                                      QStringLiteral("Refresh the list and try again."), reply.httpStatus);
            return result;
        });
}

ApiCall *ApiClient::deleteActivitySubscriptions(const QStringList &subscriptionIds, QObject *context,
                                                Callback<ActivityBulkDeleteResult> done)
{
    return call<ActivityBulkDeleteResult>(
        Operation::DeleteActivitySubscriptions, requests::deleteActivitySubscriptions(subscriptionIds),
        std::nullopt, xaa::checkSubscriptionIds(subscriptionIds), context, std::move(done),
        [subscriptionIds](const ApiReply &reply) -> Result<ActivityBulkDeleteResult> {
            if (!reply.ok())
                return reply.error;
            return parse::activitySubscriptionsDeleted(reply.body, subscriptionIds);
        });
}

} // namespace activity
