#include "Parsers.h"

#include "ErrorCatalogue.h"
#include "OAuth1.h"

#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QJsonValue>
#include <QRegularExpression>
#include <QTimeZone>

#include <cmath>
#include <optional>

namespace activity::parse {

namespace {

constexpr qsizetype kMaxDescribedChars = 80;

// What the person should do when an answer cannot be read, whichever endpoint it came from.
QString malformedRemedy()
{
    return QStringLiteral(
        "Check that the profile's base URL points at the X API (or the sandbox) and that its "
        "API generation (v1.1 or v2) matches that server; the raw answer is in the request log. "
        "If both are right, X may have changed the response format: report it with the log "
        "entry.");
}

ApiError malformed(const QString &expected, const QString &found = {})
{
    QString cause = QStringLiteral("The server's answer could not be read: expected ") + expected;
    if (!found.isEmpty())
        cause += QStringLiteral(", but ") + found;
    cause += QLatin1Char('.');
    ApiError error = ApiError::make(ApiError::Kind::MalformedResponse, cause, malformedRemedy());
    error.name = QStringLiteral("MalformedResponse");
    return error;
}

bool isBlank(const QByteArray &body)
{
    for (const char c : body) {
        if (c != ' ' && c != '\t' && c != '\r' && c != '\n')
            return false;
    }
    return true;
}

// The parsed document, or an error that says what arrived instead of JSON. The body is never echoed:
// token responses pass through here too.
std::optional<ApiError> readJson(const QByteArray &body, const QString &expected, QJsonDocument &out)
{
    if (isBlank(body))
        return malformed(expected, QStringLiteral("the body was empty"));
    QJsonParseError parseError;
    out = QJsonDocument::fromJson(body, &parseError);
    if (parseError.error == QJsonParseError::NoError)
        return std::nullopt;
    const QByteArray start = body.trimmed().left(64).toLower();
    if (start.startsWith('<') || start.contains("<html") || start.contains("<!doctype"))
        return malformed(expected,
                         QStringLiteral("it was an HTML page, not JSON (often a proxy, captive portal or "
                                        "a wrong base URL)"));
    return malformed(expected,
                     QStringLiteral("it is not valid JSON (%1 at byte %2 of %3)")
                         .arg(parseError.errorString())
                         .arg(parseError.offset)
                         .arg(body.size()));
}

QString typeName(const QJsonValue &value)
{
    switch (value.type()) {
    case QJsonValue::Null:
        return QStringLiteral("null");
    case QJsonValue::Bool:
        return QStringLiteral("a boolean");
    case QJsonValue::Double:
        return QStringLiteral("a number");
    case QJsonValue::String:
        return QStringLiteral("a string");
    case QJsonValue::Array:
        return QStringLiteral("an array");
    case QJsonValue::Object:
        return QStringLiteral("an object");
    case QJsonValue::Undefined:
        return QStringLiteral("missing");
    }
    return QStringLiteral("something else");
}

QString documentTypeName(const QJsonDocument &doc)
{
    if (doc.isArray())
        return QStringLiteral("an array");
    if (doc.isObject())
        return QStringLiteral("an object");
    return QStringLiteral("a bare value");
}

QString quoted(QString text)
{
    if (text.size() > kMaxDescribedChars)
        text = text.left(kMaxDescribedChars) + QStringLiteral("…");
    return QLatin1Char('"') + text + QLatin1Char('"');
}

// An id kept as a string. A JSON number is accepted only when it survived parsing exactly: Qt keeps
// integers up to 2^63-1 as qint64; larger ones became doubles and may have lost digits.
std::optional<QString> idFrom(const QJsonValue &value)
{
    if (value.isString()) {
        QString id = value.toString();
        if (id.isEmpty())
            return std::nullopt;
        return id;
    }
    if (value.isDouble()) {
        if (value.toVariant().typeId() == QMetaType::LongLong) {
            const qint64 n = value.toInteger();
            if (n >= 0)
                return QString::number(n);
            return std::nullopt;
        }
        const double d = value.toDouble();
        constexpr double kExactLimit = 9007199254740992.0; // 2^53
        if (std::isfinite(d) && d >= 0 && d <= kExactLimit && std::floor(d) == d)
            return QString::number(static_cast<qint64>(d));
    }
    return std::nullopt;
}

// A count that X sends as a string ("1") or, in some copies, a number.
std::optional<qint64> countFrom(const QJsonValue &value)
{
    if (value.isString()) {
        bool ok = false;
        const qint64 n = value.toString().trimmed().toLongLong(&ok);
        if (ok && n >= 0)
            return n;
        return std::nullopt;
    }
    if (value.isDouble() && value.toVariant().typeId() == QMetaType::LongLong && value.toInteger() >= 0)
        return value.toInteger();
    return std::nullopt;
}

std::optional<bool> boolFrom(const QJsonValue &value)
{
    if (value.isBool())
        return value.toBool();
    if (value.isString()) {
        const QString text = value.toString().trimmed().toLower();
        if (text == QLatin1String("true"))
            return true;
        if (text == QLatin1String("false"))
            return false;
    }
    return std::nullopt;
}

// ISO 8601 (with or without milliseconds, with Z, an offset, or nothing = UTC) or Premium's
// "2020-10-04 09:11:54 +0000".
QDateTime timeFrom(const QString &text)
{
    static const QRegularExpression premium(
        QStringLiteral(R"(^(\d{4}-\d{2}-\d{2})[ T](\d{2}:\d{2}:\d{2}) ?([+-])(\d{2}):?(\d{2})$)"));
    const QString trimmed = text.trimmed();
    if (const auto match = premium.match(trimmed); match.hasMatch()) {
        const QDate date = QDate::fromString(match.captured(1), Qt::ISODate);
        const QTime time = QTime::fromString(match.captured(2), Qt::ISODate);
        const int sign = match.captured(3) == QLatin1String("-") ? -1 : 1;
        const int offset = sign * (match.captured(4).toInt() * 3600 + match.captured(5).toInt() * 60);
        if (!date.isValid() || !time.isValid())
            return {};
        return QDateTime(date, time, QTimeZone(offset)).toUTC();
    }
    QDateTime parsed = QDateTime::fromString(trimmed, Qt::ISODateWithMs);
    if (!parsed.isValid())
        return {};
    if (parsed.timeSpec() == Qt::LocalTime)
        parsed = QDateTime(parsed.date(), parsed.time(), Qt::UTC);
    return parsed.toUTC();
}

// Reads fields of one JSON object and keeps the first problem, so the parsers read like a list of
// fields and every problem names the object and the field.
class Fields
{
public:
    Fields(const QJsonObject &object, QString what)
        : m_object(object)
        , m_what(std::move(what))
    {
    }

