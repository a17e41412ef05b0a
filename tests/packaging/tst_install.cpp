// `cmake --install` of this build folder into a temporary prefix puts every file where the
// freedesktop specifications say, and the desktop file and AppStream metainfo pass their validators.
//
// Runs the real install of the build folder, so the build must be complete: ctest after a full
// build (tools/run-tests does that); `ninja tst_install` builds the installed targets first.

#include "ActivityConfig.h"
#include "PackagingTestSupport.h"

#include <QDir>
#include <QFile>
#include <QFileInfo>
#include <QHash>
#include <QImage>
#include <QTemporaryDir>
#include <QTest>

using namespace activity::packaging;

class InstallTest : public QObject
{
    Q_OBJECT

private slots:
    void initTestCase();
    void shouldInstallEveryProgramIntoBin();
    void shouldInstallTheSignInHelperUnderLibexecWhereTheConsoleLooks();
    void shouldInstallDesktopFileThatPassesDesktopFileValidate();
    void shouldInstallDesktopFileNamedAfterTheApplicationId();
    void shouldInstallMetainfoThatPassesAppstreamValidation();
    void shouldPassAppstreamValidationOfTheWholeTree();
    void shouldConfigureIdVersionAndProgramsIntoMetainfo();
    void shouldInstallScalableAndFixedSizeIconsInTheHicolorTheme();
    void shouldInstallTheLicence();

private:
    // The prefix is <temporary root>/usr, the layout `appstreamcli validate-tree` expects.
    QString prefix() const { return m_root.filePath(QStringLiteral("usr")); }
    QString installed(const QString &relativePath) const
    {
        return prefix() + QLatin1Char('/') + relativePath;
    }

    QTemporaryDir m_root;
};

void InstallTest::initTestCase()
{
    QVERIFY2(m_root.isValid(), qPrintable(m_root.errorString()));
    const ProcessResult install = runProcess(QStringLiteral(ACTIVITY_CMAKE_COMMAND),
                                             {QStringLiteral("--install"), QStringLiteral(ACTIVITY_BUILD_DIR),
                                              QStringLiteral("--prefix"), prefix()},
                                             240 * 1000);
    QVERIFY2(install.succeeded(), qPrintable(install.describe(QStringLiteral("cmake --install"))));
}

void InstallTest::shouldInstallEveryProgramIntoBin()
{
    QVERIFY(installedPrograms().contains(QStringLiteral("activity-console")));
    for (const QString &program : installedPrograms()) {
        const QFileInfo binary(installed(QStringLiteral("bin/") + program));
        QVERIFY2(binary.isFile(), qPrintable(binary.filePath()));
        QVERIFY2(binary.isExecutable(), qPrintable(binary.filePath()));
    }
}

void InstallTest::shouldInstallTheSignInHelperUnderLibexecWhereTheConsoleLooks()
{
    const QFileInfo helper(installed(signInHelperPath()));
    QVERIFY2(helper.isFile() && helper.isExecutable(), qPrintable(helper.filePath()));
    QVERIFY(signInHelperPath().startsWith(QStringLiteral("libexec/activity-console/")));
    // Not a command for people: nothing of it in bin.
    QVERIFY(!QFileInfo::exists(installed(QStringLiteral("bin/" ACTIVITY_SIGNIN_HELPER_NAME))));
    // The console finds it relative to its own folder, whatever the prefix (SignInBrowser::helperPath).
    const QFileInfo found(QDir::cleanPath(installed(QStringLiteral("bin/" ACTIVITY_SIGNIN_HELPER_FROM_BIN))));
    QCOMPARE(found.canonicalFilePath(), helper.canonicalFilePath());
}

void InstallTest::shouldInstallDesktopFileThatPassesDesktopFileValidate()
{
    const QString desktopFile = installed(desktopFilePath());
    QVERIFY2(QFileInfo::exists(desktopFile), qPrintable(desktopFile));
    const ProcessResult validation =
        runProcess(QStringLiteral("desktop-file-validate"), {desktopFile}, 60 * 1000);
    QVERIFY2(validation.succeeded(),
             qPrintable(validation.describe(QStringLiteral("desktop-file-validate"))));
    // Warnings do not change the exit code: allow none. The one hint left is expected: the brief's
    // "Network;Development" are two main categories (the menu may show the program under both).
    QVERIFY2(!validation.output.contains(QStringLiteral("warning:")), qPrintable(validation.output));
    QVERIFY2(!validation.output.contains(QStringLiteral("error:")), qPrintable(validation.output));
}

