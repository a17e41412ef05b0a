#pragma once

// Shared by the packaging tests: runs the real tools (cmake, cpack, dpkg-deb, validators) and
// knows where the freedesktop specifications put each installed file.

#include "ActivityConfig.h"

#include <QDir>
#include <QProcess>
#include <QSignalSpy>
#include <QStandardPaths>
#include <QString>
#include <QStringList>

namespace activity::packaging {

struct ProcessResult
{
    bool finished = false;
    int exitCode = -1;
    QString output; // stdout and stderr, merged
    QString problem; // why it did not run to completion, if it did not

    bool succeeded() const { return finished && exitCode == 0; }
    // A one-line-per-fact description for QVERIFY2 messages.
    QString describe(const QString &what) const
    {
        if (!problem.isEmpty())
            return what + QStringLiteral(": ") + problem;
        return what + QStringLiteral(" exited with ") + QString::number(exitCode) + QStringLiteral(":\n") +
            output;
    }
};

// Runs `program` to completion, waiting on QProcess::finished (never sleeping).
inline ProcessResult runProcess(const QString &program, const QStringList &arguments, int timeoutMs,
                                const QString &workingDirectory = QString())
{
    ProcessResult result;
    const QString executable = QStandardPaths::findExecutable(program);
    if (executable.isEmpty() && !QDir::isAbsolutePath(program)) {
        result.problem = program + QStringLiteral(" is not installed (see tools/common.sh)");
        return result;
    }
    QProcess process;
    process.setProgram(executable.isEmpty() ? program : executable);
    process.setArguments(arguments);
    process.setProcessChannelMode(QProcess::MergedChannels);
    if (!workingDirectory.isEmpty())
        process.setWorkingDirectory(workingDirectory);
    QSignalSpy finished(&process, &QProcess::finished);
    process.start();
    if (!finished.wait(timeoutMs)) {
        process.kill();
        result.problem = program + QStringLiteral(" did not finish within ") +
            QString::number(timeoutMs / 1000) + QStringLiteral(" s; output so far:\n") +
            QString::fromLocal8Bit(process.readAll());
        QSignalSpy killed(&process, &QProcess::finished);
        killed.wait(5000);
        return result;
    }
    result.finished = process.exitStatus() == QProcess::NormalExit;
    result.exitCode = process.exitCode();
    result.output = QString::fromLocal8Bit(process.readAll());
    if (!result.finished)
        result.problem = program + QStringLiteral(" crashed; output:\n") + result.output;
    return result;
}

// The sign-in helper, relative to the prefix: out of the PATH, under libexec.
inline QString signInHelperPath()
{
    return QStringLiteral(ACTIVITY_SIGNIN_HELPER_DIR "/" ACTIVITY_SIGNIN_HELPER_NAME);
}

inline QString appId()
{
    return QStringLiteral(ACTIVITY_APP_ID);
}

// The programs this build installs, from CMake (activity-cli and activity-sandbox once they exist).
inline QStringList installedPrograms()
{
    return QStringLiteral(ACTIVITY_INSTALLED_PROGRAMS).split(QLatin1Char(','), Qt::SkipEmptyParts);
}

inline QList<int> iconSizes()
{
    return {16, 32, 48, 64, 128, 256};
}

// Paths relative to the installation prefix (e.g. /usr), as the freedesktop specifications say.
inline QString desktopFilePath()
{
    return QStringLiteral("share/applications/") + appId() + QStringLiteral(".desktop");
}

inline QString metainfoPath()
{
    return QStringLiteral("share/metainfo/") + appId() + QStringLiteral(".metainfo.xml");
}

inline QString scalableIconPath()
{
    return QStringLiteral("share/icons/hicolor/scalable/apps/") + appId() + QStringLiteral(".svg");
}

inline QString pngIconPath(int size)
{
    return QStringLiteral("share/icons/hicolor/%1x%1/apps/").arg(size) + appId() + QStringLiteral(".png");
}

} // namespace activity::packaging