    QString id(QLatin1String key, QLatin1String alternative = {})
    {
        QJsonValue value = m_object.value(key);
        QLatin1String used = key;
        if ((value.isUndefined() || value.isNull()) && alternative.size() > 0 &&
            m_object.contains(alternative)) {
            value = m_object.value(alternative);
            used = alternative;
        }
        if (auto id = idFrom(value))
            return *id;
        fail(QStringLiteral("\"%1\" as a non-empty string id").arg(used),
             value.isDouble()
                 ? QStringLiteral("it is a number that cannot be kept exactly (use the string form)")
                 : QStringLiteral("it is ") + typeName(value));
        return {};
    }

    QString string(QLatin1String key, bool required)
    {
        const QJsonValue value = m_object.value(key);
        if (value.isString())
            return value.toString();
        if (!required && (value.isUndefined() || value.isNull()))
            return {};
        fail(QStringLiteral("\"%1\" as a string").arg(key), QStringLiteral("it is ") + typeName(value));
        return {};
    }

    bool flag(QLatin1String key, bool fallback, bool required = false)
    {
        const QJsonValue value = m_object.value(key);
        if (!required && (value.isUndefined() || value.isNull()))
            return fallback;
        if (auto flag = boolFrom(value))
            return *flag;
        fail(QStringLiteral("\"%1\" as true or false").arg(key), QStringLiteral("it is ") + typeName(value));
        return fallback;
    }

