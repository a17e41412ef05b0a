#pragma once

// Shared by the sandbox tests: the fixture (SandboxTestCase), a raw HTTP client that signs OAuth
// 1.0a requests independently of network/OAuth1 (with QtNetworkAuth's QOAuth1Signature), and small
// webhook receivers.

#include "Crc.h"
#include "EndpointCatalogue.h"
#include "SandboxDemo.h"
#include "SandboxServer.h"

#include <QHttpServer>
#include <QHttpServerResponse>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QNetworkAccessManager>
#include <QNetworkProxy>
#include <QNetworkReply>
#include <QOAuth1Signature>
#include <QRegularExpression>
#include <QSignalSpy>
#include <QTcpServer>
#include <QTcpSocket>
#include <QTest>
#include <QUrlQuery>

#include <memory>

namespace sandboxtest {

using namespace activity::sandbox;
// The catalogue names the sandbox's routes and rate-limit keys: endpoints::find(op, gen)->rateLimitKey.
namespace endpoints = activity::endpoints;
using activity::ApiGeneration;
using activity::Operation;

struct Response
{
    int status = -1; // -1: no answer within the wait; 0: network error without HTTP status
    QByteArray body;
    QHash<QByteArray, QByteArray> headers; // lower-case names
    QNetworkReply::NetworkError error = QNetworkReply::NoError;

    QJsonDocument json() const { return QJsonDocument::fromJson(body); }
    QJsonObject object() const { return json().object(); }
    int v1Code() const
    {
        return object()
            .value(QStringLiteral("errors"))
            .toArray()
            .at(0)
            .toObject()
            .value(QStringLiteral("code"))
            .toInt();
    }
    QString v1Message() const
    {
        return object()
            .value(QStringLiteral("errors"))
            .toArray()
            .at(0)
            .toObject()
            .value(QStringLiteral("message"))
            .toString();
    }
    QString v2Title() const { return object().value(QStringLiteral("title")).toString(); }
    // The reason a v2 problem names at the start of its detail ("CrcValidationFailed: ..."), else
    // the title.
    QString v2Reason() const
    {
        const QString detail = object().value(QStringLiteral("detail")).toString();
        static const QRegularExpression reason(QStringLiteral("^([A-Za-z][A-Za-z-]*):"));
        const auto match = reason.match(detail);
        return match.hasMatch() ? match.captured(1) : v2Title();
    }
    QJsonObject data() const { return object().value(QStringLiteral("data")).toObject(); }
    QByteArray header(const char *name) const { return headers.value(QByteArray(name)); }
};

struct Credentials
{
    QByteArray consumerKey = activity::sandbox::demo::consumerKey;
    QByteArray consumerSecret = activity::sandbox::demo::consumerSecret;
    QByteArray token;
    QByteArray tokenSecret;
};

inline Credentials owner()
{
    return {demo::consumerKey, demo::consumerSecret, demo::ownerToken, demo::ownerTokenSecret};
}
inline Credentials userCredentials(const demo::User &user)
{
    return {demo::consumerKey, demo::consumerSecret, user.token, user.tokenSecret};
}

using Params = QList<std::pair<QString, QString>>;

class Client
{
public:
    explicit Client(const QUrl &base)
        : m_base(base)
    {
        m_nam.setProxy(QNetworkProxy::NoProxy);
        m_nam.setRedirectPolicy(QNetworkRequest::ManualRedirectPolicy);
    }

    QUrl url(const QString &pathAndQuery) const { return QUrl(m_base.toString() + pathAndQuery); }

    // Sent with every request from now on (X-Sandbox-Token, Origin, ...).
    void setHeader(const QByteArray &name, const QByteArray &value) { m_headers.insert(name, value); }
    void removeHeader(const QByteArray &name) { m_headers.remove(name); }

    // Sends and waits for the answer (signals only, no sleeping).
    Response send(const QByteArray &method, const QUrl &url, const QByteArray &authorization = {},
                  const QByteArray &body = {}, const QByteArray &contentType = {}, int waitMs = 15000)
    {
        QNetworkRequest request(url);
        for (auto it = m_headers.cbegin(); it != m_headers.cend(); ++it)
            request.setRawHeader(it.key(), it.value());
        if (!authorization.isEmpty())
            request.setRawHeader("Authorization", authorization);
        if (!contentType.isEmpty())
            request.setHeader(QNetworkRequest::ContentTypeHeader, contentType);
        QNetworkReply *reply = m_nam.sendCustomRequest(request, method, body);
        QSignalSpy finished(reply, &QNetworkReply::finished);
        Response response;
        if (!finished.wait(waitMs)) {
            reply->abort();
            reply->deleteLater();
            return response;
        }
        response.status = reply->attribute(QNetworkRequest::HttpStatusCodeAttribute).toInt();
        response.body = reply->readAll();
        response.error = reply->error();
        for (const auto &pair : reply->rawHeaderPairs())
            response.headers.insert(pair.first.toLower(), pair.second);
        reply->deleteLater();
        return response;
    }

