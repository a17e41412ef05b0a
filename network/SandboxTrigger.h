#pragma once

#include "ApiError.h"
#include "Result.h"

#include <QByteArray>
#include <QObject>
#include <QString>
#include <QUrl>

#include <functional>

class QNetworkAccessManager;

namespace activity {

// What `activity-cli events trigger` asks the sandbox to make (like `stripe trigger`): an X Activity
// event type (post.create, profile.update.bio, ...) or an Account Activity event array key
// (favorite_events, follow_events, ...), for a user or keyword.
struct TriggerRequest
{
    QString eventType;
    QString userId;
    QString keyword;
    QString direction;
};

// One call to the sandbox's control endpoints (POST /sandbox/activity/events or /sandbox/events)
// with the run's X-Sandbox-Token. Only a sandbox on this computer is asked: the token is the
// sandbox's own, and X has no such endpoint.
class SandboxTrigger : public QObject
{
    Q_OBJECT
public:
    SandboxTrigger(QNetworkAccessManager *network, QUrl sandboxBase, QByteArray controlToken,
                   QObject *parent = nullptr);

    // True for the Account Activity API's keys (the sandbox's /sandbox/events makes those).
    static bool isAccountActivityKey(const QString &eventType);
    // The events the sandbox made (one per matching subscription, or one delivery), or why not.
    void trigger(const TriggerRequest &request, std::function<void(const Result<int> &)> done);

private:
    QNetworkAccessManager *m_network;
    QUrl m_base;
    QByteArray m_token;
};

} // namespace activity
