#pragma once

#include "TableFilterProxy.h"
#include <QColor>

namespace activity {

// Sort and filter for the webhooks table; invalid webhooks stand out with a palette-derived colour
// and a warning icon on top of the model's own "Invalid" text, never by colour alone.
class WebhookFilterProxy : public TableFilterProxy
{
    Q_OBJECT
public:
    explicit WebhookFilterProxy(QObject *parent = nullptr);

    void setPalette(const QPalette &palette);
    QVariant data(const QModelIndex &index, int role = Qt::DisplayRole) const override;

private:
    bool isInvalid(const QModelIndex &proxyIndex) const;
    QColor m_invalidText;
    QColor m_invalidBackground;
};

} // namespace activity
