// activity-signin: the sign-in window, in a process of its own. It is the only program of the
// project that links Qt WebEngine, so Chromium never runs in the console's address space (where the
// consumer secrets and tokens are) and the console starts and idles without it.
//
//   activity-signin --authorize-url URL --callback URL|oob [--allow-host HOST ...] [--title TEXT]
//
// It shows X's authorize page in LoginDialog (fresh off-the-record profile, read-only address bar,
// strict navigation policy) and writes exactly one line of JSON to stdout, then exits:
//   {"result":"callback","url":"..."}   the browser was sent to the callback (caught before any
//                                       request left); the console checks and exchanges it
//   {"result":"pin","pin":"1234567"}    the PIN the person typed (--callback oob)
//   {"result":"cancelled"}              the window was closed, stdin was closed, or SIGTERM/SIGINT
//   {"result":"error","message":"..."}  wrong arguments, or the page's renderer died
// Exit status 0 for the first three, 1 for an error, 2 for wrong arguments. Diagnostics (refused
// navigations, links handed to the desktop) go to stderr.
//
// It never receives the consumer secret, a token secret or an access token: only the authorize URL,
// whose request token OAuth 1.0a makes public by design (it is in every browser's address bar, and
// useless without the consumer secret and the request token secret, which stay in the console).
//
// Test hooks, refused unless ACTIVITY_SIGNIN_TEST=1 (the tests in tests/signin set it):
//   ACTIVITY_SIGNIN_TEST_SCRIPT=FILE          JavaScript run in the page after every load; its
//       answer is printed to stderr, and {"action":"type-pin","pin":"..."} types the PIN into the
//       window, {"action":"close-window"} closes it, as the person would
//   ACTIVITY_SIGNIN_TEST_EXTERNAL_LINKS=FILE  links for the desktop are appended to FILE instead of
//       being opened

#include "ActivityConfig.h"
#include "LoginDialog.h"

#include <QApplication>
#include <QCommandLineParser>
#include <QDesktopServices>
#include <QFile>
#include <QHostAddress>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QPointer>
#include <QRegularExpression>
#include <QSocketNotifier>
#include <QWebEnginePage>
#include <QWebEngineView>

#include <csignal>
#include <cstdio>
#include <sys/socket.h>
#include <unistd.h>

