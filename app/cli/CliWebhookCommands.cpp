// activity-cli webhooks list|register|validate|delete.
#include "CliFormat.h"
#include "CliRunner.h"
#include "Validation.h"

namespace activity::cli {

void Runner::listWebhooks()
{
    if (!prepareClient({Operation::ListWebhooks}))
        return;
    m_client->listWebhooks(this, [this](const Result<QList<Webhook>> &result) {
        if (!result)
            return fail(result.error());
        warnPartial(result.partialErrors());
        format::webhooks(m_output, result.value());
        finish(ExitOk);
    });
}

void Runner::registerWebhook()
{
    if (!prepareClient({Operation::RegisterWebhook}))
        return;
    const QString url = m_inv.arguments.value(0);
    recordWrite<Webhook>(
        Operation::RegisterWebhook, {{QStringLiteral("url"), url}},
        [this, url](QObject *context, ApiClient::Callback<Webhook> done) {
            return m_client->registerWebhook(url, context, std::move(done));
        },
        [](const Webhook &webhook) { return QStringLiteral("webhook %1").arg(webhook.id); },
        [this](const Webhook &webhook) { format::registered(m_output, webhook); });
}

void Runner::validateWebhook()
{
    if (!prepareClient({Operation::ValidateWebhook}))
        return;
    const QString id = m_inv.arguments.value(0);
    recordWrite<bool>(
        Operation::ValidateWebhook, {{QStringLiteral("webhook_id"), id}},
        [this, id](QObject *context, ApiClient::Callback<bool> done) {
            return m_client->validateWebhook(id, context, std::move(done));
        },
        [](const bool &valid) { return valid ? QStringLiteral("valid") : QStringLiteral("not valid"); },
        [this, id](const bool &valid) { format::validated(m_output, id, valid); });
}

void Runner::deleteWebhook()
{
    if (!prepareClient({Operation::DeleteWebhook}))
        return;
    const QString id = m_inv.arguments.value(0);
    if (const auto invalid = validate::numericId(id, QStringLiteral("webhook id")))
        return fail(*invalid);
    confirmThen(
        QStringLiteral("Delete webhook %1? Its subscriptions go with it and must be re-added to a new "
                       "webhook one by one.")
            .arg(id),
        id, [this, id] {
            recordWrite<Done>(
                Operation::DeleteWebhook, {{QStringLiteral("webhook_id"), id}},
                [this, id](QObject *context, ApiClient::Callback<Done> done) {
                    return m_client->deleteWebhook(id, context, std::move(done));
                },
                [](const Done &) { return QStringLiteral("deleted"); },
                [this, id](const Done &) { format::deleted(m_output, id); });
        });
}

} // namespace activity::cli
