// readWithJsonDocument: QJsonDocument's tree, every shape. readXaaEnvelope: a strict, allocation-free JSON
// scanner that validates the whole body and keeps views of the few members an X Activity event is filed
// under.
#include "EventFactsReader.h"

#include "JsonText.h"

#include <QCryptographicHash>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QStringList>
#include <QVarLengthArray>

#include <algorithm>

namespace activity::eventfacts {

namespace {

QString sha256Hex(const QByteArray &bytes)
{
    return QString::fromLatin1(QCryptographicHash::hash(bytes, QCryptographicHash::Sha256).toHex());
}

// The id of an event whose body names none: "sha256:HEX" of the body.
QString bodyHashId(const QByteArray &body)
{
    return QStringLiteral("sha256:") + sha256Hex(body);
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
        jsontext::appendString(json, it.key().toUtf8(), jsontext::TextEncoding::Utf8);
        json += ':';
        jsontext::appendString(json, it->toString().toUtf8(), jsontext::TextEncoding::Utf8);
    }
    json += '}';
    return QString::fromUtf8(json);
}

constexpr int maxDepth = 200; // Qt allows more; deeper documents go to QJsonDocument
constexpr int maxNumberDigits = 300; // beyond it a double may overflow or underflow, which Qt refuses

// A string as it appears: its bytes between the quotes, and whether they needed no unescaping.
struct RawString
{
    QByteArrayView bytes;
    bool plain = true; // no escape: the bytes are the text (in UTF-8)
    bool ascii = true;
};

// A member's value as far as the facts go.
struct Seen
{
    enum class Kind { Absent, String, Number, Object, Other } kind = Kind::Absent;
    RawString text;
};

class Scanner
{
public:
    explicit Scanner(QByteArrayView text)
        : m_at(text.data())
        , m_end(text.data() + text.size())
    {
    }

    // The whole body: one object (whose members go to `member`), surrounded by JSON whitespace only.
    template<typename OnMember> bool document(OnMember &&member)
    {
        skipSpace();
        if (!object(0, member))
            return false;
        skipSpace();
        return m_at == m_end;
    }

    // An object at `depth`; `member(key, depth)` scans each member's value (false gives up).
    template<typename OnMember> bool object(int depth, OnMember &&member)
    {
        return sequence('{', '}', depth, [this, &member](int inner) {
            RawString key;
            if (!string(key))
                return false;
            skipSpace();
            if (!consume(':'))
                return false;
            skipSpace();
            return member(key, inner);
        });
    }

    // Any value, validated and skipped; its kind (and a string's bytes) in `seen`.
    bool value(int depth, Seen *seen = nullptr)
    {
        if (m_at == m_end)
            return false;
        Seen ignored;
        Seen &out = seen ? *seen : ignored;
        switch (*m_at) {
        case '{':
            out.kind = Seen::Kind::Object;
            return object(depth, [this](const RawString &, int inner) { return value(inner); });
        case '[':
            out.kind = Seen::Kind::Other;
            return array(depth);
        case '"':
            out.kind = Seen::Kind::String;
            return string(out.text);
        case 't':
            out.kind = Seen::Kind::Other;
            return word("true");
        case 'f':
            out.kind = Seen::Kind::Other;
            return word("false");
        case 'n':
            out.kind = Seen::Kind::Other;
            return word("null");
        default:
            out.kind = Seen::Kind::Number;
            return number();
        }
    }

    // The next byte (after whitespace skipped by the caller), or NUL at the end.
    char peek() const { return m_at == m_end ? '\0' : *m_at; }

private:
    bool consume(char c)
    {
        if (m_at == m_end || *m_at != c)
            return false;
        ++m_at;
        return true;
    }

    void skipSpace()
    {
        while (m_at != m_end && (*m_at == ' ' || *m_at == '\t' || *m_at == '\n' || *m_at == '\r'))
            ++m_at;
    }

    bool word(const char *text)
    {
        for (; *text != '\0'; ++text) {
            if (!consume(*text))
                return false;
        }
        return true;
    }

    bool array(int depth)
    {
        return sequence('[', ']', depth, [this](int inner) { return value(inner); });
    }

    // `open`, items separated by commas, `close`, whitespace between; `item(depth)` scans one.
    template<typename Item> bool sequence(char open, char close, int depth, Item &&item)
    {
        if (depth > maxDepth || !consume(open))
            return false;
        skipSpace();
        if (consume(close))
            return true;
        for (;;) {
            if (!item(depth + 1))
                return false;
            skipSpace();
            if (!consume(','))
                return consume(close);
            skipSpace();
        }
    }

