// The console's Events tab (#16) over a temporary EventStore: events appended to the store appear
// (also when another EventStore object on the same file writes them, as activity-cli would), pause
// holds them and resume shows them, filters by type, account and text, the detail view's pretty
// JSON and kept headers, copy, JSON Lines export of the filtered rows through the save dialog,
// duplicate and forward updates, the counts, the rate, and the status strip.
#include "ConsoleTableView.h"
#include "ConsoleTestSupport.h"
#include "EventDetailView.h"
#include "EventFilterProxy.h"
#include "EventStore.h"
#include "EventTableModel.h"
#include "EventsPane.h"

#include <QAbstractItemModelTester>
#include <QClipboard>
#include <QComboBox>
#include <QFileDialog>
#include <QJsonDocument>
#include <QJsonObject>
#include <QLabel>
#include <QLineEdit>
#include <QMenu>
#include <QSignalSpy>
#include <QTabWidget>
#include <QToolButton>
#include <QtTest>

using namespace activity;
using namespace activity::testing;
using Column = EventTableModel::Column;

namespace {
// An X Activity envelope as x-api-2026.md §4.6 shows them.
QByteArray envelope(int n, const QString &type, const QString &userId,
                    const QString &tag = QStringLiteral("t"))
{
    return QStringLiteral(R"({"data":{"event_uuid":"-89179090398556%1","filter":{"user_id":"%2"},)"
                          R"("event_type":"%3","tag":"%4","payload":{"before":"a","after":"b %1"}}})")
        .arg(n, 5, 10, QLatin1Char('0'))
        .arg(userId, type, tag)
        .toUtf8();
}

EventRecord record(const QByteArray &body, EventSource source = EventSource::Stream)
{
    EventRecord r;
    r.source = source;
    r.body = body;
    return r;
}

// Appends and waits until each append is durable.
bool appendAll(EventStore &store, const QList<EventRecord> &records)
{
    QSignalSpy appended(&store, &EventStore::appended);
    for (const EventRecord &r : records)
        store.append(r);
    if (!QTest::qWaitFor([&] { return appended.size() >= records.size(); }, 10000))
        return false;
    for (const QList<QVariant> &args : std::as_const(appended)) {
        if (!args.at(1).value<EventAppendResult>().stored)
            return false;
    }
    return true;
}

QList<EventRecord> mixed(int first, int count)
{
    static const QStringList types {QStringLiteral("post.create"), QStringLiteral("like.create"),
                                    QStringLiteral("profile.update.bio")};
    QList<EventRecord> records;
    for (int i = first; i < first + count; ++i)
        records.append(record(envelope(i, types.at(i % 3), QString::number(1000 + i % 2))));
    return records;
}

QStringList shownTypes(const EventsPane *pane)
{
    QStringList types;
    for (int row = 0; row < pane->proxy()->rowCount(); ++row)
        types.append(pane->proxy()->index(row, int(Column::Type)).data().toString());
    return types;
}
} // namespace

class TestConsoleEvents : public QObject
{
    Q_OBJECT

    QTemporaryDir m_dir;
    int m_databases = 0;

    struct Setup
    {
        ConsoleFixture f;
        std::unique_ptr<EventStore> store;
        EventsPane *pane = nullptr;
    };

