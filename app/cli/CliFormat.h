#pragma once

#include "ApiClient.h"
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

// Which of a profile's secrets the keychain holds: presence only, never a value.
struct SecretPresence
{
    bool consumerSecret = false;
    bool accessToken = false;
    bool accessTokenSecret = false;
    bool bearerToken = false;
    bool oauth2ClientSecret = false;

    static SecretPresence of(const AppCredentials &credentials);
};

// One stored profile as `profiles list` and `profiles add` show it.
struct ProfileListing
{
    Profile profile;
    qsizetype accounts = 0;
    std::optional<SecretPresence> secrets; // nullopt: unknown, the keychain could not be read
    std::optional<ApiError> keychainProblem;
};

// One signed-in account as `accounts` shows it: what its keychain entry says, never a token.
struct AccountListing
{
    Account account;
    QStringList scopes; // OAuth 2.0: the granted scopes
    QDateTime expiresAt; // OAuth 2.0: when the access token expires; invalid when not known
    bool hasRefreshToken = false;
    std::optional<ApiError> keychainProblem; // its entry could not be read

    static AccountListing of(const Account &account, const Result<UserCredentials> &user);
};

namespace format {

QString isoTime(const QDateTime &time);
QString isoTime(qint64 msSinceEpoch); // UTC, whole seconds
// "in 1 h 12 min", "in 3 min", "in less than a minute", "in 2 d 4 h", or "expired".
QString expiryText(qint64 secondsLeft);

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
void signedIn(Output &output, const Account &account, const QString &profile,
              const oauth2::Token &oauth2 = {});

// `activity-cli profiles list|add|remove` and `accounts`. `now` is when expiry is counted from.
QJsonObject profileObject(const ProfileListing &listing);
void profiles(Output &output, const QList<ProfileListing> &profiles);
void profileSaved(Output &output, const ProfileListing &listing, bool created);
void profileRemoved(Output &output, const Profile &profile, const std::optional<ApiError> &keychainProblem);
QJsonObject accountObject(const AccountListing &listing, const QDateTime &now);
void accounts(Output &output, const Profile &profile, const QList<AccountListing> &accounts,
              const QDateTime &now);

// --verbose: one finished request, redacted as the log keeps it, on stderr.
void requestLogEntry(Output &output, const RequestLogEntry &entry);

// `activity-cli history`: the entries newest first, with the database they come from.
void history(Output &output, const QString &databasePath, const QList<HistoryEntry> &entries);

} // namespace format

} // namespace activity::cli
