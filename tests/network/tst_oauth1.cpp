// OAuth 1.0a signing against the published vectors: X's "creating a signature" example (both hosts),
// RFC 5849 §1.2 and §3.4.1.1, the percent-encoding examples, and a cross-check with QtNetworkAuth.
#include "OAuth1.h"

#include <QOAuth1Signature>
#include <QTest>

#include <cctype>

using namespace activity;
using oauth1::ParamList;

namespace {

// X's worked example (reference §6.3).
const QByteArray kXConsumerKey = "xvz1evFS4wEEPTGEFPHBog";
const QByteArray kXConsumerSecret = "kAcSOqF21Fu85e7zjz7ZN2U4ZRhfV3WpwPAoE3Z7kBw";
const QByteArray kXToken = "370773112-GmHxMAgYyLbNEtIKZeRNFsMKPR9EyMZeS9weJAEb";
const QByteArray kXTokenSecret = "LswwdoUaIvS8ltyTt5jkRh4J50vUPVVHtR2YPi5kE";
const QByteArray kXNonce = "kYjzVBB8Y0ZFabxSWbWovY3uYSQ2pTgmZeNu2VS4cg";
const qint64 kXTimestamp = 1318622958;
const QByteArray kXStatus = "Hello Ladies + Gentlemen, a signed OAuth request!";

const QByteArray kXTwitterBaseString =
    "POST&https%3A%2F%2Fapi.twitter.com%2F1.1%2Fstatuses%2Fupdate.json&include_entities%3Dtrue%26oauth_"
    "consumer_"
    "key%3Dxvz1evFS4wEEPTGEFPHBog%26oauth_nonce%3DkYjzVBB8Y0ZFabxSWbWovY3uYSQ2pTgmZeNu2VS4cg%26oauth_"
    "signature_"
    "method%3DHMAC-SHA1%26oauth_timestamp%3D1318622958%26oauth_token%3D370773112-"
    "GmHxMAgYyLbNEtIKZeRNFsMKPR9EyMZeS9weJAEb%26oauth_version%3D1.0%26status%3DHello%2520Ladies%2520%252B%"
    "2520Gentlemen%252C%2520a%2520signed%2520OAuth%2520request%2521";

ParamList xOAuthParams()
{
    return {
        {"oauth_consumer_key", kXConsumerKey},
        {"oauth_nonce", kXNonce},
        {"oauth_signature_method", "HMAC-SHA1"},
        {"oauth_timestamp", QByteArray::number(kXTimestamp)},
        {"oauth_token", kXToken},
        {"oauth_version", "1.0"},
    };
}

ParamList xAllParams()
{
    ParamList params = xOAuthParams();
    params.append(std::pair<QByteArray, QByteArray>("include_entities", "true"));
    params.append(std::pair<QByteArray, QByteArray>("status", kXStatus));
    return params;
}

// RFC 5849 §1.2.
const QByteArray kRfcConsumerKey = "dpf43f3p2l4k3l03";
const QByteArray kRfcConsumerSecret = "kd94hf93k423kf44";

QByteArray valueOf(const ParamList &params, QByteArrayView key)
{
    for (const auto &[k, v] : params) {
        if (k == key)
            return v;
    }
    return {};
}

QMultiMap<QString, QVariant> toQtParams(const ParamList &params)
{
    QMultiMap<QString, QVariant> out;
    for (const auto &[k, v] : params)
        out.insert(QString::fromUtf8(k), QString::fromUtf8(v));
    return out;
}

} // namespace

class TestOAuth1 : public QObject
{
    Q_OBJECT

private slots:
    void shouldPercentEncodeDocumentedExamples_data();
    void shouldPercentEncodeDocumentedExamples();
    void shouldDecodeWhatItEncodes();
    void shouldReadPlusAsSpaceOnlyInFormEncoding();

