// Subscriptions > Find Subscriber… (#17) in the real window over an in-process sandbox on
// 127.0.0.1: @alice is found on the two webhooks that list her (the demo's and one more), a user on
// none is said to be on none, and after a subscribe and an unsubscribe the refreshed lists show who
// appeared and who disappeared (snapshots in a temporary folder).
#include "ConsoleTestSupport.h"
#include "FindSubscriberDialog.h"
#include "SandboxDemo.h"

#include <QAction>
#include <QLabel>
#include <QLineEdit>
#include <QPushButton>
#include <QSignalSpy>
#include <QTreeWidget>
#include <QtTest>

using namespace activity;
using namespace activity::testing;
namespace demo = activity::sandbox::demo;

class TestConsoleFindSubscriber : public QObject
{
    Q_OBJECT

    static QStringList column(QTreeWidget *tree, int column)
    {
        QStringList out;
        for (int i = 0; i < tree->topLevelItemCount(); ++i)
            out.append(tree->topLevelItem(i)->text(column));
        out.sort();
        return out;
    }

    static QStringList children(QTreeWidget *tree, const QString &webhookId)
    {
        QStringList out;
        for (int i = 0; i < tree->topLevelItemCount(); ++i) {
            QTreeWidgetItem *top = tree->topLevelItem(i);
            if (!top->text(0).startsWith(webhookId))
                continue;
            for (int c = 0; c < top->childCount(); ++c)
                out.append(top->child(c)->data(0, Qt::UserRole).toString() + QLatin1Char(' ') +
                           top->child(c)->text(1));
        }
        out.sort();
        return out;
    }

private Q_SLOTS:
    void findsAUserAcrossWebhooksAndShowsWhatChanged()
    {
        ConsoleFixture f;
        QVERIFY(f.listen());
        const QString second = f.server.addWebhook(QStringLiteral("https://example.com/second"), true);
        QVERIFY(f.server.subscribe(second, demo::alice.id));
        ConsoleServices services;
        services.subscribersFolder = f.dir.filePath(QStringLiteral("subscribers"));
        f.startWindow(services);
        QTRY_VERIFY(!f.window->currentProfileId().isEmpty());
        auto *action = f.window->findChild<QAction *>(QStringLiteral("findSubscriberAction"));
        QVERIFY(action);
        QCOMPARE(action->shortcut(), QKeySequence(Qt::CTRL | Qt::SHIFT | Qt::Key_F));

        FindSubscriberDialog *dialog = f.window->findSubscriber();
        QVERIFY(dialog && dialog->isVisible());
        QSignalSpy searched(dialog, &FindSubscriberDialog::searched);
        dialog->queryEdit()->setText(QStringLiteral("@Alice"));
        QTest::mouseClick(dialog->findButton(), Qt::LeftButton);
        QVERIFY(searched.wait(10000));
        QCOMPARE(searched.at(0).at(0).toBool(), true);
        QStringList expected {demo::validWebhookId, second};
        expected.sort();
        QCOMPARE(column(dialog->results(), 0), expected);
        QVERIFY2(dialog->status()->text().contains(QStringLiteral("subscribed to 2 webhook")),
                 qPrintable(dialog->status()->text()));
        // Three webhooks listed, each for the first time.
        QCOMPARE(dialog->changes()->topLevelItemCount(), 3);

        // Bob is on none (an id: no lookup, and the lists are not read again).
        searched.clear();
        dialog->queryEdit()->setText(demo::bob.id);
        QTest::keyClick(dialog->queryEdit(), Qt::Key_Return);
        QTRY_VERIFY(!searched.isEmpty()); // an id is answered at once
        QCOMPARE(searched.at(0).at(0).toBool(), false);
        QCOMPARE(dialog->results()->topLevelItemCount(), 0);
        QVERIFY(dialog->status()->text().contains(QStringLiteral("not subscribed")));

        // Bob subscribes, alice leaves the second webhook: Refresh Lists says so.
        QVERIFY(f.server.subscribe(demo::validWebhookId, demo::bob.id));
        QVERIFY(f.server.subscribe(second, demo::carol.id));
        QCOMPARE(unsubscribe(f, second, demo::alice.id), true);
        QSignalSpy refreshed(dialog, &FindSubscriberDialog::listsRefreshed);
        QTest::mouseClick(dialog->refreshButton(), Qt::LeftButton);
        QVERIFY(refreshed.wait(10000));
        QCOMPARE(children(dialog->changes(), demo::validWebhookId),
                 QStringList {demo::bob.id + QStringLiteral(" appeared")});
        QCOMPARE(children(dialog->changes(), second),
                 (QStringList {demo::alice.id + QStringLiteral(" disappeared"),
                               demo::carol.id + QStringLiteral(" appeared")}));

        // Not a user: said so, nothing sent.
        dialog->queryEdit()->setText(QStringLiteral("not a user!"));
        dialog->find();
        QVERIFY(dialog->status()->text().contains(QStringLiteral("is not a user")));
    }

private:
    // An unsubscribe as the console does it, through the client of the window's profile.
    static bool unsubscribe(ConsoleFixture &f, const QString &webhookId, const QString &userId)
    {
        ApiClient *client = f.window->client();
        bool done = false;
        bool ok = false;
        client->unsubscribe(webhookId, userId, f.window.get(), [&](const Result<Done> &result) {
            ok = bool(result);
            done = true;
        });
        return QTest::qWaitFor([&] { return done; }, 10000) && ok;
    }
};

QTEST_MAIN(TestConsoleFindSubscriber)
#include "tst_console_find_subscriber.moc"
