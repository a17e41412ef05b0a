#pragma once

#include <QString>

namespace activity {

// A table model whose rows each carry a precomputed, case-folded search string. The filter proxy
// for the large tables (SubscriptionFilterProxy) matches it directly, without a QVariant per row,
// which keeps a keystroke over 100,000 rows within a few milliseconds.
class SearchTextSource
{
public:
    virtual ~SearchTextSource() = default;
    virtual const QString &searchText(int row) const = 0;
};

} // namespace activity