    void shouldBuildXExampleBaseString();
    void shouldSignXExampleForBothHosts_data();
    void shouldSignXExampleForBothHosts();
    void shouldProduceTheHeaderXExpectsFromSigner();
    void shouldMatchQtNetworkAuthSignature_data();
    void shouldMatchQtNetworkAuthSignature();

    void shouldReproduceRfc5849Signatures_data();
    void shouldReproduceRfc5849Signatures();
    void shouldBuildRfcResourceBaseString();
    void shouldBuildRfcBaseStringWithDuplicatesPlusAndEmptyValues();
    void shouldLeaveTokenOutOfSigningKeyBeforeTokenExists();

    void shouldNormaliseBaseStringUri_data();
    void shouldNormaliseBaseStringUri();

    void shouldRoundTripAuthorizationHeaderWithTrickyValues();
    void shouldParseHeaderVariants();
    void shouldRejectMalformedHeaders_data();
    void shouldRejectMalformedHeaders();

    void shouldSignWithoutTokenAndCarryCallback();
    void shouldGenerateAlphanumericUniqueNonces();
};

void TestOAuth1::shouldPercentEncodeDocumentedExamples_data()
{
    QTest::addColumn<QByteArray>("plain");
    QTest::addColumn<QByteArray>("encoded");
    QTest::newRow("plus and spaces") << QByteArray("Ladies + Gentlemen")
                                     << QByteArray("Ladies%20%2B%20Gentlemen");
    QTest::newRow("exclamation") << QByteArray("An encoded string!")
                                 << QByteArray("An%20encoded%20string%21");
    QTest::newRow("comma and ampersand")
        << QByteArray("Dogs, Cats & Mice") << QByteArray("Dogs%2C%20Cats%20%26%20Mice");
    QTest::newRow("snowman utf-8") << QByteArray("\xE2\x98\x83") << QByteArray("%E2%98%83");
    QTest::newRow("unreserved stay") << QByteArray("AZaz09-._~") << QByteArray("AZaz09-._~");
    QTest::newRow("reserved go") << QByteArray("/?#[]@=&*") << QByteArray("%2F%3F%23%5B%5D%40%3D%26%2A");
    QTest::newRow("empty") << QByteArray() << QByteArray();
}

void TestOAuth1::shouldPercentEncodeDocumentedExamples()
{
    QFETCH(QByteArray, plain);
    QFETCH(QByteArray, encoded);
    QCOMPARE(oauth1::percentEncode(plain), encoded);
}

void TestOAuth1::shouldDecodeWhatItEncodes()
{
    QByteArray all;
    for (int i = 0; i < 256; ++i)
        all.append(static_cast<char>(i));
    QCOMPARE(oauth1::percentDecode(oauth1::percentEncode(all), false), all);
    // Lower-case hex and a stray '%' are tolerated when decoding.
    QCOMPARE(oauth1::percentDecode("%e2%98%83", false), QByteArray("\xE2\x98\x83"));
    QCOMPARE(oauth1::percentDecode("100%", false), QByteArray("100%"));
    QCOMPARE(oauth1::percentDecode("%zz", false), QByteArray("%zz"));
}

void TestOAuth1::shouldReadPlusAsSpaceOnlyInFormEncoding()
{
    QCOMPARE(oauth1::percentDecode("a+b%2B", true), QByteArray("a b+"));
    QCOMPARE(oauth1::percentDecode("a+b%2B", false), QByteArray("a+b+"));
    const ParamList form = oauth1::parseFormEncoded("c2&a3=2+q&&empty=&x=%3D");
    const ParamList expected {{"c2", ""}, {"a3", "2 q"}, {"empty", ""}, {"x", "="}};
    QCOMPARE(form, expected);
    QCOMPARE(oauth1::formEncode({{"a b", "c+d"}}), QByteArray("a%20b=c%2Bd"));
}

