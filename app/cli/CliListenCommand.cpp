// activity-cli events tail and listen: live events in the terminal, through the services' LiveEvents
// (what the console's Events tab uses): the X Activity stream, a webhook receiver that stores each
// valid delivery before it is acknowledged, forwarding, or - with neither - the event store as
// others (the console, another activity-cli) fill it. One line (or JSON object) per event, refused
// delivery, CRC check and stream state change.
#include "CliCommands.h"
#include "CliRunner.h"
#include "CliStopSignals.h"
#include "EventExport.h"
#include "LiveEvents.h"
#include "Validation.h"

#include <QCommandLineParser>
#include <QDateTime>
#include <QHostAddress>
#include <QJsonDocument>
#include <QSocketNotifier>
#include <QTimer>

namespace activity::cli {

namespace {

QString isoTime(qint64 ms)
{
    return QDateTime::fromMSecsSinceEpoch(ms, Qt::UTC).toString(Qt::ISODateWithMs);
}

} // namespace

QList<QCommandLineOption> listenOptions()
{
    return {QCommandLineOption(QStringLiteral("listen"),
                               QStringLiteral("Where to listen: ADDR:PORT, [IPV6]:PORT or PORT (default "
                                              "127.0.0.1:8080; port 0: any free port)."),
                               QStringLiteral("ADDR:PORT")),
            QCommandLineOption(QStringLiteral("path"),
                               QStringLiteral("The webhook's path (default /webhook); other paths are 404."),
                               QStringLiteral("PATH")),
            forwardToOption()};
}

QList<QCommandLineOption> tailOptions()
{
    QList<QCommandLineOption> options = listenOptions();
    options.append(
        QCommandLineOption(QStringLiteral("stream"),
                           QStringLiteral("Read the X Activity stream (GET /2/activity/stream) with "
                                          "the app's Bearer token.")));
    options.append(QCommandLineOption(QStringLiteral("type"),
                                      QStringLiteral("Print only events of this type (repeat for several); "
                                                     "every event is stored all the same."),
                                      QStringLiteral("TYPE")));
    options.append(QCommandLineOption(QStringLiteral("count"), QStringLiteral("Stop after N events printed."),
                                      QStringLiteral("N")));
    options.append(
        QCommandLineOption(QStringLiteral("from"),
                           QStringLiteral("With --stream: a bounded fetch from WHEN (start_time; ISO "
                                          "8601 or yyyyMMddhhmm UTC); it ends when X has sent the window."),
                           QStringLiteral("WHEN")));
    options.append(QCommandLineOption(
        QStringLiteral("to"), QStringLiteral("With --stream: the end of the bounded fetch (end_time)."),
        QStringLiteral("WHEN")));
    return options;
}

std::optional<QString> readListenOptions(const QCommandLineParser &parser, Invocation &invocation)
{
    invocation.receive = true;
    if (parser.isSet(QStringLiteral("listen")))
        invocation.listen = parser.value(QStringLiteral("listen"));
    if (!WebhookReceiver::parseAddress(invocation.listen))
        return QStringLiteral(
                   "--listen takes ADDR:PORT with an IP address, e.g. 127.0.0.1:8080 or [::1]:8080, "
                   "not '%1'.")
            .arg(invocation.listen);
    if (parser.isSet(QStringLiteral("path")))
        invocation.listenPath = parser.value(QStringLiteral("path"));
    if (!invocation.listenPath.startsWith(QLatin1Char('/')))
        return QStringLiteral("--path starts with /, e.g. /webhook.");
    return applyEventsOptions(parser, invocation.events);
}

std::optional<QString> readTailOptions(const QCommandLineParser &parser, Invocation &invocation)
{
    if (auto problem = readListenOptions(parser, invocation))
        return problem;
    invocation.receive = parser.isSet(QStringLiteral("listen"));
    invocation.stream = parser.isSet(QStringLiteral("stream"));
    invocation.from = parser.value(QStringLiteral("from"));
    invocation.to = parser.value(QStringLiteral("to"));
    for (const QString &when : {invocation.from, invocation.to}) {
        if (when.isEmpty())
            continue;
        if (!invocation.stream)
            return QStringLiteral("--from and --to bound a fetch of the stream: add --stream.");
        if (const Result<QDateTime> time = validate::parseReplayTime(when); !time)
            return time.error().cause;
    }
    if (parser.isSet(QStringLiteral("count"))) {
        bool ok = false;
        invocation.tailCount = parser.value(QStringLiteral("count")).toInt(&ok);
        if (!ok || invocation.tailCount < 1)
            return QStringLiteral("--count takes a number of events (1 or more).");
    }
    return std::nullopt;
}

QString listenDetails()
{
    return QStringLiteral(
        "\nThe first line says where it listens (with --json: {\"listening\":{...}}). Then one line per "
        "stored event\n(time, source, type, id, user or filter, tag, a duplicate mark), per refused delivery "
        "(401: missing or\nwrong x-twitter-webhooks-signature; the body is never shown or kept) and per CRC "
        "check; with\n--json one object per line: {\"event\":...}, {\"rejected\":...}, {\"crc\":...}, "
        "{\"stream\":...}.\n"
        "Events go to the event store the console reads (ACTIVITY_EVENTS_FILE overrides its path). A "
        "delivery\nis answered 200 only once it is committed, 500 if it could not be stored, 503 after 9 s.\n"
        "A committed event survives the program being killed; ACTIVITY_EVENTS_DURABILITY=power-loss adds\nan "
        "fsync per commit so it survives a power cut too (slower).\n"
        "X must reach this address: put it behind your HTTPS endpoint or a tunnel (README, \"Live "
        "events\").\n"
        "--forward-to re-posts each new event to your program, re-signed with the consumer secret.\n"
        "Ctrl+C or SIGTERM stops (exit 0). Exit 3: cannot listen there; 4: no consumer secret.\n");
}

QString tailDetails()
{
    return QStringLiteral(
        "\nWith --stream, the X Activity stream (reconnected with backoff, the missed minutes asked for "
        "again,\nduplicates dropped); with --listen, a webhook receiver as 'activity-cli listen' runs one; "
        "both at\nonce are fine. --from/--to with --stream fetch a window of the past and end. With neither, "
        "the event store is followed: the events the console or "
        "another\nactivity-cli stores appear here. The lines are those of 'listen' (see its --help).\n");
}

void Runner::listen()
{
    tailEvents();
}

void Runner::tailEvents()
{
    const bool receive = m_inv.receive;
    if (receive && m_credentials.app.consumerSecret.isEmpty())
        return fail(ApiError::make(
            ApiError::Kind::MissingCredentials,
            QStringLiteral("Receiving needs the app's consumer secret to answer CRC checks and verify "
                           "signatures."),
            QStringLiteral("Export ACTIVITY_CONSUMER_SECRET (API secret key) or pass --profile NAME.")));
    if (m_inv.events.forwardTo.isValid() && m_credentials.app.consumerSecret.isEmpty())
        return fail(
            ApiError::make(ApiError::Kind::MissingCredentials,
                           QStringLiteral("Forwarding signs each event with the app's consumer secret, "
                                          "which is not set."),
                           QStringLiteral("Use --profile NAME, or set ACTIVITY_CONSUMER_SECRET.")));
    std::optional<ActivityStreamConfig> stream;
    if (m_inv.stream) {
        if (m_credentials.app.bearerToken.isEmpty())
            return fail(
                ApiError::make(ApiError::Kind::MissingCredentials,
                               QStringLiteral("The stream needs the app's Bearer token."),
                               QStringLiteral("Export ACTIVITY_BEARER_TOKEN or pass --profile NAME.")));
        QString base = m_inv.baseUrl;
        if (base.isEmpty())
            base = m_env.variables.value(QStringLiteral("ACTIVITY_BASE_URL"));
        if (base.isEmpty())
            base = QStringLiteral("https://api.x.com");
        const Result<QUrl> baseUrl = validate::baseUrl(base, m_inv.allowInsecureLoopback);
        if (!baseUrl)
            return fail(baseUrl.error());
        stream = ActivityStreamConfig {};
        stream->baseUrl = baseUrl.value();
        stream->bearerToken = m_credentials.app.bearerToken;
        // A bounded fetch (x-api-2026.md §4.5 start_time/end_time), checked when the options were read.
        if (!m_inv.from.isEmpty())
            stream->startTime = validate::parseReplayTime(m_inv.from).value();
        if (!m_inv.to.isEmpty())
            stream->endTime = validate::parseReplayTime(m_inv.to).value();
    }
    if (!openEvents()) // ACTIVITY_EVENTS_FILE or the console's
        return;

    m_live = std::make_unique<LiveEvents>(m_events.get(), m_env.network);
    const bool json = m_output.json();
    if (receive) {
        const auto [address, port] = *WebhookReceiver::parseAddress(m_inv.listen);
        WebhookReceiverOptions options;
        options.path = m_inv.listenPath;
        if (const std::optional<QString> problem =
                m_live->startReceiver(address, port, m_credentials.app.consumerSecret, options))
            return fail(ApiError::make(ApiError::Kind::Network, *problem,
                                       QStringLiteral("Pick another port with --listen ADDR:PORT.")));
    }
    if (m_inv.events.forwardTo.isValid())
        m_live->setForwardTarget(m_inv.events.forwardTo, m_credentials.app.consumerSecret);

    m_stopNotifier = watchStopSignals(this, [this] { stopListening(); });

    QStringList sources;
    if (receive)
        sources.append(m_live->receiverUrl());
    if (stream)
        sources.append(QStringLiteral("the X Activity stream at ") + stream->baseUrl.toString());
    if (json) {
        QJsonObject listening {{QStringLiteral("events_file"), m_events->databasePath()}};
        if (receive) {
            listening.insert(QStringLiteral("url"), m_live->receiverUrl());
            listening.insert(QStringLiteral("address"), m_live->receiverAddress().toString());
            listening.insert(QStringLiteral("port"), int(m_live->receiverPort()));
        }
        if (stream)
            listening.insert(QStringLiteral("stream"), stream->baseUrl.toString());
        if (m_inv.events.forwardTo.isValid())
            listening.insert(QStringLiteral("forward_to"), m_inv.events.forwardTo.toString());
        m_output.jsonLine({{QStringLiteral("listening"), listening}});
    } else if (sources.isEmpty()) {
        m_output.line(QStringLiteral("Following %1. Ctrl+C stops.").arg(m_events->databasePath()));
    } else {
        m_output.line(QStringLiteral("Listening on %1 (events stored in %2). Ctrl+C stops.")
                          .arg(sources.join(QStringLiteral(" and ")), m_events->databasePath()));
    }

    connect(m_live.get(), &LiveEvents::eventStored, this,
            [this](qint64 rowId, const EventAppendResult &result, const IntakeEvent &event) {
                printEvent(rowId, result.eventId, result.duplicate, event.source, event.receivedAtMs,
                           event.facts, event.peer);
            });
    connect(m_live.get(), &LiveEvents::storeFailed, this, [this](const QString &error) {
        m_output.error(
            QStringLiteral("an event was not stored (a delivery is answered 500, X will retry): %1")
                .arg(error));
    });
    connect(m_live.get(), &LiveEvents::deliveryRejected, this, [this, json](const RejectedDelivery &r) {
        ++m_rejected;
        if (json)
            return m_output.jsonLine({{QStringLiteral("rejected"),
                                       QJsonObject {{QStringLiteral("at"), isoTime(r.atMs)},
                                                    {QStringLiteral("status"), r.status},
                                                    {QStringLiteral("peer"), r.peer},
                                                    {QStringLiteral("path"), r.path},
                                                    {QStringLiteral("reason"), r.reason},
                                                    {QStringLiteral("body_bytes"), r.bodySize}}}});
        m_output.line(QStringLiteral("%1  rejected %2 from %3 %4: %5 (%6 bytes, not kept)")
                          .arg(isoTime(r.atMs))
                          .arg(r.status)
                          .arg(r.peer, r.path, r.reason)
                          .arg(r.bodySize));
    });
    connect(m_live.get(), &LiveEvents::crcAnswered, this, [this, json](const CrcCheck &check) {
        if (json)
            return m_output.jsonLine({{QStringLiteral("crc"),
                                       QJsonObject {{QStringLiteral("at"), isoTime(check.atMs)},
                                                    {QStringLiteral("peer"), check.peer},
                                                    {QStringLiteral("ok"), check.ok}}}});
        m_output.line(
            QStringLiteral("%1  crc from %2: %3")
                .arg(isoTime(check.atMs), check.peer,
                     check.ok ? QStringLiteral("answered") : QStringLiteral("refused (no crc_token)")));
    });
    connect(m_live.get(), &LiveEvents::streamStateChanged, this,
            [this, json](ActivityStreamClient::State state, const QString &message) {
                if (json)
                    return m_output.jsonLine(
                        {{QStringLiteral("stream"),
                          QJsonObject {{QStringLiteral("state"), ActivityStreamClient::stateName(state)},
                                       {QStringLiteral("message"), message}}}});
                m_output.note(QStringLiteral("stream: %1%2")
                                  .arg(ActivityStreamClient::stateName(state),
                                       message.isEmpty() ? QString() : QStringLiteral(" - ") + message));
                if (state == ActivityStreamClient::State::Failed && !m_inv.receive)
                    finish(ExitApiRefused);
                if (state == ActivityStreamClient::State::Ended && !m_inv.receive) {
                    // The bounded window is complete once its last events are stored (and printed).
                    if (m_live->streamEventsInFlight() == 0)
                        return stopListening();
                    connect(m_live.get(), &LiveEvents::streamEventsSettled, this, &Runner::stopListening);
                }
            });
    connect(m_live.get(), &LiveEvents::streamNotice, this,
            [this](const QString &message) { m_output.note(QStringLiteral("stream: ") + message); });
    connect(m_live.get(), &LiveEvents::forwarded, this,
            [this, json](qint64 rowId, const QString &eventId, const ForwardResult &result) {
                if (json)
                    return m_output.jsonLine(
                        {{QStringLiteral("forwarded"),
                          QJsonObject {{QStringLiteral("row_id"), rowId},
                                       {QStringLiteral("event_id"), eventId},
                                       {QStringLiteral("status"), result.httpStatus},
                                       {QStringLiteral("duration_ms"), result.durationMs},
                                       {QStringLiteral("error"), result.error}}}});
                m_output.line(
                    QStringLiteral("    forwarded %1: %2")
                        .arg(eventId,
                             result.error.isEmpty()
                                 ? QStringLiteral("%1 in %2 ms").arg(result.httpStatus).arg(result.durationMs)
                                 : result.error));
            });
    if (stream)
        m_live->startStream(*stream);
    if (!receive && !stream)
        followStore();
}

// Neither stream nor receiver: the rows others commit to the store, read every half second.
void Runner::followStore()
{
    const QList<StoredEvent> newest = m_events->newest(1);
    m_followedRow = newest.isEmpty() ? 0 : newest.constFirst().rowId;
    auto *timer = new QTimer(this);
    timer->setInterval(500);
    connect(timer, &QTimer::timeout, this, [this] {
        EventQuery query;
        query.minRowId = m_followedRow + 1;
        query.limit = 0;
        query.withBodies = true;
        QList<StoredEvent> events = m_events->events(query);
        std::reverse(events.begin(), events.end()); // oldest first
        for (const StoredEvent &event : std::as_const(events)) {
            m_followedRow = qMax(m_followedRow, event.rowId);
            printEvent(event.rowId, event.eventId, false, event.source, event.receivedAtMs,
                       EventStore::describe(event.body), {});
        }
    });
    timer->start();
}

void Runner::printEvent(qint64 rowId, const QString &eventId, bool duplicate, EventSource source,
                        qint64 receivedAtMs, const EventFacts &facts, const QString &peer)
{
    if (m_finished || (!m_inv.events.types.isEmpty() && !m_inv.events.types.contains(facts.eventType)))
        return;
    if (m_output.json()) {
        QJsonObject object {{QStringLiteral("received_at"), isoTime(receivedAtMs)},
                            {QStringLiteral("row_id"), rowId},
                            {QStringLiteral("event_id"), eventId},
                            {QStringLiteral("source"), EventStore::sourceKey(source)},
                            {QStringLiteral("type"), facts.eventType},
                            {QStringLiteral("duplicate"), duplicate}};
        if (!peer.isEmpty())
            object.insert(QStringLiteral("peer"), peer);
        if (!facts.forUserId.isEmpty())
            object.insert(QStringLiteral("for_user_id"), facts.forUserId);
        if (!facts.filter.isEmpty())
            object.insert(QStringLiteral("filter"), QJsonDocument::fromJson(facts.filter.toUtf8()).object());
        if (!facts.tag.isEmpty())
            object.insert(QStringLiteral("tag"), facts.tag);
        m_output.jsonLine({{QStringLiteral("event"), object}});
    } else {
        const QString who =
            facts.forUserId.isEmpty() ? facts.filter : QStringLiteral("user ") + facts.forUserId;
        QString text =
            QStringLiteral("%1  %2  %3  %4")
                .arg(isoTime(receivedAtMs), EventStore::sourceKey(source), facts.eventType, eventId);
        if (!who.isEmpty())
            text += QStringLiteral("  ") + who;
        if (!facts.tag.isEmpty())
            text += QStringLiteral("  tag ") + facts.tag;
        if (duplicate)
            text += QStringLiteral("  (duplicate)");
        m_output.line(text);
    }
    ++m_printed;
    if (m_inv.tailCount > 0 && m_printed >= m_inv.tailCount)
        stopListening();
}

void Runner::stopListening()
{
    if (!m_live || m_finished)
        return;
    if (m_stopNotifier)
        m_stopNotifier->setEnabled(false); // not deleted: it may be the one calling
    m_live->stopStream();
    m_live->stopReceiver();
    // The store's destructor (when the runner goes) waits for the appends already asked for.
    m_output.note(
        QStringLiteral("Stopped: %1 events printed, %2 deliveries refused.").arg(m_printed).arg(m_rejected));
    if (m_live->forwarding()->pending() > 0) {
        connect(m_live->forwarding(), &EventForwarding::idle, this, [this] { finish(ExitOk); });
        return;
    }
    finish(ExitOk);
}

} // namespace activity::cli