    // The real window with a temporary event store; no profile is started (no network).
    void open(Setup &s, const QList<EventRecord> &before = {})
    {
        s.store =
            std::make_unique<EventStore>(m_dir.filePath(QStringLiteral("e%1.sqlite").arg(++m_databases)));
        QVERIFY(s.store->isOpen());
        if (!before.isEmpty())
            QVERIFY(appendAll(*s.store, before));
        ConsoleServices services;
        services.prompter = &s.f.prompter;
        services.settings = &s.f.settings;
        services.events = s.store.get();
        s.f.window = std::make_unique<MainWindow>(services);
        s.f.window->show();
        s.f.window->showEventsPane();
        s.pane = s.f.window->eventsPane();
        s.pane->setPollInterval(50);
    }

private Q_SLOTS:
    void shouldListTheStoreAndFollowIt()
    {
        Setup s;
        open(s, mixed(0, 5));
        EventsPane *pane = s.pane;
        QAbstractItemModelTester tester(pane->proxy(),
                                        QAbstractItemModelTester::FailureReportingMode::QtTest);
        auto *tabs = s.f.window->findChild<QTabWidget *>(QStringLiteral("lowerTabs"));
        QCOMPARE(tabs->currentWidget(), pane);
        QCOMPARE(tabs->tabText(tabs->currentIndex()), QStringLiteral("Eve&nts"));
        QCOMPARE(pane->model()->rowCount(), 5); // what was stored before the window opened
        QCOMPARE(pane->model()->eventType(0), QStringLiteral("post.create")); // oldest at the top

        QVERIFY(appendAll(*s.store, mixed(5, 3)));
        QTRY_COMPARE(pane->model()->rowCount(), 8);
        QCOMPARE(pane->model()->index(7, int(Column::Account)).data().toString(), QStringLiteral("1001"));
        QCOMPARE(pane->model()->index(7, int(Column::Tag)).data().toString(), QStringLiteral("t"));
        QCOMPARE(pane->model()->index(7, int(Column::Source)).data().toString(), QStringLiteral("Stream"));

        // Another writer of the same file (activity-cli listen, the receiver's own store object).
        {
            EventStore other(s.store->databasePath());
            QVERIFY(appendAll(other, mixed(8, 2)));
        }
        QTRY_COMPARE(pane->model()->rowCount(), 10);
        QCOMPARE(pane->countsLabel()->text(),
                 QStringLiteral("10 events in view: post.create 4 · like.create 3 · profile.update.bio 3"));
        pane->updateRates();
        QCOMPARE(pane->rateLabel()->text(), QStringLiteral("Last minute: 10 · last 60 minutes: 10"));
    }

    void shouldHoldEventsWhilePausedAndShowThemOnResume()
    {
        Setup s;
        open(s, mixed(0, 2));
        EventsPane *pane = s.pane;
        QVERIFY(!pane->pendingLabel()->isVisible());
        pane->pauseAction()->trigger();
        QVERIFY(pane->isPaused());
        QCOMPARE(pane->pauseAction()->text(), QStringLiteral("&Resume"));
        QVERIFY(pane->pendingLabel()->isVisible());
        QVERIFY(appendAll(*s.store, mixed(2, 3)));
        QTRY_COMPARE(pane->pendingCount(), 3);
        QCOMPARE(pane->pendingLabel()->text(), QStringLiteral("3 new"));
        QCOMPARE(pane->model()->rowCount(), 2);

        QSignalSpy shown(pane, &EventsPane::eventsShown);
        pane->pauseAction()->trigger();
        QVERIFY(!pane->isPaused());
        QCOMPARE(shown.size(), 1);
        QCOMPARE(pane->model()->rowCount(), 5);
        QCOMPARE(pane->pendingCount(), 0);
        QVERIFY(!pane->pendingLabel()->isVisible());
        QVERIFY(appendAll(*s.store, mixed(5, 1)));
        QTRY_COMPARE(pane->model()->rowCount(), 6);
    }

