#pragma once

#include "ApiClient.h"
#include "CrcDoctor.h"
#include "HistoryStore.h"
#include "HistoryWriter.h"
#include "Result.h"

#include <QJsonObject>
#include <QObject>
#include <QPointer>

#include <functional>

namespace activity {

// Every write action (register, validate, delete, subscribe, unsubscribe, replay) the way the
// console and activity-cli both run it: its history entry begins before the call is sent, the call
// runs through ApiClient, and the entry is completed with the outcome and HTTP status the call
// itself reports (partly, when X sent errors next to a success). Without a history writer the
// action simply runs. A history that cannot be written never stops the action: historyProblem()
// says why, once per recorder.
class WriteRecorder : public QObject
{
    Q_OBJECT
public:
    // `source`: "console" or "cli", as the history shows it. `writer` may be null.
    WriteRecorder(HistoryWriter *writer, QString source, QObject *parent = nullptr);

    // The profile the actions run with (empty for environment credentials).
    void setProfile(const QString &id, const QString &name);
    HistoryWriter *writer() const { return m_writer; }
    // The history can come later than the recorder (the console opens it after its first paint).
    void setWriter(HistoryWriter *writer);

    // `send(context, callback)` makes the ApiClient call; `summarize` turns its value into the
    // history's summary ("job 123"); `done` gets the call's result, after the entry is completed.
    template<typename T>
    void run(ApiClient &client, Operation operation, const QJsonObject &parameters,
             const UserCredentials *user, QObject *context,
             std::function<ApiCall *(QObject *, ApiClient::Callback<T>)> send,
             std::function<QString(const T &)> summarize, ApiClient::Callback<T> done)
    {
        const qint64 ticket = begin(operation, client, parameters, user);
        QPointer<WriteRecorder> self(this);
        send(context,
             [self, ticket, summarize = std::move(summarize),
              done = std::move(done)](const Result<T> &result) {
                 if (self) {
                     if (result)
                         self->succeeded(ticket, summarize ? summarize(result.value()) : QString(),
                                         result.httpStatus(), result.partialErrors());
                     else
                         self->failed(ticket, result.error());
                 }
                 if (done)
                     done(result);
             });
    }

Q_SIGNALS:
    // The first time the history could not be written in this recorder's life.
    void historyProblem(const QString &message);

private:
    qint64 begin(Operation operation, const ApiClient &client, const QJsonObject &parameters,
                 const UserCredentials *user);
    void succeeded(qint64 ticket, const QString &summary, int httpStatus,
                   const QList<ApiError> &partialErrors);
    void failed(qint64 ticket, const ApiError &error);

    QPointer<HistoryWriter> m_writer;
    QString m_source;
    QString m_profileId;
    QString m_profileName;
    bool m_warned = false;
};

// The CRC doctor's re-validation (X's PUT) sent through `recorder`, so it is in the history like any
// other write; both pointers must outlive the doctor's run (guarded: a gone one fails the step).
CrcDoctorOptions::Revalidate recordedRevalidation(WriteRecorder *recorder, ApiClient *client);

} // namespace activity