void TestOAuth1::shouldBuildXExampleBaseString()
{
    const QUrl url(QStringLiteral("https://api.twitter.com/1.1/statuses/update.json?include_entities=true"));
    ParamList params = xOAuthParams();
    params.append(oauth1::queryParameters(url));
    params.append(std::pair<QByteArray, QByteArray>("status", kXStatus));
    QCOMPARE(oauth1::signatureBaseString("post", url, params), kXTwitterBaseString);
    // Exactly two raw '&' separate method, URI and parameters.
    QCOMPARE(kXTwitterBaseString.count('&'), 2);
    QCOMPARE(
        oauth1::signingKey(kXConsumerSecret, kXTokenSecret),
        QByteArray("kAcSOqF21Fu85e7zjz7ZN2U4ZRhfV3WpwPAoE3Z7kBw&LswwdoUaIvS8ltyTt5jkRh4J50vUPVVHtR2YPi5kE"));
}

void TestOAuth1::shouldSignXExampleForBothHosts_data()
{
    QTest::addColumn<QString>("url");
    QTest::addColumn<QByteArray>("signature");
    QTest::newRow("api.twitter.com (older docs)")
        << QStringLiteral("https://api.twitter.com/1.1/statuses/update.json")
        << QByteArray("hCtSmYh+iHYCEqBWrE7C7hYmtUk=");
    QTest::newRow("api.x.com (current docs)") << QStringLiteral("https://api.x.com/1.1/statuses/update.json")
                                              << QByteArray("Ls93hJiZbQ3akF3HF3x1Bz8/zU4=");
}

void TestOAuth1::shouldSignXExampleForBothHosts()
{
    QFETCH(QString, url);
    QFETCH(QByteArray, signature);
    const QByteArray base = oauth1::signatureBaseString("POST", QUrl(url), xAllParams());
    QByteArray expectedBase = kXTwitterBaseString;
    expectedBase.replace("api.twitter.com", QUrl(url).host().toUtf8());
    QCOMPARE(base, expectedBase);
    QCOMPARE(oauth1::hmacSha1(oauth1::signingKey(kXConsumerSecret, kXTokenSecret), base), signature);
}

void TestOAuth1::shouldProduceTheHeaderXExpectsFromSigner()
{
    const oauth1::Signer signer(
        {kXConsumerKey, kXConsumerSecret, kXToken, kXTokenSecret}, [] { return kXTimestamp; },
        [] { return kXNonce; });
    const QUrl url(QStringLiteral("https://api.twitter.com/1.1/statuses/update.json?include_entities=true"));
    const QByteArray header = signer.authorizationHeader("POST", url, {{"status", kXStatus}});
    // X's "authorizing a request" layout: the seven parameters in this order, signature percent-encoded.
    QCOMPARE(header,
             QByteArray("OAuth oauth_consumer_key=\"xvz1evFS4wEEPTGEFPHBog\", "
                        "oauth_nonce=\"kYjzVBB8Y0ZFabxSWbWovY3uYSQ2pTgmZeNu2VS4cg\", "
                        "oauth_signature=\"hCtSmYh%2BiHYCEqBWrE7C7hYmtUk%3D\", "
                        "oauth_signature_method=\"HMAC-SHA1\", oauth_timestamp=\"1318622958\", "
                        "oauth_token=\"370773112-GmHxMAgYyLbNEtIKZeRNFsMKPR9EyMZeS9weJAEb\", "
                        "oauth_version=\"1.0\""));

    const QUrl xUrl(QStringLiteral("https://api.x.com/1.1/statuses/update.json?include_entities=true"));
    const auto parsed =
        oauth1::parseAuthorizationHeader(signer.authorizationHeader("POST", xUrl, {{"status", kXStatus}}));
    QVERIFY(parsed.has_value());
    QCOMPARE(valueOf(*parsed, "oauth_signature"), QByteArray("Ls93hJiZbQ3akF3HF3x1Bz8/zU4="));
}

