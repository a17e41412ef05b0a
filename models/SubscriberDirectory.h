#pragma once

#include <QHash>
#include <QList>
#include <QString>
#include <QStringList>
#include <QVarLengthArray>

#include <optional>

namespace activity {

// One webhook's subscribers as a list call returned them.
struct WebhookSubscribers
{
    QString profile; // the profile's name: the same webhook id may exist under two apps
    QString webhookId;
    QString webhookUrl;
    QStringList userIds;
    qint64 takenAtMs = 0; // UTC ms; 0: when update() is called
};

// Who appeared and who disappeared between a webhook's previous list and this one.
struct SubscriberChanges
{
    bool firstSnapshot = true; // no earlier list was known: nothing to compare with
    qint64 previousAtMs = 0; // when the earlier list was taken
    QStringList appeared; // sorted
    QStringList disappeared; // sorted
};

// A webhook a user is subscribed to.
struct SubscriberHit
{
    QString profile;
    QString webhookId;
    QString webhookUrl;
    qint64 listedAtMs = 0; // when the list that shows it was taken
};

// "Is this user subscribed, and to which webhook of which profile?" (#17): every webhook's
// subscriber list, indexed by user id so a search over 100,000s of subscribers is a hash lookup.
//
// With a snapshot folder, each webhook's latest list is also kept on disk (one file per profile
// and webhook: ids sorted, one per line), so the changes since the previous refresh survive a
// restart and the console and activity-cli compare against the same snapshot.
class SubscriberDirectory
{
public:
    // An empty folder keeps nothing on disk.
    explicit SubscriberDirectory(QString snapshotFolder = {});
    // GenericDataLocation/ActivityConsole/Activity Console/subscribers, next to the history: the
    // console and activity-cli share it.
    static QString defaultFolder();

    // Replaces what is known of this webhook and returns the changes since its previous list (the
    // one held, else the snapshot on disk), then keeps this list as the snapshot. Empty and
    // repeated ids are skipped.
    SubscriberChanges update(const WebhookSubscribers &list);
    // Forgets a webhook (deleted, or its profile removed); its snapshot file goes too.
    void remove(const QString &profile, const QString &webhookId);

    // Every webhook listing this user id, in the order the webhooks were first updated.
    QList<SubscriberHit> find(const QString &userId) const;
    // The changes the last update() of this webhook found.
    std::optional<SubscriberChanges> lastChanges(const QString &profile, const QString &webhookId) const;

    int webhookCount() const;
    qsizetype subscriberCount(const QString &profile, const QString &webhookId) const;
    QString snapshotFolder() const { return m_folder; }
    QString snapshotPath(const QString &profile, const QString &webhookId) const;

private:
    struct Slot
    {
        QString profile;
        QString webhookId;
        QString webhookUrl;
        qint64 takenAtMs = 0;
        QStringList userIds; // as indexed: no duplicates, sorted
        SubscriberChanges changes;
        bool live = false; // false: removed, the slot number is free for reuse
    };

    int slotOf(const QString &profile, const QString &webhookId) const;
    void unindex(int slot);
    // The snapshot on disk: its ids (sorted) and time; nullopt when there is none or it is unreadable.
    std::optional<std::pair<QStringList, qint64>> readSnapshot(const QString &path) const;
    void writeSnapshot(const Slot &slot) const;

    QString m_folder;
    QList<Slot> m_slots;
    // The slots of each user id; most users are on one or two webhooks.
    QHash<QString, QVarLengthArray<int, 2>> m_index;
};

} // namespace activity
