#pragma once

#include "ApiTypes.h"
#include "WebhookTimeline.h"

#include <QHash>

#include <QAbstractTableModel>

namespace activity {

// Rows are the webhooks of the selected profile, as the last list call returned them, with what
// the webhook watch knows of each (#17): since when it is in its state, when it was last seen
// valid, and its changes of the last days (the state's tooltip).
class WebhookTableModel : public QAbstractTableModel
{
    Q_OBJECT
public:
    enum class Column { Id, Url, Valid, Since, LastSeenValid, Created, Count };
    enum Role { SortRole = Qt::UserRole + 1, WebhookIdRole };

    explicit WebhookTableModel(QObject *parent = nullptr);

    int rowCount(const QModelIndex &parent = {}) const override;
    int columnCount(const QModelIndex &parent = {}) const override;
    QVariant data(const QModelIndex &index, int role = Qt::DisplayRole) const override;
    QVariant headerData(int section, Qt::Orientation orientation, int role = Qt::DisplayRole) const override;

    // Replaces the rows, keeping rows whose id is unchanged in place so selections survive a refresh.
    void setWebhooks(const QList<Webhook> &webhooks);
    void removeWebhook(const QString &id);
    const QList<Webhook> &webhooks() const { return m_rows; }
    int rowOf(const QString &id) const;

    // The watch's record of each webhook (by id), and its changes of the last days, oldest first.
    void setHealth(const QList<WebhookHealth> &health, const QHash<QString, QList<WebhookValidity>> &recent);

private:
    QString timelineText(const QString &webhookId) const;

    QList<Webhook> m_rows;
    QHash<QString, WebhookHealth> m_health;
    QHash<QString, QList<WebhookValidity>> m_recent;
};

} // namespace activity
