// The X Activity subscription dialog without a server: fields per event type, the checks' messages,
// actor-only locking, the account a private type needs, and the edit mode.
#include "ActivitySubscriptionDialog.h"

#include <QComboBox>
#include <QDialogButtonBox>
#include <QLabel>
#include <QLineEdit>
#include <QPushButton>
#include <QStandardItemModel>
#include <QTimer>
#include <QtTest>

using namespace activity;

namespace {
UserCredentials oauth2Account(const QString &id, const QString &username, const QStringList &scopes)
{
    UserCredentials account;
    account.userId = id;
    account.username = username;
    account.oauth2.accessToken = "access-" + id.toUtf8();
    account.oauth2.scopes = scopes;
    account.oauth2.expiresAt = QDateTime::currentDateTimeUtc().addSecs(7200);
    return account;
}

UserCredentials oauth1Account(const QString &id, const QString &username)
{
    UserCredentials account;
    account.userId = id;
    account.username = username;
    account.token = "token";
    account.tokenSecret = "secret";
    return account;
}

template<typename T> T *child(const QDialog &dialog, const char *name)
{
    return dialog.findChild<T *>(QString::fromLatin1(name));
}

bool okEnabled(const QDialog &dialog)
{
    return dialog.findChild<QDialogButtonBox *>()->button(QDialogButtonBox::Ok)->isEnabled();
}
} // namespace

