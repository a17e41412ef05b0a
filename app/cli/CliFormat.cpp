#include "CliFormat.h"

#include "AccountSignIns.h"

#include "CliOutput.h"
#include "EndpointCatalogue.h"
#include "HistoryTableModel.h"
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
        output.line(account.hasOAuth2
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
        output.line(QStringLiteral("OAuth 2.0 scopes: %1. The access token expires %2 UTC%3.")
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

} // namespace activity::cli::format
