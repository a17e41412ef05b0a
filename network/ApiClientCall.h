#pragma once

// Internal to the network library: what ApiClient's translation units share (ApiClient.cpp for
// the Account Activity API and the transport, ApiClientUserAuth.cpp for OAuth 1.0a/2.0 sign-in
// calls, ApiClientActivity.cpp for the X Activity API): the helpers that turn answers into
// results, and the one call() every method goes through.

#include "ApiClient.h"
#include "ErrorCatalogue.h"
#include "OAuth2.h"

#include <QJsonDocument>
#include <QJsonParseError>

namespace activity {

namespace clientdetail {

inline ApiError validationError(const QString &cause, const QString &remedy)
{
    return ApiError::make(ApiError::Kind::Validation, cause, remedy);
}

template<typename T> ApiClient::Callback<T> orIgnore(ApiClient::Callback<T> done)
{
    return done ? std::move(done) : [](const Result<T> &) {};
}

// A 2xx answer's body through a parser; errors stay errors.
template<typename T>
std::function<Result<T>(const ApiReply &)> parsedWith(Result<T> (*parser)(const QByteArray &))
{
    return [parser](const ApiReply &reply) -> Result<T> {
        if (!reply.ok())
            return reply.error;
        return parser(reply.body);
    };
}

inline Result<Done> doneUnlessError(const ApiReply &reply)
{
    if (!reply.ok())
        return reply.error;
    // These answers carry nothing the console needs (204, "{}" or {"data":{...}}), but a body that
    // is not JSON at all (an HTML page behind a 200, a cut-off answer) leaves the outcome unknown.
    QJsonParseError parseError;
    if (!reply.body.trimmed().isEmpty() &&
        (QJsonDocument::fromJson(reply.body, &parseError), parseError.error != QJsonParseError::NoError)) {
        return ApiError::make(ApiError::Kind::MalformedResponse,
                              QStringLiteral("X answered HTTP %1 with a body that is not JSON, so it is "
                                             "unknown whether the change was made.")
                                  .arg(reply.httpStatus),
                              QStringLiteral("Refresh to see the current state, then try again if needed."),
                              reply.httpStatus);
    }
    return Done {};
}

} // namespace clientdetail

template<typename T>
ApiCall *ApiClient::call(Operation op, RequestParams params, std::optional<UserCredentials> user,
                         std::optional<ApiError> precheck, QObject *context, Callback<T> done,
                         Interpreter<T> interpret, ApiCall::SecretExtractor answerSecrets,
                         const QStringList &callScopes)
{
    const Endpoint *catalogued = endpoints::find(op, m_config.generation);
    // The user's credential decides between OAuth 1.0a and 2.0 where an endpoint takes both; the call
    // carries the endpoint as signed, so the request log shows the credential really used.
    std::optional<Endpoint> signedAs;
    if (catalogued) {
        signedAs = *catalogued;
        if (user && !precheck) {
            const Result<CredentialKind> kind = userCredentialFor(*catalogued, *user, callScopes);
            if (kind) {
                signedAs->credential = kind.value();
                // The scopes the call was signed for, so that the request log shows them.
                if (kind.value() == CredentialKind::OAuth2User && catalogued->oauth2ScopesPerCall)
                    signedAs->oauth2Scopes =
                        oauth2::parseScopes(oauth2::joinScopes(catalogued->oauth2Scopes + callScopes));
            } else {
                precheck = kind.error();
            }
        }
    }
    const Endpoint *endpoint = signedAs ? &*signedAs : nullptr;
    // An operation the generation lacks still gets a call object, so the single result path holds.
    const Endpoint missingEndpoint {op,
                                    m_config.generation,
                                    QByteArray(),
                                    QString(),
                                    CredentialKind::None,
                                    ParamPlacement::None,
                                    0,
                                    false,
                                    QString(),
                                    0,
                                    QStringLiteral("unavailable")};
    ApiCall *call = createCall(endpoint ? *endpoint : missingEndpoint);
    call->setAnswerSecrets(std::move(answerSecrets));

    done = clientdetail::orIgnore(std::move(done));
    connect(call, &ApiCall::replied, context ? context : this, [done, interpret](const ApiReply &reply) {
        Result<T> result = interpret(reply);
        // "errors" next to "data" in a 2xx: the value stands, and the problems travel with it.
        if (result.ok() && reply.ok())
            result.setPartialErrors(errors::partialErrors(reply.httpStatus, reply.body));
        result.setHttpStatus(reply.httpStatus);
        done(result);
    });

    if (!endpoint) {
        call->fail(clientdetail::validationError(
            QStringLiteral("The %1 API has no endpoint for this operation.")
                .arg(endpoints::generationName(m_config.generation)),
            m_config.generation == ApiGeneration::V2
                ? QStringLiteral("Switch the profile to %1 to use it, or use the %2 alternative.")
                      .arg(endpoints::generationName(ApiGeneration::V1_1),
                           endpoints::generationName(ApiGeneration::V2))
                : QStringLiteral("Switch the profile to %1 to use it.")
                      .arg(endpoints::generationName(ApiGeneration::V2))));
        return call;
    }
    if (m_configError) {
        call->fail(*m_configError);
        return call;
    }
    if (precheck) {
        call->fail(*precheck);
        return call;
    }
    dispatch(call, *endpoint, std::move(params), std::move(user));
    return call;
}

} // namespace activity