    void shouldFilterByTypeAccountAndText()
    {
        Setup s;
        open(s, mixed(0, 12));
        EventsPane *pane = s.pane;
        QAbstractItemModelTester tester(pane->proxy(),
                                        QAbstractItemModelTester::FailureReportingMode::QtTest);

        // The type menu lists the types in view with their counts; checking one filters on it.
        QMenu *menu = pane->typeButton()->menu();
        Q_EMIT menu->aboutToShow();
        QAction *likes = nullptr;
        for (QAction *action : menu->actions()) {
            if (action->data().toString() == QStringLiteral("like.create"))
                likes = action;
        }
        QVERIFY(likes);
        QCOMPARE(likes->text(), QStringLiteral("like.create (4)"));
        likes->trigger();
        QCOMPARE(pane->typeFilter(), QStringList {QStringLiteral("like.create")});
        QCOMPARE(pane->typeButton()->text(), QStringLiteral("like.create"));
        QCOMPARE(shownTypes(pane), QStringList(4, QStringLiteral("like.create")));
        QCOMPARE(pane->countsLabel()->text().left(30), QStringLiteral("12 events in view (4 shown): l"));

        // New events of other types stay out; new likes come in.
        QVERIFY(appendAll(*s.store, mixed(12, 3)));
        QTRY_COMPARE(pane->model()->rowCount(), 15);
        QCOMPARE(pane->proxy()->rowCount(), 5);

        // Account: the combo lists the accounts seen.
        QComboBox *accounts = pane->accountCombo();
        QCOMPARE(accounts->count(), 3);
        const int account = accounts->findData(QStringLiteral("1001"));
        QVERIFY(account > 0);
        accounts->setCurrentIndex(account);
        Q_EMIT accounts->activated(account);
        QCOMPARE(pane->proxy()->account(), QStringLiteral("1001"));
        QCOMPARE(pane->proxy()->rowCount(), 3); // likes 1, 7, 13

        // Text, typed: the event id's digits.
        pane->setTypeFilter({});
        pane->setAccountFilter({});
        QCOMPARE(pane->proxy()->rowCount(), 15);
        QTest::keyClicks(pane->filter(), QStringLiteral("00013"));
        QCOMPARE(pane->proxy()->rowCount(), 1);
        QCOMPARE(pane->proxy()->index(0, int(Column::Type)).data().toString(), QStringLiteral("like.create"));
        pane->filter()->clear();
        QTest::keyClicks(pane->filter(), QStringLiteral("BIO"));
        QCOMPARE(pane->proxy()->rowCount(), 5);
    }

    void shouldShowPrettyJsonAndHeadersAndCopyTheBody()
    {
        Setup s;
        EventRecord received =
            record(envelope(1, QStringLiteral("post.create"), QStringLiteral("42")), EventSource::Receiver);
        received.signature = SignatureVerdict::Valid;
        received.headers = {{"Content-Type", "application/json"},
                            {"X-Twitter-Webhooks-Signature", "sha256=c2lnbmF0dXJl"},
                            {"Authorization", "Bearer secret"}};
        open(s, {received});
        EventsPane *pane = s.pane;
        QCOMPARE(pane->model()->rowCount(), 1);
        QVERIFY(!pane->copyAction()->isEnabled());
        QCOMPARE(pane->model()->index(0, int(Column::Signature)).data().toString(), QStringLiteral("Valid"));
        QVERIFY(pane->selectEvent(pane->model()->rowId(0)));
        EventDetailView *detail = pane->detail();
        QVERIFY(detail->hasEvent());
        QCOMPARE(detail->bodyText(),
                 QString::fromUtf8(QJsonDocument::fromJson(received.body).toJson(QJsonDocument::Indented)));
        QVERIFY(detail->bodyText().contains(QStringLiteral("\n        \"event_type\": \"post.create\",\n")));
        QCOMPARE(detail->headersText(),
                 QStringLiteral("content-type: application/json\n"
                                "x-twitter-webhooks-signature: sha256=c2lnbmF0dXJl"));
        QVERIFY(detail->summaryText().startsWith(
            QStringLiteral("post.create · -8917909039855600001 · received ")));

        QVERIFY(pane->copyAction()->isEnabled());
        pane->copyAction()->trigger();
        QCOMPARE(QApplication::clipboard()->text(), QString::fromUtf8(received.body));
    }

    void shouldShowDuplicatesAndForwardResults()
    {
        Setup s;
        open(s, mixed(0, 3));
        EventsPane *pane = s.pane;
        QVERIFY(pane->selectEvent(pane->model()->rowId(1)));
        QVERIFY(appendAll(*s.store, mixed(1, 1))); // the same event_uuid again
        QTRY_COMPARE(pane->model()->index(1, int(Column::Duplicates)).data().toString(), QStringLiteral("1"));
        QCOMPARE(pane->model()->rowCount(), 3);
        ForwardOutcome outcome;
        outcome.httpStatus = 200;
        outcome.durationMs = 12;
        s.store->setForwardOutcome(pane->model()->rowId(1), outcome);
        QTRY_COMPARE(pane->model()->index(1, int(Column::Forward)).data().toString(),
                     QStringLiteral("200 · 12 ms"));
        QTRY_VERIFY(pane->detail()->summaryText().contains(QStringLiteral("forward: 200 · 12 ms")));
        QVERIFY(pane->detail()->summaryText().contains(QStringLiteral("delivered 1 more time(s)")));
    }

