#pragma once

#include <QLoggingCategory>

namespace activity {
Q_DECLARE_LOGGING_CATEGORY(lcNet)
Q_DECLARE_LOGGING_CATEGORY(lcOAuth)
Q_DECLARE_LOGGING_CATEGORY(lcSecrets)
} // namespace activity
