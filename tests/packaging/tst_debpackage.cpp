// `cpack -G DEB` builds activity-console_<version>_<arch>.deb with the right control fields and
// dependencies, and the package unpacks every file into its freedesktop place under /usr.
//
// cpack installs the whole build folder, so the build must be complete: ctest after a full build
// (tools/run-tests does that); `ninja tst_debpackage` builds the installed targets first.

#include "ActivityConfig.h"
#include "PackagingTestSupport.h"

#include <QDir>
#include <QFileInfo>
#include <QHash>
#include <QTemporaryDir>
#include <QTest>

using namespace activity::packaging;

class DebPackageTest : public QObject
{
    Q_OBJECT

private slots:
    void initTestCase();
    void shouldNameThePackageFileAfterNameVersionAndArchitecture();
    void shouldDeclarePackageVersionArchitectureAndSection();
    void shouldDependOnTheSharedLibrariesFoundByShlibdeps();
    void shouldDependOnTheRuntimePiecesShlibdepsCannotSee();
    void shouldDependOnQtWebEngineThroughTheSignInHelper();
    void shouldRecommendAKeychainService();
    void shouldUnpackProgramsDesktopFileMetainfoAndIconsUnderUsr();

private:
    // Control fields of the package, with continuation lines folded in.
    QHash<QString, QString> m_control;
    QTemporaryDir m_work;
    QString m_architecture;
    QString m_debFile;
    QString m_root;
};

void DebPackageTest::initTestCase()
{
    QVERIFY2(m_work.isValid(), qPrintable(m_work.errorString()));

    const ProcessResult architecture =
        runProcess(QStringLiteral("dpkg"), {QStringLiteral("--print-architecture")}, 30 * 1000);
    QVERIFY2(architecture.succeeded(),
             qPrintable(architecture.describe(QStringLiteral("dpkg --print-architecture"))));
    m_architecture = architecture.output.trimmed();

    // Everything cpack writes (its staging tree and the package) goes into the temporary folder.
    const QString packageDir = m_work.filePath(QStringLiteral("package"));
    const ProcessResult cpack =
        runProcess(QStringLiteral(ACTIVITY_CPACK_COMMAND),
                   {QStringLiteral("--config"), QStringLiteral(ACTIVITY_BUILD_DIR "/CPackConfig.cmake"),
                    QStringLiteral("-G"), QStringLiteral("DEB"), QStringLiteral("-B"), packageDir},
                   270 * 1000, m_work.path());
    QVERIFY2(cpack.succeeded(), qPrintable(cpack.describe(QStringLiteral("cpack -G DEB"))));

    const QStringList debs = QDir(packageDir).entryList({QStringLiteral("*.deb")}, QDir::Files);
    QCOMPARE(debs.size(), 1);
    m_debFile = QDir(packageDir).filePath(debs.constFirst());

    const ProcessResult fields =
        runProcess(QStringLiteral("dpkg-deb"), {QStringLiteral("--field"), m_debFile}, 60 * 1000);
    QVERIFY2(fields.succeeded(), qPrintable(fields.describe(QStringLiteral("dpkg-deb --field"))));
    QString lastField;
    const QStringList lines = fields.output.split(QLatin1Char('\n'), Qt::SkipEmptyParts);
    for (const QString &line : lines) {
        if (line.startsWith(QLatin1Char(' ')) && !lastField.isEmpty()) {
            m_control[lastField] += QLatin1Char('\n') + line.trimmed();
        } else if (line.contains(QLatin1Char(':'))) {
            lastField = line.section(QLatin1Char(':'), 0, 0);
            m_control.insert(lastField, line.section(QLatin1Char(':'), 1).trimmed());
        }
    }

    m_root = m_work.filePath(QStringLiteral("root"));
    const ProcessResult unpack =
        runProcess(QStringLiteral("dpkg-deb"), {QStringLiteral("--extract"), m_debFile, m_root}, 120 * 1000);
    QVERIFY2(unpack.succeeded(), qPrintable(unpack.describe(QStringLiteral("dpkg-deb --extract"))));
}

