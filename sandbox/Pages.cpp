// The look of the sign-in pages, the message page and the redirect back to the app.

#include "Pages.h"

#include <QUrlQuery>

namespace activity::sandbox {

QString signInPageStyle()
{
    return QStringLiteral(
        "<style>body{font-family:sans-serif;max-width:28em;margin:3em auto;color:#0f1419}"
        "label{display:block;margin:.8em 0 .2em}input{width:100%;padding:.4em;box-sizing:border-box}"
        ".error{color:#b00020}button{margin:1em .5em 0 0;padding:.5em 1.2em}"
        "fieldset{margin:1em 0;padding:.5em 1em}fieldset label{display:flex;align-items:center;margin:.3em 0}"
        "input[type=checkbox]{width:auto;margin-right:.6em}</style>");
}

QString messagePage(const QString &title, const QString &bodyHtml)
{
    return QStringLiteral("<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\"><title>%1 — X "
                          "Sandbox</title>"
                          "<style>body{font-family:sans-serif;max-width:28em;margin:3em auto}</style></head>"
                          "<body><h1>%1</h1>%2</body></html>\n")
        .arg(title.toHtmlEscaped(), bodyHtml);
}

Reply redirectReply(QUrl target, const QList<std::pair<QString, QString>> &items)
{
    QUrlQuery query(target);
    // Encoded here, so that '+', '&' and '=' in a value (a base64 state) arrive as sent.
    for (const auto &[key, value] : items)
        query.addQueryItem(key, QString::fromUtf8(QUrl::toPercentEncoding(value)));
    target.setQuery(query);
    Reply reply = htmlReply(302, messagePage(QStringLiteral("Redirecting"), QString()));
    reply.headers.append({QByteArrayLiteral("Location"), target.toEncoded()});
    return reply;
}

} // namespace activity::sandbox
