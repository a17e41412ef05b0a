// Only the sign-in helper links Qt WebEngine: the console and activity-cli need no libQt6WebEngine*
// library, directly or through another library (ldd resolves the whole tree, as the loader does),
// and activity-signin does: Chromium runs in the helper's process only.

#include "PackagingTestSupport.h"

#include <QRegularExpression>
#include <QTest>

using namespace activity::packaging;

class WebEngineLinksTest : public QObject
{
    Q_OBJECT

private:
    // The libQt6WebEngine* libraries the loader would map for `program`.
    static QStringList webEngineLibraries(const QString &program)
    {
        const ProcessResult ldd = runProcess(QStringLiteral("ldd"), {program}, 60 * 1000);
        if (!ldd.succeeded())
            QTest::qFail(qPrintable(ldd.describe(QStringLiteral("ldd ") + program)), __FILE__, __LINE__);
        QStringList found;
        static const QRegularExpression library(QStringLiteral("libQt6WebEngine[A-Za-z]*\\.so[.0-9]*"),
                                                QRegularExpression::CaseInsensitiveOption);
        auto matches = library.globalMatch(ldd.output);
        while (matches.hasNext())
            found << matches.next().captured(0);
        found.removeDuplicates();
        return found;
    }

private slots:
    void shouldNotLinkWebEngineIntoTheConsoleOrTheCli_data()
    {
        QTest::addColumn<QString>("program");
        QTest::newRow("activity-console") << QStringLiteral(ACTIVITY_CONSOLE_PATH);
        QTest::newRow("activity-cli") << QStringLiteral(ACTIVITY_CLI_PATH);
    }
    void shouldNotLinkWebEngineIntoTheConsoleOrTheCli()
    {
        QFETCH(QString, program);
        const QStringList libraries = webEngineLibraries(program);
        QVERIFY2(libraries.isEmpty(), qPrintable(program + QStringLiteral(" needs ") + libraries.join(u' ')));
    }

    void shouldLinkWebEngineIntoTheSignInHelper()
    {
        const QStringList libraries = webEngineLibraries(QStringLiteral(ACTIVITY_SIGNIN_PATH));
        QVERIFY2(libraries.contains(QStringLiteral("libQt6WebEngineCore.so.6")),
                 qPrintable(libraries.join(u' ')));
        QVERIFY2(libraries.contains(QStringLiteral("libQt6WebEngineWidgets.so.6")),
                 qPrintable(libraries.join(u' ')));
    }
};

QTEST_GUILESS_MAIN(WebEngineLinksTest)
#include "tst_webengine_links.moc"
