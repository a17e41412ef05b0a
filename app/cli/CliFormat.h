#pragma once

#include "ApiTypes.h"
#include "CrcSelfTest.h"
#include "HistoryStore.h"
#include "ProfileStore.h"
#include "RequestLog.h"

#include <QJsonObject>

#include <optional>

// What each activity-cli command prints, as text or (with --json) one JSON document: the one place
// that knows the tables, sentences and JSON field names. Output writes them.
namespace activity {
class UserCache;
}

namespace activity::cli {

class Output;

namespace format {

QString isoTime(const QDateTime &time);

QJsonObject webhookObject(const Webhook &webhook);
QJsonObject historyEntryObject(const HistoryEntry &entry);

void webhooks(Output &output, const QList<Webhook> &webhooks);
void registered(Output &output, const Webhook &webhook);
void validated(Output &output, const QString &webhookId, bool valid);
void deleted(Output &output, const QString &webhookId);

void subscriptionCount(Output &output, const SubscriptionCount &count);
// `names` is null without --resolve; ids it does not know print as unknown.
void subscriptions(Output &output, const SubscriptionList &list, const UserCache *names);
// `userId` empty: the user of the environment's token.
void subscribed(Output &output, const QString &webhookId, const QString &userId);
void checked(Output &output, const QString &webhookId, const QString &userId, bool subscribed);
void unsubscribed(Output &output, const QString &webhookId, const QString &userId);

void replayStarted(Output &output, const QString &webhookId, const ReplayJob &job, const QDateTime &from,
                   const QDateTime &to);

void crcResponse(Output &output, const QString &token, const QString &response);
void crcTest(Output &output, const CrcSelfTestResult &result);

// After accounts remove; `revokeProblem`: X could not be told to revoke the OAuth 2.0 sign-in.
void accountRemoved(Output &output, const Account &account, const std::optional<ApiError> &revokeProblem);
void signedIn(Output &output, const Account &account, const QString &profile, const oauth2::Token &oauth2 = {});

// --verbose: one finished request, redacted as the log keeps it, on stderr.
void requestLogEntry(Output &output, const RequestLogEntry &entry);

// `activity-cli history`: the entries newest first, with the database they come from.
void history(Output &output, const QString &databasePath, const QList<HistoryEntry> &entries);

} // namespace format

} // namespace activity::cli
