#include "CliOutput.h"

#include "CliArguments.h"

#include <QJsonDocument>

namespace activity::cli {

Output::Output(bool json, FILE *out, FILE *err)
    : m_json(json)
    , m_out(out)
    , m_err(err)
{
}

void Output::line(const QString &text)
{
    m_out << text << '\n';
    m_out.flush();
}

void Output::table(const QStringList &headers, const QList<QStringList> &rows)
{
    QList<qsizetype> widths;
    for (const QString &header : headers)
        widths.append(header.size());
    for (const QStringList &row : rows) {
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
    for (const QStringList &row : rows)
        print(row);
    m_out.flush();
}

void Output::document(const QJsonObject &object)
{
    m_out << QString::fromUtf8(QJsonDocument(object).toJson(QJsonDocument::Indented));
    m_out.flush();
}

void Output::error(const QString &text)
{
    m_err << "activity-cli: " << text << '\n';
    m_err.flush();
}

void Output::apiError(const ApiError &error)
{
    m_err << "activity-cli: " << (error.cause.isEmpty() ? QStringLiteral("The call failed.") : error.cause)
          << '\n';
    if (!error.remedy.isEmpty())
        m_err << "  What to do: " << error.remedy << '\n';
    if (error.retryAt.isValid())
        m_err << "  Retry after: " << error.retryAt.toString(Qt::ISODate) << '\n';
    if (!error.serverMessage.isEmpty())
        m_err << "  Server said: " << error.serverMessage << '\n';
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
        return ExitApiRefused;
    }
    return ExitApiRefused;
}

} // namespace activity::cli
