#include "ApiError.h"

namespace activity {

QString ApiError::text() const
{
    if (remedy.isEmpty())
        return cause;
    if (cause.isEmpty())
        return remedy;
    return cause + QLatin1Char(' ') + remedy;
}

} // namespace activity
