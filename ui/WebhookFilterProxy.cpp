#include "WebhookFilterProxy.h"

#include "PaletteColors.h"
#include "WebhookTableModel.h"

#include <QApplication>
#include <QIcon>
#include <QStyle>

namespace activity {

WebhookFilterProxy::WebhookFilterProxy(QObject *parent)
    : TableFilterProxy(parent)
{
    setPalette(QApplication::palette());
}

void WebhookFilterProxy::setPalette(const QPalette &palette)
{
    m_invalidText = palette::negativeText(palette);
    m_invalidBackground = palette::negativeBackground(palette);
    if (rowCount() > 0)
        Q_EMIT dataChanged(index(0, 0), index(rowCount() - 1, columnCount() - 1),
                           {Qt::ForegroundRole, Qt::BackgroundRole});
}

bool WebhookFilterProxy::isInvalid(const QModelIndex &proxyIndex) const
{
    const QModelIndex validIndex =
        mapToSource(proxyIndex).siblingAtColumn(int(WebhookTableModel::Column::Valid));
    return !validIndex.data(WebhookTableModel::SortRole).toBool();
}

QVariant WebhookFilterProxy::data(const QModelIndex &index, int role) const
{
    if (!index.isValid())
        return {};
    switch (role) {
    case Qt::ForegroundRole:
        if (isInvalid(index))
            return m_invalidText;
        break;
    case Qt::BackgroundRole:
        if (isInvalid(index))
            return m_invalidBackground;
        break;
    case Qt::DecorationRole:
        if (index.column() == int(WebhookTableModel::Column::Valid))
            return QApplication::style()->standardIcon(isInvalid(index) ? QStyle::SP_MessageBoxWarning
                                                                        : QStyle::SP_DialogApplyButton);
        break;
    default:
        break;
    }
    return TableFilterProxy::data(index, role);
}

} // namespace activity
