#pragma once

#include <QByteArray>
#include <QList>
#include <QRandomGenerator>
#include <QRegularExpression>
#include <QString>

#include <chrono>
#include <optional>

namespace activity::sandbox {

// What goes wrong with an answer. Faults apply before normal handling: a faulted request changes
// no state, except Latency, which only delays the normal answer.
struct Fault
{
    enum class Kind {
        Latency, // wait `latency`, then answer normally
        Status, // answer `status` (500 or 503) with an X-like error body
        DropConnection, // close the socket without answering
        TruncatedJson, // 200, application/json, the body cut in the middle
        MalformedJson, // 200, application/json, a body that is not JSON
        WrongContentType, // 200, text/html, an HTML error page
        OversizedBody, // 200, application/json, `oversizedBytes` of valid JSON
        SlowBody, // 200, valid JSON dripped in `slowChunks` pieces over `latency`
        Answer, // `status` with `body` as `contentType`: what X says in rare cases ("subscribed": false)
    };

    Kind kind = Kind::Status;
    int status = 503;
    std::chrono::milliseconds latency {0};
    qint64 oversizedBytes = 20 * 1024 * 1024;
    int slowChunks = 10;
    QByteArray body = {}; // Answer only
    QByteArray contentType = "application/json; charset=utf-8"; // Answer only

    static Fault delay(std::chrono::milliseconds ms) { return {Kind::Latency, 0, ms}; }
    static Fault httpStatus(int status) { return {Kind::Status, status}; }
    static Fault drop() { return {Kind::DropConnection}; }
    static Fault truncatedJson() { return {Kind::TruncatedJson}; }
    static Fault malformedJson() { return {Kind::MalformedJson}; }
    static Fault wrongContentType() { return {Kind::WrongContentType}; }
    static Fault oversized(qint64 bytes = 20 * 1024 * 1024) { return {Kind::OversizedBody, 200, {}, bytes}; }
    static Fault slowBody(std::chrono::milliseconds total, int chunks = 10)
    {
        return {Kind::SlowBody, 200, total, 0, chunks};
    }
    static Fault answer(int status, const QByteArray &body,
                        const QByteArray &contentType = "application/json; charset=utf-8")
    {
        Fault fault {Kind::Answer, status};
        fault.body = body;
        fault.contentType = contentType;
        return fault;
    }
    static QString kindName(Kind kind);
};

// Rules that pick requests by method and path pattern and make them fail. The pattern is a glob
// over the path only ('*' matches any characters, '/' included): "/1.1/account_activity/*".
// The first rule that matches and fires wins.
//
// Note on DropConnection: QNetworkAccessManager silently re-sends a request once when the connection
// closes before any byte of an answer arrived, if it can rewind the body, so "the next request"
// alone is invisible to such a client; use forNext(2, ...) or always(). (ApiClient sends its writes
// with a body Qt cannot rewind, so they are not re-sent.)
class FaultInjector
{
public:
    // method empty = any method. Each returns the rule's id, for remove().
    int forNext(int count, const QByteArray &method, const QString &pathPattern, const Fault &fault);
    int always(const QByteArray &method, const QString &pathPattern, const Fault &fault);
    // Fires with `probability` (0..1), drawn from a generator seeded with `seed`: reproducible.
    int random(double probability, quint32 seed, const QByteArray &method, const QString &pathPattern,
               const Fault &fault);
    void remove(int id);
    void clear();
    bool isEmpty() const { return m_rules.isEmpty(); }

    // The fault for this request, if any; consumes one use of a counted rule.
    std::optional<Fault> take(const QByteArray &method, const QString &path);

private:
    struct Rule
    {
        int id = 0;
        QByteArray method;
        QRegularExpression path;
        Fault fault;
        int remaining = -1; // -1 = unlimited
        double probability = 1.0;
        QRandomGenerator random;
    };
    int add(Rule rule, const QString &pathPattern);

    QList<Rule> m_rules;
    int m_nextId = 1;
};

} // namespace activity::sandbox