void TestOAuth1::shouldMatchQtNetworkAuthSignature_data()
{
    QTest::addColumn<QString>("url");
    QTest::addColumn<QString>("method");
    QTest::addColumn<ParamList>("params"); // oauth_* and body parameters; query parameters stay in the URL
    QTest::addColumn<QByteArray>("consumerSecret");
    QTest::addColumn<QByteArray>("tokenSecret");
    QTest::addColumn<QByteArray>("signature");

    ParamList xParams = xOAuthParams();
    xParams.append(std::pair<QByteArray, QByteArray>("status", kXStatus));
    QTest::newRow("X example, api.twitter.com")
        << QStringLiteral("https://api.twitter.com/1.1/statuses/update.json?include_entities=true")
        << QStringLiteral("POST") << xParams << kXConsumerSecret << kXTokenSecret
        << QByteArray("hCtSmYh+iHYCEqBWrE7C7hYmtUk=");
    QTest::newRow("X example, api.x.com")
        << QStringLiteral("https://api.x.com/1.1/statuses/update.json?include_entities=true")
        << QStringLiteral("POST") << xParams << kXConsumerSecret << kXTokenSecret
        << QByteArray("Ls93hJiZbQ3akF3HF3x1Bz8/zU4=");
    QTest::newRow("RFC 5849 resource")
        << QStringLiteral("http://photos.example.net/photos?file=vacation.jpg&size=original")
        << QStringLiteral("GET")
        << ParamList {{"oauth_consumer_key", kRfcConsumerKey},
                      {"oauth_token", "nnch734d00sl2jdk"},
                      {"oauth_signature_method", "HMAC-SHA1"},
                      {"oauth_timestamp", "137131202"},
                      {"oauth_nonce", "chapoH"}}
        << kRfcConsumerSecret << QByteArray("pfkkdhi9sl3r4s00") << QByteArray("MdpQcU8iPSUjWoN/UDMsK2sui9I=");
}

void TestOAuth1::shouldMatchQtNetworkAuthSignature()
{
    QFETCH(QString, url);
    QFETCH(QString, method);
    QFETCH(ParamList, params);
    QFETCH(QByteArray, consumerSecret);
    QFETCH(QByteArray, tokenSecret);
    QFETCH(QByteArray, signature);

    const QUrl qurl(url);
    ParamList all = params;
    all.append(oauth1::queryParameters(qurl));
    const QByteArray ours = oauth1::hmacSha1(oauth1::signingKey(consumerSecret, tokenSecret),
                                             oauth1::signatureBaseString(method.toLatin1(), qurl, all));
    QCOMPARE(ours, signature);

    QOAuth1Signature qt(qurl, QString::fromUtf8(consumerSecret), QString::fromUtf8(tokenSecret),
                        method == QLatin1String("GET") ? QOAuth1Signature::HttpRequestMethod::Get
                                                       : QOAuth1Signature::HttpRequestMethod::Post,
                        toQtParams(params));
    QCOMPARE(qt.hmacSha1().toBase64(), ours);
}

