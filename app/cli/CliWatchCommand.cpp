// activity-cli webhooks watch (#17): the webhook watch the console runs, in a terminal or under a
// monitoring system. One line (or JSON object) per change of a webhook's `valid`, the first poll's
// state of each webhook included; every check is recorded in the timeline the console shows.
#include "CliCommands.h"
#include "CliFormat.h"
#include "CliRunner.h"
#include "CliStopSignals.h"
#include "WebhookTimeline.h"
#include "WebhookWatch.h"

#include <QCommandLineParser>
#include <QDateTime>

namespace activity::cli {

namespace {

QString validityText(bool valid)
{
    return valid ? QStringLiteral("valid") : QStringLiteral("INVALID");
}

} // namespace

QList<QCommandLineOption> watchOptions()
{
    return {QCommandLineOption(
                QStringLiteral("interval"),
                QStringLiteral("Seconds between two reads of the webhook list (default 300; never "
                               "less than the endpoint's rate limit allows: 60 for v1.1, 2 for v2)."),
                QStringLiteral("S")),
            QCommandLineOption(QStringLiteral("exit-on-invalid"),
                               QStringLiteral("Exit with code 5 as soon as a webhook is seen invalid.")),
            QCommandLineOption(
                QStringLiteral("revalidate"),
                QStringLiteral("Re-validate an invalid webhook (the CRC PUT), with a backoff of 1, 2, "
                               "4 ... 60 minutes, within the rate limits."))};
}

std::optional<QString> readWatchOptions(const QCommandLineParser &parser, Invocation &invocation)
{
    if (parser.isSet(QStringLiteral("interval"))) {
        bool ok = false;
        invocation.watchIntervalSeconds = parser.value(QStringLiteral("interval")).toInt(&ok);
        if (!ok || invocation.watchIntervalSeconds < 1)
            return QStringLiteral("--interval takes a number of seconds (1 or more).");
    }
    invocation.exitOnInvalid = parser.isSet(QStringLiteral("exit-on-invalid"));
    invocation.revalidate = parser.isSet(QStringLiteral("revalidate"));
    return std::nullopt;
}

QString watchDetails()
{
    return QStringLiteral(
        "\nEach line: time, webhook id, URL, and its state (valid, or INVALID), with the state before when "
        "it "
        "changed;\nthe first read shows every webhook. With --json one object per line: {\"at\", "
        "\"profile\", "
        "\"webhook_id\",\n\"url\", \"valid\", \"before\"} (before: null the first time). Failed reads and "
        "re-validations go to stderr.\nEvery check is kept in the console's timeline (ACTIVITY_HEALTH_FILE "
        "overrides the file). Ctrl+C or\nSIGTERM stops (exit 0); with --exit-on-invalid the exit code is 5 "
        "once "
        "a webhook is invalid.\n");
}

void Runner::watchWebhooks()
{
    QList<Operation> operations {Operation::ListWebhooks};
    if (m_inv.revalidate)
        operations.append(Operation::ValidateWebhook);
    if (!prepareClient(operations))
        return;
    m_timeline = std::make_unique<WebhookTimeline>(environmentPath(
        m_env.variables, QStringLiteral("ACTIVITY_HEALTH_FILE"), WebhookTimeline::defaultPath()));
    if (!m_timeline->isOpen())
        return fail(
            ApiError::make(ApiError::Kind::Validation, m_timeline->lastError(),
                           QStringLiteral("Check the file's permissions, or set ACTIVITY_HEALTH_FILE.")));
    const QString profile = m_profileName.isEmpty() ? m_client->config().baseUrl.toString() : m_profileName;
    m_watch = std::make_unique<WebhookWatch>(m_timeline.get());

    connect(m_watch.get(), &WebhookWatch::transition, this, [this](const WebhookTimeline::Change &change) {
        const WebhookValidity &now = change.now;
        if (m_output.json()) {
            m_output.jsonLine(
                {{QStringLiteral("at"), format::isoTime(now.atMs)},
                 {QStringLiteral("profile"), now.profile},
                 {QStringLiteral("webhook_id"), now.webhookId},
                 {QStringLiteral("url"), now.url},
                 {QStringLiteral("valid"), now.valid},
                 {QStringLiteral("before"), change.before ? QJsonValue(*change.before) : QJsonValue()}});
        } else {
            m_output.line(QStringLiteral("%1  webhook %2  %3  %4")
                              .arg(format::isoTime(now.atMs), now.webhookId, now.url,
                                   change.before
                                       ? QStringLiteral("%1 -> %2")
                                             .arg(validityText(*change.before), validityText(now.valid))
                                       : validityText(now.valid)));
        }
    });
    connect(m_watch.get(), &WebhookWatch::polled, this,
            [this](const QString &, const QList<Webhook> &webhooks) {
                if (!m_inv.exitOnInvalid)
                    return;
                for (const Webhook &webhook : webhooks) {
                    if (!webhook.valid) {
                        m_output.note(QStringLiteral("Webhook %1 is invalid: stopping (--exit-on-invalid).")
                                          .arg(webhook.id));
                        m_watch.reset();
                        return finish(ExitWebhookInvalid);
                    }
                }
            });
    connect(m_watch.get(), &WebhookWatch::pollFailed, this, [this](const QString &, const ApiError &error) {
        m_output.note(
            QStringLiteral("The webhook list could not be read (%1); trying again at the next interval.")
                .arg(error.cause));
    });
    connect(m_watch.get(), &WebhookWatch::revalidated, this,
            [this](const QString &, const QString &webhookId, bool ok, const ApiError &error,
                   const QDateTime &nextAttempt) {
                m_output.note(
                    ok ? QStringLiteral("Webhook %1 re-validated: X accepted the CRC check.").arg(webhookId)
                       : QStringLiteral("Webhook %1: re-validation refused (%2); next attempt at %3 "
                                        "if it stays invalid.")
                             .arg(webhookId, error.cause, format::isoTime(nextAttempt)));
            });

    m_stopNotifier = watchStopSignals(this, [this] {
        m_watch.reset();
        finish(ExitOk);
    });
    m_watch->setAutoRevalidateAll(profile, m_inv.revalidate);
    const std::chrono::seconds asked(m_inv.watchIntervalSeconds);
    const std::chrono::seconds used = m_watch->watch(profile, m_client.get(), asked);
    if (used != asked)
        m_output.note(
            QStringLiteral("Reading every %1 s: the webhook list allows no more.").arg(used.count()));
}

} // namespace activity::cli
