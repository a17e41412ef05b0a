#pragma once

#include <QByteArray>

namespace activity::sandbox {

// `bytes` bytes from the system's cryptographic generator, as unpadded base64url text: the
// sandbox's request tokens, verifiers, access tokens and its control token.
QByteArray randomToken(int bytes);

} // namespace activity::sandbox
