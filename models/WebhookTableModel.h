#pragma once

#include "ApiTypes.h"

#include <QAbstractTableModel>

namespace activity {

// Rows are the webhooks of the selected profile, as the last list call returned them.
class WebhookTableModel : public QAbstractTableModel
{
    Q_OBJECT
public:
    enum class Column { Id, Url, Valid, Created, Count };
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

private:
    QList<Webhook> m_rows;
};

} // namespace activity