    // -?(0|[1-9][0-9]*)(\.[0-9]+)? with a bounded number of digits; exponents are left to Qt.
    bool number()
    {
        consume('-');
        int digits = 0;
        if (consume('0')) {
            digits = 1;
        } else {
            while (m_at != m_end && *m_at >= '0' && *m_at <= '9') {
                ++m_at;
                ++digits;
            }
            if (digits == 0)
                return false;
        }
        if (consume('.')) {
            int fraction = 0;
            while (m_at != m_end && *m_at >= '0' && *m_at <= '9') {
                ++m_at;
                ++fraction;
            }
            if (fraction == 0)
                return false;
            digits += fraction;
        }
        if (m_at != m_end && (*m_at == 'e' || *m_at == 'E'))
            return false;
        return digits <= maxNumberDigits;
    }

    static bool isHex(char c)
    {
        return (c >= '0' && c <= '9') || (c >= 'a' && c <= 'f') || (c >= 'A' && c <= 'F');
    }

    static unsigned hexValue(const char *four)
    {
        unsigned value = 0;
        for (int i = 0; i < 4; ++i) {
            const char c = four[i];
            value = value * 16 + unsigned(c <= '9' ? c - '0' : (c | 0x20) - 'a' + 10);
        }
        return value;
    }

    static bool isNoncharacter(unsigned codePoint)
    {
        return (codePoint >= 0xfdd0 && codePoint <= 0xfdef) || (codePoint & 0xfffe) == 0xfffe;
    }

    // \uXXXX (a surrogate only as a high-low pair); the code point must not be NUL or a noncharacter.
    bool unicodeEscape()
    {
        if (m_end - m_at < 4 || !std::all_of(m_at, m_at + 4, isHex))
            return false;
        unsigned codePoint = hexValue(m_at);
        m_at += 4;
        if (codePoint >= 0xdc00 && codePoint <= 0xdfff)
            return false;
        if (codePoint >= 0xd800 && codePoint <= 0xdbff) {
            if (m_end - m_at < 6 || m_at[0] != '\\' || m_at[1] != 'u' ||
                !std::all_of(m_at + 2, m_at + 6, isHex))
                return false;
            const unsigned low = hexValue(m_at + 2);
            if (low < 0xdc00 || low > 0xdfff)
                return false;
            m_at += 6;
            codePoint = 0x10000 + ((codePoint - 0xd800) << 10) + (low - 0xdc00);
        }
        return codePoint != 0 && !isNoncharacter(codePoint);
    }

    // One UTF-8 sequence (RFC 3629: no overlong forms, surrogates or code points past U+10FFFF),
    // not a noncharacter.
    bool utf8Sequence()
    {
        const auto lead = static_cast<unsigned char>(*m_at);
        int length = 0;
        unsigned codePoint = 0;
        if (lead >= 0xc2 && lead <= 0xdf) {
            length = 2;
            codePoint = lead & 0x1f;
        } else if (lead >= 0xe0 && lead <= 0xef) {
            length = 3;
            codePoint = lead & 0x0f;
        } else if (lead >= 0xf0 && lead <= 0xf4) {
            length = 4;
            codePoint = lead & 0x07;
        } else {
            return false;
        }
        if (m_end - m_at < length)
            return false;
        for (int i = 1; i < length; ++i) {
            const auto next = static_cast<unsigned char>(m_at[i]);
            if ((next & 0xc0) != 0x80)
                return false;
            codePoint = (codePoint << 6) | (next & 0x3f);
        }
        const unsigned smallest[] = {0, 0, 0x80, 0x800, 0x10000};
        if (codePoint < smallest[length] || codePoint > 0x10ffff ||
            (codePoint >= 0xd800 && codePoint <= 0xdfff) || isNoncharacter(codePoint))
            return false;
        m_at += length;
        return true;
    }

    bool string(RawString &out)
    {
        if (!consume('"'))
            return false;
        const char *start = m_at;
        out.plain = true;
        out.ascii = true;
        while (m_at != m_end) {
            const auto c = static_cast<unsigned char>(*m_at);
            if (c == '"') {
                out.bytes = QByteArrayView(start, m_at - start);
                ++m_at;
                return true;
            }
            if (c < 0x20)
                return false; // Qt takes some control characters; they go to it
            if (c == '\\') {
                out.plain = false;
                ++m_at;
                if (m_at == m_end)
                    return false;
                const char escaped = *m_at++;
                if (escaped == 'u') {
                    if (!unicodeEscape())
                        return false;
                } else if (!QByteArrayView("\"\\/bfnrt").contains(escaped)) {
                    return false;
                }
                continue;
            }
            if (c >= 0x80) {
                out.ascii = false;
                if (!utf8Sequence())
                    return false;
                continue;
            }
            ++m_at;
        }
        return false;
    }