    // An OAuth 1.0a header computed here, not with network/OAuth1: QOAuth1Signature plus a header
    // written by hand. `form` is the form body that will be sent (signed), extra are oauth_* extras.
    static QByteArray oauthHeader(const QByteArray &method, const QUrl &url, const Credentials &c,
                                  const Params &form = {}, const Params &extraOAuth = {},
                                  qint64 timestamp = 0, QByteArray nonce = {})
    {
        if (timestamp == 0)
            timestamp = QDateTime::currentSecsSinceEpoch();
        if (nonce.isEmpty())
            nonce = QByteArray::number(QRandomGenerator::global()->generate64(), 36) +
                QByteArray::number(QRandomGenerator::global()->generate64(), 36);
        QMultiMap<QString, QVariant> oauth;
        oauth.insert(QStringLiteral("oauth_consumer_key"), QString::fromLatin1(c.consumerKey));
        oauth.insert(QStringLiteral("oauth_nonce"), QString::fromLatin1(nonce));
        oauth.insert(QStringLiteral("oauth_signature_method"), QStringLiteral("HMAC-SHA1"));
        oauth.insert(QStringLiteral("oauth_timestamp"), QString::number(timestamp));
        oauth.insert(QStringLiteral("oauth_version"), QStringLiteral("1.0"));
        if (!c.token.isEmpty())
            oauth.insert(QStringLiteral("oauth_token"), QString::fromLatin1(c.token));
        for (const auto &[k, v] : extraOAuth)
            oauth.insert(k, v);

        QMultiMap<QString, QVariant> all = oauth;
        const auto query = QUrlQuery(url).queryItems(QUrl::FullyDecoded);
        for (const auto &[k, v] : query)
            all.insert(k, v);
        for (const auto &[k, v] : form)
            all.insert(k, v);

        QOAuth1Signature::HttpRequestMethod m = QOAuth1Signature::HttpRequestMethod::Custom;
        if (method == "GET")
            m = QOAuth1Signature::HttpRequestMethod::Get;
        else if (method == "POST")
            m = QOAuth1Signature::HttpRequestMethod::Post;
        else if (method == "PUT")
            m = QOAuth1Signature::HttpRequestMethod::Put;
        else if (method == "DELETE")
            m = QOAuth1Signature::HttpRequestMethod::Delete;
        QOAuth1Signature signature(url.adjusted(QUrl::RemoveQuery), QString::fromLatin1(c.consumerSecret),
                                   QString::fromLatin1(c.tokenSecret), m, all);
        if (m == QOAuth1Signature::HttpRequestMethod::Custom)
            signature.setCustomMethodString(method);
        oauth.insert(QStringLiteral("oauth_signature"), QString::fromLatin1(signature.hmacSha1().toBase64()));

        QByteArrayList parts;
        for (auto it = oauth.cbegin(); it != oauth.cend(); ++it) {
            parts.append(QUrl::toPercentEncoding(it.key()) + "=\"" +
                         QUrl::toPercentEncoding(it.value().toString()) + '"');
        }
        return "OAuth " + parts.join(", ");
    }

    static QByteArray formBody(const Params &form)
    {
        QByteArrayList parts;
        for (const auto &[k, v] : form)
            parts.append(QUrl::toPercentEncoding(k) + '=' + QUrl::toPercentEncoding(v));
        return parts.join('&');
    }

    Response signedCall(const QByteArray &method, const QString &pathAndQuery, const Credentials &c,
                        const Params &form = {}, const Params &extraOAuth = {})
    {
        const QUrl target = url(pathAndQuery);
        return send(method, target, oauthHeader(method, target, c, form, extraOAuth),
                    form.isEmpty() ? QByteArray() : formBody(form),
                    form.isEmpty() ? QByteArray() : QByteArrayLiteral("application/x-www-form-urlencoded"));
    }

    // A JSON body is not part of the signature.
    Response signedJson(const QByteArray &method, const QString &pathAndQuery, const Credentials &c,
                        const QJsonObject &json)
    {
        const QUrl target = url(pathAndQuery);
        return send(method, target, oauthHeader(method, target, c),
                    QJsonDocument(json).toJson(QJsonDocument::Compact),
                    QByteArrayLiteral("application/json"));
    }

    Response bearer(const QByteArray &method, const QString &pathAndQuery, const QByteArray &body = {},
                    const QByteArray &contentType = {}, const QByteArray &token = demo::bearerToken)
    {
        return send(method, url(pathAndQuery), "Bearer " + token, body, contentType);
    }

