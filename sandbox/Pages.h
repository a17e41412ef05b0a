#pragma once

// Internal to the sandbox library: what the browser pages of the two sign-ins (OAuth 1.0a's
// oauth/authorize, OAuth 2.0's i/oauth2/authorize) share: their look, the message page and the
// redirect back to the app.

#include "Exchange.h"

#include <QList>
#include <QString>
#include <QUrl>

#include <utility>

namespace activity::sandbox {

// The <style> of the sign-in forms.
QString signInPageStyle();
// A page with `title` as its heading and `bodyHtml` (already escaped) below it.
QString messagePage(const QString &title, const QString &bodyHtml);
// 302 to `target` with `items` appended to its query, each value percent-encoded.
Reply redirectReply(QUrl target, const QList<std::pair<QString, QString>> &items);

} // namespace activity::sandbox
