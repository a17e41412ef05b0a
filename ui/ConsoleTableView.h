#pragma once

#include <QTableView>

namespace activity {

// The tables of the console share desktop manners: whole-row selection, Ctrl+C copies the
// selected rows as tab-separated text, Delete asks to remove the selection (the window decides
// what that means and always confirms), and the context menu shows the view's actions. Tooltips are
// shown as plain text: the models' tooltips quote URLs and X's error messages.
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
    // `text` as the markup a tooltip needs to show it exactly as written.
    static QString plainToolTip(const QString &text);

Q_SIGNALS:
    void deleteRequested();

protected:
    void keyPressEvent(QKeyEvent *event) override;
    bool viewportEvent(QEvent *event) override;
};

} // namespace activity
