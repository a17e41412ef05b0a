#pragma once

#include "ActivityEventTypes.h"
#include "ApiTypes.h"

#include <QJsonObject>

#include <optional>

namespace activity {
class UserCache;
}

// What the `activity` commands print, as text or (with --json) one JSON document. Beside
// CliFormat.h, which holds the Account Activity commands' output.
namespace activity::cli {

class Output;

namespace format {

QJsonObject activitySubscriptionObject(const ActivitySubscription &subscription);

void activityTypes(Output &output);
// `names` is null without --resolve.
void activitySubscriptions(Output &output, const QList<ActivitySubscription> &subscriptions,
                           const UserCache *names, const xaa::Quota &quota);
void activityCreated(Output &output, const ActivitySubscriptionChange &change);
void activityUpdated(Output &output, const ActivitySubscriptionChange &change);
void activityRemoved(Output &output, const QStringList &deleted,
                     const QList<ActivityBulkDeleteError> &failed);

} // namespace format
} // namespace activity::cli