    void shouldExportTheFilteredBodiesAsJsonLines()
    {
        Setup s;
        QList<EventRecord> records = mixed(0, 9);
        // A body spread over lines still makes one line (its JSON as an object).
        records.append(
            record(QJsonDocument::fromJson(envelope(9, QStringLiteral("like.create"), QStringLiteral("7")))
                       .toJson(QJsonDocument::Indented)));
        open(s, records);
        EventsPane *pane = s.pane;
        pane->setTypeFilter({QStringLiteral("like.create")});
        QCOMPARE(pane->proxy()->rowCount(), 4);

        const QString path = m_dir.filePath(QStringLiteral("likes%1.jsonl").arg(m_databases));
        QSignalSpy finished(pane, &EventsPane::exportFinished);
        pane->exportAction()->trigger();
        auto *dialog = pane->findChild<QFileDialog *>(QStringLiteral("eventsExportDialog"));
        QVERIFY(dialog);
        QCOMPARE(dialog->acceptMode(), QFileDialog::AcceptSave);
        dialog->selectFile(path);
        static_cast<QDialog *>(dialog)->accept(); // QFileDialog's own accept(), as OK does
        QTRY_COMPARE(finished.size(), 1);
        QCOMPARE(finished.at(0).at(1).toInt(), 4);

        QFile file(path);
        QVERIFY(file.open(QIODevice::ReadOnly));
        QList<QByteArray> lines = file.readAll().split('\n');
        QCOMPARE(lines.size(), 5);
        QCOMPARE(lines.takeLast(), QByteArray());
        // activity-cli events export's lines: the metadata, and the body's own bytes at the end.
        const QList<int> likes {1, 4, 7};
        for (qsizetype i = 0; i < likes.size(); ++i) {
            const QByteArray &body = records.at(likes.at(i)).body;
            QVERIFY2(lines.at(i).endsWith(QByteArray(",\"body\":" + body + '}')), lines.at(i).constData());
            const QJsonObject line = QJsonDocument::fromJson(lines.at(i)).object();
            QCOMPARE(line.value(QStringLiteral("event_type")).toString(), QStringLiteral("like.create"));
            QCOMPARE(line.value(QStringLiteral("row")).toInteger(),
                     pane->model()->rowId(pane->proxy()->sourceRow(int(i))));
            QCOMPARE(line.value(QStringLiteral("source")).toString(), QStringLiteral("stream"));
        }
        QCOMPARE(QJsonDocument::fromJson(lines.at(3)).object().value(QStringLiteral("body")).toObject(),
                 QJsonDocument::fromJson(records.at(9).body).object());
    }

    void shouldShowTheStreamAndReceiverState()
    {
        Setup s;
        open(s);
        EventsPane *pane = s.pane;
        QCOMPARE(pane->streamLabel()->text(), QStringLiteral("Stream: not connected"));
        QCOMPARE(pane->receiverLabel()->text(), QStringLiteral("Receiver: off"));
        pane->setStreamState(QStringLiteral("Connected"), true);
        QCOMPARE(pane->streamLabel()->text(), QStringLiteral("Stream: Connected"));
        QVERIFY(pane->streamLabel()->property("healthy").toBool());
        pane->setReceiverState(QStringLiteral("127.0.0.1:8080"), {});
        QCOMPARE(pane->receiverLabel()->text(), QStringLiteral("Receiver: 127.0.0.1:8080 · no CRC yet"));
        pane->setReceiverState(QStringLiteral("127.0.0.1:8080"), QStringLiteral("12:00:01"));
        QCOMPARE(pane->receiverLabel()->text(),
                 QStringLiteral("Receiver: 127.0.0.1:8080 · last CRC 12:00:01"));
        QCOMPARE(pane->rateLabel()->text(), QStringLiteral("Last minute: 0 · last 60 minutes: 0"));
    }
};

QTEST_MAIN(TestConsoleEvents)
#include "tst_console_events.moc"
