#pragma once

#include <QCommandLineOption>
#include <QCommandLineParser>
#include <QProcessEnvironment>
#include <QString>
#include <QStringList>
#include <QUrl>

#include <optional>

// activity-cli's part of the live events (#16): the options of `events ...` and where the CLI finds
// the event store the console uses.
namespace activity::cli {

struct EventsOptions
{
    int limit = 50; // list; export: 0 = all
    QStringList types; // --type, repeatable
    QString text; // --text
    QString output; // export --output FILE; empty: stdout
    QUrl forwardTo; // resend, tail, listen --forward-to
};

// --limit, --type, --text (events list and export).
QList<QCommandLineOption> eventsQueryOptions();
QCommandLineOption outputOption();
QCommandLineOption forwardToOption();
// Reads whichever of them the parser knows; a usage problem as a sentence.
std::optional<QString> applyEventsOptions(const QCommandLineParser &parser, EventsOptions &options);

// ACTIVITY_EVENTS_FILE when set, else the console's file (EventStore::defaultPath()).
QString eventsPath(const QProcessEnvironment &environment);

} // namespace activity::cli
