// activity-cli crc TOKEN and crc test URL.
#include "CliFormat.h"
#include "CliRunner.h"
#include "Crc.h"
#include "CrcSelfTest.h"

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