namespace {

enum ExitStatus { ExitAnswered = 0, ExitError = 1, ExitUsage = 2 };

// Writes the one answer; everything after the first is ignored.
class Answer
{
public:
    void write(const QJsonObject &answer, int exitStatus)
    {
        if (m_written)
            return;
        m_written = true;
        const QByteArray line = QJsonDocument(answer).toJson(QJsonDocument::Compact) + '\n';
        std::fwrite(line.constData(), 1, size_t(line.size()), stdout);
        std::fflush(stdout);
        QCoreApplication::exit(exitStatus);
    }
    void callback(const QUrl &url)
    {
        write({{QStringLiteral("result"), QStringLiteral("callback")},
               {QStringLiteral("url"), url.toString(QUrl::FullyEncoded)}},
              ExitAnswered);
    }
    void pin(const QString &pin)
    {
        write({{QStringLiteral("result"), QStringLiteral("pin")}, {QStringLiteral("pin"), pin}},
              ExitAnswered);
    }
    void cancelled() { write({{QStringLiteral("result"), QStringLiteral("cancelled")}}, ExitAnswered); }
    void error(const QString &message, int exitStatus = ExitError)
    {
        write({{QStringLiteral("result"), QStringLiteral("error")}, {QStringLiteral("message"), message}},
              exitStatus);
    }
    bool written() const { return m_written; }

private:
    bool m_written = false;
};

void diagnose(const QString &text)
{
    std::fprintf(stderr, "activity-signin: %s\n", qPrintable(text));
    std::fflush(stderr);
}

bool isLoopbackHost(const QString &host)
{
    const QHostAddress address(host);
    return host.compare(QLatin1String("localhost"), Qt::CaseInsensitive) == 0 ||
        (!address.isNull() && address.isLoopback());
}

// SIGTERM, SIGINT and SIGHUP end the window through the event loop, so Chromium shuts down cleanly.
int signalPipe[2] = {-1, -1};
void onSignal(int)
{
    const char byte = 1;
    [[maybe_unused]] const auto written = ::write(signalPipe[1], &byte, 1);
}

struct Arguments
{
    QUrl authorizeUrl;
    QUrl callbackUrl; // empty: oob
    QStringList allowedHosts;
    QString title;
    QString testScript;
    QString testExternalLinks;
};

// Empty when the arguments are usable; otherwise what is wrong with them.
QString parseArguments(const QStringList &commandLine, Arguments &arguments)
{
    QCommandLineParser parser;
    parser.setApplicationDescription(QStringLiteral("The sign-in window of Activity Console (started by the "
                                                    "console; see the top of app/signin_main.cpp)."));
    parser.addHelpOption();
    const QCommandLineOption authorize(QStringLiteral("authorize-url"), QStringLiteral("X's authorize page."),
                                       QStringLiteral("URL"));
    const QCommandLineOption callback(QStringLiteral("callback"),
                                      QStringLiteral("The callback URL to catch, or oob for a PIN."),
                                      QStringLiteral("URL|oob"));
    const QCommandLineOption allowHost(QStringLiteral("allow-host"),
                                       QStringLiteral("A host (and its subdomains) the page may show over "
                                                      "https, besides the authorize page's origin."),
                                       QStringLiteral("HOST"));
    const QCommandLineOption title(QStringLiteral("title"), QStringLiteral("The window's title."),
                                   QStringLiteral("TEXT"));
    parser.addOptions({authorize, callback, allowHost, title});
    if (!parser.parse(commandLine))
        return parser.errorText();
    if (parser.isSet(QStringLiteral("help"))) {
        std::fprintf(stderr, "%s", qPrintable(parser.helpText()));
        return QStringLiteral("--help was asked for");
    }
    if (!parser.positionalArguments().isEmpty())
        return QStringLiteral("unexpected arguments: ") + parser.positionalArguments().join(QLatin1Char(' '));

    arguments.authorizeUrl = QUrl(parser.value(authorize), QUrl::StrictMode);
    const QUrl &page = arguments.authorizeUrl;
    if (!page.isValid() || page.host().isEmpty())
        return QStringLiteral("--authorize-url needs an absolute URL");
    // Plain http only for the sandbox on this computer.
    if (page.scheme() != QLatin1String("https") &&
        !(page.scheme() == QLatin1String("http") && isLoopbackHost(page.host())))
        return QStringLiteral("--authorize-url must use https (http only on this computer)");
    const QString callbackValue = parser.value(callback);
    if (callbackValue.isEmpty())
        return QStringLiteral("--callback needs a URL or oob");
    if (callbackValue != QLatin1String("oob")) {
        arguments.callbackUrl = QUrl(callbackValue, QUrl::StrictMode);
        const QString scheme = arguments.callbackUrl.scheme();
        if (!arguments.callbackUrl.isValid() || arguments.callbackUrl.host().isEmpty() ||
            (scheme != QLatin1String("http") && scheme != QLatin1String("https")))
            return QStringLiteral("--callback needs an http(s) URL or oob");
    }
    for (const QString &host : parser.values(allowHost)) {
        const QString trimmed = host.trimmed().toLower();
        if (trimmed.isEmpty() || trimmed.contains(QLatin1Char('/')) || trimmed.startsWith(QLatin1Char('.')))
            return QStringLiteral("--allow-host needs a host name, not ") + host;
        arguments.allowedHosts << trimmed;
    }
    arguments.title = parser.value(title);

    const bool testing = qEnvironmentVariable("ACTIVITY_SIGNIN_TEST") == QLatin1String("1");
    arguments.testScript = qEnvironmentVariable("ACTIVITY_SIGNIN_TEST_SCRIPT");
    arguments.testExternalLinks = qEnvironmentVariable("ACTIVITY_SIGNIN_TEST_EXTERNAL_LINKS");
    if (!testing && (!arguments.testScript.isEmpty() || !arguments.testExternalLinks.isEmpty()))
        return QStringLiteral(
            "the test hooks (ACTIVITY_SIGNIN_TEST_*) are refused unless ACTIVITY_SIGNIN_TEST=1");
    return {};
}

// Test only (see the top of the file): runs the test's script after every load of the page.
void runTestScriptAfterLoads(activity::LoginDialog *dialog, const QString &scriptFile)
{
    QObject::connect(dialog->view(), &QWebEngineView::loadFinished, dialog, [dialog, scriptFile](bool ok) {
        if (!ok)
            return;
        QFile file(scriptFile);
        if (!file.open(QIODevice::ReadOnly)) {
            diagnose(QStringLiteral("test script %1 cannot be read").arg(scriptFile));
            return;
        }
        const QString script = QString::fromUtf8(file.readAll());
        const QPointer<activity::LoginDialog> window(dialog);
        dialog->view()->page()->runJavaScript(script, [window](const QVariant &value) {
            const QJsonValue answer = QJsonValue::fromVariant(value);
            diagnose(
                QStringLiteral("test script answered: ") +
                QString::fromUtf8(answer.isObject()
                                      ? QJsonDocument(answer.toObject()).toJson(QJsonDocument::Compact)
                                      : QJsonDocument(QJsonArray {answer}).toJson(QJsonDocument::Compact)));
            if (!window || !answer.isObject())
                return;
            const QString action = answer[QStringLiteral("action")].toString();
            if (action == QLatin1String("type-pin"))
                window->enterPin(answer[QStringLiteral("pin")].toString());
            else if (action == QLatin1String("close-window"))
                window->reject();
        });
    });
}

} // namespace

