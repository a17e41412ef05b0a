#pragma once

#include <QIODevice>
#include <QString>
#include <QStringList>

namespace activity::csv {

// One CSV field as RFC 4180 wants it: quoted when it holds a comma, quote, CR or LF, with inner
// quotes doubled. A field that a spreadsheet would run as a formula (starts with = + - @, or a tab
// or CR) gets a leading apostrophe first, so an exported @username or "=HYPERLINK(...)" display
// name stays text when the file is opened in a spreadsheet.
QString field(const QString &value);

// The fields joined with commas and ended with CRLF, encoded as UTF-8.
QByteArray row(const QStringList &fields);

} // namespace activity::csv
