#include "WebhookTableModel.h"

#include <QDateTime>
#include <QSet>

namespace activity {

namespace {

QString localTime(qint64 ms)
{
    return ms > 0 ? QDateTime::fromMSecsSinceEpoch(ms).toString(QStringLiteral("yyyy-MM-dd HH:mm"))
                  : QString();
}

} // namespace

WebhookTableModel::WebhookTableModel(QObject *parent)
    : QAbstractTableModel(parent)
{
}

int WebhookTableModel::rowCount(const QModelIndex &parent) const
{
    return parent.isValid() ? 0 : int(m_rows.size());
}

int WebhookTableModel::columnCount(const QModelIndex &parent) const
{
    return parent.isValid() ? 0 : int(Column::Count);
}

QVariant WebhookTableModel::data(const QModelIndex &index, int role) const
{
    Q_ASSERT(checkIndex(index, CheckIndexOption::IndexIsValid | CheckIndexOption::ParentIsInvalid));
    const Webhook &row = m_rows.at(index.row());
    const auto column = Column(index.column());
    if (role == WebhookIdRole)
        return row.id;
    if (role == Qt::DisplayRole || role == SortRole) {
        switch (column) {
        case Column::Id:
            return row.id;
        case Column::Url:
            return row.url;
        case Column::Valid:
            if (role == SortRole)
                return row.valid;
            return row.valid ? tr("Valid") : tr("Invalid — re-validate");
        case Column::Since:
        case Column::LastSeenValid: {
            const auto health = m_health.constFind(row.id);
            // The watch's state may lag the list: "since" only when both say the same.
            qint64 ms = 0;
            if (health != m_health.cend())
                ms = column == Column::Since ? (health->valid == row.valid ? health->sinceMs : 0)
                                             : health->lastSeenValidMs;
            if (role == SortRole)
                return ms;
            return localTime(ms);
        }
        case Column::Created:
            if (role == SortRole)
                return row.createdAt;
            return row.createdAt.isValid() ? row.createdAt.toLocalTime().toString(Qt::ISODate) : QString();
        case Column::Count:
            break;
        }
    }
    if (role == Qt::ToolTipRole && column == Column::Valid) {
        QString text = row.valid ? QString()
                                 : tr("X stopped delivering events to this webhook after a failed CRC check. "
                                      "Validate it to run a new check.");
        const QString timeline = timelineText(row.id);
        if (!timeline.isEmpty())
            text += (text.isEmpty() ? QString() : QStringLiteral("\n\n")) + timeline;
        return text.isEmpty() ? QVariant() : QVariant(text);
    }
    return {};
}

QVariant WebhookTableModel::headerData(int section, Qt::Orientation orientation, int role) const
{
    if (orientation != Qt::Horizontal || role != Qt::DisplayRole)
        return {};
    switch (Column(section)) {
    case Column::Id:
        return tr("Webhook id");
    case Column::Url:
        return tr("URL");
    case Column::Valid:
        return tr("State");
    case Column::Since:
        return tr("Since");
    case Column::LastSeenValid:
        return tr("Last seen valid");
    case Column::Created:
        return tr("Created");
    case Column::Count:
        break;
    }
    return {};
}

int WebhookTableModel::rowOf(const QString &id) const
{
    for (int i = 0; i < m_rows.size(); ++i) {
        if (m_rows.at(i).id == id)
            return i;
    }
    return -1;
}

void WebhookTableModel::setWebhooks(const QList<Webhook> &webhooks)
{
    QSet<QString> incoming;
    for (const Webhook &hook : webhooks)
        incoming.insert(hook.id);
    // Remove rows that are gone, from the bottom so indexes stay valid.
    for (int i = int(m_rows.size()) - 1; i >= 0; --i) {
        if (!incoming.contains(m_rows.at(i).id)) {
            beginRemoveRows({}, i, i);
            m_rows.removeAt(i);
            endRemoveRows();
        }
    }
    for (const Webhook &hook : webhooks) {
        const int existing = rowOf(hook.id);
        if (existing >= 0) {
            m_rows[existing] = hook;
            Q_EMIT dataChanged(index(existing, 0), index(existing, int(Column::Count) - 1));
        } else {
            const int row = int(m_rows.size());
            beginInsertRows({}, row, row);
            m_rows.append(hook);
            endInsertRows();
        }
    }
}

void WebhookTableModel::removeWebhook(const QString &id)
{
    const int row = rowOf(id);
    if (row < 0)
        return;
    beginRemoveRows({}, row, row);
    m_rows.removeAt(row);
    endRemoveRows();
}

void WebhookTableModel::setHealth(const QList<WebhookHealth> &health,
                                  const QHash<QString, QList<WebhookValidity>> &recent)
{
    m_health.clear();
    for (const WebhookHealth &h : health)
        m_health.insert(h.webhookId, h);
    m_recent = recent;
    if (!m_rows.isEmpty())
        Q_EMIT dataChanged(index(0, int(Column::Valid)),
                           index(int(m_rows.size()) - 1, int(Column::LastSeenValid)));
}

QString WebhookTableModel::timelineText(const QString &webhookId) const
{
    const QList<WebhookValidity> changes = m_recent.value(webhookId);
    if (changes.isEmpty())
        return {};
    QStringList lines {tr("Watched changes:")};
    for (const WebhookValidity &change : changes)
        lines.append(tr("%1  %2").arg(localTime(change.atMs), change.valid ? tr("valid") : tr("invalid")));
    return lines.join(QLatin1Char('\n'));
}

} // namespace activity