    const char *m_at;
    const char *m_end;
};

// Notes one member the facts need; a second of the same name gives up (which one Qt keeps is its
// business).
bool note(Seen &slot, Seen value)
{
    if (slot.kind != Seen::Kind::Absent)
        return false;
    slot = value;
    return true;
}

QString text(const Seen &seen)
{
    return seen.kind == Seen::Kind::String ? QString::fromUtf8(seen.text.bytes) : QString();
}

} // namespace

EventFacts readWithJsonDocument(const QByteArray &body)
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
        facts.eventId = bodyHashId(body);
    return facts;
}

std::optional<EventFacts> readXaaEnvelope(QByteArrayView body)
{
    Scanner scanner(body);
    bool sawData = false;
    int dataMembers = 0;
    Seen eventUuid, eventType, tag, filter, userId;
    QVarLengthArray<std::pair<QByteArrayView, QByteArrayView>, 4> filterMembers; // as given

    // At these three levels a key is compared with the names the facts need: an escaped one could
    // be any of them, so it gives up.
    const auto filterMember = [&](const RawString &key, int depth) {
        Seen value;
        if (!key.plain || !key.ascii || !scanner.value(depth, &value) || value.kind != Seen::Kind::String ||
            !value.text.plain)
            return false; // compactFilter() writes anything else through QJsonDocument
        for (const auto &member : filterMembers) {
            if (member.first == key.bytes)
                return false;
        }
        filterMembers.append({key.bytes, value.text.bytes});
        return key.bytes != "user_id" || note(userId, value);
    };
    const auto dataMember = [&](const RawString &key, int depth) {
        ++dataMembers;
        if (!key.plain)
            return false;
        if (key.bytes == "filter") {
            if (filter.kind != Seen::Kind::Absent)
                return false;
            if (scanner.peek() != '{')
                return scanner.value(depth, &filter); // not an object: no filter, as in the document
            filter.kind = Seen::Kind::Object;
            return scanner.object(depth, filterMember);
        }
        Seen value;
        if (!scanner.value(depth, &value))
            return false;
        Seen *slot = key.bytes == "event_uuid" ? &eventUuid
            : key.bytes == "event_type"        ? &eventType
            : key.bytes == "tag"               ? &tag
                                               : nullptr;
        if (!slot)
            return true;
        if (value.kind == Seen::Kind::String && !value.text.plain)
            return false; // its text needs unescaping
        if (slot == &eventUuid && value.kind == Seen::Kind::Number)
            return false; // a numeric id is written back by QJsonValue's rules
        return note(*slot, value);
    };
    const auto rootMember = [&](const RawString &key, int depth) {
        if (!key.plain)
            return false;
        if (key.bytes != "data")
            return scanner.value(depth);
        if (sawData || scanner.peek() != '{')
            return false; // twice, or not an object: an Account Activity body or something else
        sawData = true;
        return scanner.object(depth, dataMember);
    };
    if (!scanner.document(rootMember) || !sawData || dataMembers == 0)
        return std::nullopt;

    EventFacts facts;
    facts.eventId = text(eventUuid);
    if (facts.eventId.isEmpty())
        facts.eventId = bodyHashId(body.toByteArray());
    facts.eventType = text(eventType);
    facts.tag = text(tag);
    if (filter.kind == Seen::Kind::Object) {
        // Compact, keys sorted (as QJsonObject keeps them; ASCII, so byte order is its order).
        std::sort(filterMembers.begin(), filterMembers.end(),
                  [](const auto &a, const auto &b) { return a.first < b.first; });
        QByteArray json;
        json.reserve(64);
        json += '{';
        for (const auto &[key, value] : filterMembers) {
            if (json.size() > 1)
                json += ',';
            json += '"';
            json += key;
            json += "\":\"";
            json += value;
            json += '"';
        }
        json += '}';
        facts.filter = QString::fromUtf8(json);
        facts.forUserId = text(userId);
    }
    return facts;
}

} // namespace activity::eventfacts
