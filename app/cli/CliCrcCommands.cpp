// activity-cli crc TOKEN, crc test URL and crc doctor URL.
#include "CliCommands.h"
#include "CliCredentials.h"
#include "CliFormat.h"
#include "CliRunner.h"
#include "Crc.h"
#include "CrcDoctor.h"
#include "CrcSelfTest.h"
#include "RecordedWrite.h"

#include <QCommandLineParser>
#include <QJsonArray>
#include <QJsonObject>

namespace activity::cli {

void Runner::runCrc()
{
    if (m_credentials.app.consumerSecret.isEmpty())
        return fail(ApiError::make(ApiError::Kind::MissingCredentials,
                                   QStringLiteral("'crc' needs ACTIVITY_CONSUMER_SECRET, which is not set."),
                                   QStringLiteral("Export the app's consumer secret (API secret key).")));
    const QString token = m_inv.arguments.value(0);
    format::crcResponse(
        m_output, token,
        QString::fromLatin1(crc::responseToken(m_credentials.app.consumerSecret, token.toUtf8())));
    finish(ExitOk);
}

// The CRC self-test: the verdict goes to stdout whatever it is; the exit code tells scripts
// passed (0), failed one of X's rules (1) or could not reach the endpoint (3).
void Runner::testCrc()
{
    if (m_credentials.app.consumerSecret.isEmpty())
        return fail(ApiError::make(
            ApiError::Kind::MissingCredentials,
            QStringLiteral("'crc test' needs the app's consumer secret to know the expected token."),
            QStringLiteral("Export ACTIVITY_CONSUMER_SECRET (API secret key) or pass --profile NAME.")));
    const QUrl url(m_inv.arguments.value(0));
    if (const QString problem = CrcSelfTest::urlProblem(url); !problem.isEmpty())
        return fail(ApiError::make(
            ApiError::Kind::Validation, problem,
            QStringLiteral("Pass the webhook's full URL, e.g. https://example.com/webhooks/x.")));
    auto *test = new CrcSelfTest(m_env.network, m_credentials.app.consumerSecret, this);
    connect(test, &CrcSelfTest::finished, this, [this, test] {
        const CrcSelfTestResult &result = test->result();
        format::crcTest(m_output, result);
        finish(result.passed ? ExitOk : result.isNetworkFailure() ? ExitNetwork : ExitApiRefused);
    });
    test->run(url);
}

} // namespace activity::cli

// --- crc doctor ----------------------------------------------------------------------------------

