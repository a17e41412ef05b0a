#include "BulkUnsubscribeDialog.h"

#include <QDialogButtonBox>
#include <QLabel>
#include <QListWidget>
#include <QProgressBar>
#include <QPushButton>
#include <QTextDocument>
#include <QTimer>
#include <QVBoxLayout>

namespace activity {

namespace {
// How often one user is retried after a rate-limited answer before it counts as failed.
constexpr int maxRateLimitRetries = 3;
} // namespace

BulkUnsubscribeDialog::BulkUnsubscribeDialog(QList<Target> targets, Step step, Clock clock, QWidget *parent)
    : QDialog(parent)
    , m_targets(std::move(targets))
    , m_step(std::move(step))
    , m_clock(std::move(clock))
{
    setObjectName(QStringLiteral("bulkUnsubscribeDialog"));
    setWindowTitle(tr("Unsubscribing users"));

    // The labels and the failures' tooltips quote X's errors: text, never markup.
    m_status = new QLabel(this);
    m_status->setObjectName(QStringLiteral("bulkStatus"));
    m_status->setTextFormat(Qt::PlainText);
    m_status->setWordWrap(true);
    m_progress = new QProgressBar(this);
    m_progress->setObjectName(QStringLiteral("bulkProgress"));
    m_progress->setAccessibleName(tr("Unsubscribe progress"));
    m_progress->setRange(0, int(m_targets.size()));
    m_progress->setValue(0);
    m_progress->setFormat(tr("%v of %m"));
    m_countdown = new QLabel(this);
    m_countdown->setObjectName(QStringLiteral("bulkCountdown"));
    m_countdown->setTextFormat(Qt::PlainText);
    m_countdown->setAccessibleName(tr("Rate limit wait"));
    m_countdown->setWordWrap(true);
    m_countdown->hide();
    m_summary = new QLabel(this);
    m_summary->setObjectName(QStringLiteral("bulkSummary"));
    m_summary->setTextFormat(Qt::PlainText);
    m_summary->setWordWrap(true);
    m_summary->hide();
    m_failureList = new QListWidget(this);
    m_failureList->setObjectName(QStringLiteral("bulkFailures"));
    m_failureList->setAccessibleName(tr("Failed unsubscribes"));
    m_failureList->hide();

    auto *buttons = new QDialogButtonBox(this);
    m_cancel = buttons->addButton(QDialogButtonBox::Cancel);
    m_cancel->setObjectName(QStringLiteral("bulkCancel"));
    m_close = buttons->addButton(QDialogButtonBox::Close);
    m_close->setObjectName(QStringLiteral("bulkClose"));
    m_close->setEnabled(false);
    connect(m_cancel, &QPushButton::clicked, this, &BulkUnsubscribeDialog::cancel);
    connect(m_close, &QPushButton::clicked, this, &QDialog::accept);

    auto *layout = new QVBoxLayout(this);
    layout->addWidget(m_status);
    layout->addWidget(m_progress);
    layout->addWidget(m_countdown);
    layout->addWidget(m_summary);
    layout->addWidget(m_failureList, 1);
    layout->addWidget(buttons);
    resize(480, 240);

    m_timer = new QTimer(this);
    m_timer->setInterval(std::chrono::milliseconds(250));
    connect(m_timer, &QTimer::timeout, this, &BulkUnsubscribeDialog::tick);
}

QDateTime BulkUnsubscribeDialog::now() const
{
    return m_clock ? m_clock() : QDateTime::currentDateTimeUtc();
}

bool BulkUnsubscribeDialog::isWaitingForRateLimit() const
{
    return m_waitUntil.isValid();
}

void BulkUnsubscribeDialog::start()
{
    if (m_running)
        return;
    m_running = true;
    next();
}

void BulkUnsubscribeDialog::cancel()
{
    if (!m_running)
        return;
    m_cancelled = true;
    m_cancel->setEnabled(false);
    m_status->setText(tr("Cancelling after the current call…"));
    if (!m_callInFlight)
        finish();
}

void BulkUnsubscribeDialog::reject()
{
    // Escape or the window's close button: stop the run, but keep the summary on screen.
    if (m_running) {
        cancel();
        return;
    }
    QDialog::reject();
}

void BulkUnsubscribeDialog::next()
{
    if (m_cancelled || m_index >= m_targets.size()) {
        finish();
        return;
    }
    const Target &target = m_targets.at(m_index);
    m_status->setText(
        tr("Unsubscribing %1 (%2 of %3)…").arg(target.label).arg(m_index + 1).arg(m_targets.size()));
    m_callInFlight = true;
    QPointer<BulkUnsubscribeDialog> self(this);
    m_step(target.userId, [self](const Outcome &outcome) {
        if (self)
            self->onOutcome(outcome);
    });
}

void BulkUnsubscribeDialog::onOutcome(const Outcome &outcome)
{
    m_callInFlight = false;
    const Target target = m_targets.at(m_index);
    if (outcome.error && outcome.error->kind == ApiError::Kind::RateLimited &&
        m_retries < maxRateLimitRetries && !m_cancelled) {
        // Not this user's fault: wait for the window to reset and try the same user again.
        ++m_retries;
        QDateTime reset = outcome.error->retryAt.isValid() ? outcome.error->retryAt : outcome.rateLimitReset;
        if (!reset.isValid())
            reset = now().addSecs(60);
        waitUntil(reset);
        return;
    }
    m_retries = 0;
    if (outcome.error) {
        m_failures.append({target, *outcome.error});
        auto *item =
            new QListWidgetItem(tr("%1: %2").arg(target.label, outcome.error->text()), m_failureList);
        item->setToolTip(Qt::convertFromPlainText(outcome.error->text())); // shown as written
    } else {
        m_succeeded.append(target.userId);
        Q_EMIT userUnsubscribed(target.userId);
    }
    ++m_index;
    m_progress->setValue(m_index);

    if (m_cancelled) {
        finish();
        return;
    }
    if (outcome.rateLimitRemaining == 0 && outcome.rateLimitReset.isValid() &&
        outcome.rateLimitReset > now() && m_index < m_targets.size()) {
        waitUntil(outcome.rateLimitReset);
        return;
    }
    next();
}

void BulkUnsubscribeDialog::waitUntil(const QDateTime &resetUtc)
{
    // x-rate-limit-reset has whole seconds: one more second makes sure the window has really reset.
    m_waitUntil = resetUtc.addSecs(1);
    m_countdown->show();
    tick();
    m_timer->start();
}

void BulkUnsubscribeDialog::tick()
{
    if (!m_waitUntil.isValid()) {
        m_timer->stop();
        return;
    }
    if (m_cancelled) {
        m_timer->stop();
        m_waitUntil = {};
        m_countdown->hide();
        finish();
        return;
    }
    const qint64 ms = now().msecsTo(m_waitUntil);
    if (ms <= 0) {
        m_timer->stop();
        m_waitUntil = {};
        m_countdown->hide();
        next();
        return;
    }
    const qint64 seconds = (ms + 999) / 1000;
    m_countdown->setText(tr("Rate limit reached: X allows no more unsubscribes in this window. "
                            "Continuing in %1:%2 (at %3).")
                             .arg(seconds / 60)
                             .arg(seconds % 60, 2, 10, QLatin1Char('0'))
                             .arg(m_waitUntil.toLocalTime().toString(QStringLiteral("HH:mm:ss"))));
}

void BulkUnsubscribeDialog::finish()
{
    if (!m_running)
        return;
    m_running = false;
    m_timer->stop();
    m_waitUntil = {};
    m_countdown->hide();
    m_cancel->setEnabled(false);
    m_close->setEnabled(true);
    m_close->setDefault(true);
    m_status->setText(m_cancelled ? tr("Cancelled.") : tr("Done."));
    m_summary->setText(summaryText());
    m_summary->show();
    m_failureList->setVisible(!m_failures.isEmpty());
    Q_EMIT finishedAll(m_succeeded, int(m_failures.size()), m_cancelled);
}

QString BulkUnsubscribeDialog::summaryText() const
{
    const int notTried = int(m_targets.size()) - int(m_succeeded.size()) - int(m_failures.size());
    QString text = tr("%n user(s) unsubscribed", nullptr, int(m_succeeded.size()));
    text += QStringLiteral(", ") + tr("%n failed", nullptr, int(m_failures.size()));
    if (notTried > 0)
        text += QStringLiteral(", ") + tr("%n not attempted (cancelled)", nullptr, notTried);
    return text + QLatin1Char('.');
}

} // namespace activity
