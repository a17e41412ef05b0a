// Benchmark of the protocol core: what one OAuth 1.0a signature costs, and what reading a
// 100,000-subscription list costs. It prints figures as "BENCH name: value unit" and never fails on
// timing (it fails only if the work itself goes wrong).
#include "ErrorCatalogue.h"
#include "OAuth1.h"
#include "Parsers.h"

#include <QCoreApplication>
#include <QElapsedTimer>
#include <QUrl>

#include <algorithm>
#include <cstdio>

using namespace activity;

namespace {

constexpr int kSignatures = 20000;
constexpr int kSubscriptions = 100000;
constexpr int kParseRuns = 5;

double median(QList<double> values)
{
    std::sort(values.begin(), values.end());
    return values.at(values.size() / 2);
}

QByteArray subscriptionListBody(int count)
{
    QByteArray body = R"({"data":{"application_id":"13090192","webhook_id":"1234567890",)"
                      R"("webhook_url":"https://example.com/webhooks/x","subscriptions":[)";
    body.reserve(body.size() + qsizetype(count) * 36 + 8);
    for (int i = 0; i < count; ++i) {
        if (i)
            body += ',';
        body += R"({"user_id":")" + QByteArray::number(1146654567674912769LL - i) + R"("})";
    }
    body += "]}}";
    return body;
}

// Signs `count` subscribe calls; returns microseconds per signature.
double signingCost(const oauth1::Signer &signer, int count, qsizetype &checksum)
{
    const QUrl url(
        QStringLiteral("https://api.x.com/1.1/account_activity/webhooks/1234567890/subscriptions/all.json"));
    QElapsedTimer timer;
    timer.start();
    for (int i = 0; i < count; ++i)
        checksum += signer.authorizationHeader("POST", url).size();
    return double(timer.nsecsElapsed()) / 1000.0 / count;
}

} // namespace

int main(int argc, char **argv)
{
    QCoreApplication app(argc, argv);
    std::printf("bench_core: %s build, Qt %s\n",
#ifdef NDEBUG
                "optimised",
#else
                "debug",
#endif
                qVersion());

    // Signing: pure cost with a fixed clock and nonce, then with system-random nonces as in production.
    const oauth1::Credentials credentials {
        "xvz1evFS4wEEPTGEFPHBog", "kAcSOqF21Fu85e7zjz7ZN2U4ZRhfV3WpwPAoE3Z7kBw",
        "370773112-GmHxMAgYyLbNEtIKZeRNFsMKPR9EyMZeS9weJAEb", "LswwdoUaIvS8ltyTt5jkRh4J50vUPVVHtR2YPi5kE"};
    qsizetype checksum = 0;
    const oauth1::Signer fixed(
        credentials, [] { return qint64(1318622958); },
        [] { return QByteArray("kYjzVBB8Y0ZFabxSWbWovY3uYSQ2pTgmZeNu2VS4cg"); });
    signingCost(fixed, 1000, checksum); // warm-up
    const double fixedUs = signingCost(fixed, kSignatures, checksum);
    const oauth1::Signer live(credentials);
    const double liveUs = signingCost(live, kSignatures, checksum);
    std::printf("BENCH oauth1_sign_fixed_nonce: %.2f us/signature (%d signatures)\n", fixedUs, kSignatures);
    std::printf("BENCH oauth1_sign_random_nonce: %.2f us/signature (%d signatures)\n", liveUs, kSignatures);

    // Parsing the largest list the console reads.
    const QByteArray body = subscriptionListBody(kSubscriptions);
    QList<double> runs;
    for (int run = 0; run < kParseRuns; ++run) {
        QElapsedTimer timer;
        timer.start();
        const auto list = parse::subscriptionList(body);
        runs.append(double(timer.nsecsElapsed()) / 1e6);
        if (!list.ok() || list.value().userIds.size() != kSubscriptions) {
            std::fprintf(stderr, "bench_core: the subscription list did not parse: %s\n",
                         list.ok() ? "wrong count" : qPrintable(list.error().cause));
            return 1;
        }
        checksum += list.value().userIds.size();
    }
    const double parseMs = median(runs);
    std::printf("BENCH parse_subscription_list_100k: %.1f ms (median of %d, body %.1f MB)\n", parseMs,
                kParseRuns, body.size() / 1e6);
    std::printf("BENCH parse_subscription_list_per_entry: %.3f us/entry\n",
                parseMs * 1000.0 / kSubscriptions);

    // Reading one error envelope, which every failed call pays.
    constexpr int kErrors = 20000;
    const QByteArray errorBody =
        R"({"errors":[{"title":"CrcValidationFailed","detail":"CrcValidationFailed: Invalid response_token","type":"https://api.x.com/2/problems/invalid-request"}],"title":"CrcValidationFailed","detail":"CrcValidationFailed: Invalid response_token","type":"https://api.x.com/2/problems/invalid-request","status":400})";
    QElapsedTimer timer;
    timer.start();
    for (int i = 0; i < kErrors; ++i)
        checksum += errors::fromResponse(400, errorBody).cause.size();
    std::printf("BENCH error_from_v2_problem: %.2f us/error (%d errors)\n",
                double(timer.nsecsElapsed()) / 1000.0 / kErrors, kErrors);

    std::printf("bench_core: done (checksum %lld)\n", static_cast<long long>(checksum));
    return 0;
}
