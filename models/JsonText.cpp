#include "JsonText.h"

namespace activity::jsontext {

void appendString(QByteArray &json, QByteArrayView text, TextEncoding encoding)
{
    static constexpr char hex[] = "0123456789abcdef";
    json += '"';
    qsizetype plainFrom = 0; // the bytes since the last escape, appended as one run
    for (qsizetype i = 0; i < text.size(); ++i) {
        const char c = text[i];
        const auto byte = static_cast<unsigned char>(c);
        const bool plain =
            byte >= 0x20 && byte != '"' && byte != '\\' && (byte < 0x80 || encoding == TextEncoding::Utf8);
        if (plain)
            continue;
        json += text.sliced(plainFrom, i - plainFrom);
        plainFrom = i + 1;
        if (byte == '"' || byte == '\\') {
            json += '\\';
            json += c;
        } else if (byte < 0x20) {
            // The short forms where JSON has one, as QJsonDocument writes them.
            const char *shortForm = byte == '\b' ? "\\b"
                : byte == '\f'                   ? "\\f"
                : byte == '\n'                   ? "\\n"
                : byte == '\r'                   ? "\\r"
                : byte == '\t'                   ? "\\t"
                                                 : nullptr;
            if (shortForm) {
                json += shortForm;
                continue;
            }
            json += "\\u00";
            json += hex[byte >> 4];
            json += hex[byte & 0xf];
        } else {
            json += char(0xc0 | (byte >> 6));
            json += char(0x80 | (byte & 0x3f));
        }
    }
    json += text.sliced(plainFrom);
    json += '"';
}

} // namespace activity::jsontext
