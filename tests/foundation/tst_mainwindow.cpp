#include "MainWindow.h"
#include "WebhookTableModel.h"

#include <QLabel>
#include <QStackedWidget>
#include <QTableView>
#include <QtTest>

using namespace activity;

class TestMainWindow : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void shouldOpenWithTitleAndEmptyState()
    {
        MainWindow window;
        window.show();
        QVERIFY(QTest::qWaitForWindowExposed(&window));
        QCOMPARE(window.windowTitle(), QStringLiteral("Activity Console"));

        auto *stack = window.findChild<QStackedWidget *>();
        auto *empty = window.findChild<QLabel *>(QStringLiteral("emptyState"));
        QVERIFY(stack && empty);
        QCOMPARE(stack->currentWidget(), empty);
        QVERIFY(empty->isVisible());
        QVERIFY(empty->text().contains(QStringLiteral("No webhooks")));
    }

    void shouldShowTableOnceWebhooksArrive()
    {
        MainWindow window;
        window.show();
        window.webhookModel()->setWebhooks(
            {Webhook {QStringLiteral("1"), QStringLiteral("https://a.example/h"), true, {}}});
        auto *view = window.findChild<QTableView *>(QStringLiteral("webhookView"));
        QVERIFY(view);
        QTRY_VERIFY(view->isVisible());
        QCOMPARE(view->model()->rowCount(), 1);
    }
};

QTEST_MAIN(TestMainWindow)
#include "tst_mainwindow.moc"