    Response bearerJson(const QByteArray &method, const QString &pathAndQuery, const QJsonObject &json)
    {
        return bearer(method, pathAndQuery, QJsonDocument(json).toJson(QJsonDocument::Compact),
                      QByteArrayLiteral("application/json"));
    }

    QNetworkAccessManager &nam() { return m_nam; }

private:
    QUrl m_base;
    QNetworkAccessManager m_nam;
    QHash<QByteArray, QByteArray> m_headers;
};

inline QString encoded(const QString &value)
{
    return QString::fromLatin1(QUrl::toPercentEncoding(value));
}

// A webhook receiver on 127.0.0.1 that answers CRC in a chosen way and records deliveries.
class Receiver
{
public:
    enum class Crc { Correct, WrongToken, Status500, BadJson };

    Receiver()
    {
        m_server.route(
            QStringLiteral("/hook"), QHttpServerRequest::Method::Get,
            [this](const QHttpServerRequest &request) {
                ++crcRequests;
                lastCrcSignature = request.value("x-twitter-webhooks-signature");
                lastCrcQuery = request.url().query(QUrl::FullyEncoded).toUtf8();
                const QByteArray token =
                    QUrlQuery(request.url()).queryItemValue(QStringLiteral("crc_token")).toUtf8();
                switch (crcMode) {
                case Crc::Correct:
                    return QHttpServerResponse(QByteArrayLiteral("application/json"),
                                               activity::crc::responseBody(demo::consumerSecret, token));
                case Crc::WrongToken:
                    return QHttpServerResponse(QByteArrayLiteral("application/json"),
                                               activity::crc::responseBody("another-secret", token));
                case Crc::Status500:
                    return QHttpServerResponse(QByteArrayLiteral("text/plain"), QByteArrayLiteral("boom"),
                                               QHttpServerResponder::StatusCode::InternalServerError);
                case Crc::BadJson:
                    return QHttpServerResponse(QByteArrayLiteral("application/json"),
                                               QByteArrayLiteral("{not json"));
                }
                return QHttpServerResponse(QHttpServerResponder::StatusCode::NotFound);
            });
        m_server.route(QStringLiteral("/hook"), QHttpServerRequest::Method::Post,
                       [this](const QHttpServerRequest &request) {
                           const QByteArray body = request.body();
                           const bool valid = activity::crc::verifySignature(
                               demo::consumerSecret, body, request.value("x-twitter-webhooks-signature"));
                           bodies.append(body);
                           signaturesValid.append(valid);
                           return QHttpServerResponse(postStatus);
                       });
        m_port = m_server.listen(QHostAddress::LocalHost, 0);
    }

    QString url() const { return QStringLiteral("http://127.0.0.1:%1/hook").arg(m_port); }

    Crc crcMode = Crc::Correct;
    QHttpServerResponder::StatusCode postStatus = QHttpServerResponder::StatusCode::Ok;
    int crcRequests = 0;
    QByteArray lastCrcSignature;
    QByteArray lastCrcQuery;
    QList<QByteArray> bodies;
    QList<bool> signaturesValid;

private:
    QHttpServer m_server;
    quint16 m_port = 0;
};

// Accepts connections and never answers: a receiver that makes the CRC time out.
class SilentReceiver
{
public:
    SilentReceiver()
    {
        m_server.listen(QHostAddress::LocalHost, 0);
        QObject::connect(&m_server, &QTcpServer::newConnection, &m_server, [this] {
            while (QTcpSocket *socket = m_server.nextPendingConnection())
                m_sockets.append(socket); // kept open, never written to
        });
    }
    QString url() const { return QStringLiteral("http://127.0.0.1:%1/silent").arg(m_server.serverPort()); }

private:
    QTcpServer m_server;
    QList<QTcpSocket *> m_sockets;
};

// The fixture of the sandbox tests: before each test function a fresh SandboxServer listening on
// 127.0.0.1 with the demo world seeded, and a Client for it; both are gone after it. A test class
// derives from it (QtTest finds init() and cleanup() in the base).
class SandboxTestCase : public QObject
{
    Q_OBJECT

protected:
    std::unique_ptr<SandboxServer> m_server;
    std::unique_ptr<Client> m_client;

private Q_SLOTS:
    void init()
    {
        m_server = std::make_unique<SandboxServer>();
        QVERIFY(m_server->listen());
        m_server->seedDemo();
        m_client = std::make_unique<Client>(m_server->baseUrl());
    }
    void cleanup()
    {
        m_client.reset();
        m_server.reset();
    }
};

} // namespace sandboxtest
