#include "MainWindow.h"

#include "WebhookTableModel.h"

#include <QHeaderView>
#include <QLabel>
#include <QStackedWidget>
#include <QTableView>

namespace activity {

MainWindow::MainWindow(QWidget *parent)
    : QMainWindow(parent)
    , m_webhooks(new WebhookTableModel(this))
{
    setObjectName(QStringLiteral("mainWindow"));
    setWindowTitle(tr("Activity Console"));
    resize(1100, 700);

    m_webhookView = new QTableView(this);
    m_webhookView->setObjectName(QStringLiteral("webhookView"));
    m_webhookView->setAccessibleName(tr("Webhooks"));
    m_webhookView->setModel(m_webhooks);
    m_webhookView->setSelectionBehavior(QAbstractItemView::SelectRows);
    m_webhookView->horizontalHeader()->setStretchLastSection(true);

    m_emptyState =
        new QLabel(tr("No webhooks yet.\nRegister one to start receiving account activity."), this);
    m_emptyState->setObjectName(QStringLiteral("emptyState"));
    m_emptyState->setAlignment(Qt::AlignCenter);

    m_webhookStack = new QStackedWidget(this);
    m_webhookStack->addWidget(m_emptyState);
    m_webhookStack->addWidget(m_webhookView);
    setCentralWidget(m_webhookStack);

    connect(m_webhooks, &QAbstractItemModel::rowsInserted, this, &MainWindow::updateEmptyState);
    connect(m_webhooks, &QAbstractItemModel::rowsRemoved, this, &MainWindow::updateEmptyState);
    connect(m_webhooks, &QAbstractItemModel::modelReset, this, &MainWindow::updateEmptyState);
    updateEmptyState();
}

void MainWindow::updateEmptyState()
{
    m_webhookStack->setCurrentWidget(m_webhooks->rowCount() == 0 ? static_cast<QWidget *>(m_emptyState)
                                                                 : m_webhookView);
}

} // namespace activity