void TestOAuth1::shouldReproduceRfc5849Signatures_data()
{
    QTest::addColumn<QByteArray>("method");
    QTest::addColumn<QString>("url");
    QTest::addColumn<ParamList>("params");
    QTest::addColumn<QByteArray>("tokenSecret");
    QTest::addColumn<QByteArray>("signature");

    // realm is part of the header but never of the signature.
    QTest::newRow("temporary credentials")
        << QByteArray("POST") << QStringLiteral("https://photos.example.net/initiate")
        << ParamList {{"realm", "Photos"},
                      {"oauth_consumer_key", kRfcConsumerKey},
                      {"oauth_signature_method", "HMAC-SHA1"},
                      {"oauth_timestamp", "137131200"},
                      {"oauth_nonce", "wIjqoS"},
                      {"oauth_callback", "http://printer.example.com/ready"}}
        << QByteArray() << QByteArray("74KNZJeDHnMBp0EMJ9ZHt/XKycU=");
    QTest::newRow("token credentials")
        << QByteArray("POST") << QStringLiteral("https://photos.example.net/token")
        << ParamList {{"realm", "Photos"},
                      {"oauth_consumer_key", kRfcConsumerKey},
                      {"oauth_token", "hh5s93j4hdidpola"},
                      {"oauth_signature_method", "HMAC-SHA1"},
                      {"oauth_timestamp", "137131201"},
                      {"oauth_nonce", "walatlh"},
                      {"oauth_verifier", "hfdp7dh39dks9884"}}
        << QByteArray("hdhd0244k9j7ao03") << QByteArray("gKgrFCywp7rO0OXSjdot/IHF7IU=");
    QTest::newRow("resource") << QByteArray("GET")
                              << QStringLiteral(
                                     "http://photos.example.net/photos?file=vacation.jpg&size=original")
                              << ParamList {{"realm", "Photos"},
                                            {"oauth_consumer_key", kRfcConsumerKey},
                                            {"oauth_token", "nnch734d00sl2jdk"},
                                            {"oauth_signature_method", "HMAC-SHA1"},
                                            {"oauth_timestamp", "137131202"},
                                            {"oauth_nonce", "chapoH"}}
                              << QByteArray("pfkkdhi9sl3r4s00") << QByteArray("MdpQcU8iPSUjWoN/UDMsK2sui9I=");
}

void TestOAuth1::shouldReproduceRfc5849Signatures()
{
    QFETCH(QByteArray, method);
    QFETCH(QString, url);
    QFETCH(ParamList, params);
    QFETCH(QByteArray, tokenSecret);
    QFETCH(QByteArray, signature);

    const QUrl qurl(url);
    ParamList all = params;
    all.append(oauth1::queryParameters(qurl));
    all.append(std::pair<QByteArray, QByteArray>("oauth_signature", "must-be-ignored"));
    const QByteArray base = oauth1::signatureBaseString(method, qurl, all);
    QVERIFY(!base.contains("realm"));
    QVERIFY(!base.contains("must-be-ignored"));
    QCOMPARE(oauth1::hmacSha1(oauth1::signingKey(kRfcConsumerSecret, tokenSecret), base), signature);
}

void TestOAuth1::shouldBuildRfcResourceBaseString()
{
    const QUrl url(QStringLiteral("http://photos.example.net/photos?file=vacation.jpg&size=original"));
    ParamList params {{"oauth_consumer_key", kRfcConsumerKey},
                      {"oauth_token", "nnch734d00sl2jdk"},
                      {"oauth_signature_method", "HMAC-SHA1"},
                      {"oauth_timestamp", "137131202"},
                      {"oauth_nonce", "chapoH"}};
    params.append(oauth1::queryParameters(url));
    QCOMPARE(
        oauth1::signatureBaseString("GET", url, params),
        QByteArray("GET&http%3A%2F%2Fphotos.example.net%2Fphotos&file%3Dvacation.jpg%26oauth_consumer_key%"
                   "3Ddpf43f3p2l4k3l03%26oauth_nonce%3DchapoH%26oauth_signature_method%3DHMAC-SHA1%26oauth_"
                   "timestamp%3D137131202%26oauth_token%3Dnnch734d00sl2jdk%26size%3Doriginal"));
}

