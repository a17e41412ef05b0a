#pragma once

#include "ApiError.h"

#include <QDateTime>
#include <QDialog>
#include <QList>
#include <QPointer>
#include <QStringList>

#include <functional>
#include <optional>

class QLabel;
class QListWidget;
class QProgressBar;
class QPushButton;
class QTimer;

namespace activity {

// Unsubscribes a list of users one call at a time, paced by the rate-limit state the server
// reports: when the window's remaining count reaches 0 (or a call comes back rate limited) it
// waits until the reset with a visible countdown instead of hammering. Cancellable; ends with a
// summary of what succeeded and what failed, with reasons.
//
// The dialog knows nothing about the client: `Step` runs one unsubscribe and reports its outcome.
class BulkUnsubscribeDialog : public QDialog
{
    Q_OBJECT
public:
    struct Target
    {
        QString userId;
        QString label; // "@alice (Alice Example)" or the id
    };
    struct Outcome
    {
        std::optional<ApiError> error;
        int rateLimitRemaining = -1; // -1: the server did not say
        QDateTime rateLimitReset; // UTC
    };
    using Step = std::function<void(const QString &userId, std::function<void(const Outcome &)> done)>;
    using Clock = std::function<QDateTime()>;
    struct Failure
    {
        Target target;
        ApiError error;
    };

    BulkUnsubscribeDialog(QList<Target> targets, Step step, Clock clock = {}, QWidget *parent = nullptr);

    void start();
    void cancel();

    bool isRunning() const { return m_running; }
    bool isWaitingForRateLimit() const;
    QStringList succeeded() const { return m_succeeded; }
    const QList<Failure> &failures() const { return m_failures; }
    QString summaryText() const;

Q_SIGNALS:
    void userUnsubscribed(const QString &userId);
    void finishedAll(const QStringList &succeeded, int failed, bool cancelled);

protected:
    void reject() override;

private:
    QDateTime now() const;
    void next();
    void onOutcome(const Outcome &outcome);
    void waitUntil(const QDateTime &resetUtc);
    void tick();
    void finish();

    QList<Target> m_targets;
    Step m_step;
    Clock m_clock;
    int m_index = 0;
    int m_retries = 0;
    bool m_running = false;
    bool m_cancelled = false;
    bool m_callInFlight = false;
    QDateTime m_waitUntil;
    QStringList m_succeeded;
    QList<Failure> m_failures;

    QLabel *m_status = nullptr;
    QLabel *m_countdown = nullptr;
    QProgressBar *m_progress = nullptr;
    QListWidget *m_failureList = nullptr;
    QLabel *m_summary = nullptr;
    QPushButton *m_cancel = nullptr;
    QPushButton *m_close = nullptr;
    QTimer *m_timer = nullptr;
};

} // namespace activity
