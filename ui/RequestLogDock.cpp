#include "RequestLogDock.h"

#include "ConsoleTableView.h"
#include "EndpointCatalogue.h"
#include "RequestLog.h"
#include "RequestLogModel.h"
#include "TableFilterProxy.h"

#include <QAction>
#include <QApplication>
#include <QClipboard>
#include <QFontDatabase>
#include <QHBoxLayout>
#include <QHeaderView>
#include <QLabel>
#include <QLineEdit>
#include <QPlainTextEdit>
#include <QPushButton>
#include <QSplitter>
#include <QVBoxLayout>

namespace activity {

RequestLogDock::RequestLogDock(RequestLog *log, QWidget *parent)
    : QDockWidget(tr("Request log"), parent)
    , m_log(log)
{
    setObjectName(QStringLiteral("requestLogDock"));
    setAccessibleName(tr("Request log"));
    setFeatures(QDockWidget::DockWidgetClosable | QDockWidget::DockWidgetMovable |
                QDockWidget::DockWidgetFloatable);

    m_model = new RequestLogModel(log, this);
    m_proxy = new TableFilterProxy(this);
    m_proxy->setSourceModel(m_model);

    auto *content = new QWidget(this);
    auto *layout = new QVBoxLayout(content);
    layout->setContentsMargins(4, 4, 4, 4);

    auto *header = new QHBoxLayout;
    m_filter = new QLineEdit(content);
    m_filter->setObjectName(QStringLiteral("requestLogFilter"));
    m_filter->setAccessibleName(tr("Filter the request log"));
    m_filter->setPlaceholderText(tr("Filter calls"));
    m_filter->setClearButtonEnabled(true);
    connect(m_filter, &QLineEdit::textChanged, m_proxy, &TableFilterProxy::setFilterText);
    m_copyCurl = new QPushButton(tr("Copy as c&url"), content);
    m_copyCurl->setObjectName(QStringLiteral("copyCurlButton"));
    m_copyCurl->setToolTip(tr("Copy the call as a curl command; secrets are replaced with placeholders"));
    m_copyCurl->setEnabled(false);
    connect(m_copyCurl, &QPushButton::clicked, this, &RequestLogDock::copySelectedAsCurl);
    header->addWidget(m_filter, 1);
    header->addWidget(m_copyCurl);
    layout->addLayout(header);

    m_view = new ConsoleTableView(content);
    m_view->setObjectName(QStringLiteral("requestLogView"));
    m_view->setAccessibleName(tr("Calls"));
    m_view->setModel(m_proxy);
    m_view->setSelectionMode(QAbstractItemView::SingleSelection);
    m_view->setSortingEnabled(true);
    m_view->sortByColumn(-1, Qt::AscendingOrder);
    m_view->horizontalHeader()->setSectionResizeMode(QHeaderView::ResizeToContents);
    auto *copyCurlAction = new QAction(tr("Copy as curl"), m_view);
    connect(copyCurlAction, &QAction::triggered, this, &RequestLogDock::copySelectedAsCurl);
    m_view->addAction(copyCurlAction);

    m_detail = new QPlainTextEdit(content);
    m_detail->setObjectName(QStringLiteral("requestLogDetail"));
    m_detail->setAccessibleName(tr("Call details (redacted)"));
    m_detail->setReadOnly(true);
    m_detail->setFont(QFontDatabase::systemFont(QFontDatabase::FixedFont));
    m_detail->setPlaceholderText(tr("Select a call to see its redacted headers, body and response."));

    auto *splitter = new QSplitter(Qt::Horizontal, content);
    splitter->setObjectName(QStringLiteral("requestLogSplitter"));
    splitter->addWidget(m_view);
    splitter->addWidget(m_detail);
    splitter->setStretchFactor(0, 3);
    splitter->setStretchFactor(1, 2);
    layout->addWidget(splitter, 1);
    setWidget(content);

    connect(m_view->selectionModel(), &QItemSelectionModel::selectionChanged, this,
            &RequestLogDock::showSelected);
    // A running call finishes later: refresh the details when its entry changes.
    connect(m_log, &RequestLog::entryUpdated, this, [this](quint64 id) {
        if (id == m_selectedId)
            showSelected();
    });
}

QString RequestLogDock::detailText() const
{
    return m_detail->toPlainText();
}

bool RequestLogDock::copySelectedAsCurl()
{
    const auto entry = m_log->entry(m_selectedId);
    if (!entry || entry->curl.isEmpty())
        return false;
    QApplication::clipboard()->setText(entry->curl);
    return true;
}

void RequestLogDock::showSelected()
{
    const auto rows = m_view->selectionModel()->selectedRows();
    m_selectedId = rows.isEmpty() ? 0 : rows.first().data(RequestLogModel::EntryIdRole).toULongLong();
    const auto entry = m_log->entry(m_selectedId);
    m_copyCurl->setEnabled(entry.has_value() && !entry->curl.isEmpty());
    m_detail->setPlainText(entry ? describe(*entry) : QString());
}

QString RequestLogDock::describe(const RequestLogEntry &entry)
{
    QString text;
    text += QStringLiteral("%1 %2\n").arg(QString::fromLatin1(entry.method), entry.url);
    text += tr("Operation: %1, attempt %2\n").arg(entry.operation).arg(entry.attempt);
    text += tr("Started: %1\n").arg(entry.startedAt.toLocalTime().toString(Qt::ISODateWithMs));
    if (entry.finished())
        text += tr("Status: %1 in %2 ms\n").arg(entry.httpStatus).arg(entry.durationMs);
    else
        text += tr("Status: running\n");
    if (entry.rateLimitRemaining >= 0)
        text += tr("Rate limit: %1 of %2 left, resets %3\n")
                    .arg(entry.rateLimitRemaining)
                    .arg(entry.rateLimitLimit)
                    .arg(entry.rateLimitReset.toLocalTime().toString(QStringLiteral("HH:mm:ss")));
    if (!entry.error.isEmpty())
        text += tr("Problem: %1\n").arg(entry.error);
    text += QStringLiteral("\n") + tr("Request headers (redacted):") + QLatin1Char('\n');
    for (const auto &[name, value] : entry.requestHeaders)
        text += QStringLiteral("  %1: %2\n").arg(QString::fromLatin1(name), QString::fromUtf8(value));
    if (!entry.requestBody.isEmpty())
        text += QLatin1Char('\n') + tr("Request body (redacted):") + QLatin1Char('\n') +
            QString::fromUtf8(entry.requestBody) + QLatin1Char('\n');
    if (!entry.responseBody.isEmpty())
        text += QLatin1Char('\n') + tr("Response (excerpt, redacted):") + QLatin1Char('\n') +
            QString::fromUtf8(entry.responseBody) + QLatin1Char('\n');
    return text;
}

} // namespace activity
