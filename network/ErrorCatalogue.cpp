#include "ErrorCatalogue.h"

#include <QCoreApplication>
#include <QHostAddress>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QJsonValue>
#include <QMetaEnum>
#include <QRegularExpression>
#include <QStringList>

#include <cmath>
#include <optional>

namespace activity::errors {

namespace {

using Kind = ApiError::Kind;

// Every sentence below is translated in the "ErrorCatalogue" context (lupdate reads these tr()
// calls and the table's QT_TRANSLATE_NOOP marks). The English text is the source text, so without a
// translation the output is exactly these literals. Sentences that embed another sentence or a
// value take it as %1, so that a translation can reorder them.
struct ErrorCatalogue
{
    Q_DECLARE_TR_FUNCTIONS(ErrorCatalogue)
};

constexpr qsizetype kMaxServerMessage = 500;

bool has(const QString &text, QLatin1String needle)
{
    return text.contains(needle, Qt::CaseInsensitive);
}

QString logHint()
{
    return ErrorCatalogue::tr("The full answer is in the request log.");
}

// What an HTTP status alone says, when the body gave nothing more specific.
ApiError fromStatus(int httpStatus, const QString &what)
{
    const QString status = QStringLiteral("HTTP %1").arg(httpStatus);
    if (httpStatus == 400)
        return ApiError::make(
            Kind::InvalidRequest,
            ErrorCatalogue::tr("X refused the request as invalid (%1)%2.").arg(status, what),
            ErrorCatalogue::tr("Check the ids, dates and URL you entered. %1").arg(logHint()), httpStatus);
    if (httpStatus == 401)
        return ApiError::make(
            Kind::Authentication,
            ErrorCatalogue::tr("X did not accept the request's credentials (%1)%2.").arg(status, what),
            ErrorCatalogue::tr("Check the keys and tokens in the profile and that this computer's clock is "
                               "right; make sure the endpoint gets the credential it needs (user token or "
                               "bearer token)."),
            httpStatus);
    if (httpStatus == 403)
        return ApiError::make(
            Kind::Permission,
            ErrorCatalogue::tr("X refused access to this resource (%1)%2.").arg(status, what),
            ErrorCatalogue::tr(
                "Check that the app is enabled for the Account Activity API, has Read, Write and "
                "Direct Messages permission, and that the right credential is used."),
            httpStatus);
    if (httpStatus == 404 || httpStatus == 410)
        return ApiError::make(
            Kind::NotFound,
            ErrorCatalogue::tr("X says this resource does not exist (%1)%2.").arg(status, what),
            ErrorCatalogue::tr(
                "Check the id, and that the profile's base URL and API generation (v1.1 or v2) "
                "match the server."),
            httpStatus);
    if (httpStatus == 409)
        return ApiError::make(
            Kind::Conflict,
            ErrorCatalogue::tr("The request conflicts with the current state (%1)%2.").arg(status, what),
            ErrorCatalogue::tr("Refresh the view to see the current state before trying again."), httpStatus);
    if (httpStatus == 429)
        return ApiError::make(
            Kind::RateLimited,
            ErrorCatalogue::tr("The rate limit for this endpoint is used up (%1)%2.").arg(status, what),
            ErrorCatalogue::tr("Wait until the 15-minute rate-limit window resets before trying again."),
            httpStatus);
    if (httpStatus >= 500)
        return ApiError::make(
            Kind::Server, ErrorCatalogue::tr("X's servers had a problem answering (%1)%2.").arg(status, what),
            ErrorCatalogue::tr("This is usually temporary: try again in a few minutes, waiting longer each "
                               "time, and check X's API status page if it persists."),
            httpStatus);
    if (httpStatus >= 400)
        return ApiError::make(Kind::InvalidRequest,
                              ErrorCatalogue::tr("X refused the request (%1)%2.").arg(status, what),
                              ErrorCatalogue::tr("Check what you entered. %1").arg(logHint()), httpStatus);
    if (httpStatus >= 300)
        return ApiError::make(
            Kind::Server,
            ErrorCatalogue::tr("The server answered with a redirect (%1)%2, which API calls never follow.")
                .arg(status, what),
            ErrorCatalogue::tr("Check the profile's base URL: it should be the API host itself, e.g. "
                               "https://api.x.com, with https."),
            httpStatus);
    return ApiError::make(
        Kind::MalformedResponse,
        ErrorCatalogue::tr("The server's answer could not be read as a result or as an error (%1)%2.")
            .arg(status, what),
        ErrorCatalogue::tr("Check the profile's base URL. %1").arg(logHint()), httpStatus);
}

// The first ':'-separated word of "CrcValidationFailed: Invalid response_token".
QString leadingWord(const QString &text)
{
    static const QRegularExpression word(QStringLiteral(R"(^\s*([A-Za-z][A-Za-z-]*[A-Za-z])\s*(:|$))"));
    const auto match = word.match(text);
    return match.hasMatch() ? match.captured(1) : QString();
}

QString typeSuffix(const QString &type)
{
    const qsizetype slash = type.lastIndexOf(QLatin1Char('/'));
    return slash >= 0 ? type.mid(slash + 1) : type;
}

struct Problem
{
    QString name; // a known problem name or type suffix, or empty
    QString title;
    QString detail;
};

bool isKnownProblem(const QString &name);

// Looks in the prefix of detail, message, title and the type URL, in that order.
Problem readProblem(const QJsonObject &object)
{
    Problem problem;
    problem.title = object.value(QLatin1String("title")).toString();
    const QString message = object.value(QLatin1String("message")).toString();
    problem.detail = object.value(QLatin1String("detail")).toString();
    if (problem.detail.isEmpty())
        problem.detail = message;
    const QString type = object.value(QLatin1String("type")).toString();
    // The reason X's docs name ("ReplayConflictError: ...") is more specific than a title or a type
    // that is also a generic problem name ("Conflict", .../conflict), so it is looked at first.
    for (const QString &candidate : {leadingWord(problem.detail), message, leadingWord(message),
                                     problem.title, leadingWord(problem.title), typeSuffix(type)}) {
        if (!candidate.isEmpty() && isKnownProblem(candidate)) {
            problem.name = candidate;
            break;
        }
    }
    if (problem.detail.isEmpty())
        problem.detail = problem.title;
    return problem;
}

std::optional<int> codeOf(const QJsonValue &value)
{
    if (value.isDouble()) {
        const double d = value.toDouble();
        if (std::isfinite(d) && std::floor(d) == d && d >= 0 && d < 1e6)
            return static_cast<int>(d);
    }
    if (value.isString()) {
        bool ok = false;
        const int code = value.toString().toInt(&ok);
        if (ok && code >= 0)
            return code;
    }
    return std::nullopt;
}

QString truncated(QString text)
{
    text = text.trimmed();
    if (text.size() > kMaxServerMessage)
        text = text.left(kMaxServerMessage) + QStringLiteral("…");
    return text;
}

// A readable one-line excerpt of a non-JSON body: the <title> of an HTML page, or the text.
QString excerpt(const QByteArray &body)
{
    const QString text = QString::fromUtf8(body.left(4096));
    static const QRegularExpression title(QStringLiteral("<title[^>]*>([^<]*)</title>"),
                                          QRegularExpression::CaseInsensitiveOption);
    if (const auto match = title.match(text); match.hasMatch())
        return truncated(match.captured(1).simplified());
    static const QRegularExpression tags(QStringLiteral("<[^>]*>"));
    return truncated(QString(text).remove(tags).simplified());
}

bool looksLikeHtml(const QByteArray &body, const QByteArray &contentType)
{
    if (contentType.toLower().contains("html"))
        return true;
    const QByteArray start = body.trimmed().left(64).toLower();
    return start.startsWith('<');
}

QString crcSelfTestRemedy()
{
    return ErrorCatalogue::tr(
        "Run the CRC self-test against your endpoint and check its server logs for the GET "
        "with crc_token; then trigger the CRC check again.");
}

// The cause of a failed CRC, refined by the words X used.
ApiError crcFailure(const QString &message, int httpStatus)
{
    if (has(message, QLatin1String("latency")) || has(message, QLatin1String("timed out")) ||
        has(message, QLatin1String("timeout")) || has(message, QLatin1String("3 seconds"))) {
        return ApiError::make(
            Kind::CrcFailed,
            ErrorCatalogue::tr("Your webhook took longer than 3 seconds to answer X's CRC check."),
            ErrorCatalogue::tr("Make the CRC GET answer at once (no database or outgoing calls before "
                               "answering), check the server's load and network path, then trigger the CRC "
                               "check again."),
            httpStatus);
    }
    if (has(message, QLatin1String("non-200")) || has(message, QLatin1String("response code")) ||
        has(message, QLatin1String("status code"))) {
        return ApiError::make(
            Kind::CrcFailed,
            ErrorCatalogue::tr(
                "Your endpoint answered X's CRC GET request with a non-200 status (such as 404 or "
                "500)."),
            ErrorCatalogue::tr(
                "Check that the endpoint answers GET (not only POST) on exactly the registered "
                "path. %1")
                .arg(crcSelfTestRemedy()),
            httpStatus);
    }
    if (has(message, QLatin1String("marked invalid"))) {
        return ApiError::make(
            Kind::CrcFailed,
            ErrorCatalogue::tr(
                "The webhook is marked invalid because it failed its last CRC check, so X will "
                "not replay events to it."),
            ErrorCatalogue::tr("Trigger a CRC check for the webhook, make sure it becomes valid, then submit "
                               "the replay again."),
            httpStatus);
    }
    if (has(message, QLatin1String("crc token")) || has(message, QLatin1String("response_token")) ||
        has(message, QLatin1String("json"))) {
        return ApiError::make(
            Kind::CrcFailed,
            ErrorCatalogue::tr(
                "Your webhook answered X's CRC check, but the response_token was wrong or the body "
                "was not the expected JSON."),
            ErrorCatalogue::tr(
                "The endpoint must answer 200 with {\"response_token\":\"sha256=...\"}: base64 of "
                "HMAC-SHA256 over the crc_token, keyed with this app's consumer secret (not an "
                "access token or the bearer token). %1")
                .arg(crcSelfTestRemedy()),
            httpStatus);
    }
    return ApiError::make(
        Kind::CrcFailed, ErrorCatalogue::tr("Your webhook failed X's challenge-response check (CRC)."),
        ErrorCatalogue::tr(
            "The endpoint must answer the CRC GET within 3 seconds with status 200 and a correct "
            "response_token. %1")
            .arg(crcSelfTestRemedy()),
        httpStatus);
}

// A code X did not document for this console: honest about not knowing, with X's own words.
ApiError unknownCode(int code, const QString &message, int httpStatus)
{
    ApiError error = fromStatus(httpStatus, {});
    error.cause = message.isEmpty()
        ? ErrorCatalogue::tr("X answered with error code %1 (HTTP %2), which the console does not know.")
              .arg(code)
              .arg(httpStatus)
        : ErrorCatalogue::tr(
              "X answered with error code %1 (HTTP %2), which the console does not know: \"%3\".")
              .arg(code)
              .arg(httpStatus)
              .arg(message);
    error.remedy =
        ErrorCatalogue::tr("Look up code %1 in X's response-code documentation. %2").arg(code).arg(logHint());
    return error;
}

struct NamedProblem
{
    QLatin1String name;
    Kind kind;
    const char *cause;
    const char *remedy;
};

// v2 problem names and the suffixes of v2 problem type URLs.
const NamedProblem kProblems[] = {
    {QLatin1String("CrcValidationFailed"), Kind::CrcFailed, nullptr, nullptr}, // crcFailure() words it
    {QLatin1String("UrlValidationFailed"), Kind::InvalidRequest,
     QT_TRANSLATE_NOOP("ErrorCatalogue",
                       "X refused the webhook URL: it is not a valid https URL that X accepts."),
     QT_TRANSLATE_NOOP("ErrorCatalogue",
                       "Use an https URL with a public host name, no port and a valid certificate.")},
    {QLatin1String("DuplicateUrlFailed"), Kind::Conflict,
     QT_TRANSLATE_NOOP("ErrorCatalogue", "This app has already registered a webhook with this URL."),
     QT_TRANSLATE_NOOP("ErrorCatalogue",
                       "Use the existing webhook (refresh the list), or delete it first if you want to "
                       "register it again.")},
    {QLatin1String("WebhookLimitExceeded"), Kind::QuotaExceeded,
     QT_TRANSLATE_NOOP("ErrorCatalogue", "The webhook limit for this app or account is reached."),
     QT_TRANSLATE_NOOP("ErrorCatalogue",
                       "Delete a webhook you no longer need, or ask X for a higher limit.")},
    {QLatin1String("DuplicateSubscriptionFailed"), Kind::Conflict,
     QT_TRANSLATE_NOOP("ErrorCatalogue", "This user is already subscribed to the webhook."),
     QT_TRANSLATE_NOOP("ErrorCatalogue", "Nothing to do: refresh the subscription list to see it.")},
    // The sandbox's name for an X Activity subscription that exists already (409 conflict; X
    // documents no name): the generic "conflict" text speaks of running jobs.
    {QLatin1String("DuplicateActivitySubscription"), Kind::Conflict,
     QT_TRANSLATE_NOOP("ErrorCatalogue",
                       "An X Activity subscription with this event type, filter and webhook already exists."),
     QT_TRANSLATE_NOOP(
         "ErrorCatalogue",
         "Use the existing subscription (refresh the list); to label it differently, change its "
         "tag.")},
    {QLatin1String("SubscriptionLimitExceeded"), Kind::QuotaExceeded,
     QT_TRANSLATE_NOOP("ErrorCatalogue",
                       "The subscription limit is reached (it counts subscriptions across all webhooks)."),
     QT_TRANSLATE_NOOP("ErrorCatalogue",
                       "Remove subscriptions you no longer need, or ask X for a higher limit.")},
    {QLatin1String("SubscriptionNotFound"), Kind::NotFound,
     QT_TRANSLATE_NOOP("ErrorCatalogue", "This user is not subscribed to the webhook."),
     QT_TRANSLATE_NOOP("ErrorCatalogue", "Refresh the subscription list; there is nothing to remove.")},
    {QLatin1String("WebhookIdInvalid"), Kind::NotFound,
     QT_TRANSLATE_NOOP("ErrorCatalogue",
                       "The webhook id does not exist, or belongs to another app than the profile's keys."),
     QT_TRANSLATE_NOOP("ErrorCatalogue",
                       "Refresh the webhook list and use an id from it; check the profile uses the app that "
                       "owns the webhook.")},
    {QLatin1String("ReplayConflictError"), Kind::Conflict,
     QT_TRANSLATE_NOOP("ErrorCatalogue",
                       "A replay job is already running for this webhook; only one can run at a time."),
     QT_TRANSLATE_NOOP(
         "ErrorCatalogue",
         "Wait for the replay_job_status event (Complete or Incomplete) before submitting another job.")},
    {QLatin1String("QueryParamInvalid"), Kind::InvalidRequest,
     QT_TRANSLATE_NOOP(
         "ErrorCatalogue",
         "X refused a query parameter: for replay, a date is malformed, in the future, outside the allowed "
         "window, or "
         "from_date is after to_date."),
     QT_TRANSLATE_NOOP("ErrorCatalogue",
                       "Use yyyyMMddhhmm in UTC with from_date before to_date, both in the past and within "
                       "the replay window.")},
    {QLatin1String("client-not-enrolled"), Kind::Permission,
     QT_TRANSLATE_NOOP(
         "ErrorCatalogue",
         "The app is not enrolled for this product: its project has no access to these X API v2 endpoints."),
     QT_TRANSLATE_NOOP("ErrorCatalogue",
                       "In the developer portal, attach the app to a project with Account Activity API "
                       "access (or the required "
                       "plan), then try again.")},
    {QLatin1String("usage-capped"), Kind::QuotaExceeded,
     QT_TRANSLATE_NOOP("ErrorCatalogue", "The usage cap of the app's X API plan is reached."),
     QT_TRANSLATE_NOOP(
         "ErrorCatalogue",
         "Wait until the plan's usage period resets, or upgrade the plan in the developer portal.")},
    {QLatin1String("rate-limit-exceeded"), Kind::RateLimited,
     QT_TRANSLATE_NOOP("ErrorCatalogue", "The rate limit for this endpoint is used up."),
     QT_TRANSLATE_NOOP("ErrorCatalogue",
                       "Wait until the 15-minute rate-limit window resets before trying again.")},
    {QLatin1String("invalid-request"), Kind::InvalidRequest,
     QT_TRANSLATE_NOOP("ErrorCatalogue", "X refused the request as invalid."),
     QT_TRANSLATE_NOOP("ErrorCatalogue",
                       "Check the ids, dates and URL you entered; X's detail text says which one.")},
    {QLatin1String("resource-not-found"), Kind::NotFound,
     QT_TRANSLATE_NOOP("ErrorCatalogue", "X says the requested resource does not exist."),
     QT_TRANSLATE_NOOP("ErrorCatalogue", "Check the id, and refresh the list it came from.")},
    {QLatin1String("not-authorized-for-resource"), Kind::Permission,
     QT_TRANSLATE_NOOP("ErrorCatalogue", "The credentials used are not authorised for this resource."),
     QT_TRANSLATE_NOOP("ErrorCatalogue",
                       "Use the credential the endpoint needs (the subscribing user's token for user-context "
                       "calls), and check "
                       "the "
                       "user authorised this app.")},
    {QLatin1String("client-forbidden"), Kind::Permission,
     QT_TRANSLATE_NOOP(
         "ErrorCatalogue",
         "X forbids this app from using this endpoint (the app or its project lacks the required access)."),
     QT_TRANSLATE_NOOP("ErrorCatalogue",
                       "Check in the developer portal that the app belongs to a project with Account "
                       "Activity API access.")},
    // The rest of spec 2.167's nine types (x-api-2026.md §6.3).
    {QLatin1String("not-authorized-for-field"), Kind::Permission,
     QT_TRANSLATE_NOOP("ErrorCatalogue", "The credentials used may not see one of the requested fields."),
     QT_TRANSLATE_NOOP(
         "ErrorCatalogue",
         "Request fewer fields, or use a credential (user token with the right scopes) that may see them.")},
    {QLatin1String("field-unauthorized"), Kind::Permission,
     QT_TRANSLATE_NOOP("ErrorCatalogue", "The credentials used may not see one of the requested fields."),
     QT_TRANSLATE_NOOP(
         "ErrorCatalogue",
         "Request fewer fields, or use a credential (user token with the right scopes) that may see them.")},
    {QLatin1String("field-hydration-failure"), Kind::Server,
     QT_TRANSLATE_NOOP("ErrorCatalogue", "X could not fill in one of the fields of its answer."),
     QT_TRANSLATE_NOOP("ErrorCatalogue", "Try again in a few minutes; the rest of the answer is usable.")},
    {QLatin1String("resource-unavailable"), Kind::NotFound,
     QT_TRANSLATE_NOOP(
         "ErrorCatalogue",
         "The resource exists but X cannot show it now (for example a suspended or protected account)."),
     QT_TRANSLATE_NOOP("ErrorCatalogue",
                       "Check the resource on X; there is nothing the console can change about it.")},
    {QLatin1String("disallowed-resource"), Kind::Permission,
     QT_TRANSLATE_NOOP("ErrorCatalogue", "X does not allow this app to act on this resource."),
     QT_TRANSLATE_NOOP("ErrorCatalogue",
                       "Check the id, and that the app's access level includes this resource.")},
    {QLatin1String("internal-error"), Kind::Server,
     QT_TRANSLATE_NOOP("ErrorCatalogue", "X had an internal error answering."),
     QT_TRANSLATE_NOOP("ErrorCatalogue",
                       "Wait a few minutes and try again; if it persists, check X's API status page.")},
    // Older types (spec 2.166 and before, https://api.twitter.com/2/problems/...).
    {QLatin1String("unsupported-authentication"), Kind::Authentication,
     QT_TRANSLATE_NOOP("ErrorCatalogue",
                       "This endpoint does not accept the kind of credential the request was signed with."),
     QT_TRANSLATE_NOOP("ErrorCatalogue",
                       "Use the credential the endpoint needs: the app-only Bearer token for app calls, a "
                       "user's token (OAuth "
                       "1.0a or OAuth 2.0) for user calls.")},
    {QLatin1String("conflict"), Kind::Conflict,
     QT_TRANSLATE_NOOP(
         "ErrorCatalogue",
         "X refused the request because it conflicts with something in progress (such as a running job)."),
     QT_TRANSLATE_NOOP("ErrorCatalogue",
                       "Wait until the running job or change has finished, then try again.")},
    {QLatin1String("streaming-connection"), Kind::QuotaExceeded,
     QT_TRANSLATE_NOOP("ErrorCatalogue", "X refused the stream connection."),
     QT_TRANSLATE_NOOP("ErrorCatalogue", "Close other connections of this app, then reconnect.")},
    {QLatin1String("operational-disconnect"), Kind::Server,
     QT_TRANSLATE_NOOP("ErrorCatalogue", "X closed the connection for operational reasons."),
     QT_TRANSLATE_NOOP(
         "ErrorCatalogue",
         "Reconnect with backoff; events missed meanwhile can be recovered with backfill or replay.")},
    {QLatin1String("client-disconnected"), Kind::Network,
     QT_TRANSLATE_NOOP("ErrorCatalogue", "The connection to X was closed by this side."),
     QT_TRANSLATE_NOOP("ErrorCatalogue", "Reconnect; check the network connection if it happens often.")},
    {QLatin1String("duplicate-rules"), Kind::Conflict,
     QT_TRANSLATE_NOOP("ErrorCatalogue", "A rule with the same value already exists."),
     QT_TRANSLATE_NOOP("ErrorCatalogue", "Use the existing rule, or delete it before adding it again.")},
    {QLatin1String("invalid-rules"), Kind::InvalidRequest,
     QT_TRANSLATE_NOOP("ErrorCatalogue", "X refused a rule as invalid."),
     QT_TRANSLATE_NOOP("ErrorCatalogue", "Correct the rule's syntax as X's detail text says.")},
    {QLatin1String("noncompliant-rules"), Kind::InvalidRequest,
     QT_TRANSLATE_NOOP("ErrorCatalogue", "A rule breaks X's rules for this product."),
     QT_TRANSLATE_NOOP("ErrorCatalogue", "Change or remove the rule named in X's detail text.")},
    {QLatin1String("rule-cap"), Kind::QuotaExceeded,
     QT_TRANSLATE_NOOP("ErrorCatalogue", "The app has reached its number of rules."),
     QT_TRANSLATE_NOOP("ErrorCatalogue", "Delete rules you no longer need, or ask X for a higher limit.")},
};

// The fields some problem types add (x-api-2026.md §6.3), folded into the cause and the remedy.
void refineWithProblemFields(ApiError &error, const QJsonObject &object)
{
    const auto field = [&object](const char *key) {
        return object.value(QLatin1String(key)).toString().trimmed();
    };
    const QString type = typeSuffix(field("type"));

    if (type == QLatin1String("usage-capped") || error.name == QLatin1String("usage-capped")) {
        const QString period = field("period").toLower(); // Daily | Monthly
        const QString scope = field("scope"); // Account | Product
        if (!period.isEmpty() || !scope.isEmpty()) {
            const QString whose = scope == QLatin1String("Product")
                ? ErrorCatalogue::tr("this X API product")
                : ErrorCatalogue::tr("the developer account");
            error.cause = ErrorCatalogue::tr("The %1usage cap of %2 is reached.")
                              .arg(period.isEmpty() ? QString() : period + QLatin1Char(' '), whose);
            error.remedy = period == QLatin1String("daily")
                ? ErrorCatalogue::tr("Wait until the cap resets at midnight UTC, or upgrade the plan in the "
                                     "developer portal.")
                : ErrorCatalogue::tr(
                      "Wait until the cap resets at the start of the next billing month, or upgrade "
                      "the plan in the developer portal.");
        }
    }
    if (type == QLatin1String("client-forbidden") || error.name == QLatin1String("client-forbidden")) {
        const QString reason = field("reason");
        if (reason == QLatin1String("client-not-enrolled"))
            error.cause =
                ErrorCatalogue::tr("The app is not enrolled for this product: its project lacks the access "
                                   "level these endpoints need.");
        else if (reason == QLatin1String("official-client-forbidden"))
            error.cause = ErrorCatalogue::tr("X does not allow this client to call this endpoint.");
        const QString registration = field("registration_url");
        if (!registration.isEmpty())
            error.remedy =
                ErrorCatalogue::tr("Enrol the app's project for the required access at %1, then try "
                                   "again.")
                    .arg(registration);
    }
    if (type == QLatin1String("streaming-connection")) {
        const QString issue = field("connection_issue");
        if (issue == QLatin1String("TooManyConnections")) {
            error.cause =
                ErrorCatalogue::tr("The app already has as many stream connections open as its plan "
                                   "allows (TooManyConnections).");
            error.remedy = ErrorCatalogue::tr("Close the app's other stream connections (another console, a "
                                              "server), wait a minute, then reconnect.");
        } else if (issue == QLatin1String("ProvisioningSubscription")) {
            error.kind = Kind::Server;
            error.cause = ErrorCatalogue::tr("X is still setting up the stream for this app "
                                             "(ProvisioningSubscription).");
            error.remedy = ErrorCatalogue::tr("Wait a minute, then reconnect.");
        } else if (issue == QLatin1String("RuleConfigurationIssue") ||
                   issue == QLatin1String("RulesInvalidIssue")) {
            error.kind = Kind::InvalidRequest;
            error.cause =
                ErrorCatalogue::tr("X refused the stream because of the app's rules (%1).").arg(issue);
            error.remedy = ErrorCatalogue::tr("Check and correct the stream's rules or subscriptions, then "
                                              "reconnect.");
        }
    }
    if (type == QLatin1String("operational-disconnect")) {
        const QString disconnect = field("disconnect_type");
        if (disconnect == QLatin1String("SlowReader"))
            error.cause =
                ErrorCatalogue::tr("X closed the stream because this side read too slowly (SlowReader).");
        else if (disconnect == QLatin1String("ForceDisconnect"))
            error.cause = ErrorCatalogue::tr("X closed the stream on purpose (ForceDisconnect), for example "
                                             "because a newer connection of the app replaced it.");
        else if (!disconnect.isEmpty())
            error.cause =
                ErrorCatalogue::tr("X closed the stream for operational reasons (%1).").arg(disconnect);
    }

    // Which input or resource the problem is about, when X says.
    QStringList about;
    const QString parameter = field("parameter");
    if (!parameter.isEmpty()) {
        const QString value = object.value(QLatin1String("value")).isString() ? field("value") : QString();
        about << (value.isEmpty()
                      ? ErrorCatalogue::tr("parameter %1").arg(parameter)
                      : ErrorCatalogue::tr("parameter %1 = \"%2\"").arg(parameter, truncated(value)));
    }
    const QString resourceId = field("resource_id");
    if (!resourceId.isEmpty()) {
        const QString resourceType = field("resource_type");
        about << (resourceType.isEmpty() ? ErrorCatalogue::tr("id %1").arg(resourceId)
                                         : QStringLiteral("%1 %2").arg(resourceType, resourceId));
    }
    const QString fieldName = field("field");
    if (!fieldName.isEmpty())
        about << ErrorCatalogue::tr("field %1").arg(fieldName);
    if (!about.isEmpty()) {
        QString cause = error.cause;
        if (cause.endsWith(QLatin1Char('.')))
            cause.chop(1);
        error.cause = cause + QStringLiteral(" (") + about.join(QStringLiteral(", ")) + QStringLiteral(").");
    }
}

const NamedProblem *findProblem(const QString &name)
{
    const QString key = typeSuffix(name.trimmed());
    for (const NamedProblem &problem : kProblems) {
        if (key.compare(problem.name, Qt::CaseInsensitive) == 0)
            return &problem;
    }
    return nullptr;
}

bool isKnownProblem(const QString &name)
{
    return findProblem(name) != nullptr;
}

} // namespace

ApiError fromCode(int code, const QString &message, int httpStatus)
{
    ApiError error;
    const auto set = [&](Kind kind, QString cause, QString remedy) {
        error = ApiError::make(kind, std::move(cause), std::move(remedy), httpStatus);
    };
    switch (code) {
    case 0:
        set(Kind::Server, ErrorCatalogue::tr("X's replay service had an internal error (code 0)."),
            ErrorCatalogue::tr(
                "Wait a few minutes and submit the replay job again; if it keeps failing, check X's "
                "API status page."));
        break;
    case 32:
        if (has(message, QLatin1String("application-only")) ||
            has(message, QLatin1String("authentication method")))
            set(Kind::Authentication,
                ErrorCatalogue::tr(
                    "Replay accepts only application-only (bearer token) authentication, but the request "
                    "was signed with a user's access token (code 32)."),
                ErrorCatalogue::tr(
                    "Give the profile a bearer token (or the consumer key and secret to obtain one) so "
                    "replay requests use it."));
        else
            set(Kind::Authentication,
                ErrorCatalogue::tr(
                    "X could not authenticate the request (code 32): the OAuth signature, the keys or the "
                    "timestamp were rejected."),
                ErrorCatalogue::tr(
                    "Check the consumer key/secret and the access token/secret in the profile (keys that "
                    "were regenerated replace the old ones), that this computer's clock is right, and that "
                    "the app is enabled for the Account Activity API. For Premium, check the environment "
                    "name: it is case-sensitive."));
        break;
    case 34:
        if (has(message, QLatin1String("webhook")))
            set(Kind::NotFound,
                ErrorCatalogue::tr(
                    "The webhook does not exist, or it belongs to a different X app than the profile's "
                    "keys (code 34)."),
                ErrorCatalogue::tr(
                    "Refresh the webhook list and use an id from it; check the profile uses the consumer "
                    "key of the app that registered the webhook."));
        else
            set(Kind::NotFound,
                ErrorCatalogue::tr("X says this page does not exist (code 34): the id or the path is wrong."),
                ErrorCatalogue::tr(
                    "Check the id, and that the profile's base URL and API generation (v1.1 or v2, "
                    "Enterprise or Premium) match the server."));
        break;
    case 61:
        set(Kind::Permission, ErrorCatalogue::tr("This app is not permitted to call this method (code 61)."),
            ErrorCatalogue::tr(
                "Replay needs an Enterprise Account Activity API package with replay enabled for this "
                "app; ask your X account manager, or use the app that has it."));
        break;
    case 67:
        set(Kind::Server, ErrorCatalogue::tr("X's servers had a temporary problem (code 67)."),
            ErrorCatalogue::tr("Try again later, waiting longer between attempts (exponential back-off)."));
        break;
    case 88:
        set(Kind::RateLimited, ErrorCatalogue::tr("The rate limit for this endpoint is used up (code 88)."),
            ErrorCatalogue::tr(
                "Wait until the 15-minute rate-limit window resets before trying again; retrying sooner "
                "only fails again."));
        break;
    case 89:
        set(Kind::Authentication,
            ErrorCatalogue::tr(
                "The token is invalid or has expired (code 89): it was revoked, regenerated, or belongs "
                "to another app."),
            ErrorCatalogue::tr(
                "Obtain a new bearer token (or sign the user in again for a user token) and save it in "
                "the profile."));
        break;
    case 99:
        if (has(message, QLatin1String("access to this resource")))
            set(Kind::Permission,
                ErrorCatalogue::tr(
                    "This app has no access to this resource (code 99): it is not enabled for the Account "
                    "Activity API."),
                ErrorCatalogue::tr(
                    "Check in the developer portal that the app has Account Activity API access, and that "
                    "the profile uses that app's keys."));
        else
            set(Kind::Permission,
                ErrorCatalogue::tr(
                    "X could not verify the app's credentials (code 99): the consumer key or secret is "
                    "wrong, or bearer tokens were requested too often."),
                ErrorCatalogue::tr(
                    "Check the consumer key and secret in the profile. The bearer token does not change: "
                    "keep using the stored one instead of requesting a new one each time."));
        break;
    case 135:
        set(Kind::Authentication,
            ErrorCatalogue::tr(
                "X refused the request's timestamp (code 135): this computer's clock differs too much "
                "from X's."),
            ErrorCatalogue::tr("Synchronise the system clock (turn on automatic time / NTP) and try again."));
        break;
    case 200:
        if (has(message, QLatin1String("replay")))
            set(Kind::Permission,
                ErrorCatalogue::tr(
                    "Replay needs an Enterprise Account Activity API account with replay, which this "
                    "account does not have (code 200)."),
                ErrorCatalogue::tr(
                    "Ask your X account manager to enable replay, or recover the events another way."));
        else
            set(Kind::Permission,
                ErrorCatalogue::tr(
                    "X forbids this call (code 200): the account has no Account Activity API access, or "
                    "the Premium environment name is wrong."),
                ErrorCatalogue::tr(
                    "Check the developer account's Account Activity API access and, for Premium, the "
                    "exact (case-sensitive) environment name in the profile."));
        break;
    case 214:
        if (has(message, QLatin1String("too many resources")))
            set(Kind::QuotaExceeded,
                ErrorCatalogue::tr(
                    "The webhook limit for this account is reached (code 214: too many resources already "
                    "created)."),
                ErrorCatalogue::tr("Delete a webhook you no longer need, or ask X for a higher limit."));
        else if (has(message, QLatin1String("crc")) || has(message, QLatin1String("latency")) ||
                 has(message, QLatin1String("non-200")) || has(message, QLatin1String("marked invalid")) ||
                 has(message, QLatin1String("json")))
            error = crcFailure(message, httpStatus);
        else if (has(message, QLatin1String("does not meet the requirements")))
            set(Kind::InvalidRequest,
                ErrorCatalogue::tr(
                    "X refused the webhook URL: it does not meet the requirements (code 214)."),
                ErrorCatalogue::tr(
                    "Use an https URL with a public host name, no port, and a valid certificate, reachable "
                    "from the internet; it must answer X's CRC GET."));
        else
            error = crcFailure(message, httpStatus);
        break;
    case 215:
        set(Kind::Authentication,
            ErrorCatalogue::tr(
                "X could not read the request's authentication (code 215: bad authentication data)."),
            ErrorCatalogue::tr(
                "Check that the profile has the credential this endpoint needs (OAuth 1.0a keys and "
                "token, or a bearer token) and that none of them is empty or truncated."));
        break;
    case 220:
        set(Kind::Permission,
            ErrorCatalogue::tr(
                "These credentials may not access this resource (code 220); typically a bearer token was "
                "used where a user's OAuth 1.0a token is needed."),
            ErrorCatalogue::tr(
                "Use the app owner's or the subscribing user's access token for this call, as the "
                "endpoint requires, and check both are in the profile."));
        break;
    case 261:
        set(Kind::Permission,
            ErrorCatalogue::tr(
                "The app cannot perform write actions (code 261): its token lacks Read, Write and Direct "
                "Messages permission, or the webhook was registered with app-only authentication."),
            ErrorCatalogue::tr(
                "In the developer portal set the app's permission to Read, Write and Direct Messages, then "
                "regenerate the access token (tokens keep their old level) and update the profile. Register "
                "webhooks with the app owner's access token."));
        break;
    case 326:
        set(Kind::Permission, ErrorCatalogue::tr("The X account is temporarily locked (code 326)."),
            ErrorCatalogue::tr(
                "Log in to x.com with that account and follow the steps to unlock it, then try again."));
        break;
    case 348:
        set(Kind::Permission,
            ErrorCatalogue::tr(
                "The signed-in user has not authorised this app to manage their webhook subscriptions "
                "(code 348)."),
            ErrorCatalogue::tr(
                "Sign the user in again with this app (three-legged sign-in) and use that user's access "
                "token for the subscription."));
        break;
    case 355:
        if (has(message, QLatin1String("replay")))
            set(Kind::Conflict,
                ErrorCatalogue::tr(
                    "A replay job is already running for this webhook (code 355); only one can run at a "
                    "time."),
                ErrorCatalogue::tr(
                    "Wait for the replay_job_status event (Complete or Incomplete) before submitting "
                    "another job."));
        else
            set(Kind::Conflict,
                ErrorCatalogue::tr("This user is already subscribed to the webhook (code 355)."),
                ErrorCatalogue::tr("Nothing to do: refresh the subscription list to see it."));
        break;
    case 356:
        set(Kind::InvalidRequest,
            ErrorCatalogue::tr(
                "X refused the replay window (code 356): from_date must be before to_date and within the "
                "past 5 days."),
            ErrorCatalogue::tr("Choose a from_date within the last 5 days and before to_date."));
        break;
    case 357:
        set(Kind::InvalidRequest, ErrorCatalogue::tr("A required query parameter was missing (code 357)."),
            ErrorCatalogue::tr(
                "Replay needs both from_date and to_date. If the console sent this request, report it "
                "with the request log entry."));
        break;
    case 358:
        set(Kind::InvalidRequest,
            ErrorCatalogue::tr("X could not read a parameter of the request (code 358)."),
            ErrorCatalogue::tr(
                "Dates must be yyyyMMddhhmm in UTC and ids digits only; check what you entered."));
        break;
    case 360:
        set(Kind::InvalidRequest, ErrorCatalogue::tr("X refused the webhook id (code 360)."),
            ErrorCatalogue::tr("Use a numeric webhook id from the webhook list."));
        break;
    case 368:
        set(Kind::InvalidRequest, ErrorCatalogue::tr("A replay date is not in the past (code 368)."),
            ErrorCatalogue::tr(
                "For replay, from_date must be at least 31 minutes and to_date at least 10 minutes in the "
                "past (UTC)."));
        break;
    case 404:
        set(Kind::NotFound,
            ErrorCatalogue::tr(
                "X found nothing to remove: this user is most likely not subscribed to the webhook "
                "(code 404)."),
            ErrorCatalogue::tr("Refresh the subscription list; there is nothing to unsubscribe."));
        break;
    case 415:
        set(Kind::InvalidRequest,
            ErrorCatalogue::tr(
                "X refused the sign-in callback URL (code 415): it is not approved for this app."),
            ErrorCatalogue::tr(
                "In the developer portal open the app, then User authentication settings, and add the "
                "exact callback URL the console uses (scheme, host, port and path) under Callback URI / "
                "Redirect URL; save and sign in again."));
        break;
    case 417:
        set(Kind::InvalidRequest,
            ErrorCatalogue::tr("This app only allows the PIN sign-in (oauth_callback=oob) (code 417)."),
            ErrorCatalogue::tr(
                "Sign in with the PIN method, or register a callback URL for the app in the developer "
                "portal (User authentication settings)."));
        break;
    default:
        error = unknownCode(code, message, httpStatus);
        break;
    }
    error.code = code;
    error.httpStatus = httpStatus;
    error.serverMessage = message;
    return error;
}

ApiError fromProblemName(const QString &name, const QString &detail, int httpStatus)
{
    const NamedProblem *problem = findProblem(name);
    ApiError error;
    if (!problem) {
        error = fromStatus(httpStatus,
                           detail.isEmpty() ? QString() : QStringLiteral(": \"%1\"").arg(truncated(detail)));
        error.name = name;
        error.serverMessage = detail;
        return error;
    }
    if (problem->kind == Kind::CrcFailed)
        error = crcFailure(detail, httpStatus);
    else
        error = ApiError::make(problem->kind, QCoreApplication::translate("ErrorCatalogue", problem->cause),
                               QCoreApplication::translate("ErrorCatalogue", problem->remedy), httpStatus);
    error.name = problem->name;
    error.httpStatus = httpStatus;
    error.serverMessage = detail;
    return error;
}

namespace {

// One entry of "errors", or a top-level problem: a v1.1 code, a v2 problem with its fields.
ApiError fromErrorObject(const QJsonObject &object, const QJsonObject &outer, int httpStatus)
{
    if (const auto code = codeOf(object.value(QLatin1String("code"))))
        return fromCode(*code, object.value(QLatin1String("message")).toString(), httpStatus);
    const Problem problem = readProblem(object);
    const Problem outerProblem = readProblem(outer);
    ApiError error;
    if (problem.name.isEmpty() && !outerProblem.name.isEmpty()) {
        error = fromProblemName(outerProblem.name, outerProblem.detail, httpStatus);
        refineWithProblemFields(error, outer);
    } else {
        error = fromProblemName(problem.name.isEmpty() ? problem.title : problem.name, problem.detail,
                                httpStatus);
    }
    refineWithProblemFields(error, object);
    return error;
}

} // namespace

QList<ApiError> partialErrors(int httpStatus, const QByteArray &body)
{
    QList<ApiError> found;
    const QByteArray trimmed = body.trimmed();
    if (!trimmed.startsWith('{'))
        return found;
    const QJsonDocument doc = QJsonDocument::fromJson(trimmed);
    const QJsonObject top = doc.object();
    if (!top.contains(QLatin1String("data")))
        return found; // errors without data are the answer itself, not a partial success
    const QJsonArray entries = top.value(QLatin1String("errors")).toArray();
    for (const QJsonValue &entry : entries) {
        if (entry.isObject())
            found.append(fromErrorObject(entry.toObject(), {}, httpStatus));
    }
    return found;
}

ApiError fromRetiredEndpoint(const endpoints::RetiredEndpoint &retired, const QString &path, int httpStatus)
{
    ApiError error = ApiError::make(
        Kind::NotFound,
        ErrorCatalogue::tr("X retired %1 on %2, so it answers HTTP %3.")
            .arg(path, retired.retiredOn.toString(Qt::ISODate))
            .arg(httpStatus),
        ErrorCatalogue::tr("Use %1 instead: update the program or script that made this call "
                           "(this console uses it already), or the proxy that rewrote the path.")
            .arg(retired.replacement),
        httpStatus);
    error.name = QStringLiteral("retired-endpoint");
    return error;
}

ApiError fromOAuth2Error(const QString &error, const QString &description, int httpStatus)
{
    const QString said = description.isEmpty()
        ? QStringLiteral("“%1”").arg(error)
        : QStringLiteral("“%1”: %2").arg(error, truncated(description));
    ApiError result;
    if (error == QLatin1String("invalid_grant")) {
        result = ApiError::make(
            Kind::Authentication,
            ErrorCatalogue::tr(
                "X no longer accepts this sign-in (%1): the code or refresh token expired, was "
                "used already or was revoked.")
                .arg(said),
            ErrorCatalogue::tr("Sign the account in again."), httpStatus);
    } else if (error == QLatin1String("invalid_client") || error == QLatin1String("unauthorized_client")) {
        result = ApiError::make(
            Kind::Authentication,
            ErrorCatalogue::tr("X did not accept the app's OAuth 2.0 client credentials (%1).").arg(said),
            ErrorCatalogue::tr("Check the profile's OAuth 2.0 Client ID and, for a confidential client (web "
                               "app, bot), its Client Secret against the developer portal; a public client "
                               "(native app) has no secret."),
            httpStatus);
    } else if (error == QLatin1String("invalid_scope")) {
        result = ApiError::make(
            Kind::InvalidRequest, ErrorCatalogue::tr("X refused the scopes asked for (%1).").arg(said),
            ErrorCatalogue::tr("Choose scopes that X knows in the profile (the presets are "
                               "safe), then sign in again."),
            httpStatus);
    } else if (error == QLatin1String("access_denied")) {
        result =
            ApiError::make(Kind::Permission, ErrorCatalogue::tr("The app was not authorised (%1).").arg(said),
                           ErrorCatalogue::tr("Sign in again and approve the app."), httpStatus);
    } else {
        result = ApiError::make(
            Kind::InvalidRequest, ErrorCatalogue::tr("X refused the OAuth 2.0 request (%1).").arg(said),
            ErrorCatalogue::tr(
                "Sign in again. If the redirect URI is named, it must match the one registered "
                "in the developer portal exactly. %1")
                .arg(logHint()),
            httpStatus);
    }
    result.name = error;
    result.serverMessage = truncated(description.isEmpty() ? error : description);
    return result;
}

ApiError fromResponse(int httpStatus, const QByteArray &body, const QByteArray &contentType)
{
    QJsonParseError parseError;
    const QJsonDocument doc =
        body.trimmed().isEmpty() ? QJsonDocument() : QJsonDocument::fromJson(body, &parseError);
    if (doc.isObject()) {
        const QJsonObject top = doc.object();
        // RFC 6749 token errors, also when X adds its own "errors" next to them (a reused code).
        static const QStringList rfc6749Errors {
            QStringLiteral("invalid_request"),        QStringLiteral("invalid_client"),
            QStringLiteral("invalid_grant"),          QStringLiteral("unauthorized_client"),
            QStringLiteral("unsupported_grant_type"), QStringLiteral("invalid_scope"),
            QStringLiteral("unsupported_token_type")};
        if (top.value(QLatin1String("error")).isString() &&
            (top.contains(QLatin1String("error_description")) ||
             rfc6749Errors.contains(top.value(QLatin1String("error")).toString())))
            return fromOAuth2Error(top.value(QLatin1String("error")).toString(),
                                   top.value(QLatin1String("error_description")).toString(), httpStatus);
        const QJsonValue errorsValue = top.value(QLatin1String("errors"));
        if (errorsValue.isArray()) {
            // Prefer an entry that says something specific: a code or a known problem name.
            std::optional<QJsonObject> chosen;
            const QJsonArray entries = errorsValue.toArray();
            for (const QJsonValue &entry : entries) {
                if (!entry.isObject())
                    continue;
                const QJsonObject object = entry.toObject();
                if (!chosen)
                    chosen = object;
                if (codeOf(object.value(QLatin1String("code"))) || !readProblem(object).name.isEmpty()) {
                    chosen = object;
                    break;
                }
            }
            if (chosen)
                return fromErrorObject(*chosen, top, httpStatus);
        }
        if (const auto code = codeOf(top.value(QLatin1String("code")));
            code && top.contains(QLatin1String("message")))
            return fromCode(*code, top.value(QLatin1String("message")).toString(), httpStatus);
        if (top.contains(QLatin1String("title")) || top.contains(QLatin1String("detail")) ||
            top.contains(QLatin1String("type")))
            return fromErrorObject(top, {}, httpStatus);
        // {"error":"..."} as some gateways send it.
        if (top.value(QLatin1String("error")).isString()) {
            const QString message = top.value(QLatin1String("error")).toString();
            ApiError error = fromStatus(httpStatus, QStringLiteral(": \"%1\"").arg(truncated(message)));
            error.serverMessage = message;
            return error;
        }
        ApiError error =
            fromStatus(httpStatus, ErrorCatalogue::tr(" with a JSON body the console does not recognise"));
        error.remedy += QLatin1Char(' ') + logHint();
        return error;
    }

    if (body.trimmed().isEmpty())
        return fromStatus(httpStatus, ErrorCatalogue::tr(" with an empty body"));
    if (looksLikeHtml(body, contentType)) {
        ApiError error =
            fromStatus(httpStatus, ErrorCatalogue::tr(" with an HTML page instead of an API answer"));
        error.serverMessage = excerpt(body);
        if (httpStatus == 404 || (httpStatus >= 200 && httpStatus < 300))
            error.remedy =
                ErrorCatalogue::tr("An HTML page usually means the base URL points at a web site, a proxy "
                                   "or a captive portal rather than the API. Check the profile's base URL "
                                   "and API generation.");
        return error;
    }
    ApiError error = fromStatus(httpStatus,
                                doc.isNull() ? ErrorCatalogue::tr(" with a body that is not JSON")
                                             : ErrorCatalogue::tr(" with an unexpected JSON body"));
    error.serverMessage = excerpt(body);
    return error;
}

ApiError fromNetworkError(QNetworkReply::NetworkError networkError, const QString &detail)
{
    ApiError error;
    const auto set = [&](Kind kind, QString cause, QString remedy) {
        error = ApiError::make(kind, std::move(cause), std::move(remedy), 0);
    };
    const QString checkNetwork =
        ErrorCatalogue::tr("Check this computer's network connection and try again.");
    switch (networkError) {
    case QNetworkReply::NoError:
        set(Kind::None, {}, {});
        break;
    case QNetworkReply::ConnectionRefusedError:
        set(Kind::Network,
            ErrorCatalogue::tr("The server refused the connection: nothing is listening at that address "
                               "and port."),
            ErrorCatalogue::tr(
                "Check the profile's base URL (host and port); for the sandbox, check that it is running."));
        break;
    case QNetworkReply::RemoteHostClosedError:
        set(Kind::Network, ErrorCatalogue::tr("The server closed the connection before answering."),
            ErrorCatalogue::tr(
                "Try again; if it keeps happening, a proxy or firewall may be cutting the connection, or "
                "the base URL uses http where the server expects https."));
        break;
    case QNetworkReply::HostNotFoundError:
        set(Kind::HostNotFound,
            ErrorCatalogue::tr("The server's host name could not be found (DNS lookup failed)."),
            ErrorCatalogue::tr(
                "Check the host name in the profile's base URL for typos, and that this computer is "
                "online and can resolve names."));
        break;
    case QNetworkReply::TimeoutError:
    case QNetworkReply::OperationCanceledError: // what a transfer timeout reports in Qt 6
        set(Kind::Timeout, ErrorCatalogue::tr("The server did not answer in time; the request was stopped."),
            ErrorCatalogue::tr(
                "Try again in a moment. If it keeps timing out, check the network, any proxy, and X's "
                "API status page."));
        break;
    case QNetworkReply::SslHandshakeFailedError:
        set(Kind::Tls,
            ErrorCatalogue::tr(
                "A secure (TLS) connection could not be established: the server's certificate was not "
                "trusted or the handshake failed."),
            ErrorCatalogue::tr(
                "Check the base URL's host name and this computer's date and time; if a company proxy "
                "inspects TLS, install its root certificate in the system store. Never turn off "
                "certificate checks."));
        break;
    case QNetworkReply::InsecureRedirectError:
        set(Kind::Tls,
            ErrorCatalogue::tr("The server tried to redirect from https to plain http, which is refused."),
            ErrorCatalogue::tr("Check the profile's base URL: use the API host itself with https."));
        break;
    case QNetworkReply::TooManyRedirectsError:
        set(Kind::Network, ErrorCatalogue::tr("The server redirected too many times."),
            ErrorCatalogue::tr(
                "Check the profile's base URL: use the API host itself, e.g. https://api.x.com."));
        break;
    case QNetworkReply::TemporaryNetworkFailureError:
    case QNetworkReply::NetworkSessionFailedError:
    case QNetworkReply::BackgroundRequestNotAllowedError:
        set(Kind::Network, ErrorCatalogue::tr("The network connection was lost or is not available."),
            checkNetwork);
        break;
    case QNetworkReply::ProxyConnectionRefusedError:
    case QNetworkReply::ProxyConnectionClosedError:
    case QNetworkReply::ProxyNotFoundError:
    case QNetworkReply::UnknownProxyError:
        set(Kind::Network,
            ErrorCatalogue::tr("The proxy server could not be used: it refused or closed the connection, "
                               "or its host was not found."),
            ErrorCatalogue::tr(
                "Check the proxy settings of this computer (or the http_proxy/https_proxy variables)."));
        break;
    case QNetworkReply::ProxyTimeoutError:
        set(Kind::Timeout, ErrorCatalogue::tr("The proxy server did not answer in time."),
            ErrorCatalogue::tr("Check the proxy settings of this computer and try again."));
        break;
    case QNetworkReply::ProxyAuthenticationRequiredError:
        set(Kind::Network,
            ErrorCatalogue::tr("The proxy server requires a login that the console does not have."),
            ErrorCatalogue::tr("Configure the proxy credentials in the system proxy settings."));
        break;
    case QNetworkReply::AuthenticationRequiredError:
        set(Kind::Authentication, ErrorCatalogue::tr("The server asked for credentials it did not accept."),
            ErrorCatalogue::tr("Check the keys and tokens in the profile."));
        break;
    case QNetworkReply::ContentAccessDenied:
    case QNetworkReply::ContentOperationNotPermittedError:
        set(Kind::Permission, ErrorCatalogue::tr("The server refused access to this resource."),
            ErrorCatalogue::tr("Check that the credentials used may call this endpoint."));
        break;
    case QNetworkReply::ContentNotFoundError:
    case QNetworkReply::ContentGoneError:
        set(Kind::NotFound, ErrorCatalogue::tr("The server says this resource does not exist."),
            ErrorCatalogue::tr("Check the id and the profile's base URL and API generation."));
        break;
    case QNetworkReply::ContentConflictError:
        set(Kind::Conflict, ErrorCatalogue::tr("The request conflicts with the current state on the server."),
            ErrorCatalogue::tr("Refresh the view and try again."));
        break;
    case QNetworkReply::InternalServerError:
    case QNetworkReply::OperationNotImplementedError:
    case QNetworkReply::ServiceUnavailableError:
    case QNetworkReply::UnknownServerError:
        set(Kind::Server, ErrorCatalogue::tr("The server had a problem answering."),
            ErrorCatalogue::tr("Try again in a few minutes; check X's API status page if it persists."));
        break;
    case QNetworkReply::ContentReSendError:
    case QNetworkReply::ProtocolUnknownError:
    case QNetworkReply::ProtocolInvalidOperationError:
    case QNetworkReply::ProtocolFailure:
    case QNetworkReply::UnknownContentError:
    case QNetworkReply::UnknownNetworkError:
        set(Kind::Network, ErrorCatalogue::tr("The request failed at the network or protocol level."),
            ErrorCatalogue::tr("%1 Also check that the base URL starts with https:// or http://.")
                .arg(checkNetwork));
        break;
    }
    if (error.kind != Kind::None && !detail.isEmpty())
        error.cause += QStringLiteral(" (%1)").arg(detail);
    error.serverMessage = detail;
    error.name =
        QString::fromLatin1(QMetaEnum::fromType<QNetworkReply::NetworkError>().valueToKey(networkError));
    return error;
}

ApiError rateLimited(const QDateTime &resetUtc, int code)
{
    ApiError error;
    error.kind = Kind::RateLimited;
    error.httpStatus = 429;
    error.code = code;
    error.retryAt = resetUtc.isValid() ? resetUtc.toUTC() : QDateTime();
    const QString codeText = code > 0 ? ErrorCatalogue::tr(" (code %1)").arg(code) : QString();
    if (!resetUtc.isValid()) {
        error.cause =
            ErrorCatalogue::tr("The rate limit for this endpoint is used up%1; X did not say when it resets.")
                .arg(codeText);
        error.remedy =
            ErrorCatalogue::tr("Wait for the 15-minute window to reset (at most 15 minutes) before trying "
                               "again; retrying sooner only fails again.");
        return error;
    }
    const QDateTime local = resetUtc.toLocalTime();
    const QString at = local.toString(QStringLiteral("HH:mm"));
    const qint64 seconds = QDateTime::currentDateTimeUtc().secsTo(resetUtc);
    const QString when = seconds <= 0 ? ErrorCatalogue::tr("now")
        : seconds < 60                ? ErrorCatalogue::tr("in less than a minute")
        : seconds <= 60               ? ErrorCatalogue::tr("in 1 minute")
                                      : ErrorCatalogue::tr("in %1 minutes").arg((seconds + 59) / 60);
    error.cause =
        ErrorCatalogue::tr("The rate limit for this endpoint is used up%1; it resets at %2 local time (%3).")
            .arg(codeText, at, when);
    error.remedy =
        ErrorCatalogue::tr("Wait until %1 before trying again; the console does not retry before then.")
            .arg(at);
    return error;
}

} // namespace activity::errors