void DebPackageTest::shouldNameThePackageFileAfterNameVersionAndArchitecture()
{
    QCOMPARE(QFileInfo(m_debFile).fileName(),
             QStringLiteral("activity-console_" ACTIVITY_VERSION "_") + m_architecture +
                 QStringLiteral(".deb"));
}

void DebPackageTest::shouldDeclarePackageVersionArchitectureAndSection()
{
    QCOMPARE(m_control.value(QStringLiteral("Package")), QStringLiteral("activity-console"));
    QCOMPARE(m_control.value(QStringLiteral("Version")), QStringLiteral(ACTIVITY_VERSION));
    QCOMPARE(m_control.value(QStringLiteral("Architecture")), m_architecture);
    QCOMPARE(m_control.value(QStringLiteral("Section")), QStringLiteral("net"));
    QVERIFY(m_control.value(QStringLiteral("Maintainer")).contains(QLatin1Char('<')));
    QVERIFY(!m_control.value(QStringLiteral("Homepage")).isEmpty());
    QVERIFY(m_control.value(QStringLiteral("Description")).contains(QStringLiteral("Account Activity API")));
}

void DebPackageTest::shouldDependOnTheSharedLibrariesFoundByShlibdeps()
{
    const QString depends = m_control.value(QStringLiteral("Depends"));
    for (const QString &library : {QStringLiteral("libqt6core6"), QStringLiteral("libqt6widgets6"),
                                   QStringLiteral("libqt6keychain1"), QStringLiteral("libc6")})
        QVERIFY2(depends.contains(library),
                 qPrintable(library + QStringLiteral(" missing from: ") + depends));
}

void DebPackageTest::shouldDependOnTheRuntimePiecesShlibdepsCannotSee()
{
    const QString depends = m_control.value(QStringLiteral("Depends"));
    for (const QString &package : {QStringLiteral("libsecret-1-0"), QStringLiteral("qt6-qpa-plugins"),
                                   QStringLiteral("libqt6sql6-sqlite"), QStringLiteral("libqt6svg6")})
        QVERIFY2(depends.contains(package),
                 qPrintable(package + QStringLiteral(" missing from: ") + depends));
}

void DebPackageTest::shouldDependOnQtWebEngineThroughTheSignInHelper()
{
    // Only the helper under libexec links it; dpkg-shlibdeps scans that program too.
    const QString depends = m_control.value(QStringLiteral("Depends"));
    for (const QString &library :
         {QStringLiteral("libqt6webenginecore6"), QStringLiteral("libqt6webenginewidgets6")})
        QVERIFY2(depends.contains(library),
                 qPrintable(library + QStringLiteral(" missing from: ") + depends));
}

void DebPackageTest::shouldRecommendAKeychainService()
{
    QCOMPARE(m_control.value(QStringLiteral("Recommends")),
             QStringLiteral("gnome-keyring | kwalletmanager | keepassxc"));
}

void DebPackageTest::shouldUnpackProgramsDesktopFileMetainfoAndIconsUnderUsr()
{
    const QDir usr(m_root + QStringLiteral("/usr"));
    for (const QString &program : installedPrograms()) {
        const QFileInfo binary(usr.filePath(QStringLiteral("bin/") + program));
        QVERIFY2(binary.isFile() && binary.isExecutable(), qPrintable(binary.filePath()));
    }
    const QFileInfo helper(usr.filePath(signInHelperPath()));
    QVERIFY2(helper.isFile() && helper.isExecutable(), qPrintable(helper.filePath()));
    QVERIFY(helper.filePath().endsWith(QStringLiteral("/usr/libexec/activity-console/activity-signin")));
    QStringList expected = {desktopFilePath(), metainfoPath(), scalableIconPath(),
                            QStringLiteral("share/doc/activity-console/copyright")};
    for (const int size : iconSizes())
        expected << pngIconPath(size);
    for (const QString &file : std::as_const(expected))
        QVERIFY2(QFileInfo(usr.filePath(file)).isFile(), qPrintable(usr.filePath(file)));
}

QTEST_GUILESS_MAIN(DebPackageTest)
#include "tst_debpackage.moc"
