#include "HistoryCommand.h"

#include "CliArguments.h"
#include "CliFormat.h"
#include "CliOutput.h"
#include "CliRunner.h"

namespace activity::cli {

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

    format::history(output, store.databasePath(), entries);
    return ExitOk;
}

void Runner::showHistory()
{
    // Pruned first, so that what is printed is what the history keeps.
    m_history = std::make_unique<HistoryStore>(historyPath(m_env.variables));
    m_history->setRetention(historyRetention(m_env.variables));
    if (!m_history->isOpen())
        return finish(printHistory(*m_history, m_inv.history, m_output));
    connect(m_history.get(), &HistoryStore::pruned, this,
            [this] { finish(printHistory(*m_history, m_inv.history, m_output)); });
    m_history->pruneInBackground();
}

} // namespace activity::cli
