#pragma once

// The parsers' shared helpers (network-internal; not for use outside Parsers*.cpp): reading JSON and
// form bodies, naming what was found instead of what was expected, ids, counts, times, v2 "data"
// and "errors" envelopes.

#include "ApiError.h"
#include "ApiTypes.h"
#include "ErrorCatalogue.h"
#include "OAuth1.h"
#include "Result.h"

#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QJsonValue>
#include <QRegularExpression>
#include <QTimeZone>

#include <cmath>
#include <optional>

namespace activity::parse {

namespace detail {

constexpr qsizetype kMaxDescribedChars = 80;

// What the person should do when an answer cannot be read, whichever endpoint it came from.
inline QString malformedRemedy()
{
    return QStringLiteral(
        "Check that the profile's base URL points at the X API (or the sandbox) and that its "
        "API generation (v1.1 or v2) matches that server; the raw answer is in the request log. "
        "If both are right, X may have changed the response format: report it with the log "
        "entry.");
}

inline ApiError malformed(const QString &expected, const QString &found = {})
{
    QString cause = QStringLiteral("The server's answer could not be read: expected ") + expected;
    if (!found.isEmpty())
        cause += QStringLiteral(", but ") + found;
    cause += QLatin1Char('.');
    ApiError error = ApiError::make(ApiError::Kind::MalformedResponse, cause, malformedRemedy());
    error.name = QStringLiteral("MalformedResponse");
    return error;
}

inline bool isBlank(const QByteArray &body)
{
    for (const char c : body) {
        if (c != ' ' && c != '\t' && c != '\r' && c != '\n')
            return false;
    }
    return true;
}

// The parsed document, or an error that says what arrived instead of JSON. The body is never echoed:
// token responses pass through here too.
inline std::optional<ApiError> readJson(const QByteArray &body, const QString &expected, QJsonDocument &out)
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

inline QString typeName(const QJsonValue &value)
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

inline QString documentTypeName(const QJsonDocument &doc)
{
    if (doc.isArray())
        return QStringLiteral("an array");
    if (doc.isObject())
        return QStringLiteral("an object");
    return QStringLiteral("a bare value");
}

inline QString quoted(QString text)
{
    if (text.size() > kMaxDescribedChars)
        text = text.left(kMaxDescribedChars) + QStringLiteral("…");
    return QLatin1Char('"') + text + QLatin1Char('"');
}

// An id kept as a string. A JSON number is accepted only when it survived parsing exactly: Qt keeps
// integers up to 2^63-1 as qint64; larger ones became doubles and may have lost digits.
inline std::optional<QString> idFrom(const QJsonValue &value)
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
inline std::optional<qint64> countFrom(const QJsonValue &value)
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

inline std::optional<bool> boolFrom(const QJsonValue &value)
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
inline QDateTime timeFrom(const QString &text)
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
inline std::optional<ApiError> errorsOnly(const QJsonObject &object, const QByteArray &body)
{
    if (!object.contains(QLatin1String("data")) && object.value(QLatin1String("errors")).isArray() &&
        !object.value(QLatin1String("errors")).toArray().isEmpty()) {
        return errors::fromResponse(200, body);
    }
    return std::nullopt;
}

// The object itself, or its v2 "data" object when it has one.
inline std::optional<QJsonObject> unwrapData(const QJsonObject &object)
{
    const QJsonValue data = object.value(QLatin1String("data"));
    if (data.isUndefined())
        return object;
    if (data.isObject())
        return data.toObject();
    return std::nullopt;
}

// The body as a JSON object, or why it is not one.
inline Result<QJsonObject> topObject(const QByteArray &body, const QString &expected)
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
inline Result<QJsonObject> dataObject(const QByteArray &body, const QString &expected)
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

inline Result<Webhook> webhookFrom(const QJsonValue &value, const QString &what)
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

inline std::optional<ApiError> appendWebhooks(const QJsonArray &array, const QString &what,
                                              QList<Webhook> &out)
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
inline Result<bool> dataFlag(const QByteArray &body, QLatin1String key, QLatin1String extraTrueKey = {})
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

} // namespace detail

} // namespace activity::parse
