#include "SandboxTrigger.h"

#include "ActivityEventTypes.h"

#include <QHostAddress>
#include <QJsonDocument>
#include <QJsonObject>
#include <QNetworkAccessManager>
#include <QNetworkReply>
#include <QNetworkRequest>

namespace activity {

namespace {

bool isLoopback(const QUrl &url)
{
    const QHostAddress address(url.host());
    return url.host() == QLatin1String("localhost") || (!address.isNull() && address.isLoopback());
}

} // namespace

SandboxTrigger::SandboxTrigger(QNetworkAccessManager *network, QUrl sandboxBase, QByteArray controlToken,
                               QObject *parent)
    : QObject(parent)
    , m_network(network)
    , m_base(std::move(sandboxBase))
    , m_token(std::move(controlToken))
{
}

bool SandboxTrigger::isAccountActivityKey(const QString &eventType)
{
    return eventType.endsWith(QLatin1String("_events")) || eventType == QLatin1String("user_event");
}

void SandboxTrigger::trigger(const TriggerRequest &request, std::function<void(const Result<int> &)> done)
{
    const auto refuse = [&done](const QString &cause, const QString &remedy) {
        done(ApiError::make(ApiError::Kind::Validation, cause, remedy));
    };
    if (!m_base.isValid() || !isLoopback(m_base))
        return refuse(tr("Events can only be triggered in the sandbox (on this computer), not at %1.")
                          .arg(m_base.host()),
                      tr("Use the sandbox profile or --base-url with the address activity-sandbox printed."));
    if (m_token.isEmpty())
        return done(ApiError::make(ApiError::Kind::MissingCredentials,
                                   tr("The sandbox's control token is missing."),
                                   tr("Set ACTIVITY_SANDBOX_TOKEN to the token activity-sandbox printed (or "
                                      "wrote with --token-file).")));

    QJsonObject body;
    QString path;
    if (isAccountActivityKey(request.eventType)) {
        if (request.userId.isEmpty())
            return refuse(tr("An Account Activity event needs the subscribed user."),
                          tr("Add --user @NAME or ID."));
        path = QStringLiteral("/sandbox/events");
        body = {{QStringLiteral("for_user_id"), request.userId},
                {QStringLiteral("event"), request.eventType}};
    } else {
        const xaa::EventType *type = xaa::findEventType(request.eventType);
        if (!type)
            return refuse(tr("'%1' is neither an X Activity event type nor an Account Activity event key.")
                              .arg(request.eventType),
                          tr("See activity-cli activity types, or use a key such as favorite_events."));
        path = QStringLiteral("/sandbox/activity/events");
        body = {{QStringLiteral("event_type"), type->name}};
        if (!request.userId.isEmpty())
            body.insert(QStringLiteral("user_id"), request.userId);
        if (!request.keyword.isEmpty())
            body.insert(QStringLiteral("keyword"), request.keyword);
        if (!request.direction.isEmpty())
            body.insert(QStringLiteral("direction"), request.direction);
    }

    QUrl url = m_base;
    url.setPath(path);
    QNetworkRequest http(url);
    http.setHeader(QNetworkRequest::ContentTypeHeader, QStringLiteral("application/json"));
    http.setRawHeader("X-Sandbox-Token", m_token);
    http.setTransferTimeout(15000);
    QNetworkReply *reply = m_network->post(http, QJsonDocument(body).toJson(QJsonDocument::Compact));
    connect(reply, &QNetworkReply::finished, this, [reply, done = std::move(done)] {
        reply->deleteLater();
        const int status = reply->attribute(QNetworkRequest::HttpStatusCodeAttribute).toInt();
        const QJsonObject answer = QJsonDocument::fromJson(reply->readAll()).object();
        if (status == 200 && answer.value(QStringLiteral("emitted")).isDouble())
            return done(answer.value(QStringLiteral("emitted")).toInt());
        if (status == 200 && answer.value(QStringLiteral("delivered_to")).isDouble())
            return done(answer.value(QStringLiteral("delivered_to")).toInt());
        if (status == 0)
            return done(ApiError::make(
                ApiError::Kind::Network, tr("The sandbox did not answer: %1.").arg(reply->errorString()),
                tr("Is activity-sandbox running at %1?").arg(reply->url().authority())));
        const QString said = answer.value(QStringLiteral("error")).toString();
        done(ApiError::make(status == 403 ? ApiError::Kind::Authentication : ApiError::Kind::InvalidRequest,
                            tr("The sandbox refused the event (HTTP %1)%2")
                                .arg(status)
                                .arg(said.isEmpty() ? QStringLiteral(".") : QStringLiteral(": ") + said),
                            status == 403
                                ? tr("Check ACTIVITY_SANDBOX_TOKEN: it changes with every sandbox run.")
                                : tr("Check the event type and --user.")));
    });
}

} // namespace activity