int main(int argc, char *argv[])
{
    // Wrong arguments are answered before a display is needed.
    QStringList commandLine;
    for (int i = 0; i < argc; ++i)
        commandLine << QString::fromLocal8Bit(argv[i]);
    Answer answer;
    Arguments arguments;
    if (const QString problem = parseArguments(commandLine, arguments); !problem.isEmpty()) {
        answer.error(problem, ExitUsage);
        return ExitUsage;
    }

    QApplication app(argc, argv);
    // Its own name: nothing of the console's settings or data folders is touched.
    QCoreApplication::setOrganizationName(QStringLiteral(ACTIVITY_ORGANISATION));
    QCoreApplication::setApplicationName(QStringLiteral(ACTIVITY_SIGNIN_HELPER_NAME));
    QCoreApplication::setApplicationVersion(QStringLiteral(ACTIVITY_VERSION));
    QGuiApplication::setDesktopFileName(QStringLiteral(ACTIVITY_APP_ID));

    // The console closing our stdin (or going away) means the window is no longer wanted.
    QSocketNotifier stdinWatch(STDIN_FILENO, QSocketNotifier::Read);
    QObject::connect(&stdinWatch, &QSocketNotifier::activated, &app, [&answer, &stdinWatch] {
        char buffer[256];
        const ssize_t got = ::read(STDIN_FILENO, buffer, sizeof buffer);
        if (got <= 0) {
            stdinWatch.setEnabled(false);
            answer.cancelled();
        }
    });
    if (::socketpair(AF_UNIX, SOCK_STREAM, 0, signalPipe) != 0) {
        answer.error(QStringLiteral("cannot watch for signals"));
        return ExitError;
    }
    QSocketNotifier signalWatch(signalPipe[0], QSocketNotifier::Read);
    QObject::connect(&signalWatch, &QSocketNotifier::activated, &app, [&answer] { answer.cancelled(); });
    struct sigaction action = {};
    action.sa_handler = onSignal;
    for (const int signal : {SIGTERM, SIGINT, SIGHUP})
        ::sigaction(signal, &action, nullptr);

    activity::LoginDialog::Options options;
    options.authorizeUrl = arguments.authorizeUrl;
    options.callbackUrl = arguments.callbackUrl;
    options.allowedHosts = arguments.allowedHosts;
    const QString externalLinks = arguments.testExternalLinks;
    options.openExternally = [externalLinks](const QUrl &url) {
        diagnose(QStringLiteral("handed to the desktop: ") + url.toString(QUrl::FullyEncoded));
        if (externalLinks.isEmpty()) {
            QDesktopServices::openUrl(url);
            return;
        }
        QFile record(externalLinks); // test only: record instead of opening
        if (record.open(QIODevice::Append))
            record.write(url.toEncoded() + '\n');
    };

    activity::LoginDialog dialog(options);
    if (!arguments.title.isEmpty())
        dialog.setWindowTitle(arguments.title);
    QObject::connect(&dialog, &activity::LoginDialog::callbackReached, &app,
                     [&answer](const QUrl &url) { answer.callback(url); });
    QObject::connect(&dialog, &activity::LoginDialog::pinSubmitted, &app,
                     [&answer, &dialog](const QString &pin) {
                         static const QRegularExpression digits(QStringLiteral("^[0-9]{4,16}$"));
                         if (!digits.match(pin).hasMatch()) {
                             dialog.showProblem(QObject::tr(
                                 "The PIN is the number X shows after you authorise the app (usually "
                                 "7 digits). Type the digits exactly as shown."));
                             return;
                         }
                         answer.pin(pin);
                     });
    QObject::connect(&dialog, &activity::LoginDialog::closedByUser, &app, [&answer] { answer.cancelled(); });
    QObject::connect(
        &dialog, &activity::LoginDialog::navigationBlocked, &app, [](const QUrl &url, const QString &reason) {
            diagnose(QStringLiteral("refused %1: %2").arg(url.toString(QUrl::FullyEncoded), reason));
        });
    QObject::connect(dialog.view()->page(), &QWebEnginePage::renderProcessTerminated, &app,
                     [&answer](QWebEnginePage::RenderProcessTerminationStatus status, int exitCode) {
                         if (status != QWebEnginePage::NormalTerminationStatus)
                             answer.error(
                                 QStringLiteral("the page's renderer stopped (status %1, exit code %2)")
                                     .arg(int(status))
                                     .arg(exitCode));
                     });
    if (!arguments.testScript.isEmpty())
        runTestScriptAfterLoads(&dialog, arguments.testScript);

    // The window is the whole program: closing it is answered above, not by quitting.
    QGuiApplication::setQuitOnLastWindowClosed(false);
    dialog.show();
    const int status = app.exec();
    if (!answer.written())
        answer.cancelled();
    return status;
}