    qint64 count(QLatin1String key, bool required)
    {
        const QJsonValue value = m_object.value(key);
        if (!required && (value.isUndefined() || value.isNull()))
            return 0;
        if (auto n = countFrom(value))
            return *n;
        fail(QStringLiteral("\"%1\" as a non-negative whole number (string or number)").arg(key),
             value.isString() ? QStringLiteral("it is ") + quoted(value.toString())
                              : QStringLiteral("it is ") + typeName(value));
        return 0;
    }

    // Optional; when present it must be a readable time.
    QDateTime time(QLatin1String key)
    {
        const QJsonValue value = m_object.value(key);
        if (value.isUndefined() || value.isNull())
            return {};
        if (value.isString()) {
            const QDateTime parsed = timeFrom(value.toString());
            if (parsed.isValid())
                return parsed;
            fail(QStringLiteral("\"%1\" as an ISO 8601 time such as 2016-06-02T23:54:02Z").arg(key),
                 QStringLiteral("it is ") + quoted(value.toString()));
            return {};
        }
        fail(QStringLiteral("\"%1\" as an ISO 8601 time string").arg(key),
             QStringLiteral("it is ") + typeName(value));
        return {};
    }

    bool has(QLatin1String key) const { return m_object.contains(key); }
    bool ok() const { return !m_error.has_value(); }
    ApiError error() const { return m_error.value_or(ApiError {}); }

private:
    void fail(const QString &expected, const QString &found)
    {
        if (!m_error)
            m_error = malformed(m_what + QStringLiteral(" with ") + expected, found);
    }

