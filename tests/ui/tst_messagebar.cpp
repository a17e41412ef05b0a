#include "ApiError.h"
#include "MessageBar.h"

#include <QLabel>
#include <QPushButton>
#include <QSignalSpy>
#include <QToolButton>
#include <QtTest>

using namespace activity;

class TestMessageBar : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void shouldShowCauseInBoldAndRemedy()
    {
        QWidget parent;
        MessageBar bar(&parent);
        parent.show();
        QVERIFY(!bar.isVisible());
        ApiError error = ApiError::make(ApiError::Kind::Authentication,
                                        QStringLiteral("X could not authenticate the app."),
                                        QStringLiteral("Check the consumer key & secret."));
        error.serverMessage = QStringLiteral("{\"errors\":[{\"code\":32}]}");
        bar.showError(error);
        QVERIFY(bar.isVisible());
        QCOMPARE(bar.level(), MessageBar::Level::Error);
        auto *text = bar.findChild<QLabel *>(QStringLiteral("messageBarText"));
        auto *remedy = bar.findChild<QLabel *>(QStringLiteral("messageBarRemedy"));
        QVERIFY(text && remedy);
        QCOMPARE(text->text(), QStringLiteral("X could not authenticate the app."));
        QVERIFY(text->font().bold());
        QCOMPARE(remedy->text(), QStringLiteral("Check the consumer key & secret."));
        QVERIFY(!remedy->font().bold());
        // Plain text: the words are shown as written, whatever markup they hold.
        QCOMPARE(text->textFormat(), Qt::PlainText);
        QCOMPARE(remedy->textFormat(), Qt::PlainText);
        // Never a raw dump of what the server said.
        QVERIFY(!text->text().contains(QStringLiteral("errors")));
        QVERIFY(!remedy->text().contains(QStringLiteral("errors")));
    }

    void shouldCoalesceIdenticalMessagesWithACounter()
    {
        QWidget parent;
        MessageBar bar(&parent);
        parent.show();
        for (int i = 0; i < 3; ++i)
            bar.showMessage(MessageBar::Level::Error, QStringLiteral("Connection refused."),
                            QStringLiteral("Start it."));
        QCOMPARE(bar.repeatCount(), 3);
        auto *counter = bar.findChild<QLabel *>(QStringLiteral("messageBarCounter"));
        QVERIFY(counter && counter->isVisible());
        QCOMPARE(counter->text(), QStringLiteral("×3"));

        bar.showMessage(MessageBar::Level::Error, QStringLiteral("Something else."));
        QCOMPARE(bar.repeatCount(), 1);
        QVERIFY(!counter->isVisible());
    }

    void shouldHideWhenClosed()
    {
        QWidget parent;
        MessageBar bar(&parent);
        parent.show();
        bar.showMessage(MessageBar::Level::Warning, QStringLiteral("Careful."));
        QSignalSpy dismissed(&bar, &MessageBar::dismissed);
        auto *close = bar.findChild<QToolButton *>(QStringLiteral("messageBarClose"));
        QVERIFY(close);
        close->click();
        QCOMPARE(dismissed.size(), 1);
        QVERIFY(!bar.isVisible());
        QVERIFY(!bar.isShowing());
        // After dismissal the same message counts from one again.
        bar.showMessage(MessageBar::Level::Warning, QStringLiteral("Careful."));
        QCOMPARE(bar.repeatCount(), 1);
    }

    void shouldRunItsActionOnceAndDismiss()
    {
        QWidget parent;
        MessageBar bar(&parent);
        parent.show();
        int runs = 0;
        bar.showMessage(MessageBar::Level::Warning, QStringLiteral("@bob must sign in again."), QString(),
                        {QStringLiteral("Sign in again"), [&runs] { ++runs; }});
        auto *button = bar.findChild<QPushButton *>(QStringLiteral("messageBarAction"));
        QVERIFY(button && button->isVisible());
        QCOMPARE(bar.actionText(), QStringLiteral("Sign in again"));
        button->click();
        QCOMPARE(runs, 1);
        QVERIFY(!bar.isShowing());
        QCOMPARE(bar.actionText(), QString());
        // A message without an action shows no button.
        bar.showMessage(MessageBar::Level::Information, QStringLiteral("Done."));
        QVERIFY(!button->isVisible());
        button->click();
        QCOMPARE(runs, 1);
    }
};

QTEST_MAIN(TestMessageBar)
#include "tst_messagebar.moc"
