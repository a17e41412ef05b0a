// The event store's value types: what identifies an event from its body, the headers kept, and the
// keys values are stored under.
#include "EventStore.h"

#include "Redaction.h"

#include <QCryptographicHash>
#include <QJsonArray>
#include <QJsonDocument>
#include <QSettings>
#include <QVarLengthArray>

#include <algorithm>

namespace activity {

namespace {

QString sha256Hex(const QByteArray &bytes)
{
    return QString::fromLatin1(QCryptographicHash::hash(bytes, QCryptographicHash::Sha256).toHex());
}

// An id as X sends it: a string, or a number that fits a double exactly (v1.1 also sends id_str).
QString idOf(const QJsonValue &value)
{
    if (value.isString())
        return value.toString();
    if (value.isDouble())
        return QString::number(value.toInteger());
    return {};
}

// One AAA array element: its id_str or id, the deleted status's id, else a hash of the element
// itself (follow, block, mute and typing events have no id), compact JSON with sorted keys so a
// re-serialised retry hashes the same.
QString elementId(const QJsonValue &element)
{
    const QJsonObject object = element.toObject();
    QString id = idOf(object.value(QLatin1String("id_str")));
    if (id.isEmpty())
        id = idOf(object.value(QLatin1String("id")));
    if (id.isEmpty())
        id = idOf(object.value(QLatin1String("status")).toObject().value(QLatin1String("id")));
    if (id.isEmpty())
        id = sha256Hex(QJsonDocument(object).toJson(QJsonDocument::Compact)).left(32);
    return id;
}

enum class TextEncoding { Latin1, Utf8 };

// Text as a JSON string in UTF-8, escaped as QJsonDocument escapes it: Latin-1 bytes (HTTP header
// text) are converted, UTF-8 passes through.
void appendJsonString(QByteArray &json, QByteArrayView text, TextEncoding encoding)
{
    static constexpr char hex[] = "0123456789abcdef";
    json += '"';
    qsizetype plainFrom = 0; // the bytes since the last escape, appended as one run
    for (qsizetype i = 0; i < text.size(); ++i) {
        const char c = text[i];
        const auto byte = static_cast<unsigned char>(c);
        const bool plain =
            byte >= 0x20 && byte != '"' && byte != '\\' && (byte < 0x80 || encoding == TextEncoding::Utf8);
        if (plain)
            continue;
        json += text.sliced(plainFrom, i - plainFrom);
        plainFrom = i + 1;
        if (byte == '"' || byte == '\\') {
            json += '\\';
            json += c;
        } else if (byte < 0x20) {
            // The short forms where JSON has one, as QJsonDocument writes them.
            const char *shortForm = byte == '\b' ? "\\b"
                : byte == '\f'                   ? "\\f"
                : byte == '\n'                   ? "\\n"
                : byte == '\r'                   ? "\\r"
                : byte == '\t'                   ? "\\t"
                                                 : nullptr;
            if (shortForm) {
                json += shortForm;
                continue;
            }
            json += "\\u00";
            json += hex[byte >> 4];
            json += hex[byte & 0xf];
        } else {
            json += char(0xc0 | (byte >> 6));
            json += char(0x80 | (byte & 0x3f));
        }
    }
    json += text.sliced(plainFrom);
    json += '"';
}

// An XAA filter as QJsonDocument writes it compactly (keys sorted, as QJsonObject keeps them): by
// hand for the usual object of strings, since this runs for every event received.
QString compactFilter(const QJsonObject &filter)
{
    QByteArray json;
    json.reserve(64);
    json += '{';
    for (auto it = filter.begin(); it != filter.end(); ++it) {
        if (!it->isString())
            return QString::fromUtf8(QJsonDocument(filter).toJson(QJsonDocument::Compact));
        if (json.size() > 1)
            json += ',';
        appendJsonString(json, it.key().toUtf8(), TextEncoding::Utf8);
        json += ':';
        appendJsonString(json, it->toString().toUtf8(), TextEncoding::Utf8);
    }
    json += '}';
    return QString::fromUtf8(json);
}

} // namespace

EventFacts EventStore::describe(const QByteArray &body)
{
    EventFacts facts;
    const QJsonDocument document = QJsonDocument::fromJson(body);
    const QJsonObject root = document.object();
    const QJsonObject data = root.value(QLatin1String("data")).toObject();
    if (!data.isEmpty()) {
        // X Activity (§4.6), from the stream or a webhook.
        facts.eventId = idOf(data.value(QLatin1String("event_uuid")));
        facts.eventType = data.value(QLatin1String("event_type")).toString();
        facts.tag = data.value(QLatin1String("tag")).toString();
        const QJsonValue filter = data.value(QLatin1String("filter"));
        if (filter.isObject()) {
            const QJsonObject filterObject = filter.toObject();
            facts.filter = compactFilter(filterObject);
            facts.forUserId = idOf(filterObject.value(QLatin1String("user_id")));
        }
    } else if (!root.isEmpty()) {
        // Account Activity (§3.4): for_user_id and one event array (user_event: an object).
        facts.forUserId = idOf(root.value(QLatin1String("for_user_id")));
        for (auto it = root.begin(); it != root.end(); ++it) {
            const QString key = it.key();
            if (key == QLatin1String("for_user_id") || key == QLatin1String("users") ||
                key == QLatin1String("apps"))
                continue;
            if (!key.endsWith(QLatin1String("_events")) && key != QLatin1String("user_event") &&
                key != QLatin1String("replay_job_status"))
                continue;
            facts.eventType = key;
            QStringList ids;
            if (it->isArray()) {
                const QJsonArray elements = it->toArray();
                for (const QJsonValue &element : elements)
                    ids << elementId(element);
            }
            if (!ids.isEmpty())
                facts.eventId =
                    QStringLiteral("aaa:%1:%2:%3").arg(key, facts.forUserId, ids.join(QLatin1Char(',')));
            break;
        }
    }
    if (facts.eventId.isEmpty())
        facts.eventId = QStringLiteral("sha256:") + sha256Hex(body);
    return facts;
}

QByteArray EventStore::selectedHeaders(const QList<std::pair<QByteArray, QByteArray>> &headers)
{
    // Written straight to compact JSON (keys sorted, as QJsonDocument writes them) without a copy of
    // a name or value: this runs for every delivery the receiver stores, and a QJsonObject per event
    // cost more than the insert.
    struct Kept
    {
        QByteArrayView name; // lower case, in `lowered`
        QByteArrayView value;
        QByteArray joined; // a repeated header's values, as HTTP joins them
    };
    qsizetype namesSize = 0;
    for (const auto &header : headers)
        namesSize += header.first.size();
    // Sized once, so the views into it stay valid.
    QVarLengthArray<char, 512> lowered(namesSize);
    qsizetype used = 0;
    QVarLengthArray<Kept, 16> kept;
    for (const auto &[rawName, value] : headers) {
        const QByteArrayView trimmed = QByteArrayView(rawName).trimmed();
        char *const start = lowered.data() + used;
        for (const char c : trimmed)
            lowered[used++] = c >= 'A' && c <= 'Z' ? char(c - 'A' + 'a') : c;
        const QByteArrayView name(start, trimmed.size());
        if (name.isEmpty())
            continue;
        const bool signature = name == "x-twitter-webhooks-signature";
        if (!signature &&
            (redact::isAuthorizationHeader(name) || redact::isSensitiveHeader(name) || name == "cookie" ||
             name == "set-cookie" || redact::looksSensitive(name)))
            continue; // never kept, whatever the caller passes
        kept.append({name, QByteArrayView(value), {}});
    }
    // An insertion sort (a few headers; stable, so a repeated header's values keep their order).
    for (auto it = kept.begin(); it != kept.end(); ++it) {
        const auto at = std::upper_bound(kept.begin(), it, *it,
                                         [](const Kept &a, const Kept &b) { return a.name < b.name; });
        std::rotate(at, it, it + 1);
    }
    QByteArray json;
    json.reserve(256);
    json += '{';
    for (qsizetype i = 0; i < kept.size(); ++i) {
        Kept &header = kept[i];
        if (i > 0 && kept[i - 1].name == header.name)
            continue; // joined into the first
        QByteArrayView value = header.value;
        for (qsizetype next = i + 1; next < kept.size() && kept[next].name == header.name; ++next) {
            if (header.joined.isEmpty())
                header.joined = header.value.toByteArray();
            header.joined += ", ";
            header.joined += kept[next].value;
            value = header.joined;
        }
        if (json.size() > 1)
            json += ',';
        appendJsonString(json, header.name, TextEncoding::Latin1);
        json += ':';
        appendJsonString(json, value, TextEncoding::Latin1);
    }
    json += '}';
    return json;
}

QString EventStore::sourceKey(EventSource source)
{
    switch (source) {
    case EventSource::Stream:
        return QStringLiteral("stream");
    case EventSource::Receiver:
        return QStringLiteral("receiver");
    case EventSource::Sandbox:
        return QStringLiteral("sandbox");
    }
    return {};
}

std::optional<EventSource> EventStore::sourceFromKey(const QString &key)
{
    for (EventSource source : {EventSource::Stream, EventSource::Receiver, EventSource::Sandbox}) {
        if (sourceKey(source) == key)
            return source;
    }
    return std::nullopt;
}

QString EventStore::verdictKey(SignatureVerdict verdict)
{
    switch (verdict) {
    case SignatureVerdict::NotApplicable:
        return QStringLiteral("none");
    case SignatureVerdict::Valid:
        return QStringLiteral("valid");
    case SignatureVerdict::Invalid:
        return QStringLiteral("invalid");
    case SignatureVerdict::Missing:
        return QStringLiteral("missing");
    }
    return {};
}

std::optional<SignatureVerdict> EventStore::verdictFromKey(const QString &key)
{
    for (SignatureVerdict verdict : {SignatureVerdict::NotApplicable, SignatureVerdict::Valid,
                                     SignatureVerdict::Invalid, SignatureVerdict::Missing}) {
        if (verdictKey(verdict) == key)
            return verdict;
    }
    return std::nullopt;
}

EventRetention EventRetention::fromSettings(const QSettings &settings)
{
    EventRetention retention;
    bool ok = false;
    const int days = settings.value(QStringLiteral("events/maxAgeDays")).toInt(&ok);
    if (ok && days >= 0)
        retention.maxAgeDays = days;
    const qint64 mib = settings.value(QStringLiteral("events/maxTotalMiB")).toLongLong(&ok);
    if (ok && mib >= 0)
        retention.maxTotalBytes = mib * 1024 * 1024;
    const qint64 kib = settings.value(QStringLiteral("events/maxBodyKiB")).toLongLong(&ok);
    if (ok && kib >= 0)
        retention.maxBodyBytes = kib * 1024;
    return retention;
}

QString EventStore::durabilityKey(EventDurability durability)
{
    return durability == EventDurability::PowerLoss ? QStringLiteral("power-loss")
                                                    : QStringLiteral("program-crash");
}

std::optional<EventDurability> EventStore::durabilityFromKey(const QString &key)
{
    for (const EventDurability durability : {EventDurability::ProgramCrash, EventDurability::PowerLoss}) {
        if (key == durabilityKey(durability))
            return durability;
    }
    return std::nullopt;
}

EventDurability EventStore::durabilityFromSettings(const QSettings &settings)
{
    return durabilityFromKey(settings.value(QStringLiteral("events/durability")).toString())
        .value_or(EventDurability::ProgramCrash);
}

} // namespace activity
