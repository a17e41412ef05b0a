#pragma once

#include <QSortFilterProxyModel>

namespace activity {

// The sort/filter proxy for the small tables (webhooks, replay jobs, request log, accounts):
// sorts by the models' SortRole (Qt::UserRole + 1 in every model here) and keeps the rows whose
// display text in any column contains the filter text, ignoring case. For the 100,000-row
// subscriptions table use SubscriptionFilterProxy instead.
class TableFilterProxy : public QSortFilterProxyModel
{
    Q_OBJECT
public:
    static constexpr int SortRole = Qt::UserRole + 1;

    explicit TableFilterProxy(QObject *parent = nullptr);

    void setFilterText(const QString &text);
    QString filterText() const { return m_filterText; }

protected:
    bool filterAcceptsRow(int sourceRow, const QModelIndex &sourceParent) const override;
    bool lessThan(const QModelIndex &left, const QModelIndex &right) const override;

private:
    QString m_filterText;
};

} // namespace activity