void TestOAuth1::shouldBuildRfcBaseStringWithDuplicatesPlusAndEmptyValues()
{
    // RFC 5849 §3.4.1.1: duplicate a3, '+' in the form body, empty c@ and c2, a double-encoded b5.
    const QUrl url(QStringLiteral("http://example.com/request?b5=%3D%253D&a3=a&c%40=&a2=r%20b"));
    ParamList params = oauth1::queryParameters(url);
    params.append(oauth1::parseFormEncoded("c2&a3=2+q"));
    params.append({{"oauth_consumer_key", "9djdj82h48djs9d2"},
                   {"oauth_token", "kkk9d7dh3k39sjv7"},
                   {"oauth_signature_method", "HMAC-SHA1"},
                   {"oauth_timestamp", "137131201"},
                   {"oauth_nonce", "7d8f3e4a"}});
    QCOMPARE(
        oauth1::signatureBaseString("POST", url, params),
        QByteArray(
            "POST&http%3A%2F%2Fexample.com%2Frequest&a2%3Dr%2520b%26a3%3D2%2520q%26a3%3Da%26b5%3D%253D%"
            "25253D%26c%2540%3D%26c2%3D%26oauth_consumer_key%3D9djdj82h48djs9d2%26oauth_nonce%3D7d8f3e4a%"
            "26oauth_signature_method%3DHMAC-SHA1%26oauth_timestamp%3D137131201%26oauth_token%"
            "3Dkkk9d7dh3k39sjv7"));
}

void TestOAuth1::shouldLeaveTokenOutOfSigningKeyBeforeTokenExists()
{
    QCOMPARE(oauth1::signingKey(kRfcConsumerSecret, {}), QByteArray("kd94hf93k423kf44&"));
    QCOMPARE(oauth1::signingKey("a&b", "c d"), QByteArray("a%26b&c%20d"));
}

void TestOAuth1::shouldNormaliseBaseStringUri_data()
{
    QTest::addColumn<QString>("url");
    QTest::addColumn<QByteArray>("expected");
    QTest::newRow("case and default http port")
        << QStringLiteral("HTTP://Example.COM:80/r%20v/X?id=123") << QByteArray("http://example.com/r%20v/X");
    QTest::newRow("default https port")
        << QStringLiteral("https://www.example.net:443/?q=1") << QByteArray("https://www.example.net/");
    QTest::newRow("other port kept") << QStringLiteral("https://www.example.net:8080/?q=1")
                                     << QByteArray("https://www.example.net:8080/");
    QTest::newRow("empty path is /") << QStringLiteral("https://api.x.com")
                                     << QByteArray("https://api.x.com/");
    QTest::newRow("fragment dropped")
        << QStringLiteral("https://api.x.com/2/webhooks#x") << QByteArray("https://api.x.com/2/webhooks");
    QTest::newRow("ipv4 loopback") << QStringLiteral("http://127.0.0.1:8080/2/webhooks")
                                   << QByteArray("http://127.0.0.1:8080/2/webhooks");
    QTest::newRow("ipv6 loopback keeps brackets")
        << QStringLiteral("http://[::1]:8080/2/webhooks") << QByteArray("http://[::1]:8080/2/webhooks");
}

void TestOAuth1::shouldNormaliseBaseStringUri()
{
    QFETCH(QString, url);
    QFETCH(QByteArray, expected);
    QCOMPARE(oauth1::baseStringUri(QUrl(url)), expected);
}

void TestOAuth1::shouldRoundTripAuthorizationHeaderWithTrickyValues()
{
    const ParamList params {
        {"oauth_callback", "http://127.0.0.1:53682/callback?x=1&y=a b"},
        {"oauth_consumer_key", "key with \"quotes\", commas, = and spaces"},
        {"oauth_nonce", ""},
        {"oauth_signature", "a+b/c=="},
        {"oauth_token", "\xE2\x98\x83-snowman"},
        {"oauth_verifier", "%41 not decoded twice"},
    };
    const QByteArray header = oauth1::buildAuthorizationHeader(params);
    QVERIFY(header.startsWith("OAuth "));
    QCOMPARE(header.count('"'), 2 * params.size()); // inner quotes are percent-encoded
    const auto parsed = oauth1::parseAuthorizationHeader(header);
    QVERIFY(parsed.has_value());
    QCOMPARE(*parsed, params); // already sorted by key, as the builder writes them
}