    const QJsonObject &m_object;
    QString m_what;
    std::optional<ApiError> m_error;
};

// A 200 answer that carries only a v2 "errors" array (no data) is an API error, not garbage.
std::optional<ApiError> errorsOnly(const QJsonObject &object, const QByteArray &body)
{
    if (!object.contains(QLatin1String("data")) && object.value(QLatin1String("errors")).isArray() &&
        !object.value(QLatin1String("errors")).toArray().isEmpty()) {
        return errors::fromResponse(200, body);
    }
    return std::nullopt;
}

// The object itself, or its v2 "data" object when it has one.
std::optional<QJsonObject> unwrapData(const QJsonObject &object)
{
    const QJsonValue data = object.value(QLatin1String("data"));
    if (data.isUndefined())
        return object;
    if (data.isObject())
        return data.toObject();
    return std::nullopt;
}

// The body as a JSON object, or why it is not one.
Result<QJsonObject> topObject(const QByteArray &body, const QString &expected)
{
    QJsonDocument doc;
    if (auto error = readJson(body, expected, doc))
        return *error;
    if (!doc.isObject())
        return malformed(expected, QStringLiteral("it is ") + documentTypeName(doc));
    return doc.object();
}

// The object a v1.1 body is, or the one a v2 body wraps in "data"; an errors-only envelope
// becomes its typed error.
Result<QJsonObject> dataObject(const QByteArray &body, const QString &expected)
{
    const Result<QJsonObject> top = topObject(body, expected);
    if (!top)
        return top.error();
    if (auto error = errorsOnly(top.value(), body))
        return *error;
    const auto object = unwrapData(top.value());
    if (!object)
        return malformed(expected,
                         QStringLiteral("\"data\" is ") + typeName(top.value().value(QLatin1String("data"))));
    return *object;
}

Result<Webhook> webhookFrom(const QJsonValue &value, const QString &what)
{
    if (!value.isObject())
        return malformed(what + QStringLiteral(" as an object"), QStringLiteral("it is ") + typeName(value));
    const QJsonObject object = value.toObject();
    Fields fields(object, what);
    Webhook hook;
    hook.id = fields.id(QLatin1String("id"), QLatin1String("id_str"));
    hook.url = fields.string(QLatin1String("url"), true);
    hook.valid = fields.flag(QLatin1String("valid"), false);
    hook.createdAt = fields.has(QLatin1String("created_at"))
        ? fields.time(QLatin1String("created_at"))
        : fields.time(QLatin1String("created_timestamp"));
    if (!fields.ok())
        return fields.error();
    return hook;
}

std::optional<ApiError> appendWebhooks(const QJsonArray &array, const QString &what, QList<Webhook> &out)
{
    out.reserve(out.size() + array.size());
    for (qsizetype i = 0; i < array.size(); ++i) {
        auto hook = webhookFrom(array.at(i), QStringLiteral("%1 entry %2").arg(what).arg(i + 1));
        if (!hook)
            return hook.error();
        out.append(std::move(hook.value()));
    }
    return std::nullopt;
}

// {"data":{"<key>":bool}}, or an empty body (v1.1's 204). `extraTrueKeys` are older names whose
// presence with true also counts as success (PUT's former {"data":{"attempted":true}}).
Result<bool> dataFlag(const QByteArray &body, QLatin1String key, QLatin1String extraTrueKey = {})
{
    if (isBlank(body))
        return true;
    const QString expected = QStringLiteral("an empty body or {\"data\":{\"%1\":true|false}}").arg(key);
    const Result<QJsonObject> read = topObject(body, expected);
    if (!read)
        return read.error();
    const QJsonObject top = read.value();
    // v1.1 docs show "{ }" for some 204 answers; treat an empty object as the empty body it stands for.
    if (top.isEmpty())
        return true;
    if (auto error = errorsOnly(top, body))
        return *error;
    const QJsonValue dataValue = top.value(QLatin1String("data"));
    if (!dataValue.isObject())
        return malformed(expected, QStringLiteral("\"data\" is ") + typeName(dataValue));
    const QJsonObject data = dataValue.toObject();
    if (data.contains(key)) {
        if (auto flag = boolFrom(data.value(key)))
            return *flag;
        return malformed(expected, QStringLiteral("\"%1\" is ").arg(key) + typeName(data.value(key)));
    }
    if (extraTrueKey.size() > 0 && data.contains(extraTrueKey)) {
        if (auto flag = boolFrom(data.value(extraTrueKey)))
            return *flag;
        return malformed(expected,
                         QStringLiteral("\"%1\" is ").arg(extraTrueKey) + typeName(data.value(extraTrueKey)));
    }
    return malformed(expected, QStringLiteral("\"data\" has no \"%1\"").arg(key));
}

} // namespace

Result<QList<Webhook>> webhookList(const QByteArray &body)
{
    const QString expected = QStringLiteral("a list of webhooks (a JSON array, {\"data\":[...]} or "
                                            "{\"environments\":[...]})");
    QJsonDocument doc;
    if (auto error = readJson(body, expected, doc))
        return *error;
    QList<Webhook> hooks;
    if (doc.isArray()) {
        if (auto error = appendWebhooks(doc.array(), QStringLiteral("webhook"), hooks))
            return *error;
        return hooks;
    }
    if (!doc.isObject())
        return malformed(expected, QStringLiteral("it is ") + documentTypeName(doc));
    const QJsonObject top = doc.object();
    if (auto error = errorsOnly(top, body))
        return *error;

    if (top.contains(QLatin1String("environments"))) {
        const QJsonValue environments = top.value(QLatin1String("environments"));
        if (!environments.isArray())
            return malformed(expected, QStringLiteral("\"environments\" is ") + typeName(environments));
        const QJsonArray envArray = environments.toArray();
        for (qsizetype i = 0; i < envArray.size(); ++i) {
            const QJsonValue env = envArray.at(i);
            if (!env.isObject())
                return malformed(expected, QStringLiteral("environment %1 is ").arg(i + 1) + typeName(env));
            const QJsonValue list = env.toObject().value(QLatin1String("webhooks"));
            if (list.isUndefined() || list.isNull())
                continue; // an environment without a webhook yet
            if (!list.isArray())
                return malformed(expected,
                                 QStringLiteral("\"webhooks\" of environment %1 is ").arg(i + 1) +
                                     typeName(list));
            const QString envName = env.toObject().value(QLatin1String("environment_name")).toString();
            const QString what = envName.isEmpty()
                ? QStringLiteral("webhook")
                : QStringLiteral("webhook of environment ") + quoted(envName);
            if (auto error = appendWebhooks(list.toArray(), what, hooks))
                return *error;
        }
        return hooks;
    }

    const QJsonValue data = top.value(QLatin1String("data"));
    if (data.isUndefined()) {
        // {"meta":{"result_count":0}}: v2 leaves "data" out when there is nothing.
        if (top.value(QLatin1String("meta")).isObject())
            return hooks;
        return malformed(expected, QStringLiteral("the object has neither \"data\" nor \"environments\""));
    }
    if (data.isNull())
        return hooks;
    if (!data.isArray())
        return malformed(expected, QStringLiteral("\"data\" is ") + typeName(data));
    if (auto error = appendWebhooks(data.toArray(), QStringLiteral("webhook"), hooks))
        return *error;
    return hooks;
}

Result<Webhook> webhook(const QByteArray &body)
{
    const QString expected = QStringLiteral("a webhook object (with or without a \"data\" wrapper)");
    const Result<QJsonObject> data = dataObject(body, expected);
    if (!data)
        return data.error();
    const QJsonObject *object = &data.value();
    return webhookFrom(*object, QStringLiteral("a webhook"));
}

Result<bool> validateResult(const QByteArray &body)
{
    return dataFlag(body, QLatin1String("valid"), QLatin1String("attempted"));
}

Result<bool> deleteResult(const QByteArray &body)
{
    return dataFlag(body, QLatin1String("deleted"));
}

Result<bool> subscribedFlag(const QByteArray &body)
{
    return dataFlag(body, QLatin1String("subscribed"));
}

Result<SubscriptionCount> subscriptionCount(const QByteArray &body)
{
    const QString expected = QStringLiteral("a subscription count object");
    const Result<QJsonObject> data = dataObject(body, expected);
    if (!data)
        return data.error();
    const QJsonObject *object = &data.value();

    Fields fields(*object, QStringLiteral("a subscription count"));
    SubscriptionCount count;
    count.accountName = fields.string(QLatin1String("account_name"), false);
    if (object->contains(QLatin1String("subscriptions_count_all")))
        count.subscriptionsAll = fields.count(QLatin1String("subscriptions_count_all"), true);
    else if (object->contains(QLatin1String("subscriptions_count")))
        count.subscriptionsAll = fields.count(QLatin1String("subscriptions_count"), true); // Premium
    else
        return malformed(expected +
                             QStringLiteral(" with \"subscriptions_count_all\" or \"subscriptions_count\""),
                         QStringLiteral("neither is present"));
    count.subscriptionsDirectMessages =
        fields.count(QLatin1String("subscriptions_count_direct_messages"), false);
    count.provisioned = fields.count(QLatin1String("provisioned_count"), false);
    if (!fields.ok())
        return fields.error();
    return count;
}

Result<SubscriptionList> subscriptionList(const QByteArray &body)
{
    const QString expected = QStringLiteral("a subscription list object with \"subscriptions\"");
    const Result<QJsonObject> data = dataObject(body, expected);
    if (!data)
        return data.error();
    const QJsonObject *object = &data.value();

    Fields fields(*object, QStringLiteral("a subscription list"));
    SubscriptionList list;
    if (object->contains(QLatin1String("webhook_id")))
        list.webhookId = fields.id(QLatin1String("webhook_id"));
    list.webhookUrl = fields.string(QLatin1String("webhook_url"), false);
    if (object->contains(QLatin1String("application_id")))
        list.applicationId = fields.id(QLatin1String("application_id"));
    // Premium names the environment instead of the webhook; keep it where the webhook id would go
    // only when there is no webhook id, so the caller can still tell which list it is.
    const QString environment = fields.string(QLatin1String("environment"), false);
    if (!fields.ok())
        return fields.error();

    const QJsonValue subscriptions = object->value(QLatin1String("subscriptions"));
    if (subscriptions.isUndefined() || subscriptions.isNull()) {
        // v2 may leave an empty list out; accept that only for something that is clearly a list answer.
        if (!list.webhookId.isEmpty() || !list.applicationId.isEmpty() || !environment.isEmpty())
            return list;
        return malformed(expected, QStringLiteral("there is no \"subscriptions\" array"));
    }
    if (!subscriptions.isArray())
        return malformed(expected, QStringLiteral("\"subscriptions\" is ") + typeName(subscriptions));
    const QJsonArray array = subscriptions.toArray();
    list.userIds.reserve(array.size());
    const QLatin1String userIdKey("user_id");
    for (qsizetype i = 0; i < array.size(); ++i) {
        const QJsonValue entry = array.at(i);
        if (!entry.isObject())
            return malformed(expected, QStringLiteral("subscription %1 is ").arg(i + 1) + typeName(entry));
        const QJsonValue userId = entry.toObject().value(userIdKey);
        auto id = idFrom(userId);
        if (!id)
            return malformed(QStringLiteral("a \"user_id\" string in every subscription"),
                             QStringLiteral("subscription %1 has ").arg(i + 1) + typeName(userId));
        list.userIds.append(std::move(*id));
    }
    return list;
}

Result<ReplayJob> replayJob(const QByteArray &body)
{
    const QString expected =
        QStringLiteral("a replay job with \"job_id\" (in \"data\", in \"replay_event\" or at the "
                       "top level)");
    const Result<QJsonObject> read = topObject(body, expected);
    if (!read)
        return read.error();
    const QJsonObject top = read.value();
    if (auto error = errorsOnly(top, body))
        return *error;
    QJsonObject job = top;
    for (const QLatin1String wrapper : {QLatin1String("data"), QLatin1String("replay_event")}) {
        const QJsonValue inner = top.value(wrapper);
        if (inner.isObject() && inner.toObject().contains(QLatin1String("job_id"))) {
            job = inner.toObject();
            break;
        }
    }
    if (!job.contains(QLatin1String("job_id")))
        return malformed(expected, QStringLiteral("no \"job_id\" was found"));
    Fields fields(job, QStringLiteral("a replay job"));
    ReplayJob result;
    result.jobId = fields.id(QLatin1String("job_id"));
    result.createdAt = fields.time(QLatin1String("created_at"));
    if (!fields.ok())
        return fields.error();
    return result;
}

Result<QList<UserInfo>> users(const QByteArray &body)
{
    const QString expected = QStringLiteral("a list of users (a JSON array or {\"data\":[...]})");
    QJsonDocument doc;
    if (auto error = readJson(body, expected, doc))
        return *error;
    QJsonArray array;
    if (doc.isArray()) {
        array = doc.array();
    } else if (doc.isObject()) {
        const QJsonObject top = doc.object();
        const QJsonValue data = top.value(QLatin1String("data"));
        if (data.isArray()) {
            array = data.toArray();
        } else if (data.isObject()) {
            array.append(data); // GET /2/users/:id
        } else if (data.isUndefined() || data.isNull()) {
            // Only per-user problems (none of the ids exists any more): nobody to show.
            if (!top.value(QLatin1String("errors")).isArray())
                return malformed(expected, QStringLiteral("the object has neither \"data\" nor \"errors\""));
        } else {
            return malformed(expected, QStringLiteral("\"data\" is ") + typeName(data));
        }
    } else {
        return malformed(expected, QStringLiteral("it is ") + documentTypeName(doc));
    }

    QList<UserInfo> result;
    result.reserve(array.size());
    for (qsizetype i = 0; i < array.size(); ++i) {
        const QJsonValue entry = array.at(i);
        const QString what = QStringLiteral("user %1").arg(i + 1);
        if (!entry.isObject())
            return malformed(what + QStringLiteral(" as an object"),
                             QStringLiteral("it is ") + typeName(entry));
        const QJsonObject object = entry.toObject();
        Fields fields(object, what);
        UserInfo user;
        // v1.1 user objects carry both; id_str is the exact one.
        user.id = object.contains(QLatin1String("id_str")) ? fields.id(QLatin1String("id_str"))
                                                           : fields.id(QLatin1String("id"));
        user.username = object.contains(QLatin1String("username"))
            ? fields.string(QLatin1String("username"), true)
            : fields.string(QLatin1String("screen_name"), false);
        user.name = fields.string(QLatin1String("name"), false);
        if (!fields.ok())
            return fields.error();
        result.append(std::move(user));
    }
    return result;
}

Result<QByteArray> bearerToken(const QByteArray &body)
{
    const QString expected = QStringLiteral("{\"token_type\":\"bearer\",\"access_token\":\"...\"}");
    const Result<QJsonObject> read = topObject(body, expected);
    if (!read)
        return read.error();
    const QJsonObject top = read.value();
    if (auto error = errorsOnly(top, body))
        return *error;
    const QJsonValue type = top.value(QLatin1String("token_type"));
    if (!type.isString())
        return malformed(expected, QStringLiteral("\"token_type\" is ") + typeName(type));
    if (type.toString().compare(QLatin1String("bearer"), Qt::CaseInsensitive) != 0)
        return malformed(expected, QStringLiteral("the token type is ") + quoted(type.toString()));
    const QJsonValue token = top.value(QLatin1String("access_token"));
    if (!token.isString() || token.toString().isEmpty())
        return malformed(expected,
                         QStringLiteral("\"access_token\" is ") +
                             (token.isString() ? QStringLiteral("empty") : typeName(token)));
    return token.toString().toUtf8();
}

namespace {

std::optional<ApiError> readForm(const QByteArray &body, const QString &expected, oauth1::ParamList &out)
{
    if (isBlank(body))
        return malformed(expected, QStringLiteral("the body was empty"));
    const QByteArray start = body.trimmed().left(64).toLower();
    if (start.startsWith('<'))
        return malformed(expected, QStringLiteral("it was an HTML page"));
    if (start.startsWith('{') || start.startsWith('['))
        return malformed(expected,
                         QStringLiteral("it was JSON (X answers token requests form-encoded; a JSON "
                                        "answer is usually an error that arrived with status 200)"));
    out = oauth1::parseFormEncoded(body.trimmed());
    return std::nullopt;
}

QByteArray formValue(const oauth1::ParamList &params, QByteArrayView key, bool *present = nullptr)
{
    for (const auto &[k, v] : params) {
        if (k == key) {
            if (present)
                *present = true;
            return v;
        }
    }
    if (present)
        *present = false;
    return {};
}

std::optional<ApiError> readTokenPair(const oauth1::ParamList &params, const QString &expected,
                                      OAuthTokens &tokens)
{
    tokens.token = formValue(params, "oauth_token");
    tokens.tokenSecret = formValue(params, "oauth_token_secret");
    if (tokens.token.isEmpty())
        return malformed(expected, QStringLiteral("\"oauth_token\" is missing or empty"));
    if (tokens.tokenSecret.isEmpty())
        return malformed(expected, QStringLiteral("\"oauth_token_secret\" is missing or empty"));
    return std::nullopt;
}

} // namespace

Result<OAuthTokens> requestToken(const QByteArray &body)
{
    const QString expected =
        QStringLiteral("a form-encoded request token "
                       "(oauth_token=...&oauth_token_secret=...&oauth_callback_confirmed=true)");
    oauth1::ParamList params;
    if (auto error = readForm(body, expected, params))
        return *error;
    OAuthTokens tokens;
    if (auto error = readTokenPair(params, expected, tokens))
        return *error;
    bool present = false;
    const QByteArray confirmed = formValue(params, "oauth_callback_confirmed", &present);
    if (confirmed.toLower() != "true") {
        ApiError error = malformed(expected,
                                   present ? QStringLiteral("oauth_callback_confirmed is not true")
                                           : QStringLiteral("oauth_callback_confirmed is missing"));
        error.remedy =
            QStringLiteral("X did not confirm the callback, so the sign-in cannot continue safely. Check "
                           "that the console sends oauth_callback (a registered callback URL or \"oob\") "
                           "and that the base URL points at X's OAuth server.");
        return error;
    }
    tokens.callbackConfirmed = true;
    return tokens;
}

Result<OAuthTokens> accessToken(const QByteArray &body)
{
    const QString expected =
        QStringLiteral("a form-encoded access token "
                       "(oauth_token=...&oauth_token_secret=...&user_id=...&screen_name=...)");
    oauth1::ParamList params;
    if (auto error = readForm(body, expected, params))
        return *error;
    OAuthTokens tokens;
    if (auto error = readTokenPair(params, expected, tokens))
        return *error;
    tokens.userId = QString::fromUtf8(formValue(params, "user_id"));
    tokens.screenName = QString::fromUtf8(formValue(params, "screen_name"));
    return tokens;
}

Result<DeliveredEvent> event(const QByteArray &body)
{
    const QString expected = QStringLiteral("a webhook event (a JSON object with one event key)");
    const Result<QJsonObject> read = topObject(body, expected);
    if (!read)
        return read.error();
    const QJsonObject object = read.value();

    static const QStringList objectKeys {QStringLiteral("user_event"), QStringLiteral("replay_job_status")};
    DeliveredEvent event;
    for (auto it = object.begin(); it != object.end(); ++it) {
        const bool isEventKey = objectKeys.contains(it.key()) || it.key().endsWith(QLatin1String("_events"));
        if (!isEventKey)
            continue; // for_user_id, user_has_blocked, users, apps, and whatever X adds
        if (!event.key.isEmpty())
            return malformed(
                expected,
                QStringLiteral("it has two event keys, %1 and %2").arg(quoted(event.key), quoted(it.key())));
        event.key = it.key();
        if (objectKeys.contains(it.key())) {
            if (!it.value().isObject())
                return malformed(expected, quoted(it.key()) + QStringLiteral(" is ") + typeName(it.value()));
            event.itemCount = 1;
        } else {
            if (!it.value().isArray())
                return malformed(expected, quoted(it.key()) + QStringLiteral(" is ") + typeName(it.value()));
            event.itemCount = it.value().toArray().size();
        }
    }
    if (event.key.isEmpty())
        return malformed(expected, QStringLiteral("it has no event key"));

    if (event.key == QLatin1String("replay_job_status")) {
        const QJsonObject status = object.value(event.key).toObject();
        const std::optional<QString> jobId = idFrom(status.value(QStringLiteral("job_id")));
        if (!jobId)
            return malformed(expected, QStringLiteral("replay_job_status has no job_id"));
        event.replayJobId = *jobId;
        event.replayWebhookId = idFrom(status.value(QStringLiteral("webhook_id"))).value_or(QString());
        event.replayJobState = status.value(QStringLiteral("job_state")).toString();
        event.replayJobStateDescription = status.value(QStringLiteral("job_state_description")).toString();
        return event;
    }
    if (event.key == QLatin1String("user_event"))
        return event;
    const QJsonValue forUser = object.value(QStringLiteral("for_user_id"));
    const std::optional<QString> forUserId = idFrom(forUser);
    static const QRegularExpression numeric(QStringLiteral("^[0-9]{1,19}$"));
    if (!forUserId || !numeric.match(*forUserId).hasMatch())
        return malformed(expected,
                         QStringLiteral("for_user_id is ") +
                             (forUser.isString() ? quoted(forUser.toString()) : typeName(forUser)));
    event.forUserId = *forUserId;
    return event;
}

} // namespace activity::parse
