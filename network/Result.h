#pragma once

#include "ApiError.h"

#include <utility>
#include <variant>

namespace activity {

// The single result path of every call and parser: a typed value or an ApiError.
struct Done
{
};

template<typename T> class Result
{
public:
    Result(T value)
        : m_state(std::move(value))
    {
    }
    Result(ApiError error)
        : m_state(std::move(error))
    {
    }

    bool ok() const { return std::holds_alternative<T>(m_state); }
    explicit operator bool() const { return ok(); }
    const T &value() const { return std::get<T>(m_state); }
    T &value() { return std::get<T>(m_state); }
    const ApiError &error() const { return std::get<ApiError>(m_state); }

private:
    std::variant<T, ApiError> m_state;
};

} // namespace activity