void InstallTest::shouldInstallDesktopFileNamedAfterTheApplicationId()
{
    QFile file(installed(desktopFilePath()));
    QVERIFY2(file.open(QIODevice::ReadOnly | QIODevice::Text), qPrintable(file.errorString()));
    // QSettings cannot read desktop files (';' starts a comment there): read the keys by hand.
    QHash<QString, QString> entry;
    bool inDesktopEntry = false;
    const QStringList lines = QString::fromUtf8(file.readAll()).split(QLatin1Char('\n'));
    for (const QString &line : lines) {
        if (line.startsWith(QLatin1Char('[')))
            inDesktopEntry = line == QStringLiteral("[Desktop Entry]");
        else if (inDesktopEntry && line.contains(QLatin1Char('=')))
            entry.insert(line.section(QLatin1Char('='), 0, 0), line.section(QLatin1Char('='), 1));
    }
    QCOMPARE(entry.value(QStringLiteral("Icon")), appId());
    QCOMPARE(entry.value(QStringLiteral("Exec")), QStringLiteral("activity-console"));
    QCOMPARE(entry.value(QStringLiteral("Terminal")), QStringLiteral("false"));
    QCOMPARE(entry.value(QStringLiteral("Categories")), QStringLiteral("Network;Development;Qt;"));
    // The Exec program is one this installation provides.
    QVERIFY(QFileInfo::exists(installed(QStringLiteral("bin/activity-console"))));
}

void InstallTest::shouldInstallMetainfoThatPassesAppstreamValidation()
{
    const QString metainfo = installed(metainfoPath());
    QVERIFY2(QFileInfo::exists(metainfo), qPrintable(metainfo));
    const ProcessResult validation =
        runProcess(QStringLiteral("appstreamcli"),
                   {QStringLiteral("validate"), QStringLiteral("--no-net"), QStringLiteral("--pedantic"),
                    QStringLiteral("--no-color"), metainfo},
                   60 * 1000);
    QVERIFY2(validation.succeeded(),
             qPrintable(validation.describe(QStringLiteral("appstreamcli validate"))));
}

void InstallTest::shouldPassAppstreamValidationOfTheWholeTree()
{
    // Checks that metainfo, desktop file and icons fit together (launchable, icon name, sizes).
    const ProcessResult validation =
        runProcess(QStringLiteral("appstreamcli"),
                   {QStringLiteral("validate-tree"), QStringLiteral("--no-net"), QStringLiteral("--pedantic"),
                    QStringLiteral("--no-color"), m_root.path()},
                   60 * 1000);
    QVERIFY2(validation.succeeded(),
             qPrintable(validation.describe(QStringLiteral("appstreamcli validate-tree"))));
    QVERIFY2(validation.output.contains(appId()), qPrintable(validation.output));
}

void InstallTest::shouldConfigureIdVersionAndProgramsIntoMetainfo()
{
    QFile file(installed(metainfoPath()));
    QVERIFY2(file.open(QIODevice::ReadOnly), qPrintable(file.errorString()));
    const QString metainfo = QString::fromUtf8(file.readAll());
    QVERIFY(metainfo.contains(QStringLiteral("<id>") + appId() + QStringLiteral("</id>")));
    QVERIFY(metainfo.contains(QStringLiteral("<launchable type=\"desktop-id\">") + appId() +
                              QStringLiteral(".desktop</launchable>")));
    QVERIFY(metainfo.contains(QStringLiteral("<release version=\"" ACTIVITY_VERSION "\"")));
    for (const QString &program : {QStringLiteral("activity-console"), QStringLiteral("activity-cli"),
                                   QStringLiteral("activity-sandbox")})
        QVERIFY2(metainfo.contains(QStringLiteral("<binary>") + program + QStringLiteral("</binary>")),
                 qPrintable(program));
    QVERIFY2(!metainfo.contains(QLatin1Char('@')), "an unconfigured @VARIABLE@ is left in the metainfo");
}

void InstallTest::shouldInstallScalableAndFixedSizeIconsInTheHicolorTheme()
{
    QVERIFY2(QFileInfo::exists(installed(scalableIconPath())), qPrintable(installed(scalableIconPath())));
    for (const int size : iconSizes()) {
        const QString png = installed(pngIconPath(size));
        QImage icon;
        QVERIFY2(icon.load(png, "PNG"), qPrintable(png));
        QCOMPARE(icon.size(), QSize(size, size));
        QVERIFY2(icon.hasAlphaChannel(), "the rounded corners must be transparent");
        QCOMPARE(qAlpha(icon.pixel(0, 0)), 0);
        // The middle of the icon is painted (the pulse line or the background), not empty.
        QVERIFY(qAlpha(icon.pixel(size / 2, size / 2)) > 0);
    }
}

void InstallTest::shouldInstallTheLicence()
{
    QFile licence(installed(QStringLiteral("share/doc/activity-console/copyright")));
    QVERIFY2(licence.open(QIODevice::ReadOnly), qPrintable(licence.fileName()));
    QVERIFY(licence.readAll().contains("MIT License"));
}

QTEST_GUILESS_MAIN(InstallTest)
#include "tst_install.moc"
