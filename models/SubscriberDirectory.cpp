#include "SubscriberDirectory.h"

#include <QCryptographicHash>
#include <QDateTime>
#include <QDir>
#include <QFile>
#include <QJsonDocument>
#include <QJsonObject>
#include <QSaveFile>
#include <QStandardPaths>

#include "ActivityConfig.h"

#include <algorithm>

namespace activity {

namespace {

// Sorted, without empties and repeats: what the index and the snapshot hold.
QStringList normalised(QStringList ids)
{
    ids.removeAll(QString());
    std::sort(ids.begin(), ids.end());
    ids.erase(std::unique(ids.begin(), ids.end()), ids.end());
    return ids;
}

// Both sorted: what is in `now` and not in `before`.
QStringList sortedDifference(const QStringList &now, const QStringList &before)
{
    QStringList out;
    std::set_difference(now.cbegin(), now.cend(), before.cbegin(), before.cend(), std::back_inserter(out));
    return out;
}

} // namespace

SubscriberDirectory::SubscriberDirectory(QString snapshotFolder)
    : m_folder(std::move(snapshotFolder))
{
}

QString SubscriberDirectory::defaultFolder()
{
    const QString base = QStandardPaths::writableLocation(QStandardPaths::GenericDataLocation);
    return QDir(base).filePath(
        QStringLiteral(ACTIVITY_ORGANISATION "/" ACTIVITY_APPLICATION_NAME "/subscribers"));
}

int SubscriberDirectory::slotOf(const QString &profile, const QString &webhookId) const
{
    for (int i = 0; i < m_slots.size(); ++i) {
        const Slot &slot = m_slots.at(i);
        if (slot.live && slot.profile == profile && slot.webhookId == webhookId)
            return i;
    }
    return -1;
}

QString SubscriberDirectory::snapshotPath(const QString &profile, const QString &webhookId) const
{
    if (m_folder.isEmpty())
        return {};
    // A name from the pair, safe whatever characters the profile's name has.
    const QByteArray key = QCryptographicHash::hash((profile + QLatin1Char('\n') + webhookId).toUtf8(),
                                                    QCryptographicHash::Sha256)
                               .toHex()
                               .left(32);
    return QDir(m_folder).filePath(QString::fromLatin1(key) + QStringLiteral(".subscribers"));
}

void SubscriberDirectory::unindex(int slot)
{
    for (const QString &id : std::as_const(m_slots[slot].userIds)) {
        auto it = m_index.find(id);
        if (it == m_index.end())
            continue;
        QVarLengthArray<int, 2> &owners = it.value();
        owners.removeAll(slot);
        if (owners.isEmpty())
            m_index.erase(it);
    }
}

SubscriberChanges SubscriberDirectory::update(const WebhookSubscribers &list)
{
    int slot = slotOf(list.profile, list.webhookId);
    QStringList before;
    qint64 beforeAt = 0;
    bool known = false;
    if (slot >= 0) {
        unindex(slot);
        before = std::move(m_slots[slot].userIds);
        beforeAt = m_slots[slot].takenAtMs;
        known = true;
    } else {
        if (auto snapshot = readSnapshot(snapshotPath(list.profile, list.webhookId))) {
            before = std::move(snapshot->first);
            beforeAt = snapshot->second;
            known = true;
        }
        const auto freeSlot =
            std::find_if(m_slots.cbegin(), m_slots.cend(), [](const Slot &s) { return !s.live; });
        slot = int(freeSlot - m_slots.cbegin());
        if (freeSlot == m_slots.cend())
            m_slots.append(Slot());
    }

    Slot &target = m_slots[slot];
    target.live = true;
    target.profile = list.profile;
    target.webhookId = list.webhookId;
    target.webhookUrl = list.webhookUrl;
    target.takenAtMs = list.takenAtMs > 0 ? list.takenAtMs : QDateTime::currentMSecsSinceEpoch();
    target.userIds = normalised(list.userIds);
    m_index.reserve(m_index.size() + target.userIds.size());
    for (const QString &id : std::as_const(target.userIds))
        m_index[id].append(slot);

    SubscriberChanges changes;
    changes.firstSnapshot = !known;
    if (known) {
        changes.previousAtMs = beforeAt;
        changes.appeared = sortedDifference(target.userIds, before);
        changes.disappeared = sortedDifference(before, target.userIds);
    }
    target.changes = changes;
    writeSnapshot(target);
    return changes;
}

void SubscriberDirectory::remove(const QString &profile, const QString &webhookId)
{
    const QString path = snapshotPath(profile, webhookId);
    if (!path.isEmpty())
        QFile::remove(path);
    const int slot = slotOf(profile, webhookId);
    if (slot < 0)
        return;
    unindex(slot);
    m_slots[slot] = Slot();
}

QList<SubscriberHit> SubscriberDirectory::find(const QString &userId) const
{
    QList<SubscriberHit> hits;
    const auto it = m_index.constFind(userId.trimmed());
    if (it == m_index.cend())
        return hits;
    QVarLengthArray<int, 2> owners = it.value();
    std::sort(owners.begin(), owners.end());
    for (const int slot : owners) {
        const Slot &s = m_slots.at(slot);
        hits.append({s.profile, s.webhookId, s.webhookUrl, s.takenAtMs});
    }
    return hits;
}

std::optional<SubscriberChanges> SubscriberDirectory::lastChanges(const QString &profile,
                                                                  const QString &webhookId) const
{
    const int slot = slotOf(profile, webhookId);
    if (slot < 0)
        return std::nullopt;
    return m_slots.at(slot).changes;
}

int SubscriberDirectory::webhookCount() const
{
    return int(std::count_if(m_slots.cbegin(), m_slots.cend(), [](const Slot &s) { return s.live; }));
}

qsizetype SubscriberDirectory::subscriberCount(const QString &profile, const QString &webhookId) const
{
    const int slot = slotOf(profile, webhookId);
    return slot < 0 ? 0 : m_slots.at(slot).userIds.size();
}

std::optional<std::pair<QStringList, qint64>> SubscriberDirectory::readSnapshot(const QString &path) const
{
    if (path.isEmpty())
        return std::nullopt;
    QFile file(path);
    if (!file.open(QIODevice::ReadOnly))
        return std::nullopt;
    // First line: a JSON header; then one id per line, sorted.
    const QJsonObject header = QJsonDocument::fromJson(file.readLine()).object();
    if (header.value(QStringLiteral("format")).toInt() != 1)
        return std::nullopt; // unreadable: treated as no earlier list, and rewritten
    QStringList ids;
    ids.reserve(header.value(QStringLiteral("count")).toInt());
    while (!file.atEnd()) {
        const QByteArray line = file.readLine().trimmed();
        if (!line.isEmpty())
            ids.append(QString::fromUtf8(line));
    }
    return std::make_pair(normalised(std::move(ids)),
                          qint64(header.value(QStringLiteral("taken_at_ms")).toDouble()));
}

void SubscriberDirectory::writeSnapshot(const Slot &slot) const
{
    const QString path = snapshotPath(slot.profile, slot.webhookId);
    if (path.isEmpty() || !QDir().mkpath(m_folder))
        return;
    // Written whole or not at all: a crash keeps the previous snapshot.
    QSaveFile file(path);
    if (!file.open(QIODevice::WriteOnly))
        return;
    const QJsonObject header {{QStringLiteral("format"), 1},
                              {QStringLiteral("profile"), slot.profile},
                              {QStringLiteral("webhook_id"), slot.webhookId},
                              {QStringLiteral("webhook_url"), slot.webhookUrl},
                              {QStringLiteral("taken_at_ms"), double(slot.takenAtMs)},
                              {QStringLiteral("count"), int(slot.userIds.size())}};
    QByteArray bytes = QJsonDocument(header).toJson(QJsonDocument::Compact) + '\n';
    bytes.reserve(bytes.size() + slot.userIds.size() * 21);
    for (const QString &id : slot.userIds) {
        bytes += id.toUtf8();
        bytes += '\n';
    }
    file.write(bytes);
    file.commit();
}

} // namespace activity
