#include "RandomToken.h"

#include <QList>
#include <QRandomGenerator>

#include <cstring>

namespace activity::sandbox {

QByteArray randomToken(int bytes)
{
    // The generator fills whole 32-bit words: draw enough of them to cover every byte, then copy
    // exactly `bytes` of them, so no byte of the token is left as it came from the heap.
    QList<quint32> words((qMax(0, bytes) + 3) / 4);
    QRandomGenerator::system()->fillRange(words.data(), words.size());
    QByteArray raw(qMax(0, bytes), Qt::Uninitialized);
    std::memcpy(raw.data(), words.constData(), size_t(raw.size()));
    return raw.toBase64(QByteArray::Base64UrlEncoding | QByteArray::OmitTrailingEquals);
}

} // namespace activity::sandbox
