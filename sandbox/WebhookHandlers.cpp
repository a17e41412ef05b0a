// Webhooks of both generations: list, register (with its CRC), validate (CRC again), delete.

#include "WebhookHandlers.h"

#include "Validation.h"

#include <QHostAddress>

namespace activity::sandbox {

WebhookHandlers::WebhookHandlers(const SandboxParts &parts)
    : HandlerGroup(parts)
{
}

void WebhookHandlers::registerRoutes()
{
    using enum Operation;
    constexpr auto V1 = ApiGeneration::V1_1;
    constexpr auto V2 = ApiGeneration::V2;
    // v1.1 webhook management is the app owner's; v2 takes the app's bearer too (the OpenAPI).
    m_router.addApi(ListWebhooks, V1, AuthNeed::AppOnly, handler(&WebhookHandlers::list));
    m_router.addApi(RegisterWebhook, V1, AuthNeed::OwnerOnly, handler(&WebhookHandlers::registerWebhook))
        .bearerIs261 = true;
    m_router.addApi(ValidateWebhook, V1, AuthNeed::OwnerOnly, handler(&WebhookHandlers::validate));
    m_router.addApi(DeleteWebhook, V1, AuthNeed::OwnerOnly, handler(&WebhookHandlers::remove));

    m_router.addApi(ListWebhooks, V2, AuthNeed::AppOnly, handler(&WebhookHandlers::list));
    m_router.addApi(RegisterWebhook, V2, AuthNeed::AppOrOwner, handler(&WebhookHandlers::registerWebhook))
        .flags = JsonBody;
    m_router.addApi(ValidateWebhook, V2, AuthNeed::AppOrOwner, handler(&WebhookHandlers::validate));
    m_router.addApi(DeleteWebhook, V2, AuthNeed::AppOrOwner, handler(&WebhookHandlers::remove));
}

namespace {

QJsonObject webhookJson(const QString &id, const QString &url, bool valid, const QDateTime &createdAt,
                        bool v2)
{
    return QJsonObject {{QStringLiteral("id"), id},
                        {QStringLiteral("url"), url},
                        {QStringLiteral("valid"), valid},
                        {QStringLiteral("created_at"), isoTime(createdAt, v2)}};
}

// Why X would refuse this URL (reference §4 "URL requirements"), or nothing when it is acceptable.
std::optional<QString> urlProblem(const QString &text, bool lenientLoopback)
{
    const QUrl url(text, QUrl::StrictMode);
    if (text.isEmpty() || !url.isValid() || url.isRelative() || url.host().isEmpty())
        return QStringLiteral("The URL is not a valid absolute URL.");
    const QString scheme = url.scheme().toLower();
    if (lenientLoopback && validate::isLoopbackAddress(url.host()) &&
        (scheme == QLatin1String("http") || scheme == QLatin1String("https")))
        return std::nullopt;
    if (scheme != QLatin1String("https"))
        return QStringLiteral("The URL must use https.");
    if (url.port() != -1)
        return QStringLiteral("The URL must not contain a port.");
    if (!QHostAddress(url.host()).isNull() || !url.host().contains(QLatin1Char('.')))
        return QStringLiteral("The URL must use a fully qualified host name, not an IP address.");
    return std::nullopt;
}

} // namespace

void WebhookHandlers::list(const ExchangePtr &ex)
{
    const bool v2 = ex->isV2();
    QJsonArray list;
    for (const auto &[id, w] : m_world.webhooks) {
        if (w.appId == ex->appId)
            list.append(webhookJson(w.id, m_world.webhookUrl(w), w.valid, w.createdAt, v2));
    }
    if (!v2) {
        answer(ex, jsonReply(200, QJsonDocument(list)));
        return;
    }
    answer(ex,
           jsonReply(200,
                     QJsonObject {{QStringLiteral("data"), list},
                                  {QStringLiteral("meta"),
                                   QJsonObject {{QStringLiteral("result_count"), list.size()}}}}));
}

void WebhookHandlers::registerWebhook(const ExchangePtr &ex)
{
    const bool v2 = ex->isV2();
    QString url;
    if (v2) {
        QJsonParseError error;
        const QJsonDocument doc = QJsonDocument::fromJson(ex->body, &error);
        if (error.error != QJsonParseError::NoError || !doc.isObject() ||
            !doc.object().value(QStringLiteral("url")).isString()) {
            answer(ex,
                   v2Error(400, QStringLiteral("UrlValidationFailed"),
                           QStringLiteral("The body must be a JSON object with a \"url\" string.")));
            return;
        }
        url = doc.object().value(QStringLiteral("url")).toString();
        // Spec 2.167: "url" is 1 to 200 characters.
        if (url.size() > 200) {
            answer(
                ex,
                v2Error(
                    400, QStringLiteral("UrlValidationFailed"),
                    QStringLiteral("The url is %1 characters long; at most 200 are allowed.").arg(url.size()),
                    QStringLiteral("invalid-request"),
                    {{QStringLiteral("parameter"), QStringLiteral("url")}}));
            return;
        }
    } else {
        url = QString::fromUtf8(ex->param("url"));
    }

    if (const auto problem = urlProblem(url, m_world.settings.lenientLoopbackUrls)) {
        answer(ex,
               v2 ? v2Error(400, QStringLiteral("UrlValidationFailed"), *problem)
                  : v1Error(403, 214, QStringLiteral("Webhook URL does not meet the requirements.")));
        return;
    }
    // Checked again after the CRC: another registration may have finished meanwhile.
    const auto refusal = [this, url, appId = ex->appId, v2]() -> std::optional<Reply> {
        int count = 0;
        for (const auto &[id, w] : m_world.webhooks) {
            if (w.appId != appId)
                continue;
            ++count;
            if (m_world.webhookUrl(w) == url) {
                // v1.1 documents no code for a duplicate URL; 403/214 with this message is the
                // sandbox's choice (undocumented), v2 names it DuplicateUrlFailed.
                return v2
                    ? v2Error(409, QStringLiteral("DuplicateUrlFailed"),
                              QStringLiteral("This app already registered the URL ") + url + QLatin1Char('.'))
                    : v1Error(403, 214, QStringLiteral("Webhook URL already registered."));
            }
        }
        if (count >= m_world.settings.webhookLimit) {
            return v2 ? v2Error(403, QStringLiteral("WebhookLimitExceeded"),
                                QStringLiteral("The app already has %1 webhooks, its limit.").arg(count))
                      : v1Error(403, 214, QStringLiteral("Too many resources already created."));
        }
        return std::nullopt;
    };
    if (const auto reply = refusal()) {
        answer(ex, *reply);
        return;
    }
    const QByteArray secret = m_world.consumerSecretOf(ex->appId);
    m_courier.checkCrc(secret, url,
                       [this, ex, url, v2, refusal](bool ok, const QString &message, const QString &detail) {
                           if (!ok) {
                               answer(ex,
                                      v2 ? v2Error(400, QStringLiteral("CrcValidationFailed"), detail)
                                         : v1Error(403, 214, message));
                               return;
                           }
                           if (const auto reply = refusal()) {
                               answer(ex, *reply);
                               return;
                           }
                           WebhookRecord w;
                           w.id = m_world.newWebhookId();
                           w.appId = ex->appId;
                           w.url = url;
                           w.valid = true;
                           w.createdAt = m_world.now();
                           m_world.webhooks.insert_or_assign(w.id, w);
                           m_world.reportCrc(w.id, true);
                           const QJsonObject json = webhookJson(w.id, url, true, w.createdAt, v2);
                           answer(ex, v2 ? dataReply(json) : jsonReply(200, json));
                       });
}

void WebhookHandlers::validate(const ExchangePtr &ex)
{
    WebhookRecord *w = ownWebhook(ex, ex->capture(1));
    if (!w)
        return;
    const QString id = w->id;
    const bool v2 = ex->isV2();
    m_courier.checkCrc(
        m_world.consumerSecretOf(ex->appId), m_world.webhookUrl(*w),
        [this, ex, id, v2](bool ok, const QString &message, const QString &detail) {
            const auto it = m_world.webhooks.find(id);
            if (it != m_world.webhooks.end())
                it->second.valid = ok; // a failed check leaves the webhook valid:false
            m_world.reportCrc(id, ok);
            if (!ok) {
                answer(ex,
                       v2 ? v2Error(400, QStringLiteral("CrcValidationFailed"), detail)
                          : v1Error(403, 214, message));
                return;
            }
            answer(ex, v2 ? dataReply(QJsonObject {{QStringLiteral("valid"), true}}) : emptyReply(204));
        });
}

void WebhookHandlers::remove(const ExchangePtr &ex)
{
    WebhookRecord *w = ownWebhook(ex, ex->capture(1));
    if (!w)
        return;
    m_world.webhooks.erase(w->id);
    answer(ex, ex->isV2() ? dataReply(QJsonObject {{QStringLiteral("deleted"), true}}) : emptyReply(204));
}

} // namespace activity::sandbox
