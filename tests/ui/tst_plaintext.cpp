// Text from outside (webhook URLs as X lists them, X's error details) is shown as written, never as
// markup: a URL or a detail with <b>, <img src=...> or <a href=...> must neither format the
// console, nor load an image, nor offer a link. Offscreen, against the in-process sandbox.

#include "ConsoleTableView.h"
#include "ConsoleTestSupport.h"
#include "MessageBar.h"
#include "RegisterWebhookDialog.h"
#include "ReplayDialog.h"
#include "WebhookTableModel.h"

#include <QLabel>
#include <QMessageBox>
#include <QSignalSpy>
#include <QtTest>

using namespace activity;
using namespace activity::testing;
using sandbox::Fault;

namespace {

const QString markup = QStringLiteral("<b>x</b><img src=\"https://evil.example/p.png\">");

// The labels under `root` whose text contains the markup; each must show it as plain text.
QList<QLabel *> labelsShowing(QWidget *root, const QString &text)
{
    QList<QLabel *> found;
    const auto labels = root->findChildren<QLabel *>();
    for (QLabel *label : labels) {
        if (label->text().contains(text))
            found.append(label);
    }
    return found;
}

} // namespace

class TestPlainText : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void shouldShowAWebhookUrlFromXAsText()
    {
        ConsoleFixture f;
        QVERIFY(f.listen());
        const QString url = QStringLiteral("https://hooks.example.com/activity?q=") + markup;
        const QString id = f.server.addWebhook(url, true);
        MainWindow *window = f.createWindow();
        window->start();
        QTRY_VERIFY_WITH_TIMEOUT(window->webhookModel()->rowOf(id) >= 0, 20000);
        QVERIFY(window->selectWebhook(id));

        auto *title = window->findChild<QLabel *>(QStringLiteral("subscriptionTitle"));
        QVERIFY(title);
        QTRY_VERIFY_WITH_TIMEOUT(title->text().contains(markup), 20000);
        QCOMPARE(title->textFormat(), Qt::PlainText);

        // "X is running a CRC check against <url>…" in the status bar.
        window->validateSelectedWebhook();
        auto *status = window->findChild<QLabel *>(QStringLiteral("statusLabel"));
        QVERIFY(status);
        QVERIFY(status->text().contains(markup));
        QCOMPARE(status->textFormat(), Qt::PlainText);

        ReplayDialog *replay = window->openReplayDialog();
        QVERIFY(replay);
        const QList<QLabel *> intro = labelsShowing(replay, markup);
        QCOMPARE(intro.size(), 1);
        QCOMPARE(intro.first()->textFormat(), Qt::PlainText);
        replay->close();

        // Every label of the window that shows it, shows it as text.
        for (QLabel *label : labelsShowing(window, markup))
            QVERIFY2(label->textFormat() == Qt::PlainText, qPrintable(label->objectName()));
    }

    // An error X describes in its own words: the words appear in the message bar as written.
    void shouldShowAServerErrorDetailAsText()
    {
        ConsoleFixture f;
        QVERIFY(f.listen());
        f.server.faults().always(
            "GET", QStringLiteral("/2/webhooks"),
            Fault::answer(400,
                          "{\"title\":\"OddProblem\",\"type\":\"about:blank\",\"status\":"
                          "400,\"detail\":\"" +
                              QString(markup).replace(QLatin1Char('"'), QStringLiteral("\\\"")).toUtf8() +
                              "\"}",
                          "application/problem+json"));
        MainWindow *window = f.createWindow();
        QSignalSpy shown(window->messageBar(), &MessageBar::messageShown);
        window->start();
        QTRY_VERIFY_WITH_TIMEOUT(window->messageBar()->cause().contains(markup), 20000);
        auto *text = window->messageBar()->findChild<QLabel *>(QStringLiteral("messageBarText"));
        QVERIFY(text);
        QVERIFY(text->text().contains(markup));
        QCOMPARE(text->textFormat(), Qt::PlainText);
        auto *remedy = window->messageBar()->findChild<QLabel *>(QStringLiteral("messageBarRemedy"));
        QVERIFY(remedy);
        QCOMPARE(remedy->textFormat(), Qt::PlainText);

        // The register dialog shows X's refusal the same way.
        RegisterWebhookDialog dialog(validate::UrlPolicy::XRules, ApiGeneration::V2, QString());
        dialog.showServerProblem(
            ApiError::make(ApiError::Kind::InvalidRequest, QStringLiteral("X refused: ") + markup));
        auto *problem = dialog.findChild<QLabel *>(QStringLiteral("webhookUrlProblem"));
        QVERIFY(problem);
        QVERIFY(problem->text().contains(markup));
        QCOMPARE(problem->textFormat(), Qt::PlainText);
    }

    // The confirmation box names webhooks and accounts as X gave them, in its text and details.
    void shouldAskConfirmationsInPlainText()
    {
        QWidget parent;
        parent.show();
        MessageBoxPrompter prompter;
        Confirmation confirmation;
        confirmation.title = QStringLiteral("Delete webhook");
        confirmation.question = QStringLiteral("Delete the webhook ") + markup + QLatin1Char('?');
        confirmation.details = QStringLiteral("Subscriptions to ") + markup + QStringLiteral(" go with it.");
        confirmation.destructive = true;
        std::optional<bool> answer;
        prompter.ask(&parent, confirmation, [&](bool accepted) { answer = accepted; });
        auto *box = parent.findChild<QMessageBox *>(QStringLiteral("confirmationBox"));
        QVERIFY(box);
        const QList<QLabel *> labels = labelsShowing(box, markup);
        QCOMPARE(labels.size(), 2); // the question and the details
        for (QLabel *label : labels) {
            QCOMPARE(label->textFormat(), Qt::PlainText);
            QVERIFY(!label->openExternalLinks());
        }
        box->reject();
        QTRY_VERIFY(answer.has_value());
        QVERIFY(!*answer);
    }

    // Table tooltips (the history's and request log's error texts) are turned into markup that
    // shows the text exactly.
    void shouldShowTableTooltipsAsWritten()
    {
        const QString shown = ConsoleTableView::plainToolTip(markup);
        QVERIFY(Qt::mightBeRichText(shown));
        QVERIFY(!shown.contains(QStringLiteral("<b>")));
        QVERIFY(!shown.contains(QStringLiteral("<img")));
        QVERIFY(shown.contains(QStringLiteral("&lt;b&gt;x&lt;/b&gt;")));
    }
};

QTEST_MAIN(TestPlainText)
#include "tst_plaintext.moc"
