#pragma once

#include "ApiError.h"

#include <QObject>
#include <QProcess>
#include <QStringList>
#include <QUrl>

namespace activity {

// The console's side of the sign-in window: starts the helper program activity-signin (the only
// program that links Qt WebEngine, so Chromium never shares the console's address space with the
// consumer secrets and tokens), hands it the authorize URL, the callback to catch and the hosts the
// page may visit, and turns its one answer into one signal. No widgets, so it lives in services/
// (next to the other workflows the console and activity-cli share), not in network/, which only
// speaks HTTP; SignInFlow stays the one place that exchanges tokens.
//
// The helper's protocol (app/signin_main.cpp): arguments
//   --authorize-url URL --callback URL|oob --allow-host HOST [--allow-host HOST ...] [--title TEXT]
// and exactly one line of JSON on its stdout, then it exits:
//   {"result":"callback","url":"..."}  {"result":"pin","pin":"..."}  {"result":"cancelled"}
//   {"result":"error","message":"..."}
// Its stdin stays open while the console wants the window; closing it (or SIGTERM) ends the helper.
//
// Exactly one of callbackReached(), pinEntered(), closedByUser() or failed() per start(), unless
// cancel() came first. A helper that cannot be found or started, crashes, exits without an answer
// or answers nonsense is failed() with an ApiError of kind LocalProgram, never a wait.
class SignInBrowser : public QObject
{
    Q_OBJECT
public:
    struct Request
    {
        QUrl authorizeUrl; // carries the request token, which OAuth 1.0a makes public (it is in the
                           // browser's address bar); the helper never gets a secret or access token
        QUrl callbackUrl; // empty: the PIN flow ("oob")
        QStringList allowedHosts; // besides the authorize page's origin; subdomains included
        QString title;
    };

    // The helper's hosts on X: the pages of the sign-in may move between them.
    static QStringList xHosts() { return {QStringLiteral("x.com"), QStringLiteral("twitter.com")}; }

    // Where the helper is: $ACTIVITY_SIGNIN_HELPER, else next to this program (a build tree), else
    // the libexec folder relative to this program, else the configured install path. Empty, with
    // `problem` set, when none is an executable file.
    static QString helperPath(ApiError *problem = nullptr);

    explicit SignInBrowser(QObject *parent = nullptr);
    // Ends a helper that is still open (terminate, then kill after a short grace).
    ~SignInBrowser() override;

    void start(const Request &request);
    // Closes the window without a result: no further signal.
    void cancel();
    bool isRunning() const { return m_process.state() != QProcess::NotRunning; }
    qint64 processId() const { return m_process.processId(); }

Q_SIGNALS:
    void started();
    void callbackReached(const QUrl &url);
    void pinEntered(const QString &pin);
    void closedByUser();
    void failed(const activity::ApiError &error);

private:
    void readAnswer();
    void onFinished(int exitCode, QProcess::ExitStatus status);
    void onErrorOccurred(QProcess::ProcessError error);
    void takeAnswer(const QByteArray &line);
    void fail(const QString &cause, const QString &remedy);
    void stopHelper();

    QProcess m_process;
    QString m_program;
    QByteArray m_output;
    bool m_done = false;
};

} // namespace activity
