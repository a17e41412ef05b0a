#pragma once

// Shared by the X Activity stream client tests: a Recorder that collects what a client reports, on
// the test's thread (queued when the client runs on another one).

#include "ActivityStreamClient.h"

#include <QList>
#include <QObject>
#include <QStringList>
#include <QThread>
#include <QUrl>

#include <algorithm>

namespace streamtest {

using activity::ActivityStreamClient;
using activity::StreamCounters;
using activity::StreamEvent;
using activity::StreamReconnect;
using State = activity::ActivityStreamClient::State;

// What a client reported, collected on the test's thread (queued when the client runs elsewhere).
class Recorder : public QObject
{
public:
    QList<StreamEvent> events;
    int batches = 0;
    QList<QThread *> batchThreads;
    QList<std::pair<State, QString>> states;
    QList<StreamReconnect> reconnects;
    QList<QUrl> requests;
    QStringList serverErrors;
    QStringList malformed;
    QStringList missing;
    StreamCounters counters;

    void watch(ActivityStreamClient *client)
    {
        connect(client, &ActivityStreamClient::eventsReceived, this, [this](const QList<StreamEvent> &batch) {
            events += batch;
            ++batches;
            batchThreads.append(QThread::currentThread());
        });
        connect(client, &ActivityStreamClient::stateChanged, this,
                [this](State state, const QString &message) {
                    states.append({state, message});
                });
        connect(client, &ActivityStreamClient::reconnectScheduled, this,
                [this](const StreamReconnect &reconnect) { reconnects.append(reconnect); });
        connect(client, &ActivityStreamClient::requestStarted, this,
                [this](const QUrl &url) { requests.append(url); });
        connect(client, &ActivityStreamClient::serverError, this,
                [this](const QString &problem) { serverErrors.append(problem); });
        connect(client, &ActivityStreamClient::malformedLine, this,
                [this](const QString &why, const QByteArray &) { malformed.append(why); });
        connect(client, &ActivityStreamClient::eventsMayBeMissing, this,
                [this](const QDateTime &, const QDateTime &, const QString &message) {
                    missing.append(message);
                });
        connect(client, &ActivityStreamClient::countersChanged, this,
                [this](const StreamCounters &latest) { counters = latest; });
    }

    State state() const { return states.isEmpty() ? State::Idle : states.last().first; }
    QString message() const { return states.isEmpty() ? QString() : states.last().second; }
    int connections() const
    {
        return int(std::count_if(states.cbegin(), states.cend(),
                                 [](const auto &s) { return s.first == State::Connected; }));
    }
    QStringList uuids() const
    {
        QStringList out;
        for (const StreamEvent &event : events)
            out.append(event.eventUuid);
        return out;
    }
};

} // namespace streamtest
