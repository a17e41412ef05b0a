#include "CliFormat.h"

#include "AccountSignIns.h"

#include "CliOutput.h"
#include "EndpointCatalogue.h"
#include "HistoryTableModel.h"
#include "ProfileResolver.h"
#include "UserCache.h"
#include "Validation.h"

#include <QJsonArray>

namespace activity::cli::format {

namespace {

QString credentialName(CredentialKind kind)
{
    switch (kind) {
    case CredentialKind::None:
        return QStringLiteral("none");
    case CredentialKind::AppOwner:
        return QStringLiteral("OAuth 1.0a app owner");
    case CredentialKind::SubscribingUser:
        return QStringLiteral("OAuth 1.0a subscribing user");
    case CredentialKind::AppOnly:
        return QStringLiteral("app-only bearer");
    case CredentialKind::ConsumerBasic:
        return QStringLiteral("Basic consumer key:secret");
    case CredentialKind::ConsumerOnly:
        return QStringLiteral("OAuth 1.0a consumer only");
    case CredentialKind::RequestToken:
        return QStringLiteral("OAuth 1.0a request token");
    case CredentialKind::OAuth2User:
        return QStringLiteral("OAuth 2.0 user");
    case CredentialKind::OAuth2Client:
        return QStringLiteral("OAuth 2.0 client");
    }
    return {};
}

QString progressKey(HistoryEntry::Progress progress)
{
    switch (progress) {
    case HistoryEntry::Progress::Finished:
        return QStringLiteral("finished");
    case HistoryEntry::Progress::Running:
        return QStringLiteral("running");
    case HistoryEntry::Progress::RunningElsewhere:
        return QStringLiteral("running_elsewhere");
    case HistoryEntry::Progress::Interrupted:
        return QStringLiteral("interrupted");
    }
    return {};
}

QJsonValue textOrNull(const QString &text)
{
    return text.isEmpty() ? QJsonValue() : QJsonValue(text);
}

} // namespace

QString isoTime(const QDateTime &time)
{
    return time.isValid() ? time.toUTC().toString(Qt::ISODate) : QString();
}

QString isoTime(qint64 msSinceEpoch)
{
    return isoTime(QDateTime::fromMSecsSinceEpoch(msSinceEpoch, Qt::UTC));
}

QString expiryText(qint64 secondsLeft)
{
    if (secondsLeft <= 0)
        return QStringLiteral("expired");
    if (secondsLeft < 60)
        return QStringLiteral("in less than a minute");
    const qint64 minutes = secondsLeft / 60;
    if (minutes < 60)
        return QStringLiteral("in %1 min").arg(minutes);
    const qint64 hours = minutes / 60;
    if (hours < 24)
        return minutes % 60 ? QStringLiteral("in %1 h %2 min").arg(hours).arg(minutes % 60)
                            : QStringLiteral("in %1 h").arg(hours);
    return hours % 24 ? QStringLiteral("in %1 d %2 h").arg(hours / 24).arg(hours % 24)
                      : QStringLiteral("in %1 d").arg(hours / 24);
}

QJsonObject webhookObject(const Webhook &webhook)
{
    return QJsonObject {{QStringLiteral("id"), webhook.id},
                        {QStringLiteral("url"), webhook.url},
                        {QStringLiteral("valid"), webhook.valid},
                        {QStringLiteral("created_at"), isoTime(webhook.createdAt)}};
}

void webhooks(Output &output, const QList<Webhook> &webhooks)
{
    if (output.json()) {
        QJsonArray hooks;
        for (const Webhook &w : webhooks)
            hooks.append(webhookObject(w));
        output.document({{QStringLiteral("webhooks"), hooks}});
    } else if (webhooks.isEmpty()) {
        output.line(QStringLiteral("No webhooks registered."));
    } else {
        QList<QStringList> rows;
        for (const Webhook &w : webhooks)
            rows.append(
                {w.id, w.valid ? QStringLiteral("yes") : QStringLiteral("NO"), isoTime(w.createdAt), w.url});
        output.table(
            {QStringLiteral("ID"), QStringLiteral("VALID"), QStringLiteral("CREATED"), QStringLiteral("URL")},
            rows);
    }
}

void registered(Output &output, const Webhook &w)
{
    if (output.json())
        output.document({{QStringLiteral("webhook"), webhookObject(w)}});
    else
        output.line(QStringLiteral("Registered webhook %1 (%2): %3")
                        .arg(w.id, w.valid ? QStringLiteral("valid") : QStringLiteral("NOT valid"), w.url));
}

void validated(Output &output, const QString &webhookId, bool valid)
{
    if (output.json())
        output.document({{QStringLiteral("webhook_id"), webhookId}, {QStringLiteral("valid"), valid}});
    else
        output.line(
            valid ? QStringLiteral("Webhook %1 passed the CRC check and is valid.").arg(webhookId)
                  : QStringLiteral("Webhook %1 is not valid: the CRC check did not pass.").arg(webhookId));
}

void deleted(Output &output, const QString &webhookId)
{
    if (output.json())
        output.document({{QStringLiteral("webhook_id"), webhookId}, {QStringLiteral("deleted"), true}});
    else
        output.line(QStringLiteral("Deleted webhook %1.").arg(webhookId));
}

void subscriptionCount(Output &output, const SubscriptionCount &c)
{
    if (output.json()) {
        output.document(
            {{QStringLiteral("account_name"), c.accountName},
             {QStringLiteral("subscriptions_count_all"), c.subscriptionsAll},
             {QStringLiteral("subscriptions_count_direct_messages"), c.subscriptionsDirectMessages},
             {QStringLiteral("provisioned_count"), c.provisioned}});
    } else {
        output.table({QStringLiteral("ACCOUNT"), QStringLiteral("SUBSCRIPTIONS"),
                      QStringLiteral("PROVISIONED"), QStringLiteral("FREE")},
                     {{c.accountName, QString::number(c.subscriptionsAll), QString::number(c.provisioned),
                       QString::number(qMax<qint64>(0, c.provisioned - c.subscriptionsAll))}});
    }
}

void subscriptions(Output &output, const SubscriptionList &list, const UserCache *names)
{
    if (output.json()) {
        QJsonArray subscriptions;
        for (const QString &id : list.userIds) {
            QJsonObject item {{QStringLiteral("user_id"), id}};
            if (names) {
                const std::optional<UserInfo> user = names->value(id);
                item.insert(QStringLiteral("username"), user ? QJsonValue(user->username) : QJsonValue());
                item.insert(QStringLiteral("name"), user ? QJsonValue(user->name) : QJsonValue());
            }
            subscriptions.append(item);
        }
        output.document({{QStringLiteral("webhook_id"), list.webhookId},
                         {QStringLiteral("webhook_url"), list.webhookUrl},
                         {QStringLiteral("application_id"), list.applicationId},
                         {QStringLiteral("subscriptions"), subscriptions}});
        return;
    }
    if (list.userIds.isEmpty()) {
        output.line(QStringLiteral("No subscriptions."));
        return;
    }
    QList<QStringList> rows;
    for (const QString &id : list.userIds) {
        if (!names) {
            rows.append({id});
            continue;
        }
        const std::optional<UserInfo> user = names->value(id);
        rows.append({id, user ? QLatin1Char('@') + user->username : QStringLiteral("(unknown)"),
                     user ? user->name : QString()});
    }
    if (names)
        output.table({QStringLiteral("USER ID"), QStringLiteral("USERNAME"), QStringLiteral("NAME")}, rows);
    else
        output.table({QStringLiteral("USER ID")}, rows);
}

void subscribed(Output &output, const QString &webhookId, const QString &userId)
{
    const QString who = userId.isEmpty() ? QStringLiteral("the user of ACTIVITY_USER_TOKEN")
                                         : QStringLiteral("user %1").arg(userId);
    if (output.json())
        output.document({{QStringLiteral("webhook_id"), webhookId},
                         {QStringLiteral("user_id"), userId},
                         {QStringLiteral("subscribed"), true}});
    else
        output.line(QStringLiteral("Subscribed %1 to webhook %2. Events can take up to 10 s to start.")
                        .arg(who, webhookId));
}

void checked(Output &output, const QString &webhookId, const QString &userId, bool subscribed)
{
    if (output.json())
        output.document({{QStringLiteral("webhook_id"), webhookId},
                         {QStringLiteral("user_id"), userId},
                         {QStringLiteral("subscribed"), subscribed}});
    else
        output.line(subscribed ? QStringLiteral("Subscribed to webhook %1.").arg(webhookId)
                               : QStringLiteral("Not subscribed to webhook %1.").arg(webhookId));
}

void unsubscribed(Output &output, const QString &webhookId, const QString &userId)
{
    if (output.json())
        output.document({{QStringLiteral("webhook_id"), webhookId},
                         {QStringLiteral("user_id"), userId},
                         {QStringLiteral("removed"), true}});
    else
        output.line(QStringLiteral("Unsubscribed user %1 from webhook %2.").arg(userId, webhookId));
}

void replayStarted(Output &output, const QString &webhookId, const ReplayJob &job, const QDateTime &from,
                   const QDateTime &to)
{
    if (output.json())
        output.document({{QStringLiteral("webhook_id"), webhookId},
                         {QStringLiteral("job_id"), job.jobId},
                         {QStringLiteral("created_at"), isoTime(job.createdAt)},
                         {QStringLiteral("from_date"), validate::formatReplayTime(from)},
                         {QStringLiteral("to_date"), validate::formatReplayTime(to)}});
    else
        output.line(
            QStringLiteral("Replay job %1 started for webhook %2 (%3 to %4 UTC). Completion arrives at "
                           "the webhook as a replay_job_status event.")
                .arg(job.jobId, webhookId, validate::formatReplayTime(from), validate::formatReplayTime(to)));
}

void crcResponse(Output &output, const QString &token, const QString &response)
{
    if (output.json())
        output.document({{QStringLiteral("crc_token"), token}, {QStringLiteral("response_token"), response}});
    else
        output.line(response);
}

void crcTest(Output &output, const CrcSelfTestResult &result)
{
    if (output.json()) {
        output.document({{QStringLiteral("passed"), result.passed},
                         {QStringLiteral("verdict"), result.failureName()},
                         {QStringLiteral("http_status"), result.httpStatus},
                         {QStringLiteral("latency_ms"), result.latencyMs},
                         {QStringLiteral("expected_token"), QString::fromLatin1(result.expectedToken)},
                         {QStringLiteral("received_token"), QString::fromUtf8(result.receivedToken)},
                         {QStringLiteral("problem"), result.problem},
                         {QStringLiteral("remedy"), result.remedy}});
        return;
    }
    if (result.passed) {
        output.line(QStringLiteral("Passed in %1 ms: HTTP 200 with the expected response_token.")
                        .arg(result.latencyMs));
    } else {
        output.line(result.summary());
        output.line(
            result.httpStatus == 0
                ? QStringLiteral("No HTTP answer, after %1 ms.").arg(result.latencyMs)
                : QStringLiteral("HTTP %1 after %2 ms.").arg(result.httpStatus).arg(result.latencyMs));
        output.line(
            QStringLiteral("Expected response_token: %1").arg(QString::fromLatin1(result.expectedToken)));
        output.line(QStringLiteral("Received response_token: %1")
                        .arg(result.receivedToken.isEmpty()
                                 ? QStringLiteral("(none)")
                                 : QString::fromUtf8(result.receivedToken.left(200))));
    }
    if (!result.remedy.isEmpty())
        output.line(result.remedy);
}

void accountRemoved(Output &output, const Account &account, const std::optional<ApiError> &revokeProblem)
{
    if (output.json()) {
        QJsonObject document {{QStringLiteral("user_id"), account.userId},
                              {QStringLiteral("username"), account.username},
                              {QStringLiteral("removed"), true},
                              {QStringLiteral("revoked"), account.hasOAuth2 && !revokeProblem}};
        if (revokeProblem)
            document.insert(QStringLiteral("revoke_error"), revokeProblem->text());
        output.document(document);
    } else if (revokeProblem) {
        output.line(QStringLiteral("Removed @%1.").arg(account.username));
    } else {
        output.line(
            account.hasOAuth2
                ? QStringLiteral("Removed @%1; X revoked its OAuth 2.0 sign-in.").arg(account.username)
                : QStringLiteral("Removed @%1.").arg(account.username));
    }
    if (revokeProblem) {
        UserCredentials user;
        user.username = account.username;
        output.error(accounts::revokeFailedText(user, *revokeProblem));
    }
}

void signedIn(Output &output, const Account &account, const QString &profile, const oauth2::Token &oauth2)
{
    QStringList kinds;
    if (account.hasOAuth1)
        kinds.append(QStringLiteral("oauth1"));
    if (account.hasOAuth2)
        kinds.append(QStringLiteral("oauth2"));
    if (output.json()) {
        QJsonObject document {{QStringLiteral("user_id"), account.userId},
                              {QStringLiteral("username"), account.username},
                              {QStringLiteral("profile"), profile},
                              {QStringLiteral("sign_in"), QJsonArray::fromStringList(kinds)}};
        if (!oauth2.isEmpty()) {
            document.insert(QStringLiteral("scopes"), QJsonArray::fromStringList(oauth2.scopes));
            document.insert(QStringLiteral("expires_at"), oauth2.expiresAt.toUTC().toString(Qt::ISODate));
            document.insert(QStringLiteral("refreshable"), !oauth2.refreshToken.isEmpty());
        }
        output.document(document);
        return;
    }
    output.line(QStringLiteral("Signed in as @%1 (%2). The account's tokens are in the keychain; use --user "
                               "%1 to subscribe it.")
                    .arg(account.username, account.userId));
    if (!oauth2.isEmpty())
        output.line(
            QStringLiteral("OAuth 2.0 scopes: %1. The access token expires %2 UTC%3.")
                .arg(oauth2::joinScopes(oauth2.scopes),
                     oauth2.expiresAt.toUTC().toString(QStringLiteral("yyyy-MM-dd HH:mm")),
                     oauth2.refreshToken.isEmpty()
                         ? QStringLiteral("; there is no refresh token (no offline.access), so sign in "
                                          "again after that")
                         : QStringLiteral(" and is renewed by itself")));
}

void requestLogEntry(Output &output, const RequestLogEntry &entry)
{
    // Bodies and errors are the server's words: through Output, like everything printed.
    output.note(QStringLiteral("> %1 %2  [%3, %4]")
                    .arg(QString::fromLatin1(entry.method), entry.url, entry.operation,
                         credentialName(entry.credential)));
    for (const auto &[name, value] : entry.requestHeaders)
        output.note(QStringLiteral(">   %1: %2").arg(QString::fromLatin1(name), QString::fromUtf8(value)));
    if (!entry.requestBody.isEmpty())
        output.note(QStringLiteral(">   ") + QString::fromUtf8(entry.requestBody));
    QString answer =
        QStringLiteral("< %1 in %2 ms, attempt %3")
            .arg(entry.httpStatus ? QString::number(entry.httpStatus) : QStringLiteral("no answer"))
            .arg(entry.durationMs)
            .arg(entry.attempt);
    if (entry.rateLimitLimit >= 0)
        answer += QStringLiteral(", rate limit %1/%2 until %3")
                      .arg(entry.rateLimitRemaining)
                      .arg(entry.rateLimitLimit)
                      .arg(isoTime(entry.rateLimitReset));
    output.note(answer);
    if (!entry.error.isEmpty())
        output.note(QStringLiteral("<   ") + entry.error);
    if (!entry.responseBody.isEmpty())
        output.note(QStringLiteral("<   ") + QString::fromUtf8(entry.responseBody));
    output.note(QStringLiteral("  as curl: ") + entry.curl + QLatin1Char('\n'));
}

QJsonObject historyEntryObject(const HistoryEntry &e)
{
    QJsonObject object {
        {QStringLiteral("id"), e.id},
        {QStringLiteral("started_at"), isoTime(e.startedAt)},
        {QStringLiteral("finished_at"), textOrNull(isoTime(e.finishedAt))},
        {QStringLiteral("source"), e.action.source},
        {QStringLiteral("run_id"), e.runId},
        {QStringLiteral("profile_id"), textOrNull(e.action.profileId)},
        {QStringLiteral("profile_name"), textOrNull(e.action.profileName)},
        {QStringLiteral("api"), endpoints::generationName(e.action.generation)},
        {QStringLiteral("host"), e.action.host},
        {QStringLiteral("operation"), e.operationKey},
        {QStringLiteral("parameters"), e.action.parameters},
        {QStringLiteral("state"), HistoryStore::stateKey(e.state)},
        {QStringLiteral("progress"), progressKey(e.progress)},
        {QStringLiteral("http_status"), e.httpStatus > 0 ? QJsonValue(e.httpStatus) : QJsonValue()},
        {QStringLiteral("summary"), textOrNull(e.summary)},
        {QStringLiteral("duration_ms"), e.durationMs >= 0 ? QJsonValue(e.durationMs) : QJsonValue()},
    };
    if (!e.action.accountUserId.isEmpty() || !e.action.accountUsername.isEmpty())
        object.insert(QStringLiteral("account"),
                      QJsonObject {{QStringLiteral("user_id"), textOrNull(e.action.accountUserId)},
                                   {QStringLiteral("username"), textOrNull(e.action.accountUsername)}});
    if (e.state == HistoryState::Failed)
        object.insert(QStringLiteral("error"),
                      QJsonObject {{QStringLiteral("kind"), e.errorKind},
                                   {QStringLiteral("cause"), e.errorCause},
                                   {QStringLiteral("remedy"), e.errorRemedy}});
    else if (!e.errorCause.isEmpty()) // a partial success: what X reported next to the answer
        object.insert(QStringLiteral("problems"),
                      QJsonObject {{QStringLiteral("kind"), e.errorKind},
                                   {QStringLiteral("cause"), e.errorCause},
                                   {QStringLiteral("remedy"), e.errorRemedy}});
    if (e.progress == HistoryEntry::Progress::Interrupted)
        object.insert(QStringLiteral("note"), HistoryTableModel::interruptedExplanation());
    return object;
}

void history(Output &output, const QString &databasePath, const QList<HistoryEntry> &entries)
{
    if (output.json()) {
        QJsonArray list;
        for (const HistoryEntry &e : entries)
            list.append(historyEntryObject(e));
        output.document({{QStringLiteral("database"), databasePath}, {QStringLiteral("entries"), list}});
        return;
    }
    if (entries.isEmpty()) {
        output.line(QStringLiteral("No recorded actions in %1.").arg(databasePath));
        return;
    }
    QList<QStringList> rows;
    int interrupted = 0;
    for (const HistoryEntry &e : entries) {
        if (e.progress == HistoryEntry::Progress::Interrupted)
            ++interrupted;
        const QString account = e.action.accountUsername.isEmpty()
            ? e.action.accountUserId
            : QLatin1Char('@') + e.action.accountUsername;
        const QString profile = e.action.profileName.isEmpty() ? e.action.host : e.action.profileName;
        rows.append({QString::number(e.id), e.startedAt.toString(QStringLiteral("yyyy-MM-dd HH:mm:ss")),
                     e.operationKey, HistoryTableModel::targetText(e), account, profile,
                     HistoryTableModel::stateText(e), HistoryTableModel::resultText(e)});
    }
    output.table({QStringLiteral("ID"), QStringLiteral("TIME (UTC)"), QStringLiteral("ACTION"),
                  QStringLiteral("TARGET"), QStringLiteral("ACCOUNT"), QStringLiteral("PROFILE"),
                  QStringLiteral("STATE"), QStringLiteral("RESULT")},
                 rows);
    if (interrupted > 0)
        output.line(QStringLiteral("\n%1 interrupted: %2")
                        .arg(interrupted)
                        .arg(HistoryTableModel::interruptedExplanation()));
}

namespace {

// The secrets in the order `profiles list` shows them: JSON key, words, present.
struct SecretFlag
{
    QString key;
    QString words;
    bool present;
};
QList<SecretFlag> secretFlags(const SecretPresence &s)
{
    return {
        {QStringLiteral("consumer_secret"), QStringLiteral("consumer secret"), s.consumerSecret},
        {QStringLiteral("access_token"), QStringLiteral("access token"), s.accessToken},
        {QStringLiteral("access_token_secret"), QStringLiteral("access token secret"), s.accessTokenSecret},
        {QStringLiteral("bearer_token"), QStringLiteral("bearer token"), s.bearerToken},
        {QStringLiteral("oauth2_client_secret"), QStringLiteral("OAuth 2.0 client secret"),
         s.oauth2ClientSecret}};
}

QStringList requestedScopes(const Profile &profile)
{
    return ProfileResolver::fromStored(profile).oauth2ScopesToRequest();
}

QStringList signInKinds(const Account &account)
{
    QStringList kinds;
    if (account.hasOAuth1)
        kinds.append(QStringLiteral("OAuth 1.0a"));
    if (account.hasOAuth2)
        kinds.append(QStringLiteral("OAuth 2.0"));
    return kinds;
}

QString orDash(const QString &text)
{
    return text.isEmpty() ? QStringLiteral("-") : text;
}

} // namespace

QJsonObject profileObject(const ProfileListing &listing)
{
    const Profile &p = listing.profile;
    QJsonObject object {
        {QStringLiteral("id"), p.id},
        {QStringLiteral("name"), p.name},
        {QStringLiteral("api"), endpoints::generationName(p.generation)},
        {QStringLiteral("base_url"), p.baseUrl},
        {QStringLiteral("consumer_key"), textOrNull(p.consumerKey)},
        {QStringLiteral("callback_url"), textOrNull(p.callbackUrl)},
        {QStringLiteral("oauth2_client_id"), textOrNull(p.oauth2ClientId)},
        {QStringLiteral("oauth2_redirect_uri"), textOrNull(p.oauth2RedirectUri)},
        {QStringLiteral("oauth2_scopes"), QJsonArray::fromStringList(requestedScopes(p))},
        {QStringLiteral("oauth2_scopes_default"), p.oauth2Scopes.isEmpty()},
        {QStringLiteral("sandbox"), p.isSandbox},
        {QStringLiteral("allow_insecure_loopback"), p.allowInsecureLoopback || p.isSandbox},
        {QStringLiteral("accounts"), listing.accounts},
    };
    if (listing.secrets) {
        QJsonObject secrets;
        for (const SecretFlag &flag : secretFlags(*listing.secrets))
            secrets.insert(flag.key, flag.present);
        object.insert(QStringLiteral("secrets"), secrets);
    } else {
        object.insert(QStringLiteral("secrets"), QJsonValue());
    }
    if (listing.keychainProblem)
        object.insert(QStringLiteral("keychain_error"), Output::errorObject(*listing.keychainProblem));
    return object;
}

namespace {

void profileBlock(Output &output, const ProfileListing &listing)
{
    const Profile &p = listing.profile;
    QStringList present;
    QStringList absent;
    if (listing.secrets) {
        for (const SecretFlag &flag : secretFlags(*listing.secrets))
            (flag.present ? present : absent).append(flag.words);
    }
    QString secrets;
    if (!listing.secrets)
        secrets = QStringLiteral("unknown (the keychain could not be read)");
    else
        secrets = (present.isEmpty() ? QStringLiteral("none") : present.join(QStringLiteral(", "))) +
            (absent.isEmpty() || present.isEmpty()
                 ? QString()
                 : QStringLiteral("; not: ") + absent.join(QStringLiteral(", ")));
    QString scopes = oauth2::joinScopes(requestedScopes(p));
    if (p.oauth2Scopes.isEmpty())
        scopes += QStringLiteral(" (the Account Activity preset)");
    output.line(QStringLiteral("%1 (id %2)").arg(p.name, p.id));
    const QList<std::pair<QString, QString>> rows {
        {QStringLiteral("API"),
         QStringLiteral("%1 at %2").arg(endpoints::generationName(p.generation), p.baseUrl)},
        {QStringLiteral("Consumer key"), orDash(p.consumerKey)},
        {QStringLiteral("Callback URL"),
         p.callbackUrl.isEmpty() ? QStringLiteral("- (PIN sign-in)") : p.callbackUrl},
        {QStringLiteral("OAuth 2.0 client id"), orDash(p.oauth2ClientId)},
        {QStringLiteral("OAuth 2.0 redirect URI"), orDash(p.oauth2RedirectUri)},
        {QStringLiteral("OAuth 2.0 scopes"), scopes},
        {QStringLiteral("Plain http to loopback"),
         p.isSandbox ? QStringLiteral("allowed (sandbox profile)")
                     : (p.allowInsecureLoopback ? QStringLiteral("allowed") : QStringLiteral("no"))},
        {QStringLiteral("Signed-in accounts"), QString::number(listing.accounts)},
        {QStringLiteral("Secrets in keychain"), secrets},
    };
    for (const auto &[label, value] : rows)
        output.line(QStringLiteral("  %1 %2").arg(label + QLatin1Char(':'), -24).arg(value));
}

} // namespace

void profiles(Output &output, const QList<ProfileListing> &profiles)
{
    if (output.json()) {
        QJsonArray list;
        for (const ProfileListing &listing : profiles)
            list.append(profileObject(listing));
        output.document({{QStringLiteral("profiles"), list}});
        return;
    }
    if (profiles.isEmpty()) {
        output.line(
            QStringLiteral("No stored profiles. Create one with 'activity-cli profiles add NAME' or in "
                           "the console."));
        return;
    }
    for (qsizetype i = 0; i < profiles.size(); ++i) {
        if (i > 0)
            output.line(QString());
        profileBlock(output, profiles[i]);
    }
}

void profileSaved(Output &output, const ProfileListing &listing, bool created)
{
    if (output.json()) {
        output.document(
            {{QStringLiteral("profile"), profileObject(listing)}, {QStringLiteral("created"), created}});
        return;
    }
    output.line((created ? QStringLiteral("Created profile %1 (id %2).")
                         : QStringLiteral("Updated profile %1 (id %2)."))
                    .arg(listing.profile.name, listing.profile.id));
    profileBlock(output, listing);
}

void profileRemoved(Output &output, const Profile &profile, const std::optional<ApiError> &keychainProblem)
{
    if (output.json()) {
        QJsonObject object {{QStringLiteral("id"), profile.id},
                            {QStringLiteral("name"), profile.name},
                            {QStringLiteral("removed"), true},
                            {QStringLiteral("keychain_entries_removed"), !keychainProblem}};
        if (keychainProblem)
            object.insert(QStringLiteral("keychain_error"), Output::errorObject(*keychainProblem));
        output.document(object);
    } else {
        output.line(QStringLiteral("Removed profile %1 (id %2).").arg(profile.name, profile.id));
    }
    if (keychainProblem) {
        output.error(keychainProblem->cause);
        if (!keychainProblem->remedy.isEmpty())
            output.note(QStringLiteral("  What to do: ") + keychainProblem->remedy);
    }
}

QJsonObject accountObject(const AccountListing &listing, const QDateTime &now)
{
    const Account &a = listing.account;
    QJsonObject object {{QStringLiteral("user_id"), a.userId},
                        {QStringLiteral("username"), a.username},
                        {QStringLiteral("kinds"), QJsonArray::fromStringList(signInKinds(a))},
                        {QStringLiteral("signed_in_at"), textOrNull(isoTime(a.signedInAt))}};
    if (a.hasOAuth2 && !listing.keychainProblem) {
        const bool known = listing.expiresAt.isValid();
        const qint64 left = known ? now.secsTo(listing.expiresAt) : 0;
        object.insert(
            QStringLiteral("oauth2"),
            QJsonObject {{QStringLiteral("scopes"), QJsonArray::fromStringList(listing.scopes)},
                         {QStringLiteral("expires_at"), textOrNull(isoTime(listing.expiresAt))},
                         {QStringLiteral("expires_in_seconds"), known ? QJsonValue(left) : QJsonValue()},
                         {QStringLiteral("expired"), known && left <= 0},
                         {QStringLiteral("refresh_token"), listing.hasRefreshToken}});
    } else {
        object.insert(QStringLiteral("oauth2"), QJsonValue());
    }
    if (listing.keychainProblem)
        object.insert(QStringLiteral("error"), Output::errorObject(*listing.keychainProblem));
    return object;
}

void accounts(Output &output, const Profile &profile, const QList<AccountListing> &accounts,
              const QDateTime &now)
{
    if (output.json()) {
        QJsonArray list;
        for (const AccountListing &listing : accounts)
            list.append(accountObject(listing, now));
        output.document(
            {{QStringLiteral("profile"),
              QJsonObject {{QStringLiteral("id"), profile.id}, {QStringLiteral("name"), profile.name}}},
             {QStringLiteral("accounts"), list}});
    } else if (accounts.isEmpty()) {
        output.line(QStringLiteral("No account has signed in to profile %1.").arg(profile.name));
    } else {
        QList<QStringList> rows;
        for (const AccountListing &listing : accounts) {
            const Account &a = listing.account;
            QString scopes = QStringLiteral("-");
            QString expires = QStringLiteral("-");
            QString refresh = QStringLiteral("-");
            if (listing.keychainProblem) {
                scopes = QStringLiteral("(keychain entry unreadable)");
            } else if (a.hasOAuth2) {
                scopes = orDash(oauth2::joinScopes(listing.scopes));
                expires = listing.expiresAt.isValid()
                    ? QStringLiteral("%1 (%2)").arg(isoTime(listing.expiresAt),
                                                    expiryText(now.secsTo(listing.expiresAt)))
                    : QStringLiteral("unknown");
                refresh = listing.hasRefreshToken ? QStringLiteral("yes") : QStringLiteral("no");
            }
            rows.append({a.userId, QLatin1Char('@') + a.username, signInKinds(a).join(QStringLiteral(" + ")),
                         scopes, expires, refresh, orDash(isoTime(a.signedInAt))});
        }
        output.table({QStringLiteral("USER ID"), QStringLiteral("USERNAME"), QStringLiteral("SIGN-IN"),
                      QStringLiteral("SCOPES (OAUTH 2.0)"), QStringLiteral("ACCESS TOKEN EXPIRES"),
                      QStringLiteral("REFRESH TOKEN"), QStringLiteral("SIGNED IN")},
                     rows);
    }
    // A keychain problem is shown for its account; the others are listed all the same.
    for (const AccountListing &listing : accounts) {
        if (listing.keychainProblem)
            output.error(
                QStringLiteral("@%1: %2").arg(listing.account.username, listing.keychainProblem->text()));
    }
}

} // namespace activity::cli::format

namespace activity::cli {

SecretPresence SecretPresence::of(const AppCredentials &credentials)
{
    return SecretPresence {!credentials.consumerSecret.isEmpty(), !credentials.ownerToken.isEmpty(),
                           !credentials.ownerTokenSecret.isEmpty(), !credentials.bearerToken.isEmpty(),
                           !credentials.oauth2ClientSecret.isEmpty()};
}

AccountListing AccountListing::of(const Account &account, const Result<UserCredentials> &user)
{
    AccountListing listing;
    listing.account = account;
    if (!user) {
        listing.keychainProblem = user.error();
        return listing;
    }
    // Facts about the tokens only: the tokens themselves stay behind.
    const oauth2::Token &token = user.value().oauth2;
    listing.scopes = token.scopes;
    listing.expiresAt = token.expiresAt;
    listing.hasRefreshToken = !token.refreshToken.isEmpty();
    return listing;
}

} // namespace activity::cli
