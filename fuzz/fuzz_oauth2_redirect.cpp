// libFuzzer target: the OAuth 2.0 redirect the browser is sent to (oauth2::parseRedirect and
// codeFromRedirect, the part of OAuth2SignInFlow::handleRedirect that reads the URL), as a string
// and as encoded bytes.
#include "FuzzSupport.h"
#include "OAuth2.h"

#include <QUrl>

using namespace activity;
using namespace activity::fuzz;

extern "C" int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    const QByteArray input = bytes(data, size);
    const QUrl redirectUri(QStringLiteral("http://127.0.0.1:8976/callback"));
    for (const QUrl &url : {QUrl(QString::fromUtf8(input)), QUrl::fromEncoded(input)}) {
        (void)oauth2::matchesRedirectUri(url, redirectUri);
        const oauth2::Redirect redirect = oauth2::parseRedirect(url);
        const Result<QByteArray> code = oauth2::codeFromRedirect(redirect, "expected-state");
        // A code comes back only with the right state and without an error.
        if (code.ok()) {
            FUZZ_CHECK(redirect.state == "expected-state");
            FUZZ_CHECK(redirect.error.isEmpty());
            FUZZ_CHECK(!code.value().isEmpty());
        } else {
            FUZZ_CHECK(!code.error().cause.isEmpty());
        }
    }
    return 0;
}
