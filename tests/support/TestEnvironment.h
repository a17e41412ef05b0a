#pragma once

// What a test may take for granted. Outside tools/run-tests a missing service (a keychain, a TLS
// backend, gnome-keyring) is a reason to skip; inside it the script has installed and started all of
// them, so the same absence is a failure: a plain green run must never hide an untested part.

#include <QByteArray>
#include <QtGlobal>

namespace activity::testing {

// tools/test-session.sh exports ACTIVITY_TEST_ENVIRONMENT=complete.
inline bool environmentIsComplete()
{
    return qgetenv("ACTIVITY_TEST_ENVIRONMENT") == QByteArrayLiteral("complete");
}

} // namespace activity::testing

// Skips the test function with `message`, or fails it when the environment promises everything.
#define ACTIVITY_SKIP_UNLESS_PROVIDED(message)                                                               \
    do {                                                                                                     \
        if (activity::testing::environmentIsComplete())                                                      \
            QFAIL(qPrintable(QStringLiteral("%1 (tools/run-tests provides this, so its absence is a "        \
                                            "failure)")                                                      \
                                 .arg(message)));                                                            \
        QSKIP(qPrintable(message));                                                                          \
    } while (false)
