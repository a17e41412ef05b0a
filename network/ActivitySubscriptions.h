#pragma once

#include "ActivityEventTypes.h"
#include "ApiClient.h"
#include "ApiError.h"
#include "ApiTypes.h"

#include <QString>
#include <QStringList>

#include <optional>

// The X Activity API's checks before sending (x-api-2026.md §4.2–§4.4). Each failure is
// ApiError::Kind::Validation (MissingCredentials for the credential) with a cause, a remedy and a
// stable `name` the tests, the CLI's --json and the console key on.
namespace activity::xaa {

inline constexpr int maxKeywordLength = 150; // characters (code points)
inline constexpr int maxTagLength = 200;

// name "unknown_event_type".
std::optional<ApiError> checkEventType(const QString &name);
// The fields `filter` carries for `type`: only the allowed ones ("filter_field_not_allowed"), the
// one it needs ("filter_required"), a numeric user id, a keyword of 1–150 characters, a direction of
// inbound or outbound ("invalid_direction").
std::optional<ApiError> checkFilter(const EventType &type, const ActivityFilter &filter);
// 1–150 characters ("invalid_keyword").
std::optional<ApiError> checkKeyword(const QString &keyword);
// 1–200 characters ("invalid_tag"); callers skip it for "no tag".
std::optional<ApiError> checkTag(const QString &tag);
// ^[0-9]{1,19}$ ("invalid_id"); `what` names it in the message.
std::optional<ApiError> checkId(const QString &id, const QString &what);
// 1–100 valid ids, none repeated ("too_many_ids", "no_ids", "duplicate_id", "invalid_id").
std::optional<ApiError> checkSubscriptionIds(const QStringList &ids);

// Whether `user` may subscribe to `type` with `filter`: public types go with the app's Bearer token
// (user ignored); the others need the user's OAuth 2.0 token with the type's scope
// ("user_token_required", "oauth2_required", "missing_scope"); mute and block need filter.user_id to
// be that user ("actor_only").
std::optional<ApiError> checkCredential(const EventType &type, const ActivityFilter &filter,
                                        const std::optional<UserCredentials> &user);

// All of the above for a create: event type, filter, tag, webhook id, credential.
std::optional<ApiError> checkCreate(const ActivitySubscriptionRequest &request,
                                    const std::optional<UserCredentials> &user);
// Subscription id, and tag and webhook id when set; at least one of them ("nothing_to_update").
std::optional<ApiError> checkUpdate(const QString &subscriptionId, const ActivitySubscriptionUpdate &update);

// The scopes a create for `type` is signed with: empty for the app's Bearer token (no user token
// needed), else the accepted scope `user` holds (the spec's first). The caller passes the user to the
// client only when this is not empty; ApiClient::userCredentialFor then makes the final decision.
QStringList signingScopes(const EventType &type, const std::optional<UserCredentials> &user);

// A filter for a person, as the console's table and the CLI show it: "@alice, inbound",
// "keyword \"launch\"", or the bare user id while its `username` is not known; empty for `filter:{}`.
// The common case (an id alone) returns the id itself, shared rather than copied: the console holds
// 75,000 of them.
QString filterText(const ActivityFilter &filter, const QString &username = {});

// "Creating one more would exceed the tier's limit" ("quota_exceeded"); nullopt while there is room.
std::optional<ApiError> checkQuota(const Quota &quota, qint64 adding = 1);

} // namespace activity::xaa