class TestActivityDialog : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void shouldGroupEventTypesByFamilyWithDescriptions()
    {
        ActivitySubscriptionDialog dialog;
        auto *combo = child<QComboBox>(dialog, "activityEventType");
        auto *model = qobject_cast<QStandardItemModel *>(combo->model());
        QVERIFY(model);
        QCOMPARE(model->item(0)->text(), QStringLiteral("Profile updates"));
        QCOMPARE(model->item(0)->flags(), Qt::NoItemFlags); // a heading, never chosen
        int types = 0;
        for (int row = 0; row < model->rowCount(); ++row) {
            if (model->item(row)->flags() != Qt::NoItemFlags) {
                ++types;
                QVERIFY(!model->item(row)->toolTip().isEmpty());
            }
        }
        QCOMPARE(types, 42);
        QVERIFY(dialog.selectEventType(QStringLiteral("post.create")));
        QCOMPARE(dialog.eventType(), QStringLiteral("post.create"));
        // An old PascalCase name selects the current one.
        QVERIFY(dialog.selectEventType(QStringLiteral("ProfileBioUpdate")));
        QCOMPARE(dialog.eventType(), QStringLiteral("profile.update.bio"));
        QVERIFY(!dialog.selectEventType(QStringLiteral("no.such.type")));
        auto *details = child<QLabel>(dialog, "activityEventTypeDetails");
        QVERIFY2(details->text().contains(QLatin1String("public")), qPrintable(details->text()));
        QVERIFY2(details->text().contains(QLatin1String("tweet.read")), qPrintable(details->text()));
    }

    void shouldEnableOnlyTheFiltersTheTypeTakes()
    {
        ActivitySubscriptionDialog dialog;
        auto *user = child<QLineEdit>(dialog, "activityFilterUser");
        auto *keyword = child<QLineEdit>(dialog, "activityFilterKeyword");
        auto *direction = child<QComboBox>(dialog, "activityFilterDirection");
        auto *account = child<QComboBox>(dialog, "activityAccount");
        dialog.setAccounts(
            {oauth2Account(QStringLiteral("7"), QStringLiteral("carol"), {QStringLiteral("like.read")})});

        QVERIFY(dialog.selectEventType(QStringLiteral("post.create")));
        QVERIFY(user->isEnabled());
        QVERIFY(!keyword->isEnabled());
        QVERIFY(!direction->isEnabled());
        QVERIFY(!account->isEnabled()); // public: the app's Bearer token
        QVERIFY(!dialog.account());

        QVERIFY(dialog.selectEventType(QStringLiteral("news.new")));
        QVERIFY(!user->isEnabled());
        QVERIFY(keyword->isEnabled());
        QVERIFY(!direction->isEnabled());

        QVERIFY(dialog.selectEventType(QStringLiteral("like.create")));
        QVERIFY(user->isEnabled());
        QVERIFY(direction->isEnabled());
        QVERIFY(account->isEnabled()); // private: a user's OAuth 2.0 token
        QCOMPARE(dialog.account()->userId, QStringLiteral("7"));
    }

    void shouldExplainWhatIsMissingUntilTheInputIsValid()
    {
        ActivitySubscriptionDialog dialog;
        auto *user = child<QLineEdit>(dialog, "activityFilterUser");
        auto *keyword = child<QLineEdit>(dialog, "activityFilterKeyword");
        auto *tag = child<QLineEdit>(dialog, "activityTag");
        auto *problem = child<QLabel>(dialog, "activityProblem");
        dialog.setUsernameResolver([](const QString &name) -> std::optional<QString> {
            if (name.compare(QLatin1String("alice"), Qt::CaseInsensitive) == 0)
                return QStringLiteral("2244994945");
            return std::nullopt;
        });
        QVERIFY(dialog.selectEventType(QStringLiteral("post.create")));
        QVERIFY(!okEnabled(dialog)); // user_id is required
        QVERIFY(!problem->text().isEmpty());
        QCOMPARE(problem->text(), dialog.problem());

        user->setText(QStringLiteral("@bob"));
        QVERIFY(!okEnabled(dialog));
        QVERIFY2(dialog.problem().contains(QLatin1String("@bob")), qPrintable(dialog.problem()));
        QVERIFY2(dialog.problem().contains(QLatin1String("numeric user id")), qPrintable(dialog.problem()));

        user->setText(QStringLiteral("@Alice"));
        QVERIFY2(okEnabled(dialog), qPrintable(dialog.problem()));
        QCOMPARE(dialog.request().filter.userId, QStringLiteral("2244994945"));
        user->setText(QStringLiteral("12345"));
        QVERIFY(okEnabled(dialog));
        QCOMPARE(dialog.request().filter.userId, QStringLiteral("12345"));
        QCOMPARE(dialog.request().eventType, QStringLiteral("post.create"));
        QVERIFY(dialog.request().webhookId.isEmpty()); // stream only by default

        tag->setText(QString(201, QLatin1Char('t')));
        QVERIFY(!okEnabled(dialog));
        QVERIFY2(dialog.problem().contains(QLatin1String("200")), qPrintable(dialog.problem()));
        tag->setText(QStringLiteral("launch watch"));
        QVERIFY(okEnabled(dialog));
        QCOMPARE(dialog.request().tag, QStringLiteral("launch watch"));

        QVERIFY(dialog.selectEventType(QStringLiteral("news.new")));
        QVERIFY(!okEnabled(dialog));
        QVERIFY(dialog.request().filter.userId.isEmpty()); // the other type's field is not sent
        keyword->setText(QString(151, QLatin1Char('k')));
        QVERIFY(!okEnabled(dialog));
        QVERIFY2(dialog.problem().contains(QLatin1String("150")), qPrintable(dialog.problem()));
        keyword->setText(QStringLiteral("launch"));
        QVERIFY2(okEnabled(dialog), qPrintable(dialog.problem()));
    }

    void shouldLookUpUnknownNamesWhenTheTypingPauses()
    {
        ActivitySubscriptionDialog dialog;
        QStringList asked;
        dialog.setUsernameLookup(
            [&asked](const QString &name, QObject *, std::function<void(std::optional<QString>)> done) {
                asked.append(name);
                // Answers later, as X would.
                QTimer::singleShot(0, [name, done] {
                    done(name == QLatin1String("carol")
                             ? std::optional<QString>(QStringLiteral("2000000000000000003"))
                             : std::nullopt);
                });
            });
        QVERIFY(dialog.selectEventType(QStringLiteral("post.create")));
        auto *user = child<QLineEdit>(dialog, "activityFilterUser");
        QTest::keyClicks(user, QStringLiteral("@carol"));
        QVERIFY2(dialog.problem().contains(QLatin1String("Looking up @carol")), qPrintable(dialog.problem()));
        QVERIFY(!okEnabled(dialog));
        QTRY_VERIFY2(okEnabled(dialog), qPrintable(dialog.problem()));
        QCOMPARE(asked, QStringList {QStringLiteral("carol")}); // once, not per keystroke
        QCOMPARE(dialog.request().filter.userId, QStringLiteral("2000000000000000003"));

        user->setText(QStringLiteral("@nobody"));
        QTRY_VERIFY(dialog.problem().contains(QLatin1String("X found no user @nobody")));
        QVERIFY(!okEnabled(dialog));
        // Names already answered are not asked again.
        user->setText(QStringLiteral("@Carol"));
        QVERIFY(okEnabled(dialog));
        QCOMPARE(asked.size(), 2);
    }

    void shouldNeedAnOAuth2AccountForPrivateTypes()
    {
        ActivitySubscriptionDialog dialog;
        auto *user = child<QLineEdit>(dialog, "activityFilterUser");
        auto *account = child<QComboBox>(dialog, "activityAccount");
        auto *hint = child<QLabel>(dialog, "activityAccountHint");
        // An OAuth 1.0a-only account is not offered.
        dialog.setAccounts({oauth1Account(QStringLiteral("5"), QStringLiteral("olduser"))});
        QVERIFY(dialog.selectEventType(QStringLiteral("like.create")));
        user->setText(QStringLiteral("99"));
        QCOMPARE(account->count(), 0);
        QVERIFY(!account->isEnabled());
        QVERIFY2(hint->text().contains(QLatin1String("OAuth 2.0")), qPrintable(hint->text()));
        QVERIFY(!okEnabled(dialog));
        QVERIFY2(dialog.problem().contains(QLatin1String("like.read")), qPrintable(dialog.problem()));

        // An account without the type's scope: the check names it.
        dialog.setAccounts(
            {oauth2Account(QStringLiteral("7"), QStringLiteral("carol"), {QStringLiteral("tweet.read")})});
        QCOMPARE(account->count(), 1);
        QVERIFY(!okEnabled(dialog));
        QVERIFY2(dialog.problem().contains(QLatin1String("like.read")), qPrintable(dialog.problem()));

        dialog.setAccounts({oauth2Account(QStringLiteral("7"), QStringLiteral("carol"),
                                          {QStringLiteral("tweet.read"), QStringLiteral("like.read")})});
        QVERIFY2(okEnabled(dialog), qPrintable(dialog.problem()));
        QCOMPARE(dialog.account()->userId, QStringLiteral("7"));
    }

    void shouldLockTheUserOfActorOnlyTypesToTheAccount()
    {
        ActivitySubscriptionDialog dialog;
        auto *user = child<QLineEdit>(dialog, "activityFilterUser");
        auto *account = child<QComboBox>(dialog, "activityAccount");
        const QStringList scopes {QStringLiteral("mute.read"), QStringLiteral("block.read")};
        dialog.setAccounts({oauth2Account(QStringLiteral("7"), QStringLiteral("carol"), scopes),
                            oauth2Account(QStringLiteral("8"), QStringLiteral("dave"), scopes)});
        QVERIFY(dialog.selectEventType(QStringLiteral("mute.mute")));
        QVERIFY(!user->isEnabled());
        QCOMPARE(user->text(), QStringLiteral("@carol"));
        QVERIFY2(okEnabled(dialog), qPrintable(dialog.problem()));
        QCOMPARE(dialog.request().filter.userId, QStringLiteral("7"));
        account->setCurrentIndex(1);
        QCOMPARE(user->text(), QStringLiteral("@dave"));
        QCOMPARE(dialog.request().filter.userId, QStringLiteral("8"));
        QCOMPARE(dialog.account()->userId, QStringLiteral("8"));
    }

    void shouldOfferTheWebhooksAndTheStream()
    {
        ActivitySubscriptionDialog dialog;
        dialog.setWebhooks(
            {Webhook {QStringLiteral("111"), QStringLiteral("https://example.com/hook"), true, {}}});
        auto *webhook = child<QComboBox>(dialog, "activityWebhook");
        QCOMPARE(webhook->count(), 2);
        QCOMPARE(webhook->itemText(0), QStringLiteral("Stream only (no webhook)"));
        QCOMPARE(webhook->itemText(1), QStringLiteral("https://example.com/hook"));
        webhook->setCurrentIndex(1);
        QCOMPARE(dialog.request().webhookId, QStringLiteral("111"));
    }

    void shouldChangeOnlyTagAndWebhookWhenEditing()
    {
        ActivitySubscriptionDialog dialog;
        dialog.setWebhooks(
            {Webhook {QStringLiteral("111"), QStringLiteral("https://example.com/a"), true, {}},
             Webhook {QStringLiteral("222"), QStringLiteral("https://example.com/b"), true, {}}});
        ActivitySubscription subscription;
        subscription.id = QStringLiteral("1976325569252868096");
        subscription.eventType = QStringLiteral("like.create");
        subscription.filter.userId = QStringLiteral("42");
        subscription.filter.direction = QStringLiteral("inbound");
        subscription.tag = QStringLiteral("old");
        subscription.webhookId = QStringLiteral("111");
        dialog.setSubscription(subscription, QStringLiteral("@alice, inbound"));
        QVERIFY(dialog.isEditing());
        QVERIFY(!child<QComboBox>(dialog, "activityEventType")->isEnabled());
        QVERIFY(!child<QLineEdit>(dialog, "activityFilterUser")->isEnabled());
        QVERIFY(!child<QComboBox>(dialog, "activityFilterDirection")->isEnabled());
        QVERIFY(!child<QComboBox>(dialog, "activityAccount")->isEnabled());
        QVERIFY(child<QLineEdit>(dialog, "activityTag")->isEnabled());
        QVERIFY(child<QComboBox>(dialog, "activityWebhook")->isEnabled());
        auto *note = child<QLabel>(dialog, "activityReadOnlyNote");
        QVERIFY(!note->isHidden());
        QVERIFY2(note->text().contains(QLatin1String("delete and recreate")), qPrintable(note->text()));
        QCOMPARE(child<QComboBox>(dialog, "activityFilterDirection")->currentData().toString(),
                 QStringLiteral("inbound"));

        QVERIFY(!okEnabled(dialog)); // nothing changed yet
        child<QLineEdit>(dialog, "activityTag")->setText(QStringLiteral("new"));
        QVERIFY2(okEnabled(dialog), qPrintable(dialog.problem()));
        QCOMPARE(dialog.update().tag, std::optional<QString>(QStringLiteral("new")));
        QVERIFY(!dialog.update().webhookId);
        auto *webhook = child<QComboBox>(dialog, "activityWebhook");
        webhook->setCurrentIndex(webhook->findData(QStringLiteral("222")));
        QCOMPARE(dialog.update().webhookId, std::optional<QString>(QStringLiteral("222")));
        // X's update takes a webhook id: off a webhook onto the stream only is delete and recreate.
        auto *model = qobject_cast<QStandardItemModel *>(webhook->model());
        QVERIFY(!model->item(0)->isEnabled());
    }
};

QTEST_MAIN(TestActivityDialog)
#include "tst_activity_dialog.moc"
