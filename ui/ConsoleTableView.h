#pragma once

#include <QTableView>

namespace activity {

// The tables of the console share desktop manners: whole-row selection, Ctrl+C copies the
// selected rows as tab-separated text, Delete asks to remove the selection (the window decides
// what that means and always confirms), and the context menu shows the view's actions.
class ConsoleTableView : public QTableView
{
    Q_OBJECT
public:
    explicit ConsoleTableView(QWidget *parent = nullptr);

    // The selected rows as the view shows them (visible columns, display text), one line per row.
    QString selectedRowsAsText() const;
    void copySelection() const;
    // Selected rows in view order, mapped to rows of the view's model.
    QList<int> selectedRows() const;

Q_SIGNALS:
    void deleteRequested();

protected:
    void keyPressEvent(QKeyEvent *event) override;
};

} // namespace activity
