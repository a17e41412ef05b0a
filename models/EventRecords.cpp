// The event store's value types: what identifies an event from its body, the headers kept, and the
// keys values are stored under.
#include "EventFactsReader.h"
#include "EventStore.h"

#include "JsonText.h"
#include "Redaction.h"

#include <QSettings>
#include <QVarLengthArray>

#include <algorithm>

namespace activity {

EventFacts EventStore::describe(const QByteArray &body)
{
    if (std::optional<EventFacts> facts = eventfacts::readXaaEnvelope(body))
        return std::move(*facts);
    return eventfacts::readWithJsonDocument(body);
}

QByteArray EventStore::selectedHeaders(const QList<std::pair<QByteArray, QByteArray>> &headers)
{
    QByteArray json;
    json.reserve(256);
    appendSelectedHeaders(json, headers);
    return json;
}

void EventStore::appendSelectedHeaders(QByteArray &json,
                                       const QList<std::pair<QByteArray, QByteArray>> &headers)
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
        // isSensitiveHeader: Authorization, Proxy-Authorization, Cookie, Set-Cookie.
        if (!signature && (redact::isSensitiveHeader(name) || redact::looksSensitive(name)))
            continue; // never kept, whatever the caller passes
        kept.append({name, QByteArrayView(value), {}});
    }
    // An insertion sort (a few headers; stable, so a repeated header's values keep their order).
    for (auto it = kept.begin(); it != kept.end(); ++it) {
        const auto at = std::upper_bound(kept.begin(), it, *it,
                                         [](const Kept &a, const Kept &b) { return a.name < b.name; });
        std::rotate(at, it, it + 1);
    }
    const qsizetype start = json.size();
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
        if (json.size() > start + 1)
            json += ',';
        jsontext::appendString(json, header.name, jsontext::TextEncoding::Latin1);
        json += ':';
        jsontext::appendString(json, value, jsontext::TextEncoding::Latin1);
    }
    json += '}';
}

const char *EventStore::sourceKeyLatin1(EventSource source)
{
    switch (source) {
    case EventSource::Stream:
        return "stream";
    case EventSource::Receiver:
        return "receiver";
    case EventSource::Sandbox:
        return "sandbox";
    }
    return "";
}

QString EventStore::sourceKey(EventSource source)
{
    return QString::fromLatin1(sourceKeyLatin1(source));
}

std::optional<EventSource> EventStore::sourceFromKey(const QString &key)
{
    for (EventSource source : {EventSource::Stream, EventSource::Receiver, EventSource::Sandbox}) {
        if (sourceKey(source) == key)
            return source;
    }
    return std::nullopt;
}

const char *EventStore::verdictKeyLatin1(SignatureVerdict verdict)
{
    switch (verdict) {
    case SignatureVerdict::NotApplicable:
        return "none";
    case SignatureVerdict::Valid:
        return "valid";
    case SignatureVerdict::Invalid:
        return "invalid";
    case SignatureVerdict::Missing:
        return "missing";
    }
    return "";
}

QString EventStore::verdictKey(SignatureVerdict verdict)
{
    return QString::fromLatin1(verdictKeyLatin1(verdict));
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
