// activity-cli listen: a webhook receiver in the terminal. Each valid delivery is stored in the
// event store before it is acknowledged; one line per event, refused delivery and CRC check.
#include "CliCommands.h"
#include "CliRunner.h"
#include "EventIntake.h"
#include "WebhookReceiverThread.h"

#include <QCommandLineParser>
#include <QDateTime>
#include <QHostAddress>
#include <QJsonDocument>
#include <QSocketNotifier>

#include <csignal>
#include <fcntl.h>
#include <unistd.h>

namespace activity::cli {

namespace {

// Ctrl+C and SIGTERM reach the event loop through a pipe: a signal handler may only write().
int stopPipe[2] = {-1, -1};

extern "C" void onStopSignal(int)
{
    const char byte = 1;
    [[maybe_unused]] const ssize_t written = ::write(stopPipe[1], &byte, 1);
}

bool installStopHandlers()
{
    if (stopPipe[0] < 0 && ::pipe2(stopPipe, O_CLOEXEC | O_NONBLOCK) != 0)
        return false;
    struct sigaction action = {};
    action.sa_handler = onStopSignal;
    sigemptyset(&action.sa_mask);
    action.sa_flags = SA_RESTART;
    return ::sigaction(SIGINT, &action, nullptr) == 0 && ::sigaction(SIGTERM, &action, nullptr) == 0;
}

// "ADDR:PORT", "[IPV6]:PORT" or a port alone (127.0.0.1).
std::optional<std::pair<QHostAddress, quint16>> parseListenAddress(const QString &text)
{
    QString host = QStringLiteral("127.0.0.1");
    QString port = text;
    if (text.startsWith(QLatin1Char('['))) {
        const qsizetype close = text.indexOf(QLatin1String("]:"));
        if (close < 0)
            return std::nullopt;
        host = text.mid(1, close - 1);
        port = text.mid(close + 2);
    } else if (const qsizetype colon = text.lastIndexOf(QLatin1Char(':')); colon >= 0) {
        host = text.left(colon);
        port = text.mid(colon + 1);
    }
    bool ok = false;
    const uint number = port.toUInt(&ok);
    const QHostAddress address(host == QLatin1String("localhost") ? QStringLiteral("127.0.0.1") : host);
    if (!ok || number > 65535 || address.isNull())
        return std::nullopt;
    return std::pair {address, quint16(number)};
}

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
                               QStringLiteral("PATH"))};
}

std::optional<QString> readListenOptions(const QCommandLineParser &parser, Invocation &invocation)
{
    if (parser.isSet(QStringLiteral("listen")))
        invocation.listen = parser.value(QStringLiteral("listen"));
    if (!parseListenAddress(invocation.listen))
        return QStringLiteral(
                   "--listen takes ADDR:PORT with an IP address, e.g. 127.0.0.1:8080 or [::1]:8080, "
                   "not '%1'.")
            .arg(invocation.listen);
    if (parser.isSet(QStringLiteral("path")))
        invocation.listenPath = parser.value(QStringLiteral("path"));
    if (!invocation.listenPath.startsWith(QLatin1Char('/')))
        return QStringLiteral("--path starts with /, e.g. /webhook.");
    return std::nullopt;
}

QString listenDetails()
{
    return QStringLiteral(
        "\nThe first line says where it listens (with --json: {\"listening\":{...}}). Then one line per "
        "stored event\n(time, type, id, user or filter, tag, a duplicate mark), per refused delivery (401: "
        "missing or\nwrong x-twitter-webhooks-signature; the body is never shown or kept) and per CRC check; "
        "with\n--json one object per line: {\"event\":...}, {\"rejected\":...}, {\"crc\":...}.\n"
        "Events go to the event store the console reads (ACTIVITY_EVENTS_FILE overrides its path). A "
        "delivery\nis answered 200 only once it is on disk, 500 if it could not be stored, 503 after 9 s.\n"
        "X must reach this address: put it behind your HTTPS endpoint or a tunnel.\n"
        "Ctrl+C or SIGTERM stops (exit 0). Exit 3: cannot listen there; 4: no consumer secret.\n");
}

