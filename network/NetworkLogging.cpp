#include "NetworkLogging.h"

namespace activity {
Q_LOGGING_CATEGORY(lcNet, "activity.net", QtInfoMsg)
Q_LOGGING_CATEGORY(lcOAuth, "activity.oauth", QtInfoMsg)
Q_LOGGING_CATEGORY(lcSecrets, "activity.secrets", QtInfoMsg)
} // namespace activity
