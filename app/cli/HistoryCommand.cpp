#include "HistoryCommand.h"

#include "CliArguments.h"
#include "CliOutput.h"
#include "HistoryTableModel.h"
#include "RequestLog.h"

#include <QJsonArray>

namespace activity::cli {

namespace {

QString isoTime(const QDateTime &time)
{
    return time.isValid() ? time.toUTC().toString(Qt::ISODate) : QString();
}

QString progressKey(HistoryEntry::Progress progress)
{
    switch (progress) {
    case HistoryEntry::Progress::Finished:
        return QStringLiteral("finished");
    case HistoryEntry::Progress::Running:
        return QStringLiteral("running");
    case HistoryEntry::Progress::RunningElsewhere:
        return QStringLiteral("running_elsewhere");
    case HistoryEntry::Progress::Interrupted:
        return QStringLiteral("interrupted");
    }
    return {};
}

QJsonValue textOrNull(const QString &text)
{
    return text.isEmpty() ? QJsonValue() : QJsonValue(text);
}

QString hostOf(const QUrl &url)
{
    return url.port() > 0 ? QStringLiteral("%1:%2").arg(url.host()).arg(url.port()) : url.host();
}

} // namespace

QList<QCommandLineOption> historyCommandOptions()
{
    return {
        QCommandLineOption(QStringLiteral("limit"),
                           QStringLiteral("Show the N newest entries (default 50; 0 shows all)."),
                           QStringLiteral("N")),
        QCommandLineOption(QStringLiteral("state"),
                           QStringLiteral("Only entries in this state: pending, succeeded or failed."),
                           QStringLiteral("STATE")),
    };
}

std::optional<QString> applyHistoryOptions(const QCommandLineParser &parser, HistoryOptions &options)
{
    if (parser.isSet(QStringLiteral("limit"))) {
        bool ok = false;
        const int limit = parser.value(QStringLiteral("limit")).toInt(&ok);
        if (!ok || limit < 0)
            return QStringLiteral("--limit takes a number of entries (0 for all).");
        options.limit = limit;
    }
    if (parser.isSet(QStringLiteral("state"))) {
        const QString value = parser.value(QStringLiteral("state")).toLower();
        options.state = HistoryStore::stateFromKey(value);
        if (!options.state)
            return QStringLiteral("--state takes pending, succeeded or failed, not '%1'.").arg(value);
    }
    return std::nullopt;
}

QString historyPath(const QProcessEnvironment &environment)
{
    const QString path = environment.value(QStringLiteral("ACTIVITY_HISTORY_FILE"));
    return path.isEmpty() ? HistoryStore::defaultPath() : path;
}

HistoryRetention historyRetention(const QProcessEnvironment &environment)
{
    HistoryRetention retention;
    bool ok = false;
    const int days = environment.value(QStringLiteral("ACTIVITY_HISTORY_MAX_AGE_DAYS")).toInt(&ok);
    if (ok && days >= 0)
        retention.maxAgeDays = days;
    const int entries = environment.value(QStringLiteral("ACTIVITY_HISTORY_MAX_ENTRIES")).toInt(&ok);
    if (ok && entries >= 0)
        retention.maxEntries = entries;
    return retention;
}

QJsonObject historyEntryObject(const HistoryEntry &e)
{
    QJsonObject object {
        {QStringLiteral("id"), e.id},
        {QStringLiteral("started_at"), isoTime(e.startedAt)},
        {QStringLiteral("finished_at"), textOrNull(isoTime(e.finishedAt))},
        {QStringLiteral("source"), e.action.source},
        {QStringLiteral("run_id"), e.runId},
        {QStringLiteral("profile_id"), textOrNull(e.action.profileId)},
        {QStringLiteral("profile_name"), textOrNull(e.action.profileName)},
        {QStringLiteral("api"), endpoints::generationName(e.action.generation)},
        {QStringLiteral("host"), e.action.host},
        {QStringLiteral("operation"), e.operationKey},
        {QStringLiteral("parameters"), e.action.parameters},
        {QStringLiteral("state"), HistoryStore::stateKey(e.state)},
        {QStringLiteral("progress"), progressKey(e.progress)},
        {QStringLiteral("http_status"), e.httpStatus > 0 ? QJsonValue(e.httpStatus) : QJsonValue()},
        {QStringLiteral("summary"), textOrNull(e.summary)},
        {QStringLiteral("duration_ms"), e.durationMs >= 0 ? QJsonValue(e.durationMs) : QJsonValue()},
    };
    if (!e.action.accountUserId.isEmpty() || !e.action.accountUsername.isEmpty())
        object.insert(QStringLiteral("account"),
                      QJsonObject {{QStringLiteral("user_id"), textOrNull(e.action.accountUserId)},
                                   {QStringLiteral("username"), textOrNull(e.action.accountUsername)}});
    if (e.state == HistoryState::Failed)
        object.insert(QStringLiteral("error"),
                      QJsonObject {{QStringLiteral("kind"), e.errorKind},
                                   {QStringLiteral("cause"), e.errorCause},
                                   {QStringLiteral("remedy"), e.errorRemedy}});
    else if (!e.errorCause.isEmpty()) // a partial success: what X reported next to the answer
        object.insert(QStringLiteral("problems"),
                      QJsonObject {{QStringLiteral("kind"), e.errorKind},
                                   {QStringLiteral("cause"), e.errorCause},
                                   {QStringLiteral("remedy"), e.errorRemedy}});
    if (e.progress == HistoryEntry::Progress::Interrupted)
        object.insert(QStringLiteral("note"), HistoryTableModel::interruptedExplanation());
    return object;
}

int printHistory(HistoryStore &store, const HistoryOptions &options, Output &output)
{
    if (!store.isOpen()) {
        output.error(store.lastError());
        return ExitApiRefused;
    }
    HistoryQuery query;
    query.limit = options.limit;
    query.state = options.state;
    const QList<HistoryEntry> entries = store.entries(query);
    if (!store.lastError().isEmpty()) {
        output.error(store.lastError());
        return ExitApiRefused;
    }

    if (output.json()) {
        QJsonArray list;
        for (const HistoryEntry &e : entries)
            list.append(historyEntryObject(e));
        output.document(
            {{QStringLiteral("database"), store.databasePath()}, {QStringLiteral("entries"), list}});
        return ExitOk;
    }
    if (entries.isEmpty()) {
        output.line(QStringLiteral("No recorded actions in %1.").arg(store.databasePath()));
        return ExitOk;
    }
    QList<QStringList> rows;
    int interrupted = 0;
    for (const HistoryEntry &e : entries) {
        if (e.progress == HistoryEntry::Progress::Interrupted)
            ++interrupted;
        const QString account = e.action.accountUsername.isEmpty()
            ? e.action.accountUserId
            : QLatin1Char('@') + e.action.accountUsername;
        const QString profile = e.action.profileName.isEmpty() ? e.action.host : e.action.profileName;
        rows.append({QString::number(e.id), e.startedAt.toString(QStringLiteral("yyyy-MM-dd HH:mm:ss")),
                     e.operationKey, HistoryTableModel::targetText(e), account, profile,
                     HistoryTableModel::stateText(e), HistoryTableModel::resultText(e)});
    }
    output.table({QStringLiteral("ID"), QStringLiteral("TIME (UTC)"), QStringLiteral("ACTION"),
                  QStringLiteral("TARGET"), QStringLiteral("ACCOUNT"), QStringLiteral("PROFILE"),
                  QStringLiteral("STATE"), QStringLiteral("RESULT")},
                 rows);
    if (interrupted > 0)
        output.line(QStringLiteral("\n%1 interrupted: %2")
                        .arg(interrupted)
                        .arg(HistoryTableModel::interruptedExplanation()));
    return ExitOk;
}

HistoryRecorder::HistoryRecorder(std::unique_ptr<HistoryStore> store, Output *output)
    : m_store(std::move(store))
    , m_output(output)
{
}

HistoryRecorder::~HistoryRecorder() = default;

void HistoryRecorder::setProfile(const QString &id, const QString &name)
{
    m_profileId = id;
    m_profileName = name;
}

void HistoryRecorder::warnOnce()
{
    if (m_warned || !m_output || !m_store || m_store->lastError().isEmpty())
        return;
    m_warned = true;
    m_output->error(QStringLiteral("warning: %1").arg(m_store->lastError()));
}

qint64 HistoryRecorder::begin(Operation operation, const ApiClient &client, const QJsonObject &parameters,
                              const UserCredentials *user)
{
    if (!m_store)
        return 0;
    m_operation = operation;
    HistoryAction action;
    action.operation = operation;
    action.source = QStringLiteral("cli");
    action.profileId = m_profileId;
    action.profileName = m_profileName;
    action.generation = client.generation();
    action.host = hostOf(client.config().baseUrl);
    if (user) {
        action.accountUserId = user->userId;
        action.accountUsername = user->username;
    }
    action.parameters = parameters;
    const qint64 id = m_store->begin(action);
    if (id <= 0)
        warnOnce();
    return id;
}

void HistoryRecorder::succeeded(qint64 id, const QString &summary, const ApiClient &client,
                                const QList<ApiError> &partialErrors)
{
    if (!m_store || id <= 0)
        return;
    // The CLI sends one write per run: the newest finished log entry of this operation is its call.
    int status = 0;
    const Endpoint *endpoint = client.endpoint(m_operation);
    const QList<RequestLogEntry> &log = client.requestLog()->entries();
    for (auto it = log.crbegin(); it != log.crend(); ++it) {
        if (endpoint && it->operation == endpoint->name && it->finished()) {
            status = it->httpStatus;
            break;
        }
    }
    HistoryOutcome outcome = HistoryOutcome::partial(summary, partialErrors);
    outcome.httpStatus = status;
    if (!m_store->complete(id, outcome))
        warnOnce();
}

void HistoryRecorder::failed(qint64 id, const ApiError &error)
{
    if (!m_store || id <= 0)
        return;
    if (!m_store->complete(id, HistoryOutcome::failure(error)))
        warnOnce();
}

} // namespace activity::cli
