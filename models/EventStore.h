#pragma once

#include "EventFacts.h"

#include <QByteArray>
#include <QDateTime>
#include <QJsonObject>
#include <QList>
#include <QObject>
#include <QString>
#include <QVariantList>

#include <functional>
#include <memory>
#include <optional>
#include <utility>
#include <vector>

class QSettings;

namespace activity {

namespace sqlitefile {
class BackgroundPass;
}
class EventWriter;

enum class EventSource { Stream, Receiver, Sandbox };

// What the receiver found of a delivery's x-twitter-webhooks-signature. A delivery that fails it is
// refused before it reaches the store (#16: fail closed); a stream event has none to check.
enum class SignatureVerdict { NotApplicable, Valid, Invalid, Missing };

// One event as it is accepted. Empty eventId, eventType, forUserId, filter and tag are filled from
// the body by append() (EventStore::describe).
struct EventRecord
{
    EventSource source = EventSource::Stream;
    QByteArray body; // the raw bytes as received
    // Every header received; the store keeps only selectedHeaders() of them (never a credential).
    QList<std::pair<QByteArray, QByteArray>> headers;
    qint64 receivedAtMs = 0; // UTC ms since the epoch; 0: when append() is called
    QString eventId;
    QString eventType;
    QString forUserId;
    QString filter; // the matching filter as compact JSON (X Activity events)
    QString tag;
    SignatureVerdict signature = SignatureVerdict::NotApplicable;
};

struct EventAppendResult
{
    bool stored = false; // durable on disk (a new row, or the duplicate mark on the existing one)
    bool duplicate = false; // the event id was already stored; its row's duplicate count grew
    qint64 rowId = 0; // the event's row (the existing one for a duplicate)
    QString eventId;
    QString error; // why it was not stored, in a sentence; empty when stored
};

struct ForwardOutcome
{
    int httpStatus = 0; // 0: no HTTP answer
    qint64 durationMs = 0;
    qint64 atMs = 0; // UTC ms; 0: when recorded
    QString error; // empty when an answer came
};

struct StoredEvent
{
    qint64 rowId = 0;
    QString eventId;
    EventSource source = EventSource::Stream;
    qint64 receivedAtMs = 0;
    QString eventType;
    QString forUserId;
    QString filter;
    QString tag;
    QJsonObject headers;
    QByteArray body; // empty when the query asked for no bodies
    qint64 bodySize = 0;
    SignatureVerdict signature = SignatureVerdict::NotApplicable;
    int duplicates = 0; // later deliveries of the same event id
    qint64 lastDuplicateAtMs = 0;
    std::optional<ForwardOutcome> forward;
};

struct EventQuery
{
    int limit = 1000; // newest first; <= 0: no limit
    QStringList types; // any of them; empty: all
    QString forUserId;
    QString text; // in the body, type or tag (case-insensitive for ASCII)
    qint64 sinceMs = 0; // received at or after; 0: any time
    // Row ids from minRowId to maxRowId; 0: no bound. Row ids grow in commit order, so minRowId =
    // the last row seen + 1 is "what arrived since" (the Events pane follows the store that way).
    qint64 minRowId = 0;
    qint64 maxRowId = 0;
    bool withBodies = true;
};

// What the store keeps: events older than maxAgeDays go, then the oldest beyond maxTotalBytes of
// bodies and headers. A body over maxBodyBytes is refused. 0 turns a limit off.
struct EventRetention
{
    int maxAgeDays = 30;
    qint64 maxTotalBytes = 512LL * 1024 * 1024;
    qint64 maxBodyBytes = 1024 * 1024;

    // Settings "events/maxAgeDays", "events/maxTotalMiB", "events/maxBodyKiB".
    static EventRetention fromSettings(const QSettings &settings);
};

// How far an acknowledged event survives (a receiver answers 200 once append() says stored, and X
// never sends that event again).
enum class EventDurability {
    // WAL with synchronous=NORMAL: each commit is written to the WAL file before the answer, so it
    // survives the program being killed (kill -9) or crashing; a power cut or a kernel crash may
    // lose the last commits. The default (settings "events/durability" = "program-crash").
    ProgramCrash,
    // synchronous=FULL: an fsync per commit (shared by every append in it) before the answer; also
    // survives a power cut ("power-loss").
    PowerLoss,
};

// The live events of #16 (stream, receiver, sandbox) in a SQLite database of their own, which the
// console and activity-cli share like the history: WAL, a busy timeout, short transactions.
//
// append() is durable before it answers: the row is committed (as durably as EventDurability says)
// before the caller learns it is stored, so a receiver may answer 200 then. The writes run on a thread of
// their own (the GUI never waits on SQLite); appends that arrive while a commit is in progress
// share the next transaction (group commit), and each caller is answered once its own row is on
// disk. Reads (the queries below) run on the calling thread with a connection of their own.
class EventStore : public QObject
{
    Q_OBJECT
public:
    static constexpr int schemaVersion = 2;

