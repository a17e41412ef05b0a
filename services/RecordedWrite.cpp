#include "RecordedWrite.h"

#include "HistoryWriter.h"

namespace activity {

namespace {

QString hostOf(const QUrl &url)
{
    return url.port() > 0 ? QStringLiteral("%1:%2").arg(url.host()).arg(url.port()) : url.host();
}

} // namespace

WriteRecorder::WriteRecorder(HistoryWriter *writer, QString source, QObject *parent)
    : QObject(parent)
    , m_writer(writer)
    , m_source(std::move(source))
{
    setWriter(writer);
}

void WriteRecorder::setWriter(HistoryWriter *writer)
{
    if (m_writer)
        disconnect(m_writer, nullptr, this, nullptr);
    m_writer = writer;
    if (m_writer)
        connect(m_writer, &HistoryWriter::errorOccurred, this, [this](const QString &message) {
            if (m_warned)
                return;
            m_warned = true;
            Q_EMIT historyProblem(message);
        });
}

void WriteRecorder::setProfile(const QString &id, const QString &name)
{
    m_profileId = id;
    m_profileName = name;
}

qint64 WriteRecorder::begin(Operation operation, const ApiClient &client, const QJsonObject &parameters,
                            const UserCredentials *user)
{
    if (!m_writer)
        return 0;
    HistoryAction action;
    action.operation = operation;
    action.source = m_source;
    action.profileId = m_profileId;
    action.profileName = m_profileName;
    action.generation = client.generation();
    action.host = hostOf(client.config().baseUrl);
    if (user) {
        action.accountUserId = user->userId;
        action.accountUsername = user->username;
    }
    action.parameters = parameters;
    return m_writer->begin(action);
}

void WriteRecorder::succeeded(qint64 ticket, const QString &summary, int httpStatus,
                              const QList<ApiError> &partialErrors)
{
    if (!m_writer)
        return;
    HistoryOutcome outcome = HistoryOutcome::partial(summary, partialErrors);
    outcome.httpStatus = httpStatus;
    m_writer->complete(ticket, outcome);
}

void WriteRecorder::failed(qint64 ticket, const ApiError &error)
{
    if (m_writer)
        m_writer->complete(ticket, HistoryOutcome::failure(error));
}

CrcDoctorOptions::Revalidate recordedRevalidation(WriteRecorder *recorder, ApiClient *client)
{
    return [recorder = QPointer<WriteRecorder>(recorder), client = QPointer<ApiClient>(client)](
               const QString &webhookId, QObject *context, std::function<void(const Result<bool> &)> done) {
        if (!recorder || !client) {
            done(ApiError::make(ApiError::Kind::Cancelled, QStringLiteral("The profile was closed."),
                                QStringLiteral("Run the doctor again.")));
            return;
        }
        recorder->run<bool>(
            *client, Operation::ValidateWebhook, {{QStringLiteral("webhook_id"), webhookId}}, nullptr,
            context,
            [client, webhookId](QObject *callContext, ApiClient::Callback<bool> callback) {
                return client->validateWebhook(webhookId, callContext, std::move(callback));
            },
            [](const bool &valid) { return valid ? QStringLiteral("valid") : QStringLiteral("not valid"); },
            std::move(done));
    };
}

} // namespace activity
