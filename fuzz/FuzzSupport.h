#pragma once

// Shared by the libFuzzer targets: bytes in, and a check that turns a broken promise of the code
// under test into a crash libFuzzer records (with the input that caused it).
#include "ApiError.h"
#include "Result.h"

#include <QByteArray>

#include <cstdint>
#include <cstdio>
#include <cstdlib>

#define FUZZ_CHECK(condition)                                                                                \
    do {                                                                                                     \
        if (!(condition)) {                                                                                  \
            std::fprintf(stderr, "FUZZ_CHECK failed: %s (%s:%d)\n", #condition, __FILE__, __LINE__);         \
            std::abort();                                                                                    \
        }                                                                                                    \
    } while (false)

namespace activity::fuzz {

inline QByteArray bytes(const uint8_t *data, size_t size)
{
    return QByteArray(reinterpret_cast<const char *>(data), qsizetype(size));
}

// Parsers promise: any byte sequence gives a value or an error a person can act on. That error is
// MalformedResponse, or the typed error of an error envelope X sent with a 2xx (errors[] only).
template<typename T> void checkParsed(const Result<T> &result)
{
    if (result.ok())
        return;
    FUZZ_CHECK(result.error().isError());
    FUZZ_CHECK(!result.error().cause.isEmpty());
    if (result.error().kind == ApiError::Kind::MalformedResponse)
        FUZZ_CHECK(!result.error().remedy.isEmpty());
}

} // namespace activity::fuzz
