#pragma once

// Internal to the sandbox library: the X Activity API's JSON names and the filter object, shared by
// the subscription handlers and the event emission (ActivityHandlers.cpp, ActivityEventEmission.cpp).

#include "ApiTypes.h"

#include <QJsonObject>
#include <QString>

namespace activity::sandbox::activityjson {

inline const QString kEventType = QStringLiteral("event_type");
inline const QString kFilter = QStringLiteral("filter");
inline const QString kTag = QStringLiteral("tag");
inline const QString kWebhookId = QStringLiteral("webhook_id");
inline const QString kUserId = QStringLiteral("user_id");
inline const QString kKeyword = QStringLiteral("keyword");
inline const QString kDirection = QStringLiteral("direction");
inline const QString kData = QStringLiteral("data");
inline const QString kMeta = QStringLiteral("meta");
inline const QString kTotal = QStringLiteral("total_subscriptions");

inline QJsonObject filterJson(const ActivityFilter &filter)
{
    QJsonObject object;
    if (!filter.userId.isEmpty())
        object.insert(kUserId, filter.userId);
    if (!filter.keyword.isEmpty())
        object.insert(kKeyword, filter.keyword);
    if (!filter.direction.isEmpty())
        object.insert(kDirection, filter.direction);
    return object;
}

} // namespace activity::sandbox::activityjson
