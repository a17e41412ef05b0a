#include "WebhookTableModel.h"

#include <QAbstractItemModelTester>
#include <QtTest>

using namespace activity;

namespace {
Webhook hook(const char *id, bool valid = true)
{
    return Webhook {QString::fromLatin1(id),
                    QStringLiteral("https://example.com/hook/") + QString::fromLatin1(id), valid,
                    QDateTime(QDate(2024, 1, 2), QTime(3, 4), Qt::UTC)};
}
} // namespace

class TestWebhookModel : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void shouldKeepRowsStableAcrossRefresh()
    {
        WebhookTableModel model;
        QAbstractItemModelTester tester(&model, QAbstractItemModelTester::FailureReportingMode::QtTest);
        model.setWebhooks({hook("1"), hook("2"), hook("3")});
        QCOMPARE(model.rowCount(), 3);

        QPersistentModelIndex second = model.index(1, 0);
        model.setWebhooks({hook("2", false), hook("3"), hook("4")});
        QCOMPARE(model.rowCount(), 3);
        QVERIFY(second.isValid());
        QCOMPARE(second.data().toString(), QStringLiteral("2"));
        const QModelIndex state =
            model.index(model.rowOf(QStringLiteral("2")), int(WebhookTableModel::Column::Valid));
        QCOMPARE(state.data(WebhookTableModel::SortRole).toBool(), false);
        QVERIFY(state.data(Qt::ToolTipRole).toString().contains(QStringLiteral("CRC")));

        model.removeWebhook(QStringLiteral("3"));
        QCOMPARE(model.rowCount(), 2);
        model.setWebhooks({});
        QCOMPARE(model.rowCount(), 0);
    }
};

QTEST_GUILESS_MAIN(TestWebhookModel)
#include "tst_webhookmodel.moc"
