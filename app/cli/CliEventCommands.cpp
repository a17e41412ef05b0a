// activity-cli events list|show|export|resend|trigger: the live events kept in the event store
// (#16), which the console's Events pane shows too.
#include "CliRunner.h"
#include "EventExport.h"
#include "EventForwarding.h"
#include "EventStore.h"
#include "EventsCommand.h"
#include "SandboxTrigger.h"

#include <QDateTime>
#include <QJsonArray>
#include <QSaveFile>

namespace activity::cli {

QList<QCommandLineOption> eventsQueryOptions()
{
    return {QCommandLineOption(QStringLiteral("limit"),
                               QStringLiteral("At most N events, newest first (list: 50; export: all)."),
                               QStringLiteral("N")),
            QCommandLineOption(QStringLiteral("type"),
                               QStringLiteral("Only events of this type (repeat for several)."),
                               QStringLiteral("TYPE")),
            QCommandLineOption(QStringLiteral("text"),
                               QStringLiteral("Only events whose body, type or tag contains TEXT."),
                               QStringLiteral("TEXT"))};
}

QCommandLineOption outputOption()
{
    return QCommandLineOption(
        QStringLiteral("output"),
        QStringLiteral("Write to FILE instead of stdout (replaced at once when complete)."),
        QStringLiteral("FILE"));
}

QCommandLineOption forwardToOption()
{
    return QCommandLineOption(
        QStringLiteral("forward-to"),
        QStringLiteral("Re-post events, re-signed with the app's consumer secret, to URL "
                       "(a program under development, e.g. http://127.0.0.1:3000/webhooks)."),
        QStringLiteral("URL"));
}

std::optional<QString> applyEventsOptions(const QCommandLineParser &parser, EventsOptions &options)
{
    const QStringList known = parser.optionNames();
    if (known.contains(QStringLiteral("limit")) && parser.isSet(QStringLiteral("limit"))) {
        bool ok = false;
        options.limit = parser.value(QStringLiteral("limit")).toInt(&ok);
        if (!ok || options.limit < 0)
            return QStringLiteral("--limit takes a number of events (0 or more), not '%1'.")
                .arg(parser.value(QStringLiteral("limit")));
    } else if (known.contains(QStringLiteral("output"))) {
        options.limit = 0; // export: everything unless told
    }
    if (known.contains(QStringLiteral("type")))
        options.types = parser.values(QStringLiteral("type"));
    if (known.contains(QStringLiteral("text")))
        options.text = parser.value(QStringLiteral("text"));
    if (known.contains(QStringLiteral("output")))
        options.output = parser.value(QStringLiteral("output"));
    if (known.contains(QStringLiteral("forward-to")) && parser.isSet(QStringLiteral("forward-to"))) {
        options.forwardTo = QUrl::fromUserInput(parser.value(QStringLiteral("forward-to")));
        if (const QString problem = EventForwarder::checkTarget(options.forwardTo); !problem.isEmpty())
            return problem;
    }
    return std::nullopt;
}

QString eventsPath(const QProcessEnvironment &environment)
{
    return environmentPath(environment, QStringLiteral("ACTIVITY_EVENTS_FILE"), EventStore::defaultPath());
}

namespace {

QString timeText(qint64 ms)
{
    return QDateTime::fromMSecsSinceEpoch(ms).toString(QStringLiteral("yyyy-MM-dd HH:mm:ss"));
}

EventQuery queryOf(const EventsOptions &options)
{
    EventQuery query;
    query.limit = options.limit;
    query.types = options.types;
    query.text = options.text;
    return query;
}

} // namespace

bool Runner::openEvents()
{
    const QString durabilityKey = m_env.variables.value(QStringLiteral("ACTIVITY_EVENTS_DURABILITY"));
    const std::optional<EventDurability> durability = durabilityKey.isEmpty()
        ? EventDurability::ProgramCrash
        : EventStore::durabilityFromKey(durabilityKey);
    if (!durability) {
        fail(ApiError::make(
            ApiError::Kind::Validation,
            QStringLiteral("ACTIVITY_EVENTS_DURABILITY is '%1'.").arg(durabilityKey),
            QStringLiteral(
                "Set it to program-crash (the default: an acknowledged event survives the program "
                "being killed) or power-loss (an fsync per commit: it survives a power cut too).")));
        return false;
    }
    m_events = std::make_unique<EventStore>(eventsPath(m_env.variables), *durability);
    if (m_events->isOpen())
        return true;
    fail(ApiError::make(ApiError::Kind::Validation,
                        QStringLiteral("The event store %1 cannot be opened: %2")
                            .arg(m_events->databasePath(), m_events->lastError()),
                        QStringLiteral("Check the file's permissions, or set ACTIVITY_EVENTS_FILE.")));
    return false;
}

void Runner::listEvents()
{
    if (!openEvents())
        return;
    EventQuery query = queryOf(m_inv.events);
    query.withBodies = false;
    const QList<StoredEvent> events = m_events->events(query);
    if (m_output.json()) {
        QJsonArray list;
        for (const StoredEvent &event : events)
            list.append(eventexport::toJson(event, false));
        m_output.document(
            {{QStringLiteral("database"), m_events->databasePath()}, {QStringLiteral("events"), list}});
        return finish(ExitOk);
    }
    if (events.isEmpty()) {
        m_output.line(QStringLiteral("No events in %1.").arg(m_events->databasePath()));
        return finish(ExitOk);
    }
    QList<QStringList> rows;
    for (const StoredEvent &event : events) {
        rows.append({QString::number(event.rowId), timeText(event.receivedAtMs),
                     EventStore::sourceKey(event.source), event.eventType, event.forUserId, event.tag,
                     EventStore::verdictKey(event.signature),
                     event.duplicates ? QStringLiteral("+%1").arg(event.duplicates) : QString(),
                     eventexport::forwardSummary(event)});
    }
    m_output.table({QStringLiteral("ROW"), QStringLiteral("RECEIVED"), QStringLiteral("SOURCE"),
                    QStringLiteral("TYPE"), QStringLiteral("USER"), QStringLiteral("TAG"),
                    QStringLiteral("SIGNATURE"), QStringLiteral("DUPLICATES"), QStringLiteral("FORWARD")},
                   rows);
    finish(ExitOk);
}

std::optional<StoredEvent> Runner::findEvent(const QString &idOrRow)
{
    bool isRow = false;
    const qint64 row = idOrRow.toLongLong(&isRow);
    // An event id wins: X Activity ids are numbers too (event_uuid), and rows are printed as such.
    if (std::optional<StoredEvent> byId = m_events->eventById(idOrRow))
        return byId;
    if (isRow)
        return m_events->event(row);
    return std::nullopt;
}

void Runner::showEvent()
{
    if (!openEvents())
        return;
    const QString wanted = m_inv.arguments.value(0);
    const std::optional<StoredEvent> event = findEvent(wanted);
    if (!event)
        return fail(
            ApiError::make(ApiError::Kind::NotFound,
                           QStringLiteral("No event '%1' in %2.").arg(wanted, m_events->databasePath()),
                           QStringLiteral("Give a row number or event id from activity-cli events list.")));
    if (m_output.json()) {
        m_output.document(eventexport::toJson(*event));
        return finish(ExitOk);
    }
    m_output.line(QStringLiteral("Event %1 (row %2)").arg(event->eventId).arg(event->rowId));
    m_output.line(QStringLiteral("Received:  %1 from the %2")
                      .arg(timeText(event->receivedAtMs), EventStore::sourceKey(event->source)));
    m_output.line(QStringLiteral("Type:      %1").arg(event->eventType));
    if (!event->forUserId.isEmpty())
        m_output.line(QStringLiteral("User:      %1").arg(event->forUserId));
    if (!event->filter.isEmpty())
        m_output.line(QStringLiteral("Filter:    %1").arg(event->filter));
    if (!event->tag.isEmpty())
        m_output.line(QStringLiteral("Tag:       %1").arg(event->tag));
    m_output.line(QStringLiteral("Signature: %1").arg(EventStore::verdictKey(event->signature)));
    if (event->duplicates)
        m_output.line(QStringLiteral("Duplicates: %1 more deliveries").arg(event->duplicates));
    if (event->forward)
        m_output.line(QStringLiteral("Forward:   %1").arg(eventexport::forwardSummary(*event)));
    m_output.line(QStringLiteral("Headers:"));
    for (auto it = event->headers.constBegin(); it != event->headers.constEnd(); ++it)
        m_output.line(QStringLiteral("  %1: %2").arg(it.key(), it.value().toString()));
    m_output.line(QStringLiteral("Body:"));
    m_output.line(eventexport::prettyBody(event->body));
    finish(ExitOk);
}

void Runner::exportEvents()
{
    if (!openEvents())
        return;
    QList<StoredEvent> events = m_events->events(queryOf(m_inv.events));
    std::reverse(events.begin(), events.end()); // oldest first, as they came
    QByteArray lines;
    for (const StoredEvent &event : std::as_const(events))
        lines += eventexport::jsonLine(event);
    if (m_inv.events.output.isEmpty()) {
        // The lines as they are (Output would re-encode them): stdout, or a test's buffer.
        if (!m_env.out || m_env.out->write(lines) != lines.size())
            return finish(ExitApiRefused);
        return finish(ExitOk);
    }
    QSaveFile file(m_inv.events.output);
    if (!file.open(QIODevice::WriteOnly) || file.write(lines) != lines.size() || !file.commit())
        return fail(
            ApiError::make(ApiError::Kind::Validation,
                           QStringLiteral("Cannot write %1: %2").arg(m_inv.events.output, file.errorString()),
                           QStringLiteral("Choose a folder you can write to.")));
    m_output.note(QStringLiteral("%1 events written to %2.").arg(events.size()).arg(m_inv.events.output));
    finish(ExitOk);
}

void Runner::resendEvents()
{
    if (!m_inv.events.forwardTo.isValid())
        return fail(ApiError::make(
            ApiError::Kind::Validation, QStringLiteral("Where to? --forward-to URL is missing."),
            QStringLiteral("Add --forward-to http://127.0.0.1:PORT/PATH (your program).")));
    if (m_credentials.app.consumerSecret.isEmpty())
        return fail(
            ApiError::make(ApiError::Kind::MissingCredentials,
                           QStringLiteral("Resending signs each event with the app's consumer secret, "
                                          "which is not set."),
                           QStringLiteral("Use --profile NAME, or set ACTIVITY_CONSUMER_SECRET.")));
    if (!openEvents())
        return;
    QList<qint64> rows;
    for (const QString &wanted : std::as_const(m_inv.arguments)) {
        const std::optional<StoredEvent> event = findEvent(wanted);
        if (!event)
            return fail(ApiError::make(
                ApiError::Kind::NotFound,
                QStringLiteral("No event '%1' in %2.").arg(wanted, m_events->databasePath()),
                QStringLiteral("Nothing was sent. Check the ids with activity-cli events list.")));
        rows.append(event->rowId);
    }
    auto *forwarding = new EventForwarding(m_events.get(), m_env.network, this);
    forwarding->setTarget(m_inv.events.forwardTo);
    forwarding->setConsumerSecret(m_credentials.app.consumerSecret);
    auto failures = std::make_shared<int>(0);
    connect(forwarding, &EventForwarding::forwarded, this,
            [this, failures](qint64 row, const QString &eventId, const ForwardResult &result) {
                if (!result.delivered())
                    ++*failures;
                const QString outcome = result.error.isEmpty()
                    ? QStringLiteral("%1 in %2 ms").arg(result.httpStatus).arg(result.durationMs)
                    : result.error;
                if (m_output.json())
                    m_output.document({{QStringLiteral("row"), row},
                                       {QStringLiteral("event_id"), eventId},
                                       {QStringLiteral("status"), result.httpStatus},
                                       {QStringLiteral("duration_ms"), result.durationMs},
                                       {QStringLiteral("error"), result.error}});
                else
                    m_output.line(QStringLiteral("%1  %2").arg(eventId, outcome));
            });
    connect(forwarding, &EventForwarding::idle, this, [this, forwarding, failures] {
        forwarding->deleteLater();
        // The outcomes are written by the store's writer: closing the store waits for them.
        m_events.reset();
        finish(*failures ? ExitApiRefused : ExitOk);
    });
    forwarding->resend(rows);
}

void Runner::triggerEvent()
{
    const QString type = m_inv.arguments.value(0);
    QString base = m_inv.baseUrl;
    if (base.isEmpty())
        base = m_env.variables.value(QStringLiteral("ACTIVITY_BASE_URL"));
    if (base.isEmpty())
        base = m_env.variables.value(QStringLiteral("ACTIVITY_SANDBOX_URL"));
    auto *trigger =
        new SandboxTrigger(m_env.network, QUrl(base),
                           m_env.variables.value(QStringLiteral("ACTIVITY_SANDBOX_TOKEN")).toUtf8(), this);
    const auto send = [this, trigger, type](const QString &userId) {
        const TriggerRequest request {type, userId, m_inv.activity.keyword, m_inv.activity.direction};
        trigger->trigger(request, [this, trigger, type](const Result<int> &made) {
            trigger->deleteLater();
            if (!made)
                return fail(made.error());
            if (m_output.json())
                m_output.document(
                    {{QStringLiteral("event_type"), type}, {QStringLiteral("emitted"), made.value()}});
            else if (made.value() == 0)
                m_output.line(
                    QStringLiteral("The sandbox made no %1 event: no subscription matches it.").arg(type));
            else
                m_output.line(QStringLiteral("The sandbox made %1 %2 event(s).").arg(made.value()).arg(type));
            finish(made.value() == 0 ? ExitApiRefused : ExitOk);
        });
    };
    const QString hint = m_inv.user.trimmed();
    if (hint.isEmpty() || !hint.startsWith(QLatin1Char('@')))
        return send(hint);
    // An @name: the sandbox's own users, looked up as X would.
    if (!prepareClient({Operation::UsersByUsername}))
        return;
    const QString name = hint.mid(1);
    m_client->lookupUsersByName({name}, this, [this, name, send](const Result<QList<UserInfo>> &found) {
        if (!found)
            return fail(found.error());
        if (found.value().isEmpty())
            return fail(ApiError::make(ApiError::Kind::NotFound,
                                       QStringLiteral("No user called @%1.").arg(name),
                                       QStringLiteral("Check the spelling, or pass the numeric user id.")));
        send(found.value().constFirst().id);
    });
}

} // namespace activity::cli