namespace activity::cli {

namespace {

QString verdictLabel(CrcDoctorItem::Verdict verdict)
{
    switch (verdict) {
    case CrcDoctorItem::Verdict::Passed:
        return QStringLiteral("PASS");
    case CrcDoctorItem::Verdict::Warned:
        return QStringLiteral("WARN");
    case CrcDoctorItem::Verdict::Failed:
        return QStringLiteral("FAIL");
    case CrcDoctorItem::Verdict::Skipped:
        return QStringLiteral("SKIP");
    case CrcDoctorItem::Verdict::Pending:
    case CrcDoctorItem::Verdict::Running:
        break;
    }
    return QStringLiteral("....");
}

QJsonObject itemObject(const CrcDoctorItem &item)
{
    return {{QStringLiteral("check"), CrcDoctorItem::checkName(item.check)},
            {QStringLiteral("title"), item.title()},
            {QStringLiteral("verdict"), CrcDoctorItem::verdictName(item.verdict)},
            {QStringLiteral("finding"), item.finding},
            {QStringLiteral("remedy"), item.remedy}};
}

} // namespace

QList<QCommandLineOption> crcDoctorOptions()
{
    return {
        QCommandLineOption(QStringLiteral("tries"),
                           QStringLiteral("CRC GETs for the latency figures (1 to 20, default 3)."),
                           QStringLiteral("N")),
        QCommandLineOption(QStringLiteral("webhook"),
                           QStringLiteral("The registered webhook to re-validate at the end (default: the "
                                          "one registered with this URL, if any)."),
                           QStringLiteral("ID")),
        QCommandLineOption(QStringLiteral("no-revalidate"),
                           QStringLiteral("Do not ask X to re-validate a registered webhook (no PUT).")),
        QCommandLineOption(QStringLiteral("ca-file"),
                           QStringLiteral("Also trust the CA certificates in this PEM file (a company CA); "
                                          "certificates are always verified."),
                           QStringLiteral("PEM"))};
}

std::optional<QString> readCrcDoctorOptions(const QCommandLineParser &parser, Invocation &invocation)
{
    if (parser.isSet(QStringLiteral("tries"))) {
        bool ok = false;
        invocation.doctorTries = parser.value(QStringLiteral("tries")).toInt(&ok);
        if (!ok || invocation.doctorTries < 1 || invocation.doctorTries > 20)
            return QStringLiteral("--tries takes a number from 1 to 20.");
    }
    invocation.doctorWebhookId = parser.value(QStringLiteral("webhook"));
    invocation.doctorRevalidate = !parser.isSet(QStringLiteral("no-revalidate"));
    invocation.doctorCaFile = parser.value(QStringLiteral("ca-file"));
    return std::nullopt;
}

QString crcDoctorDetails()
{
    return QStringLiteral(
        "\nOne line per item: PASS, WARN, FAIL or SKIP, the item and what was found, with what to do on the\n"
        "next line. With --json one object: {\"url\", \"overall\", \"items\": [{\"check\", \"title\",\n"
        "\"verdict\", \"finding\", \"remedy\"}], \"latencies_ms\"}. The items: url, dns, tcp, tls, crc, "
        "token,\n"
        "latency, compression, revalidation (only for a registered webhook: X's PUT, then `valid` read\n"
        "back). ACTIVITY_CRC_DOCTOR_HOSTS=name=address:port,... replaces DNS for these names (a server\n"
        "not yet in DNS); ACTIVITY_CRC_DOCTOR_CA names a PEM file of CAs trusted besides the system's.\n");
}

void Runner::doctorCrc()
{
    if (m_credentials.app.consumerSecret.isEmpty())
        return fail(ApiError::make(
            ApiError::Kind::MissingCredentials,
            QStringLiteral("'crc doctor' needs the app's consumer secret to know the expected token."),
            QStringLiteral("Export ACTIVITY_CONSUMER_SECRET (API secret key) or pass --profile NAME.")));
    const QUrl url(m_inv.arguments.value(0), QUrl::StrictMode);
    if (!url.isValid() || url.isRelative() || url.host().isEmpty())
        return fail(ApiError::make(
            ApiError::Kind::Validation, QStringLiteral("%1 is not a URL.").arg(m_inv.arguments.value(0)),
            QStringLiteral("Pass the webhook's full URL, e.g. https://example.com/webhooks/x.")));
    if (!m_inv.doctorRevalidate)
        return runDoctor(url, {});
    // X's re-validation needs the app's credentials for listing and validating webhooks.
    const QList<Operation> operations {Operation::ListWebhooks, Operation::ValidateWebhook};
    for (const Operation op : operations) {
        const Endpoint *endpoint = endpoints::find(op, m_inv.generation);
        if (!endpoint || !missingFor(endpoint->credential, m_credentials).isEmpty()) {
            if (!m_inv.doctorWebhookId.isEmpty())
                return fail(ApiError::make(
                    ApiError::Kind::MissingCredentials,
                    QStringLiteral("Re-validating webhook %1 needs the app's credentials.")
                        .arg(m_inv.doctorWebhookId),
                    QStringLiteral("Pass --profile NAME or export the app's keys, or leave out --webhook.")));
            m_output.note(
                QStringLiteral("Not checked against the registered webhooks: the app's keys are not "
                               "set (--profile NAME)."));
            return runDoctor(url, {});
        }
    }
    if (!prepareClient(operations))
        return;
    if (!m_inv.doctorWebhookId.isEmpty())
        return runDoctor(url, m_inv.doctorWebhookId);
    // Registered with exactly this URL? Then the doctor ends with X's own re-validation.
    m_client->listWebhooks(this, [this, url](const Result<QList<Webhook>> &listed) {
        QString id;
        if (!listed) {
            m_output.note(
                QStringLiteral("The registered webhooks could not be listed (%1); no re-validation.")
                    .arg(listed.error().cause));
        } else {
            for (const Webhook &webhook : listed.value()) {
                if (QUrl(webhook.url).adjusted(QUrl::NormalizePathSegments) ==
                    url.adjusted(QUrl::NormalizePathSegments))
                    id = webhook.id;
            }
        }
        runDoctor(url, id);
    });
}

void Runner::runDoctor(const QUrl &url, const QString &webhookId)
{
    CrcDoctorOptions options;
    options.generation = m_inv.generation;
    options.tries = m_inv.doctorTries;
    options.consumerSecret = m_credentials.app.consumerSecret;
    options.clientSecret = m_credentials.app.oauth2ClientSecret;
    if (const QString problem = options.applyEnvironment(m_env.variables); !problem.isEmpty())
        return fail(ApiError::make(ApiError::Kind::Validation, problem,
                                   QStringLiteral("Fix or unset the variable.")));
    if (!m_inv.doctorCaFile.isEmpty()) {
        if (const QString problem = options.addCaFile(m_inv.doctorCaFile); !problem.isEmpty())
            return fail(ApiError::make(ApiError::Kind::Validation, problem,
                                       QStringLiteral("Pass a PEM file of CA certificates to --ca-file.")));
    }
    if (!webhookId.isEmpty()) {
        options.client = m_client.get();
        options.webhookId = webhookId;
        options.revalidate = recordedRevalidation(&recorder(), m_client.get());
    }
    auto *doctor = new CrcDoctor(m_env.network, options, this);
    auto printed = std::make_shared<int>(0);
    // Text: each item as soon as it and every item before it are done, so a slow step shows progress.
    connect(doctor, &CrcDoctor::itemChanged, this, [this, doctor, printed] {
        if (m_output.json())
            return;
        const QList<CrcDoctorItem> &items = doctor->items();
        while (*printed < items.size() && items[*printed].isDone()) {
            const CrcDoctorItem &item = items[(*printed)++];
            m_output.line(
                QStringLiteral("%1  %2: %3").arg(verdictLabel(item.verdict), item.title(), item.finding));
            if (!item.remedy.isEmpty() && item.verdict != CrcDoctorItem::Verdict::Skipped)
                m_output.line(QStringLiteral("      → %1").arg(item.remedy));
        }
    });
    connect(doctor, &CrcDoctor::finished, this, [this, doctor] {
        const auto failed = [doctor](CrcDoctorItem::Check check) {
            const CrcDoctorItem *item = doctor->item(check);
            return item && item->verdict == CrcDoctorItem::Verdict::Failed;
        };
        if (m_output.json()) {
            QJsonArray items;
            for (const CrcDoctorItem &item : doctor->items())
                items.append(itemObject(item));
            QJsonArray latencies;
            for (const qint64 ms : doctor->latenciesMs())
                latencies.append(ms);
            m_output.document({{QStringLiteral("url"), doctor->url().toString()},
                               {QStringLiteral("overall"), CrcDoctorItem::verdictName(doctor->overall())},
                               {QStringLiteral("items"), items},
                               {QStringLiteral("latencies_ms"), latencies}});
        } else {
            int counts[3] = {0, 0, 0};
            for (const CrcDoctorItem &item : doctor->items()) {
                counts[0] += item.verdict == CrcDoctorItem::Verdict::Passed;
                counts[1] += item.verdict == CrcDoctorItem::Verdict::Warned;
                counts[2] += item.verdict == CrcDoctorItem::Verdict::Failed;
            }
            m_output.line(QStringLiteral("%1 passed, %2 warned, %3 failed.")
                              .arg(counts[0])
                              .arg(counts[1])
                              .arg(counts[2]));
        }
        if (failed(CrcDoctorItem::Check::Dns) || failed(CrcDoctorItem::Check::Tcp))
            return finish(ExitNetwork);
        finish(doctor->overall() == CrcDoctorItem::Verdict::Failed ? ExitApiRefused : ExitOk);
    });
    doctor->run(url);
}

} // namespace activity::cli
