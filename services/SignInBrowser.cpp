#include "SignInBrowser.h"

#include "ActivityConfig.h"

#include <QCoreApplication>
#include <QDir>
#include <QFileInfo>
#include <QJsonDocument>
#include <QJsonObject>
#include <QPointer>
#include <QTimer>

namespace activity {

namespace {

// One answer line is a URL or a message; anything longer is not the helper talking.
constexpr qsizetype maxAnswerBytes = 64 * 1024;
// How long a helper asked to end may take before it is killed.
constexpr int terminateGraceMs = 2000;

const char *const helperVariable = "ACTIVITY_SIGNIN_HELPER";

bool isExecutableFile(const QString &path)
{
    const QFileInfo info(path);
    return info.isFile() && info.isExecutable();
}

QString helperRemedy()
{
    return SignInBrowser::tr("Nothing was saved. Start the sign-in again; if it keeps happening, run %1 "
                             "from a terminal to see its messages, or reinstall Activity Console.")
        .arg(QStringLiteral(ACTIVITY_SIGNIN_HELPER_NAME));
}

} // namespace

QString SignInBrowser::helperPath(ApiError *problem)
{
    const QString overridden = qEnvironmentVariable(helperVariable);
    if (!overridden.isEmpty()) {
        if (isExecutableFile(overridden))
            return overridden;
        if (problem)
            *problem = ApiError::make(
                ApiError::Kind::LocalProgram,
                tr("The sign-in window could not be opened: %1 names %2, which is not an executable "
                   "program.")
                    .arg(QString::fromLatin1(helperVariable), overridden),
                tr("Correct or unset %1.").arg(QString::fromLatin1(helperVariable)));
        return {};
    }
    const QDir programDir(QCoreApplication::applicationDirPath());
    const QStringList candidates {
        programDir.filePath(QStringLiteral(ACTIVITY_SIGNIN_HELPER_NAME)), // a build tree
        QDir::cleanPath(programDir.filePath(QStringLiteral(ACTIVITY_SIGNIN_HELPER_FROM_BIN))), // any prefix
        QStringLiteral(ACTIVITY_SIGNIN_HELPER_INSTALLED), // the prefix it was built for
    };
    for (const QString &candidate : candidates) {
        if (isExecutableFile(candidate))
            return candidate;
    }
    if (problem)
        *problem = ApiError::make(
            ApiError::Kind::LocalProgram,
            tr("The sign-in window could not be opened: its program, %1, was not found "
               "(looked in %2).")
                .arg(QStringLiteral(ACTIVITY_SIGNIN_HELPER_NAME), candidates.join(QStringLiteral(", "))),
            tr("Reinstall Activity Console, or set %1 to the path of %2.")
                .arg(QString::fromLatin1(helperVariable), QStringLiteral(ACTIVITY_SIGNIN_HELPER_NAME)));
    return {};
}

SignInBrowser::SignInBrowser(QObject *parent)
    : QObject(parent)
{
    // The helper's diagnostics (refused navigations, Chromium's own messages) go where ours go.
    m_process.setProcessChannelMode(QProcess::ForwardedErrorChannel);
    connect(&m_process, &QProcess::started, this, &SignInBrowser::started);
    connect(&m_process, &QProcess::readyReadStandardOutput, this, &SignInBrowser::readAnswer);
    connect(&m_process, &QProcess::finished, this, &SignInBrowser::onFinished);
    connect(&m_process, &QProcess::errorOccurred, this, &SignInBrowser::onErrorOccurred);
}

SignInBrowser::~SignInBrowser()
{
    m_done = true;
    m_process.disconnect(this);
    if (m_process.state() == QProcess::NotRunning)
        return;
    // The object goes now, so no timer can follow up: wait the grace period for the helper to end
    // (it does at once on SIGTERM), and ~QProcess kills it if it has not.
    m_process.closeWriteChannel();
    m_process.terminate();
    m_process.waitForFinished(terminateGraceMs);
}

void SignInBrowser::start(const Request &request)
{
    if (m_process.state() != QProcess::NotRunning)
        return;
    m_done = false;
    m_output.clear();
    ApiError problem;
    m_program = helperPath(&problem);
    if (m_program.isEmpty()) {
        // Reported from the event loop, so the caller's connections see it like any other answer.
        QTimer::singleShot(0, this, [this, problem] {
            if (!m_done) {
                m_done = true;
                Q_EMIT failed(problem);
            }
        });
        return;
    }
    QStringList arguments {QStringLiteral("--authorize-url"),
                           request.authorizeUrl.toString(QUrl::FullyEncoded), QStringLiteral("--callback"),
                           request.callbackUrl.isEmpty() ? QStringLiteral("oob")
                                                         : request.callbackUrl.toString(QUrl::FullyEncoded)};
    for (const QString &host : request.allowedHosts)
        arguments << QStringLiteral("--allow-host") << host;
    if (!request.title.isEmpty())
        arguments << QStringLiteral("--title") << request.title;
    m_process.start(m_program, arguments);
}

void SignInBrowser::cancel()
{
    m_done = true;
    stopHelper();
}

void SignInBrowser::stopHelper()
{
    if (m_process.state() == QProcess::NotRunning)
        return;
    m_process.closeWriteChannel();
    m_process.terminate();
    QTimer::singleShot(terminateGraceMs, &m_process, [process = &m_process] {
        if (process->state() != QProcess::NotRunning)
            process->kill();
    });
}

void SignInBrowser::readAnswer()
{
    m_output += m_process.readAllStandardOutput();
    if (m_done)
        return;
    const qsizetype end = m_output.indexOf('\n');
    if (end >= 0) {
        takeAnswer(m_output.left(end));
        return;
    }
    if (m_output.size() > maxAnswerBytes)
        fail(tr("The sign-in window answered something the console does not understand (more than %1 KiB "
                "without an end of line).")
                 .arg(maxAnswerBytes / 1024),
             tr("Reinstall Activity Console, so that the console and its sign-in window (%1) come from the "
                "same version.")
                 .arg(QStringLiteral(ACTIVITY_SIGNIN_HELPER_NAME)));
}

void SignInBrowser::takeAnswer(const QByteArray &line)
{
    QJsonParseError parseError;
    const QJsonObject answer = QJsonDocument::fromJson(line, &parseError).object();
    const QString result = answer.value(QStringLiteral("result")).toString();
    const auto notUnderstood = [this] {
        fail(tr("The sign-in window answered something the console does not understand."),
             tr("Reinstall Activity Console, so that the console and its sign-in window (%1) come from the "
                "same version.")
                 .arg(QStringLiteral(ACTIVITY_SIGNIN_HELPER_NAME)));
    };
    if (parseError.error != QJsonParseError::NoError) {
        notUnderstood();
        return;
    }
    if (result == QLatin1String("callback")) {
        const QUrl url(answer.value(QStringLiteral("url")).toString(), QUrl::StrictMode);
        if (!url.isValid() || url.scheme().isEmpty()) {
            notUnderstood();
            return;
        }
        m_done = true;
        Q_EMIT callbackReached(url);
    } else if (result == QLatin1String("pin")) {
        const QString pin = answer.value(QStringLiteral("pin")).toString();
        if (pin.isEmpty()) {
            notUnderstood();
            return;
        }
        m_done = true;
        Q_EMIT pinEntered(pin);
    } else if (result == QLatin1String("cancelled")) {
        m_done = true;
        Q_EMIT closedByUser();
    } else if (result == QLatin1String("error")) {
        fail(tr("The sign-in window reported a problem: %1")
                 .arg(answer.value(QStringLiteral("message")).toString()),
             helperRemedy());
    } else {
        notUnderstood();
    }
}

void SignInBrowser::onFinished(int exitCode, QProcess::ExitStatus status)
{
    // An answer may arrive together with the end of the process.
    m_output += m_process.readAllStandardOutput();
    if (!m_done && !m_output.trimmed().isEmpty()) {
        const QPointer<SignInBrowser> self(this); // a receiver may delete us
        const qsizetype end = m_output.indexOf('\n');
        takeAnswer(end >= 0 ? m_output.left(end) : m_output);
        if (!self)
            return;
    }
    if (m_done)
        return;
    if (status == QProcess::CrashExit)
        fail(tr("The sign-in window stopped unexpectedly (it crashed or was ended from outside) before the "
                "sign-in finished."),
             helperRemedy());
    else
        fail(tr("The sign-in window closed without an answer (exit code %1).").arg(exitCode), helperRemedy());
}

void SignInBrowser::onErrorOccurred(QProcess::ProcessError error)
{
    // Crashes are reported by onFinished(), which follows.
    if (error != QProcess::FailedToStart || m_done)
        return;
    fail(tr("The sign-in window (%1) could not be started: %2.").arg(m_program, m_process.errorString()),
         tr("Check that the file is executable and that Qt WebEngine is installed; reinstalling Activity "
            "Console restores both."));
}

void SignInBrowser::fail(const QString &cause, const QString &remedy)
{
    if (m_done)
        return;
    m_done = true;
    stopHelper();
    Q_EMIT failed(ApiError::make(ApiError::Kind::LocalProgram, cause, remedy));
}

} // namespace activity
