#pragma once

#include <QByteArray>
#include <QElapsedTimer>
#include <QHostAddress>
#include <QList>
#include <QObject>
#include <QString>

#include <vector>

namespace activity::sandbox {

struct LoadOptions
{
    QHostAddress host = QHostAddress(QHostAddress::LocalHost);
    quint16 port = 0;
    QString path = QStringLiteral("/webhook");
    QByteArray consumerSecret; // signs the bodies as X does
    int events = 1000;
    int connections = 8; // keep-alive connections, each one request at a time
    double ratePerSecond = 0; // 0: as fast as the receiver answers
    enum class Body { Xaa, Aaa } body = Body::Xaa;
    enum class Signature { Valid, Wrong, Missing } signature = Signature::Valid;
    qint64 bodyBytes = 0; // > 0: each body padded to this size (an oversize test)
    // The event ids: PREFIX followed by the event's index in 9 digits; empty: a random prefix per run.
    QString idPrefix;
};

// What one request got: the event id it carried, the HTTP status (0: no answer, the connection
// failed) and the time from the request's last byte written to the answer's end.
struct LoadSample
{
    QString eventId;
    int status = 0;
    double ackMs = -1;
};

// Posts signed event deliveries to a webhook receiver like X does, over N raw keep-alive
// connections (QNetworkAccessManager would use at most 6 per host), at a rate or as fast as it is
// answered, and records each request's status and time to acknowledgement. For tests and
// bench_receiver. Runs on the thread it lives in; a connection that fails stops (a killed receiver
// ends the run), one the receiver closes after an answer is opened again.
class LoadGenerator : public QObject
{
    Q_OBJECT
public:
    explicit LoadGenerator(LoadOptions options, QObject *parent = nullptr);
    ~LoadGenerator() override;

    void start();
    bool isFinished() const { return m_finished; }
    const LoadOptions &options() const { return m_options; }
    // One per event, in index order; status 0 until answered.
    const std::vector<LoadSample> &samples() const { return m_samples; }
    int answeredCount() const { return m_answered; }
    int countWithStatus(int status) const;
    double elapsedSeconds() const { return m_elapsedNs / 1e9; }
    // The p-th percentile (0..100) of the ack times of answers with `status`.
    double percentileMs(double p, int status = 200) const;

    static QString eventId(const QString &prefix, int index);
    static QByteArray xaaBody(const QString &eventUuid, qint64 padTo = 0);
    static QByteArray aaaBody(const QString &favoriteId, qint64 padTo = 0);

Q_SIGNALS:
    // start() has built its requests and the clock starts: the first is sent next.
    void started();
    void answered(int index, int status);
    void finished();

private:
    struct Sender;
    void sendNext(Sender *sender);
    void sendSoon(Sender *sender);
    void sendQueued();
    QByteArray request(int index) const;
    void write(Sender *sender, int index);
    void flush(Sender *sender);
    void onWritable(Sender *sender);
    void onReadable(Sender *sender);
    void readAnswers(Sender *sender);
    void onClosed(Sender *sender);
    void connectSender(Sender *sender);
    static void closeSocket(Sender *sender);
    void checkFinished();

    LoadOptions m_options;
    QByteArray m_hostHeader;
    std::vector<LoadSample> m_samples;
    std::vector<QByteArray> m_requests; // built by start(), each handed out once
    std::vector<Sender *> m_senders;
    std::vector<Sender *> m_sendSoon; // answered: their next request goes out with the others

    QElapsedTimer m_clock;
    qint64 m_elapsedNs = 0;
    int m_next = 0;
    int m_answered = 0;
    bool m_finished = false;
};

} // namespace activity::sandbox
