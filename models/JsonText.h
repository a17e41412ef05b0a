#pragma once

#include <QByteArray>
#include <QByteArrayView>

// JSON text written by hand where QJsonDocument would cost too much per event.
namespace activity::jsontext {

enum class TextEncoding { Latin1, Utf8 };

// Text as a JSON string in UTF-8, escaped as QJsonDocument escapes it: Latin-1 bytes (HTTP header
// text) are converted, UTF-8 passes through.
void appendString(QByteArray &json, QByteArrayView text, TextEncoding encoding);

} // namespace activity::jsontext
