#include "Validation.h"

#include "EndpointCatalogue.h"

#include <QHostAddress>
#include <QRegularExpression>
#include <QTimeZone>

namespace activity::validate {

namespace {

constexpr qsizetype kMaxV1WebhookUrlLength = 2048;
constexpr qsizetype kMaxV2WebhookUrlLength = 200; // spec 2.167: "url" maxLength 200
constexpr qsizetype kMaxShownChars = 80;

ApiError invalid(QString cause, QString remedy)
{
    return ApiError::make(ApiError::Kind::Validation, std::move(cause), std::move(remedy));
}

QString shown(const QString &text)
{
    if (text.size() > kMaxShownChars)
        return QLatin1Char('"') + text.left(kMaxShownChars) + QStringLiteral("…\"");
    return QLatin1Char('"') + text + QLatin1Char('"');
}

bool isIpLiteral(const QString &host)
{
    QHostAddress address;
    return address.setAddress(host);
}

QString humanTime(const QDateTime &utc)
{
    return utc.toUTC().toString(QStringLiteral("yyyy-MM-dd hh:mm 'UTC'"));
}

// "202501021201 (2025-01-02 12:01 UTC)": the value to type and the value to read.
QString bothForms(const QDateTime &utc)
{
    return formatReplayTime(utc) + QStringLiteral(" (") + humanTime(utc) + QLatin1Char(')');
}

QDateTime floorToMinute(const QDateTime &utc)
{
    const QDateTime u = utc.toUTC();
    return QDateTime(u.date(), QTime(u.time().hour(), u.time().minute()), Qt::UTC);
}

QDateTime ceilToMinute(const QDateTime &utc)
{
    const QDateTime floor = floorToMinute(utc);
    return floor < utc.toUTC() ? floor.addSecs(60) : floor;
}

} // namespace

qsizetype maxWebhookUrlLength(ApiGeneration generation)
{
    return generation == ApiGeneration::V2 ? kMaxV2WebhookUrlLength : kMaxV1WebhookUrlLength;
}

bool isLoopbackAddress(const QString &host)
{
    QString literal = host.trimmed();
    if (literal.startsWith(QLatin1Char('[')) && literal.endsWith(QLatin1Char(']')))
        literal = literal.mid(1, literal.size() - 2);
    QHostAddress address;
    return address.setAddress(literal) && address.isLoopback();
}

std::optional<ApiError> webhookUrl(const QString &text, UrlPolicy policy, ApiGeneration generation)
{
    const QString trimmed = text.trimmed();
    if (trimmed.isEmpty())
        return invalid(QStringLiteral("The webhook URL is empty."),
                       QStringLiteral("Enter the https URL of your webhook endpoint, e.g. "
                                      "https://example.com/webhooks/x."));
    const qsizetype maxLength = maxWebhookUrlLength(generation);
    if (trimmed.size() > maxLength)
        return invalid(QStringLiteral("The webhook URL is %1 characters long; X API %2 accepts at most %3.")
                           .arg(trimmed.size())
                           .arg(endpoints::generationName(generation))
                           .arg(maxLength),
                       QStringLiteral("Use a shorter URL: a short path on your own domain is enough."));
    const QUrl url(trimmed, QUrl::StrictMode);
    if (!url.isValid())
        return invalid(
            QStringLiteral("The webhook URL %1 is not a valid URL: %2.")
                .arg(shown(trimmed), url.errorString()),
            QStringLiteral("Enter a complete URL such as https://example.com/webhooks/x; spaces and other "
                           "special characters must be percent-encoded."));
    if (url.isRelative() || url.host().isEmpty())
        return invalid(
            QStringLiteral("The webhook URL %1 is not an absolute URL with a host name.").arg(shown(trimmed)),
            QStringLiteral("Write it in full, starting with https://, e.g. https://example.com/webhooks/x."));

    const QString scheme = url.scheme().toLower();
    const QString host = url.host();
    const bool loopbackAllowed = policy == UrlPolicy::AllowLoopbackHttp && isLoopbackAddress(host) &&
        (scheme == QLatin1String("http") || scheme == QLatin1String("https"));

    if (!url.userInfo().isEmpty())
        return invalid(
            QStringLiteral("The webhook URL contains a user name or password (before the @); X does not "
                           "accept credentials in webhook URLs."),
            QStringLiteral("Remove the \"user:password@\" part; protect the endpoint by checking the "
                           "x-twitter-webhooks-signature header instead."));
    if (url.hasFragment())
        return invalid(QStringLiteral("The webhook URL has a fragment (#%1); X does not accept fragments.")
                           .arg(url.fragment()),
                       QStringLiteral("Remove everything from the # on."));
    if (loopbackAllowed)
        return std::nullopt;

    if (scheme != QLatin1String("https"))
        return invalid(
            QStringLiteral("The webhook URL uses %1; X accepts only https webhook URLs.").arg(scheme),
            QStringLiteral(
                "Serve the endpoint over https with a valid certificate and use an https:// URL."));
    if (isIpLiteral(host))
        return invalid(
            QStringLiteral("The webhook URL uses the IP address %1; X requires a host name.").arg(host),
            QStringLiteral("Use a DNS name that resolves to your server and has a matching certificate."));
    if (url.port() != -1)
        return invalid(
            QStringLiteral("The webhook URL names a port (:%1); X does not accept a port in webhook URLs.")
                .arg(url.port()),
            QStringLiteral(
                "Serve the endpoint on the standard https port 443 and remove \":%1\" from the URL.")
                .arg(url.port()));
    if (host.compare(QLatin1String("localhost"), Qt::CaseInsensitive) == 0 ||
        !host.contains(QLatin1Char('.')))
        return invalid(
            QStringLiteral("The webhook host %1 is not a public, fully qualified host name; X could not "
                           "reach it.")
                .arg(shown(host)),
            QStringLiteral("Use the public DNS name of your server, e.g. webhooks.example.com. For local "
                           "tests use the sandbox."));
    return std::nullopt;
}

Result<QUrl> baseUrl(const QString &text, bool allowPlainLoopback)
{
    const QString trimmed = text.trimmed();
    const QString example =
        QStringLiteral("Use the API host alone, e.g. https://api.x.com (or http://127.0.0.1:PORT "
                       "for the sandbox).");
    if (trimmed.isEmpty())
        return invalid(QStringLiteral("The base URL is empty."), example);
    QUrl url(trimmed, QUrl::StrictMode);
    if (!url.isValid())
        return invalid(
            QStringLiteral("The base URL %1 is not a valid URL: %2.").arg(shown(trimmed), url.errorString()),
            example);
    const QString scheme = url.scheme().toLower();
    if (url.isRelative() || url.host().isEmpty() ||
        (scheme != QLatin1String("https") && scheme != QLatin1String("http")))
        return invalid(
            QStringLiteral("The base URL %1 is not an absolute http(s) URL with a host.").arg(shown(trimmed)),
            example);
    if (!url.userInfo().isEmpty())
        return invalid(
            QStringLiteral("The base URL contains a user name or password; credentials belong in the "
                           "profile's key fields."),
            example);
    if (url.hasQuery() || url.hasFragment())
        return invalid(QStringLiteral("The base URL %1 has a query or fragment; it must be the host alone.")
                           .arg(shown(trimmed)),
                       example);
    if (!url.path().isEmpty() && url.path() != QLatin1String("/"))
        return invalid(
            QStringLiteral("The base URL %1 has the path %2; the console adds the API paths (/1.1/..., "
                           "/2/...) itself.")
                .arg(shown(trimmed), shown(url.path())),
            example);
    if (scheme == QLatin1String("http") && !isLoopbackAddress(url.host()))
        return invalid(
            QStringLiteral("The base URL %1 uses plain http; credentials would cross the network "
                           "unencrypted.")
                .arg(shown(trimmed)),
            QStringLiteral("Use https. Plain http is only possible to this computer by its address "
                           "(127.0.0.1 or ::1, not a name such as localhost), e.g. for the sandbox."));
    if (scheme == QLatin1String("http") && !allowPlainLoopback)
        return invalid(
            QStringLiteral("The base URL %1 uses plain http: the credentials and signatures of every "
                           "call would be readable by whatever listens on that port.")
                .arg(shown(trimmed)),
            QStringLiteral("Use https. For the sandbox or a local test server, confirm plain http: "
                           "\"Allow plain http\" in the profile, or activity-cli "
                           "--allow-insecure-loopback."));
    url.setScheme(scheme);
    url.setPath(QString());
    return url;
}

std::optional<ApiError> numericId(const QString &id, const QString &what)
{
    static const QRegularExpression pattern(QStringLiteral(R"(\A[0-9]{1,19}\z)"));
    if (pattern.match(id).hasMatch())
        return std::nullopt;
    const QString name = what.isEmpty() ? QStringLiteral("id") : what;
    if (id.isEmpty())
        return invalid(QStringLiteral("The %1 is empty.").arg(name),
                       QStringLiteral("Enter the %1: 1 to 19 digits, e.g. 1146654567674912769.").arg(name));
    return invalid(
        QStringLiteral("The %1 %2 is not valid: X ids are 1 to 19 digits and nothing else.")
            .arg(name, shown(id)),
        QStringLiteral("Copy the %1 from the list it appears in (digits only, no spaces or @).").arg(name));
}

ReplayRules ReplayRules::forGeneration(ApiGeneration generation)
{
    if (generation == ApiGeneration::V1_1)
        return {5 * 24 * 3600,
                31 * 60,
                10 * 60,
                0,
                QStringLiteral("5 days"),
                QStringLiteral("POST /1.1/account_activity/replay/webhooks/:id/subscriptions/all.json")};
    // The changelog calls /2/webhooks/replay "identical" to the legacy replay, whose 31- and
    // 10-minute rules therefore apply, with the spec's 24 hours.
    return {24 * 3600,
            31 * 60,
            10 * 60,
            2 * 3600,
            QStringLiteral("24 hours"),
            QStringLiteral("POST /2/webhooks/replay")};
}

QString ReplayRules::description() const
{
    QString text =
        QStringLiteral("Replay (%1) re-sends the events of the last %2. The start must be at least "
                       "%3 minutes and the end at least %4 minutes in the past. The start minute "
                       "is replayed, the end minute is not (12:00 to 14:00 replays 12:00 up to "
                       "13:59); X's documentation disagrees on the end minute, so the console "
                       "takes the reading that never replays more than asked.")
            .arg(endpointText, lookbackText)
            .arg(fromMinAgeSecs / 60)
            .arg(toMinAgeSecs / 60);
    if (recommendedSpanSecs > 0)
        text += QStringLiteral(" X recommends windows of %1 hours or less.").arg(recommendedSpanSecs / 3600);
    text += QStringLiteral(" One job runs per webhook at a time.");
    return text;
}

std::optional<ApiError> replayWindow(ApiGeneration generation, const QDateTime &fromIn, const QDateTime &toIn,
                                     const QDateTime &nowIn)
{
    if (!fromIn.isValid() || !toIn.isValid())
        return invalid(QStringLiteral("The replay window needs both a start (from) and an end (to) time."),
                       QStringLiteral("Enter both times as yyyyMMddhhmm in UTC, e.g. 202501151200."));
    const QDateTime from = fromIn.toUTC();
    const QDateTime to = toIn.toUTC();
    const QDateTime now = nowIn.toUTC();
    for (const auto &[label, value] :
         {std::pair {QStringLiteral("from"), from}, std::pair {QStringLiteral("to"), to}}) {
        if (value.time().second() != 0 || value.time().msec() != 0)
            return invalid(
                QStringLiteral("The replay %1 time %2 has seconds; replay works in whole minutes.")
                    .arg(label, value.toString(QStringLiteral("yyyy-MM-dd hh:mm:ss 'UTC'"))),
                QStringLiteral("Use a whole minute, e.g. %1.").arg(bothForms(floorToMinute(value))));
    }

    if (from >= to)
        return invalid(
            QStringLiteral("The replay start %1 is %2 the end %3; the start must be before the end.")
                .arg(humanTime(from), from == to ? QStringLiteral("equal to") : QStringLiteral("after"),
                     humanTime(to)),
            QStringLiteral("Choose a start before %1 (the end minute itself is not replayed).")
                .arg(bothForms(to)));

    const ReplayRules rules = ReplayRules::forGeneration(generation);
    const QDateTime latestFrom = now.addSecs(-rules.fromMinAgeSecs);
    const QDateTime latestTo = now.addSecs(-rules.toMinAgeSecs);
    if (from > latestFrom)
        return invalid(
            QStringLiteral("The replay start %1 is less than %2 minutes in the past (now is %3).")
                .arg(humanTime(from))
                .arg(rules.fromMinAgeSecs / 60)
                .arg(humanTime(now)),
            QStringLiteral("Choose a start at or before %1.").arg(bothForms(floorToMinute(latestFrom))));
    if (to > latestTo)
        return invalid(
            QStringLiteral("The replay end %1 is less than %2 minutes in the past (now is %3).")
                .arg(humanTime(to))
                .arg(rules.toMinAgeSecs / 60)
                .arg(humanTime(now)),
            QStringLiteral("Choose an end at or before %1.").arg(bothForms(floorToMinute(latestTo))));
    const QDateTime earliestFrom = now.addSecs(-rules.lookbackSecs);
    if (from < earliestFrom)
        return invalid(
            QStringLiteral("The replay start %1 is more than %2 ago (now is %3); X keeps events for "
                           "replay only that long.")
                .arg(humanTime(from), rules.lookbackText, humanTime(now)),
            QStringLiteral("Choose a start at or after %1.").arg(bothForms(ceilToMinute(earliestFrom))));
    return std::nullopt;
}

QString replayWindowAdvice(ApiGeneration generation, const QDateTime &from, const QDateTime &to)
{
    const ReplayRules rules = ReplayRules::forGeneration(generation);
    if (rules.recommendedSpanSecs <= 0 || !from.isValid() || !to.isValid() ||
        from.secsTo(to) <= rules.recommendedSpanSecs)
        return {};
    return QStringLiteral("The window spans %1 minutes; X recommends %2 hours or less per job. Consider "
                          "several shorter jobs, one after the other.")
        .arg(from.secsTo(to) / 60)
        .arg(rules.recommendedSpanSecs / 3600);
}

Result<QDateTime> parseReplayTime(const QString &text)
{
    const QString trimmed = text.trimmed();
    const QString formats =
        QStringLiteral("Use yyyyMMddhhmm in UTC (e.g. 202501151200) or ISO 8601 with a time zone "
                       "(e.g. 2025-01-15T12:00Z or 2025-01-15T13:00+01:00).");
    static const QRegularExpression compact(QStringLiteral(R"(\A[0-9]{12}\z)"));
    if (compact.match(trimmed).hasMatch()) {
        QDateTime parsed = QDateTime::fromString(trimmed, QStringLiteral("yyyyMMddhhmm"));
        if (!parsed.isValid())
            return invalid(QStringLiteral("The time %1 is not a real date and time.").arg(shown(trimmed)),
                           formats);
        return QDateTime(parsed.date(), parsed.time(), Qt::UTC);
    }
    static const QRegularExpression zoned(QStringLiteral(R"((Z|[+-]\d{2}(:?\d{2})?)$)"));
    const QDateTime parsed = QDateTime::fromString(trimmed, Qt::ISODateWithMs);
    if (parsed.isValid() && zoned.match(trimmed).hasMatch() && parsed.timeSpec() != Qt::LocalTime)
        return parsed.toUTC();
    if (parsed.isValid())
        return invalid(
            QStringLiteral("The time %1 has no time zone, so it is ambiguous.").arg(shown(trimmed)), formats);
    return invalid(QStringLiteral("The time %1 could not be read.").arg(shown(trimmed)), formats);
}

QString formatReplayTime(const QDateTime &utc)
{
    if (!utc.isValid())
        return {};
    return utc.toUTC().toString(QStringLiteral("yyyyMMddhhmm"));
}

} // namespace activity::validate