    explicit EventStore(const QString &databasePath = {}, QObject *parent = nullptr);
    EventStore(const QString &databasePath, EventDurability durability, QObject *parent = nullptr);
    // Waits for the appends already asked for (each answered), then closes.
    ~EventStore() override;

    // GenericDataLocation/ActivityConsole/Activity Console/events.sqlite, next to the history.
    static QString defaultPath();

    QString databasePath() const { return m_path; }
    bool isOpen() const { return m_open; }
    QString lastError() const { return m_lastError; }

    EventDurability durability() const { return m_durability; }
    // "program-crash" or "power-loss"; settings "events/durability" (anything else: the default).
    static QString durabilityKey(EventDurability durability);
    static std::optional<EventDurability> durabilityFromKey(const QString &key);
    static EventDurability durabilityFromSettings(const QSettings &settings);

    EventRetention retention() const;
    void setRetention(const EventRetention &retention);

    // Thread-safe. `done` runs on the writer's thread once the row is committed (or the append
    // failed); keep it short, it holds up the next batch's answers.
    void append(EventRecord record, std::function<void(const EventAppendResult &)> done);
    // The same for several at once: the writer is woken once and takes them into one commit (the
    // receiver hands over what one pass of its event loop read).
    struct PendingAppend
    {
        EventRecord record;
        std::function<void(const EventAppendResult &)> done;
    };
    void append(std::vector<PendingAppend> appends);
    // Returns a ticket; appended(ticket, result) follows on this object's thread.
    qint64 append(EventRecord record);
    // Queues the forward outcome for the row; forwardRecorded(rowId, ok) follows.
    void setForwardOutcome(qint64 rowId, const ForwardOutcome &outcome);

    // Queries (the pane, the CLI).
    QList<StoredEvent> events(const EventQuery &query = {}) const;
    QList<StoredEvent> newest(int count) const;
    std::optional<StoredEvent> event(qint64 rowId) const;
    std::optional<StoredEvent> eventById(const QString &eventId) const;
    // Events per type, most first (ties by name); since 0: all.
    QList<std::pair<QString, qint64>> countPerType(qint64 sinceMs = 0) const;
    // Events received in each of the `minutes` minutes before nowMs (index 0: the oldest minute).
    QList<qint64> perMinute(qint64 nowMs, int minutes = 60) const;
    qint64 count() const;

    // Removes what the retention no longer keeps on a thread of its own; pruned() follows.
    void pruneInBackground(qint64 nowMs = 0);
    bool isPruning() const;

    static EventFacts describe(const QByteArray &body);
    // The headers kept: names lower-cased; Authorization, Cookie and anything that looks like a
    // credential dropped; x-twitter-webhooks-signature kept. As compact JSON, keys sorted.
    static QByteArray selectedHeaders(const QList<std::pair<QByteArray, QByteArray>> &headers);
    // The same JSON appended to `json`.
    static void appendSelectedHeaders(QByteArray &json,
                                      const QList<std::pair<QByteArray, QByteArray>> &headers);
    static QString sourceKey(EventSource source);
    static const char *sourceKeyLatin1(EventSource source);
    static std::optional<EventSource> sourceFromKey(const QString &key);
    static QString verdictKey(SignatureVerdict verdict);
    static const char *verdictKeyLatin1(SignatureVerdict verdict);
    static std::optional<SignatureVerdict> verdictFromKey(const QString &key);

Q_SIGNALS:
    void appended(qint64 ticket, const activity::EventAppendResult &result);
    void forwardRecorded(qint64 rowId, bool ok);
    void pruned(qint64 removed);
    void errorOccurred(const QString &message);

private:
    bool openReader();
    QList<StoredEvent> select(const QString &where, const QVariantList &bindings, int limit,
                              bool withBodies) const;
    void setError(const QString &what, const QString &detail) const;

    QString m_path;
    QString m_connectionName;
    EventDurability m_durability = EventDurability::ProgramCrash;
    bool m_open = false;
    mutable QString m_lastError;
    qint64 m_nextTicket = 1;
    std::unique_ptr<EventWriter> m_writer;
    std::unique_ptr<sqlitefile::BackgroundPass> m_prune;
};

} // namespace activity

Q_DECLARE_METATYPE(activity::EventAppendResult)
