#pragma once

// The embedded sandbox as a process of its own: the console starts activity-sandbox (next to it
// in a build tree and in an installation, or ACTIVITY_SANDBOX_EXE) only while the sandbox profile
// is selected, and stops it when another profile is chosen. The console process then carries no
// HTTP server and loads no TLS library for it; the demo world lives and dies with the process.

#include "ApiError.h"
#include "Result.h"

#include <QCoreApplication>
#include <QDir>
#include <QFileInfo>
#include <QProcess>
#include <QRegularExpression>
#include <QTimer>
#include <QUrl>

#include <functional>
#include <memory>

namespace activity {

class SandboxProcess : public QObject
{
public:
    using Done = std::function<void(const Result<QUrl> &)>;

    static QString program()
    {
        const QString overridden = qEnvironmentVariable("ACTIVITY_SANDBOX_EXE");
        return overridden.isEmpty()
            ? QDir(QCoreApplication::applicationDirPath()).filePath(QStringLiteral("activity-sandbox"))
            : overridden;
    }

    // Starts it; `done` gets its base URL once it listens, or why it could not start.
    void start(Done done)
    {
        stop();
        m_process = std::make_unique<QProcess>();
        m_done = std::move(done);
        m_output.clear();
        QProcess *process = m_process.get();
        process->setProgram(program());
        process->setArguments({QStringLiteral("--port"), QStringLiteral("0"), QStringLiteral("--seed"),
                               QStringLiteral("demo")});
        process->setProcessChannelMode(QProcess::SeparateChannels);
        connect(process, &QProcess::readyReadStandardOutput, this, [this, process] {
            m_output += process->readAllStandardOutput();
            static const QRegularExpression listening(QStringLiteral("listening on (http://\\S+)"));
            const QRegularExpressionMatch match = listening.match(QString::fromUtf8(m_output));
            if (match.hasMatch())
                answer(QUrl(match.captured(1)));
        });
        connect(process, &QProcess::errorOccurred, this, [this](QProcess::ProcessError) { failed(); });
        connect(process, &QProcess::finished, this, [this] { failed(); });
        process->start();
    }

    void stop()
    {
        m_done = {};
        if (!m_process)
            return;
        // Asked to end, and killed if it has not within a second; the window never waits for it.
        QProcess *ending = m_process.release();
        ending->disconnect(this);
        ending->setParent(this); // a console that quits first takes it along (QProcess kills it)
        connect(ending, &QProcess::finished, ending, &QObject::deleteLater);
        ending->terminate();
        QTimer::singleShot(1000, ending, [ending] { ending->kill(); });
    }

    ~SandboxProcess() override
    {
        if (m_process)
            m_process->kill(); // the console is quitting: no reason to wait for a clean end
    }

private:
    void answer(const Result<QUrl> &result)
    {
        if (Done done = std::exchange(m_done, {}))
            done(result);
    }

    void failed()
    {
        if (!m_done)
            return;
        const QString detail =
            m_process ? QString::fromUtf8(m_process->readAllStandardError()).trimmed() : QString();
        answer(ApiError::make(
            ApiError::Kind::LocalProgram,
            QCoreApplication::translate("main", "The built-in sandbox (%1) could not start.%2")
                .arg(QDir::toNativeSeparators(program()),
                     detail.isEmpty() ? QString() : QStringLiteral(" ") + detail),
            QCoreApplication::translate("main",
                                        "Reinstall Activity Console, or add a profile for your X app "
                                        "under File ▸ Profiles.")));
    }

    std::unique_ptr<QProcess> m_process;
    Done m_done;
    QByteArray m_output;
};

} // namespace activity
