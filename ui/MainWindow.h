#pragma once

#include <QMainWindow>

class QLabel;
class QStackedWidget;
class QTableView;

namespace activity {

class WebhookTableModel;

class MainWindow : public QMainWindow
{
    Q_OBJECT
public:
    explicit MainWindow(QWidget *parent = nullptr);

    WebhookTableModel *webhookModel() const { return m_webhooks; }

private:
    void updateEmptyState();

    WebhookTableModel *m_webhooks = nullptr;
    QStackedWidget *m_webhookStack = nullptr;
    QTableView *m_webhookView = nullptr;
    QLabel *m_emptyState = nullptr;
};

} // namespace activity