void TestOAuth1::shouldParseHeaderVariants()
{
    const auto parsed = oauth1::parseAuthorizationHeader(
        "  oauth realm=\"Photos\",oauth_consumer_key=\"dpf43f3p2l4k3l03\" ,  oauth_nonce=chapoH, "
        "oauth_signature=\"MdpQcU8iPSUjWoN%2FUDMsK2sui9I%3D\"  ");
    QVERIFY(parsed.has_value());
    QCOMPARE(parsed->size(), 4);
    QCOMPARE(valueOf(*parsed, "realm"), QByteArray("Photos"));
    QCOMPARE(valueOf(*parsed, "oauth_consumer_key"), QByteArray("dpf43f3p2l4k3l03"));
    QCOMPARE(valueOf(*parsed, "oauth_nonce"), QByteArray("chapoH"));
    QCOMPARE(valueOf(*parsed, "oauth_signature"), QByteArray("MdpQcU8iPSUjWoN/UDMsK2sui9I="));
}

void TestOAuth1::shouldRejectMalformedHeaders_data()
{
    QTest::addColumn<QByteArray>("header");
    QTest::newRow("bearer") << QByteArray("Bearer AAAA");
    QTest::newRow("basic") << QByteArray("Basic eHZ6");
    QTest::newRow("empty") << QByteArray();
    QTest::newRow("scheme only") << QByteArray("OAuth");
    QTest::newRow("unterminated quote") << QByteArray("OAuth oauth_nonce=\"abc");
    QTest::newRow("no equals") << QByteArray("OAuth oauth_nonce");
    QTest::newRow("empty key") << QByteArray("OAuth =\"x\"");
}

void TestOAuth1::shouldRejectMalformedHeaders()
{
    QFETCH(QByteArray, header);
    QVERIFY(!oauth1::parseAuthorizationHeader(header).has_value());
}

void TestOAuth1::shouldSignWithoutTokenAndCarryCallback()
{
    // The request_token step: no token, oauth_callback in the signed parameters and in the header.
    const oauth1::Signer signer(
        {kRfcConsumerKey, kRfcConsumerSecret, {}, {}}, [] { return qint64(137131200); },
        [] { return QByteArray("wIjqoS"); });
    const QUrl url(QStringLiteral("https://api.x.com/oauth/request_token"));
    const ParamList callback {{"oauth_callback", "oob"}};
    const auto header =
        oauth1::parseAuthorizationHeader(signer.authorizationHeader("POST", url, {}, callback));
    QVERIFY(header.has_value());
    QVERIFY(valueOf(*header, "oauth_token").isEmpty());
    QCOMPARE(valueOf(*header, "oauth_callback"), QByteArray("oob"));

    // Whoever holds the consumer secret can verify it from the header alone, as the sandbox does.
    ParamList signedParams = *header;
    const QByteArray signature = valueOf(signedParams, "oauth_signature");
    QCOMPARE(oauth1::hmacSha1(oauth1::signingKey(kRfcConsumerSecret, {}),
                              oauth1::signatureBaseString("POST", url, signedParams)),
             signature);
    QCOMPARE(valueOf(*header, "oauth_version"), QByteArray("1.0"));
    QCOMPARE(valueOf(*header, "oauth_timestamp"), QByteArray("137131200"));
}

void TestOAuth1::shouldGenerateAlphanumericUniqueNonces()
{
    const QByteArray a = oauth1::generateNonce();
    const QByteArray b = oauth1::generateNonce();
    QCOMPARE(a.size(), 32);
    QVERIFY(a != b);
    for (const char c : a)
        QVERIFY2(std::isalnum(static_cast<unsigned char>(c)), "nonce must be ASCII alphanumeric");
}

QTEST_GUILESS_MAIN(TestOAuth1)
#include "tst_oauth1.moc"
