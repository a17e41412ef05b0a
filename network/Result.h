#pragma once

#include "ApiError.h"

#include <QList>

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

    // A v2 answer can carry "errors" next to "data" (partial success): the value is good, but X also
    // reported these problems. Empty for complete successes and for errors.
    const QList<ApiError> &partialErrors() const { return m_partialErrors; }
    bool isPartial() const { return ok() && !m_partialErrors.isEmpty(); }
    void setPartialErrors(QList<ApiError> errors) { m_partialErrors = std::move(errors); }

    // The HTTP status of the answer the result came from (a success's 200/202/204, an error's
    // status); 0 when no HTTP answer arrived or the result did not come from a call.
    int httpStatus() const { return ok() ? m_httpStatus : error().httpStatus; }
    void setHttpStatus(int status) { m_httpStatus = status; }

private:
    std::variant<T, ApiError> m_state;
    QList<ApiError> m_partialErrors;
    int m_httpStatus = 0;
};

} // namespace activity
