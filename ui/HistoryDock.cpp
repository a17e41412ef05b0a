#include "HistoryDock.h"

#include "ConsoleTableView.h"
#include "HistoryStore.h"
#include "HistoryTableModel.h"
#include "HistoryWriter.h"
#include "MessageBar.h"
#include "PaletteColors.h"

#include <QHBoxLayout>
#include <QHeaderView>
#include <QIdentityProxyModel>
#include <QLabel>
#include <QPushButton>
#include <QTimer>
#include <QVBoxLayout>

namespace activity {

namespace {

// Paints the rows that need attention (pending from an earlier run) in the warning colour.
class AttentionProxy : public QIdentityProxyModel
{
public:
    AttentionProxy(const QWidget *colours, QObject *parent)
        : QIdentityProxyModel(parent)
        , m_colours(colours)
    {
    }

    QVariant data(const QModelIndex &index, int role) const override
    {
        if (role == Qt::BackgroundRole &&
            QIdentityProxyModel::data(index, HistoryTableModel::NeedsAttentionRole).toBool())
            return palette::neutralBackground(m_colours->palette());
        return QIdentityProxyModel::data(index, role);
    }

private:
    const QWidget *m_colours;
};

} // namespace

HistoryDock::HistoryDock(HistoryStore *store, QWidget *parent)
    : QDockWidget(tr("History"), parent)
    , m_store(store)
{
    setObjectName(QStringLiteral("historyDock"));
    setAccessibleName(tr("History of changes"));
    setFeatures(QDockWidget::DockWidgetClosable | QDockWidget::DockWidgetMovable |
                QDockWidget::DockWidgetFloatable);

    m_model = new HistoryTableModel(store, this);
    auto *proxy = new AttentionProxy(this, this);
    proxy->setSourceModel(m_model);

    auto *content = new QWidget(this);
    auto *layout = new QVBoxLayout(content);
    layout->setContentsMargins(4, 4, 4, 4);

    m_banner = new QLabel(content);
    m_banner->setObjectName(QStringLiteral("historyInterruptedBanner"));
    m_banner->setWordWrap(true);
    m_banner->setAutoFillBackground(true);
    m_banner->setMargin(6);
    m_banner->setVisible(false);
    layout->addWidget(m_banner);

    m_unavailable = new QLabel(content);
    m_unavailable->setObjectName(QStringLiteral("historyUnavailableLabel"));
    m_unavailable->setTextFormat(Qt::PlainText); // a database error and a path
    m_unavailable->setWordWrap(true);
    m_unavailable->setVisible(false);
    layout->addWidget(m_unavailable);

    auto *header = new QHBoxLayout;
    header->addWidget(new QLabel(tr("Every change sent to X, by this console and by activity-cli."), content),
                      1);
    m_refresh = new QPushButton(tr("&Refresh"), content);
    m_refresh->setObjectName(QStringLiteral("historyRefreshButton"));
    m_refresh->setToolTip(tr("Read the history again (activity-cli writes to it too)"));
    connect(m_refresh, &QPushButton::clicked, this, &HistoryDock::reload);
    header->addWidget(m_refresh);
    layout->addLayout(header);

    m_view = new ConsoleTableView(content);
    m_view->setObjectName(QStringLiteral("historyView"));
    m_view->setAccessibleName(tr("History"));
    m_view->setModel(proxy);
    m_view->horizontalHeader()->setStretchLastSection(true);
    m_view->setSortingEnabled(false); // newest first, as stored
    layout->addWidget(m_view, 1);
    setWidget(content);

    connect(m_model, &QAbstractItemModel::modelReset, this, &HistoryDock::updateBanner);
    if (store) {
        connect(store, &HistoryStore::errorOccurred, this, &HistoryDock::updateBanner);
        connect(store, &HistoryStore::pruned, this, [this](qint64 removed) {
            if (removed > 0 && isVisible())
                reload();
        });
    }
    updateBanner();
}

void HistoryDock::followWriter(HistoryWriter *writer)
{
    connect(writer, &HistoryWriter::entryAdded, m_model, &HistoryTableModel::reload);
    connect(writer, &HistoryWriter::entryCompleted, m_model, &HistoryTableModel::reload);
    connect(writer, &HistoryWriter::errorOccurred, this, [this](const QString &problem) {
        m_writeProblem = problem;
        updateBanner();
    });
}

bool HistoryDock::warnOfInterruptedChanges(MessageBar *bar)
{
    const int interrupted = m_store ? int(m_store->pendingFromEarlierRuns().size()) : 0;
    if (interrupted == 0)
        return false;
    QTimer::singleShot(0, bar, [bar, interrupted] {
        bar->showMessage(
            MessageBar::Level::Warning,
            tr("%n change(s) from an earlier run that ended before the answer arrived.", nullptr,
               interrupted),
            tr("X may or may not have made them: check the webhook/subscription state (View > History)."));
    });
    return true;
}

void HistoryDock::reload()
{
    m_model->reload();
}

void HistoryDock::showEvent(QShowEvent *event)
{
    QDockWidget::showEvent(event);
    reload();
}

QString HistoryDock::bannerText() const
{
    return m_banner->isHidden() ? QString() : m_banner->text();
}

void HistoryDock::updateBanner()
{
    const int interrupted = m_model->interruptedCount();
    if (interrupted > 0) {
        m_banner->setText(tr("%n change(s) from an earlier run that ended before the answer arrived: "
                             "X may or may not have made them. Check the webhook/subscription state.",
                             nullptr, interrupted));
        QPalette colours = m_banner->palette();
        colours.setColor(QPalette::Window, palette::neutralBackground(palette()));
        m_banner->setPalette(colours);
    }
    m_banner->setHidden(interrupted == 0);

    QString problem = m_store ? m_store->lastError() : tr("No history database is configured.");
    if (problem.isEmpty())
        problem = m_writeProblem;
    m_unavailable->setText(problem.isEmpty() ? QString() : tr("History: %1").arg(problem));
    m_unavailable->setHidden(problem.isEmpty());
}

} // namespace activity