void Runner::listen()
{
    if (m_credentials.app.consumerSecret.isEmpty())
        return fail(ApiError::make(
            ApiError::Kind::MissingCredentials,
            QStringLiteral("'listen' needs the app's consumer secret to answer CRC checks and verify "
                           "signatures."),
            QStringLiteral("Export ACTIVITY_CONSUMER_SECRET (API secret key) or pass --profile NAME.")));
    const auto [address, port] = *parseListenAddress(m_inv.listen);

    if (!openEvents()) // the events commands' store: ACTIVITY_EVENTS_FILE or the console's
        return;
    WebhookReceiverOptions options;
    options.path = m_inv.listenPath;
    m_receiver = std::make_unique<WebhookReceiverThread>(m_credentials.app.consumerSecret, options);
    m_intake = std::make_unique<EventIntake>(m_receiver->receiver(), m_events.get());
    if (const std::optional<QString> problem = m_receiver->listen(address, port))
        return fail(ApiError::make(ApiError::Kind::Network, *problem,
                                   QStringLiteral("Pick another port with --listen ADDR:PORT.")));

    if (installStopHandlers()) {
        m_stopNotifier = std::make_unique<QSocketNotifier>(stopPipe[0], QSocketNotifier::Read);
        connect(m_stopNotifier.get(), &QSocketNotifier::activated, this, [this] {
            char drained[16];
            while (::read(stopPipe[0], drained, sizeof(drained)) > 0) { }
            stopListening();
        });
    }

    const bool json = m_output.json();
    if (json)
        m_output.jsonLine({{QStringLiteral("listening"),
                            QJsonObject {{QStringLiteral("url"), m_receiver->url()},
                                         {QStringLiteral("address"), m_receiver->address().toString()},
                                         {QStringLiteral("port"), int(m_receiver->port())},
                                         {QStringLiteral("events_file"), m_events->databasePath()}}}});
    else
        m_output.line(QStringLiteral("Listening on %1 (events stored in %2). Ctrl+C stops.")
                          .arg(m_receiver->url(), m_events->databasePath()));

    connect(m_intake.get(), &EventIntake::eventStored, this,
            [this, json](qint64 rowId, const EventAppendResult &result, const IntakeEvent &event) {
                const EventFacts &facts = event.facts;
                if (json) {
                    QJsonObject object {{QStringLiteral("received_at"), isoTime(event.receivedAtMs)},
                                        {QStringLiteral("row_id"), rowId},
                                        {QStringLiteral("event_id"), result.eventId},
                                        {QStringLiteral("type"), facts.eventType},
                                        {QStringLiteral("duplicate"), result.duplicate},
                                        {QStringLiteral("peer"), event.peer}};
                    if (!facts.forUserId.isEmpty())
                        object.insert(QStringLiteral("for_user_id"), facts.forUserId);
                    if (!facts.filter.isEmpty())
                        object.insert(QStringLiteral("filter"),
                                      QJsonDocument::fromJson(facts.filter.toUtf8()).object());
                    if (!facts.tag.isEmpty())
                        object.insert(QStringLiteral("tag"), facts.tag);
                    return m_output.jsonLine({{QStringLiteral("event"), object}});
                }
                QString who =
                    facts.forUserId.isEmpty() ? facts.filter : QStringLiteral("user ") + facts.forUserId;
                QString text = QStringLiteral("%1  %2  %3")
                                   .arg(isoTime(event.receivedAtMs), facts.eventType, result.eventId);
                if (!who.isEmpty())
                    text += QStringLiteral("  ") + who;
                if (!facts.tag.isEmpty())
                    text += QStringLiteral("  tag ") + facts.tag;
                if (result.duplicate)
                    text += QStringLiteral("  (duplicate)");
                m_output.line(text);
            });
    connect(m_intake.get(), &EventIntake::storeFailed, this,
            [this](const QString &error, const IntakeEvent &) {
                m_output.error(
                    QStringLiteral("a delivery was not stored (answered 500, X will retry): %1").arg(error));
            });
    connect(m_intake.get(), &EventIntake::deliveryRejected, this, [this, json](const RejectedDelivery &r) {
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
    connect(m_intake.get(), &EventIntake::crcAnswered, this, [this, json](const CrcCheck &check) {
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
}

void Runner::stopListening()
{
    if (!m_receiver || m_finished)
        return;
    m_receiver->close();
    m_stopNotifier->setEnabled(false); // not deleted: it is the one calling
    // The store's destructor (when the runner goes) waits for the appends already asked for.
    m_output.note(QStringLiteral("Stopped: %1 events stored (%2 duplicates), %3 deliveries refused.")
                      .arg(m_intake->storedCount())
                      .arg(m_intake->duplicateCount())
                      .arg(m_rejected));
    finish(ExitOk);
}

} // namespace activity::cli
