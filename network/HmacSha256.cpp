#include "HmacSha256.h"

#include <QCryptographicHash>

#include <cstring>

#if defined(__x86_64__) || defined(__i386__)
#include <cpuid.h>
#include <immintrin.h>
#define ACTIVITY_SHA_EXTENSIONS 1
#endif

namespace activity::crc {

namespace sha256 {

namespace {

constexpr std::uint32_t roundConstants[64] = {
    0x428a2f98, 0x71374491, 0xb5c0fbcf, 0xe9b5dba5, 0x3956c25b, 0x59f111f1, 0x923f82a4, 0xab1c5ed5,
    0xd807aa98, 0x12835b01, 0x243185be, 0x550c7dc3, 0x72be5d74, 0x80deb1fe, 0x9bdc06a7, 0xc19bf174,
    0xe49b69c1, 0xefbe4786, 0x0fc19dc6, 0x240ca1cc, 0x2de92c6f, 0x4a7484aa, 0x5cb0a9dc, 0x76f988da,
    0x983e5152, 0xa831c66d, 0xb00327c8, 0xbf597fc7, 0xc6e00bf3, 0xd5a79147, 0x06ca6351, 0x14292967,
    0x27b70a85, 0x2e1b2138, 0x4d2c6dfc, 0x53380d13, 0x650a7354, 0x766a0abb, 0x81c2c92e, 0x92722c85,
    0xa2bfe8a1, 0xa81a664b, 0xc24b8b70, 0xc76c51a3, 0xd192e819, 0xd6990624, 0xf40e3585, 0x106aa070,
    0x19a4c116, 0x1e376c08, 0x2748774c, 0x34b0bcb5, 0x391c0cb3, 0x4ed8aa4a, 0x5b9cca4f, 0x682e6ff3,
    0x748f82ee, 0x78a5636f, 0x84c87814, 0x8cc70208, 0x90befffa, 0xa4506ceb, 0xbef9a3f7, 0xc67178f2};

inline std::uint32_t rotateRight(std::uint32_t x, int n)
{
    return (x >> n) | (x << (32 - n));
}

inline std::uint32_t bigEndian32(const unsigned char *p)
{
    return std::uint32_t(p[0]) << 24 | std::uint32_t(p[1]) << 16 | std::uint32_t(p[2]) << 8 | p[3];
}

#ifdef ACTIVITY_SHA_EXTENSIONS
// SHA-NI keeps the eight words as two registers, ABEF and CDGH; each sha256rnds2 does two rounds.
__attribute__((target("sha,sse4.1"))) void compressWithExtensions(State &state, const unsigned char *data,
                                                                  std::size_t count)
{
    const __m128i byteSwap = _mm_set_epi64x(0x0c0d0e0f08090a0bULL, 0x0405060700010203ULL);
    __m128i dcba =
        _mm_shuffle_epi32(_mm_loadu_si128(reinterpret_cast<const __m128i *>(&state.words[0])), 0xB1);
    __m128i cdgh =
        _mm_shuffle_epi32(_mm_loadu_si128(reinterpret_cast<const __m128i *>(&state.words[4])), 0x1B);
    __m128i abef = _mm_alignr_epi8(dcba, cdgh, 8);
    cdgh = _mm_blend_epi16(cdgh, dcba, 0xF0);
    for (; count > 0; --count, data += 64) {
        const __m128i abefBefore = abef;
        const __m128i cdghBefore = cdgh;
        __m128i w[4]; // the message schedule, four words per register, the oldest overwritten
        for (int i = 0; i < 4; ++i)
            w[i] =
                _mm_shuffle_epi8(_mm_loadu_si128(reinterpret_cast<const __m128i *>(data + 16 * i)), byteSwap);
        for (int group = 0; group < 16; ++group) {
            if (group >= 4) {
                __m128i next = _mm_sha256msg1_epu32(w[group & 3], w[(group + 1) & 3]);
                next = _mm_add_epi32(next, _mm_alignr_epi8(w[(group + 3) & 3], w[(group + 2) & 3], 4));
                w[group & 3] = _mm_sha256msg2_epu32(next, w[(group + 3) & 3]);
            }
            const __m128i message = _mm_add_epi32(
                w[group & 3], _mm_loadu_si128(reinterpret_cast<const __m128i *>(&roundConstants[4 * group])));
            cdgh = _mm_sha256rnds2_epu32(cdgh, abef, message);
            abef = _mm_sha256rnds2_epu32(abef, cdgh, _mm_shuffle_epi32(message, 0x0E));
        }
        abef = _mm_add_epi32(abef, abefBefore);
        cdgh = _mm_add_epi32(cdgh, cdghBefore);
    }
    const __m128i feba = _mm_shuffle_epi32(abef, 0x1B);
    const __m128i dchg = _mm_shuffle_epi32(cdgh, 0xB1);
    _mm_storeu_si128(reinterpret_cast<__m128i *>(&state.words[0]), _mm_blend_epi16(feba, dchg, 0xF0));
    _mm_storeu_si128(reinterpret_cast<__m128i *>(&state.words[4]), _mm_alignr_epi8(dchg, feba, 8));
}
#endif

bool detectShaExtensions()
{
#ifdef ACTIVITY_SHA_EXTENSIONS
    // CPUID, not __builtin_cpu_supports: clang 14 does not know "sha" there.
    unsigned eax = 0, ebx = 0, ecx = 0, edx = 0;
    if (!__get_cpuid(1, &eax, &ebx, &ecx, &edx) || !(ecx & bit_SSE4_1) || !(ecx & bit_SSSE3))
        return false;
    if (!__get_cpuid_count(7, 0, &eax, &ebx, &ecx, &edx))
        return false;
    return (ebx & bit_SHA) != 0;
#else
    return false;
#endif
}

} // namespace

State initialState()
{
    return {{0x6a09e667, 0xbb67ae85, 0x3c6ef372, 0xa54ff53a, 0x510e527f, 0x9b05688c, 0x1f83d9ab, 0x5be0cd19}};
}

void compressPortable(State &state, const unsigned char *data, std::size_t count)
{
    for (; count > 0; --count, data += 64) {
        std::uint32_t w[64];
        for (int i = 0; i < 16; ++i)
            w[i] = bigEndian32(data + 4 * i);
        for (int i = 16; i < 64; ++i) {
            const std::uint32_t s0 =
                rotateRight(w[i - 15], 7) ^ rotateRight(w[i - 15], 18) ^ (w[i - 15] >> 3);
            const std::uint32_t s1 = rotateRight(w[i - 2], 17) ^ rotateRight(w[i - 2], 19) ^ (w[i - 2] >> 10);
            w[i] = w[i - 16] + s0 + w[i - 7] + s1;
        }
        std::uint32_t a = state.words[0], b = state.words[1], c = state.words[2], d = state.words[3];
        std::uint32_t e = state.words[4], f = state.words[5], g = state.words[6], h = state.words[7];
        for (int i = 0; i < 64; ++i) {
            const std::uint32_t t1 = h + (rotateRight(e, 6) ^ rotateRight(e, 11) ^ rotateRight(e, 25)) +
                ((e & f) ^ (~e & g)) + roundConstants[i] + w[i];
            const std::uint32_t t2 =
                (rotateRight(a, 2) ^ rotateRight(a, 13) ^ rotateRight(a, 22)) + ((a & b) ^ (a & c) ^ (b & c));
            h = g;
            g = f;
            f = e;
            e = d + t1;
            d = c;
            c = b;
            b = a;
            a = t1 + t2;
        }
        state.words[0] += a;
        state.words[1] += b;
        state.words[2] += c;
        state.words[3] += d;
        state.words[4] += e;
        state.words[5] += f;
        state.words[6] += g;
        state.words[7] += h;
    }
}

bool usesShaExtensions()
{
    static const bool uses = detectShaExtensions();
    return uses;
}

void compress(State &state, const unsigned char *blocks, std::size_t count)
{
#ifdef ACTIVITY_SHA_EXTENSIONS
    if (usesShaExtensions())
        return compressWithExtensions(state, blocks, count);
#endif
    compressPortable(state, blocks, count);
}

} // namespace sha256

namespace {

// Hashes `message` on from `state`, which has taken `prefixBytes` already (whole blocks), and pads.
HmacSha256::Digest finish(sha256::State state, const unsigned char *message, std::size_t size,
                          std::uint64_t prefixBytes)
{
    const std::size_t wholeBlocks = size / 64;
    sha256::compress(state, message, wholeBlocks);
    unsigned char tail[128] = {};
    const std::size_t rest = size - wholeBlocks * 64;
    if (rest > 0)
        std::memcpy(tail, message + wholeBlocks * 64, rest);
    tail[rest] = 0x80;
    const std::size_t tailBlocks = rest + 9 <= 64 ? 1 : 2;
    const std::uint64_t bits = (prefixBytes + size) * 8;
    for (int i = 0; i < 8; ++i)
        tail[tailBlocks * 64 - 1 - i] = static_cast<unsigned char>(bits >> (8 * i));
    sha256::compress(state, tail, tailBlocks);
    HmacSha256::Digest digest;
    for (int i = 0; i < 8; ++i) {
        for (int j = 0; j < 4; ++j)
            digest[std::size_t(4 * i + j)] = static_cast<unsigned char>(state.words[i] >> (24 - 8 * j));
    }
    return digest;
}

} // namespace

HmacSha256::HmacSha256(QByteArrayView key)
{
    // RFC 2104: a key longer than a block is hashed first.
    const QByteArray shortKey =
        key.size() > 64 ? QCryptographicHash::hash(key, QCryptographicHash::Sha256) : key.toByteArray();
    unsigned char innerPad[64];
    unsigned char outerPad[64];
    std::memset(innerPad, 0x36, sizeof innerPad);
    std::memset(outerPad, 0x5c, sizeof outerPad);
    for (qsizetype i = 0; i < shortKey.size(); ++i) {
        innerPad[i] ^= static_cast<unsigned char>(shortKey[i]);
        outerPad[i] ^= static_cast<unsigned char>(shortKey[i]);
    }
    m_inner = m_outer = sha256::initialState();
    sha256::compress(m_inner, innerPad, 1);
    sha256::compress(m_outer, outerPad, 1);
}

HmacSha256::Digest HmacSha256::mac(QByteArrayView message) const
{
    const Digest inner = finish(m_inner, reinterpret_cast<const unsigned char *>(message.data()),
                                std::size_t(message.size()), 64);
    return finish(m_outer, inner.data(), inner.size(), 64);
}

QByteArray HmacSha256::macBytes(QByteArrayView message) const
{
    const Digest digest = mac(message);
    return QByteArray(reinterpret_cast<const char *>(digest.data()), qsizetype(digest.size()));
}

} // namespace activity::crc
