// libFuzzer target: the sign-in callback URL X redirects the browser to (parseSignInCallback, the
// part of SignInFlow::handleCallback that reads the URL), as a string and as encoded bytes.
#include "FuzzSupport.h"
#include "SignInFlow.h"

#include <QUrl>

using namespace activity;
using namespace activity::fuzz;

extern "C" int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    const QByteArray input = bytes(data, size);
    for (const QUrl &url : {QUrl(QString::fromUtf8(input)), QUrl::fromEncoded(input)}) {
        const SignInCallback callback = parseSignInCallback(url);
        // A callback is either declined or carries its two values; both may be empty (refused later).
        (void)callback;
    }
    return 0;
}
