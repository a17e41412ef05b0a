#pragma once

#include <QByteArray>
#include <QByteArrayView>

#include <array>
#include <cstddef>
#include <cstdint>

// HMAC-SHA256 for one key and many messages: the webhook receiver checks every delivery's
// x-twitter-webhooks-signature with it. QMessageAuthenticationCode hashes the padded key again for
// every message and its SHA-256 is portable C (2.6 us for a 300-byte event, a tenth of the
// receiver's CPU per event, #16); here the key's two padded blocks are hashed once, and the
// compression uses the CPU's SHA extensions where it has them (0.4 us). The results are checked
// against Qt's for every length in tst_crc.
namespace activity::crc {

namespace sha256 {

struct State
{
    std::uint32_t words[8];
};

// The initial value of FIPS 180-4.
State initialState();
// Compresses `count` 64-byte blocks into `state`: with the SHA extensions when the CPU has them.
void compress(State &state, const unsigned char *blocks, std::size_t count);
// The same in portable C++, whatever the CPU (for tests that compare the two).
void compressPortable(State &state, const unsigned char *blocks, std::size_t count);
// Whether compress() uses the CPU's SHA extensions.
bool usesShaExtensions();

} // namespace sha256

class HmacSha256
{
public:
    using Digest = std::array<unsigned char, 32>;

    explicit HmacSha256(QByteArrayView key);
    Digest mac(QByteArrayView message) const;
    QByteArray macBytes(QByteArrayView message) const;

private:
    sha256::State m_inner; // after the key XOR ipad block
    sha256::State m_outer; // after the key XOR opad block
};

} // namespace activity::crc
