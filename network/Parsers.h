#pragma once

#include "ApiTypes.h"
#include "Result.h"

#include <QByteArray>
#include <QList>

namespace activity {

// One webhook delivery as the console reads it (reference §8): a JSON object with exactly one event
// key. Only what identifies the event is kept; the items themselves stay in the raw body.
struct DeliveredEvent
{
    QString key; // "favorite_events", "follow_events", ..., "user_event", "replay_job_status"
    QString forUserId; // the subscribed user; empty for user_event and replay_job_status
    qsizetype itemCount = 0; // length of the event array; 1 for the object-valued keys
    // replay_job_status only
    QString replayJobId;
    QString replayWebhookId;
    QString replayJobState; // "Complete" or "Incomplete"
    QString replayJobStateDescription;
};

} // namespace activity

// Turns raw response bodies into typed values. Every function accepts any byte sequence: anything
// unexpected becomes ApiError::Kind::MalformedResponse with a cause and a remedy, never a crash.
// Ids are kept as strings; a JSON number is accepted as an id only when it is exactly representable.
namespace activity::parse {

// v1.1 array, v2 {"data":[...],"meta":{...}} (data may be empty or absent), Premium list-all
// {"environments":[{"environment_name":..,"webhooks":[...]}]}.
Result<QList<Webhook>> webhookList(const QByteArray &body);
// One webhook, with or without the v2 "data" wrapper.
Result<Webhook> webhook(const QByteArray &body);
// CRC trigger: empty body (v1.1 204) -> true; v2 {"data":{"valid":b}} or {"data":{"attempted":true}}.
Result<bool> validateResult(const QByteArray &body);
// Delete: empty -> true; v2 {"data":{"deleted":b}}.
Result<bool> deleteResult(const QByteArray &body);
// Subscribe / check / unsubscribe: empty (204) -> true; v2 {"data":{"subscribed":b}}.
Result<bool> subscribedFlag(const QByteArray &body);
// v1.1, v2 ("data") and Premium ("subscriptions_count"); counts as strings or numbers.
Result<SubscriptionCount> subscriptionCount(const QByteArray &body);
// v1.1, v2 ("data") and Premium ("environment").
Result<SubscriptionList> subscriptionList(const QByteArray &body);
// job_id in "data", in "replay_event" or at the top level.
Result<ReplayJob> replayJob(const QByteArray &body);
// v1.1 users/lookup array or v2 {"data":[...],"errors":[...]}; partial errors are ignored.
Result<QList<UserInfo>> users(const QByteArray &body);
// oauth2/token: {"token_type":"bearer","access_token":"..."}.
Result<QByteArray> bearerToken(const QByteArray &body);
// oauth/request_token (form-encoded); requires oauth_callback_confirmed=true.
Result<OAuthTokens> requestToken(const QByteArray &body);
// oauth/access_token (form-encoded); carries user_id and screen_name.
Result<OAuthTokens> accessToken(const QByteArray &body);
// A delivered event body: exactly one event key (a known one, or any other "*_events" array),
// for_user_id as a numeric id except on user_event and replay_job_status.
Result<DeliveredEvent> event(const QByteArray &body);

// X Activity API (x-api-2026.md §4.2, §4.4; ActivityParsers.cpp). Event types come back under their
// current names (chat.conversation_join -> chat.conversation.join); unknown ones are kept as sent.
// Create and update: {"data":{"subscription":{...}}} (2.167), with total_subscriptions or
// total_subscriptions_for_instance_id and meta.total_subscriptions (2.166, update), the bare
// subscription as "data", or a one-element "data" array (quickstart).
Result<ActivitySubscriptionChange> activitySubscriptionChange(const QByteArray &body);
// List: {"data":[...]} (2.167), with "meta":{"result_count","next_token"} (2.166) or
// {"total_subscriptions"} (quickstart); "data" may be absent when there are none.
Result<ActivitySubscriptionPage> activitySubscriptionPage(const QByteArray &body);
// Delete one: {"data":{"deleted":b}}, optionally with "meta":{"total_subscriptions":N}.
Result<ActivityDeleteResult> activitySubscriptionDeleted(const QByteArray &body);
// Bulk delete: 2.167 {"data":[{"subscription_id","deleted"}],"errors":[{"subscription_id","reason",
// "message"}],"meta":{...}}, or 2.166 {"data":{"deleted":b},"errors":[Problem...]}, where the ids
// asked for (`requestedIds`) minus the failed ones were deleted. A request-level error (no data,
// errors naming no subscription) is returned as that error.
Result<ActivityBulkDeleteResult> activitySubscriptionsDeleted(const QByteArray &body,
                                                              const QStringList &requestedIds);

} // namespace activity::parse
