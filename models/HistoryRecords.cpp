// The history's value types: outcomes, and the keys an entry is stored under.
#include "HistoryStore.h"

namespace activity {

HistoryOutcome HistoryOutcome::success(const QString &summary, int httpStatus)
{
    HistoryOutcome outcome;
    outcome.succeeded = true;
    outcome.summary = summary;
    outcome.httpStatus = httpStatus;
    return outcome;
}

HistoryOutcome HistoryOutcome::partial(const QString &summary, const QList<ApiError> &problems)
{
    HistoryOutcome outcome = success(summary);
    if (problems.isEmpty())
        return outcome;
    outcome.summary = summary.isEmpty()
        ? QStringLiteral("partly: X reported %1 problem(s)").arg(problems.size())
        : QStringLiteral("%1 (partly: X reported %2 problem(s))").arg(summary).arg(problems.size());
    outcome.errorKind = ApiError::kindName(problems.first().kind);
    QStringList causes;
    for (const ApiError &problem : problems)
        causes << (problem.cause.isEmpty() ? problem.serverMessage : problem.cause);
    outcome.errorCause = causes.join(QLatin1Char(' '));
    outcome.errorRemedy = problems.first().remedy;
    return outcome;
}

HistoryOutcome HistoryOutcome::failure(const ApiError &error)
{
    HistoryOutcome outcome;
    outcome.succeeded = false;
    outcome.httpStatus = error.httpStatus;
    outcome.errorKind = ApiError::kindName(error.kind);
    outcome.errorCause = error.cause.isEmpty() ? error.serverMessage : error.cause;
    outcome.errorRemedy = error.remedy;
    return outcome;
}

QString HistoryStore::operationKey(Operation operation)
{
    switch (operation) {
    case Operation::RegisterWebhook:
        return QStringLiteral("webhooks.register");
    case Operation::ValidateWebhook:
        return QStringLiteral("webhooks.validate");
    case Operation::DeleteWebhook:
        return QStringLiteral("webhooks.delete");
    case Operation::Subscribe:
        return QStringLiteral("subscriptions.add");
    case Operation::UnsubscribeUser:
        return QStringLiteral("subscriptions.remove");
    case Operation::UnsubscribeSelf:
        return QStringLiteral("subscriptions.remove_self");
    case Operation::ReplayAccountActivity:
        return QStringLiteral("replay.account_activity");
    case Operation::ReplayWebhooks:
        return QStringLiteral("replay.webhooks");
    // Reads and sign-in steps are not write actions; named anyway so nothing is lost.
    case Operation::ListWebhooks:
        return QStringLiteral("webhooks.list");
    case Operation::CheckSubscription:
        return QStringLiteral("subscriptions.check");
    case Operation::SubscriptionCount:
        return QStringLiteral("subscriptions.count");
    case Operation::ListSubscriptions:
        return QStringLiteral("subscriptions.list");
    case Operation::BearerToken:
        return QStringLiteral("oauth2.token");
    case Operation::RequestToken:
        return QStringLiteral("oauth.request_token");
    case Operation::AccessToken:
        return QStringLiteral("oauth.access_token");
    case Operation::UsersLookup:
        return QStringLiteral("users.lookup");
    case Operation::OAuth2Token:
        return QStringLiteral("oauth2.user_token");
    case Operation::OAuth2Revoke:
        return QStringLiteral("oauth2.revoke");
    case Operation::CurrentUser:
        return QStringLiteral("users.me");
    case Operation::CreateActivitySubscription:
        return QStringLiteral("activity.subscriptions.create");
    case Operation::ListActivitySubscriptions:
        return QStringLiteral("activity.subscriptions.list");
    case Operation::UpdateActivitySubscription:
        return QStringLiteral("activity.subscriptions.update");
    case Operation::DeleteActivitySubscription:
        return QStringLiteral("activity.subscriptions.delete");
    case Operation::DeleteActivitySubscriptions:
        return QStringLiteral("activity.subscriptions.delete_many");
    case Operation::UsersByUsername:
        return QStringLiteral("users.by_username");
    case Operation::ActivityStream:
        return QStringLiteral("activity.stream");
    }
    return {};
}

std::optional<Operation> HistoryStore::operationFromKey(const QString &key)
{
    // Every operation the catalogue knows, so a new one is found without touching this loop.
    for (const Endpoint &endpoint : endpoints::all()) {
        if (operationKey(endpoint.op) == key)
            return endpoint.op;
    }
    return std::nullopt;
}

QString HistoryStore::stateKey(HistoryState state)
{
    switch (state) {
    case HistoryState::Pending:
        return QStringLiteral("pending");
    case HistoryState::Succeeded:
        return QStringLiteral("succeeded");
    case HistoryState::Failed:
        return QStringLiteral("failed");
    }
    return {};
}

std::optional<HistoryState> HistoryStore::stateFromKey(const QString &key)
{
    for (const HistoryState state : {HistoryState::Pending, HistoryState::Succeeded, HistoryState::Failed}) {
        if (stateKey(state) == key)
            return state;
    }
    return std::nullopt;
}

} // namespace activity
