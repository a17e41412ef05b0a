#include "CliOutput.h"

#include "CliArguments.h"

#include <QJsonDocument>

namespace activity::cli {

namespace {

bool isTerminalControl(char16_t c)
{
    return (c < 0x20 && c != u'\n' && c != u'\t') || (c >= 0x7f && c <= 0x9f);
}

} // namespace

QString terminalSafe(const QString &text)
{
    QString safe;
    safe.reserve(text.size());
    for (const QChar c : text) {
        if (!isTerminalControl(c.unicode()))
            safe.append(c);
    }
    return safe;
}

Output::Output(bool json, QIODevice *out, QIODevice *err)
    : m_json(json)
    , m_out(out)
    , m_err(err)
{
}

void Output::line(const QString &text)
{
    m_out << terminalSafe(text) << '\n';
    m_out.flush();
}

void Output::note(const QString &text)
{
    m_err << terminalSafe(text) << '\n';
    m_err.flush();
}

void Output::prompt(const QString &text)
{
    m_err << terminalSafe(text);
    m_err.flush();
}

void Output::table(const QStringList &headers, const QList<QStringList> &rows)
{
    // Widths of the text as shown, so the columns still line up.
    QList<QStringList> safeRows;
    safeRows.reserve(rows.size());
    for (const QStringList &row : rows) {
        QStringList safe;
        for (const QString &cell : row)
            safe.append(terminalSafe(cell));
        safeRows.append(safe);
    }
    QList<qsizetype> widths;
    for (const QString &header : headers)
        widths.append(header.size());
    for (const QStringList &row : std::as_const(safeRows)) {
        for (qsizetype i = 0; i < row.size() && i < widths.size(); ++i)
            widths[i] = qMax(widths[i], row[i].size());
    }
    const auto print = [&](const QStringList &cells) {
        QString text;
        for (qsizetype i = 0; i < cells.size(); ++i) {
            const bool last = i + 1 == cells.size();
            text += last ? cells[i] : cells[i].leftJustified(widths.value(i)) + QStringLiteral("  ");
        }
        m_out << text << '\n';
    };
    print(headers);
    for (const QStringList &row : std::as_const(safeRows))
        print(row);
    m_out.flush();
}

namespace {

// JSON escapes C0 itself; DEL and C1 it writes raw, so they become \u escapes here: the same
// data for a JSON reader, nothing for a terminal.
QString escapedJson(const QJsonObject &object, QJsonDocument::JsonFormat format)
{
    const QString text = QString::fromUtf8(QJsonDocument(object).toJson(format));
    QString escaped;
    escaped.reserve(text.size());
    for (const QChar c : text) {
        if (isTerminalControl(c.unicode()))
            escaped += QStringLiteral("\\u%1").arg(int(c.unicode()), 4, 16, QLatin1Char('0'));
        else
            escaped.append(c);
    }
    return escaped;
}

} // namespace

void Output::document(const QJsonObject &object)
{
    m_out << escapedJson(object, QJsonDocument::Indented);
    m_out.flush();
}

void Output::jsonLine(const QJsonObject &object)
{
    m_out << escapedJson(object, QJsonDocument::Compact) << '\n';
    m_out.flush();
}

void Output::error(const QString &text)
{
    m_err << "activity-cli: " << terminalSafe(text) << '\n';
    m_err.flush();
}

void Output::apiError(const ApiError &error)
{
    m_err << "activity-cli: "
          << terminalSafe(error.cause.isEmpty() ? QStringLiteral("The call failed.") : error.cause) << '\n';
    if (!error.remedy.isEmpty())
        m_err << "  What to do: " << terminalSafe(error.remedy) << '\n';
    if (error.retryAt.isValid())
        m_err << "  Retry after: " << error.retryAt.toString(Qt::ISODate) << '\n';
    if (!error.serverMessage.isEmpty())
        m_err << "  Server said: " << terminalSafe(error.serverMessage) << '\n';
    m_err.flush();
    if (m_json)
        document(QJsonObject {{QStringLiteral("error"), errorObject(error)}});
}

QJsonObject Output::errorObject(const ApiError &error)
{
    QJsonObject object {{QStringLiteral("kind"), ApiError::kindName(error.kind)},
                        {QStringLiteral("cause"), error.cause},
                        {QStringLiteral("remedy"), error.remedy}};
    if (error.httpStatus)
        object.insert(QStringLiteral("http_status"), error.httpStatus);
    if (error.code)
        object.insert(QStringLiteral("code"), error.code);
    if (!error.name.isEmpty())
        object.insert(QStringLiteral("name"), error.name);
    if (!error.serverMessage.isEmpty())
        object.insert(QStringLiteral("server_message"), error.serverMessage);
    if (error.retryAt.isValid())
        object.insert(QStringLiteral("retry_at"), error.retryAt.toString(Qt::ISODate));
    return object;
}

int exitCodeFor(const ApiError &error)
{
    using K = ApiError::Kind;
    switch (error.kind) {
    case K::None:
        return ExitOk;
    case K::Validation:
        return ExitUsage;
    case K::MissingCredentials:
        return ExitCredentials;
    case K::Network:
    case K::HostNotFound:
    case K::Tls:
    case K::Timeout:
        return ExitNetwork;
    case K::RateLimited:
    case K::Authentication:
    case K::Permission:
    case K::NotFound:
    case K::Conflict:
    case K::QuotaExceeded:
    case K::CrcFailed:
    case K::InvalidRequest:
    case K::Server:
    case K::MalformedResponse:
    case K::NotConfirmed:
    case K::Cancelled:
    case K::LocalProgram:
        return ExitApiRefused;
    }
    return ExitApiRefused;
}

} // namespace activity::cli
