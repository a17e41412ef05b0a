#include "ProfileStore.h"

#include "EndpointCatalogue.h"
#include "SecretStore.h"

#include <QJsonDocument>
#include <QJsonObject>
#include <QMetaEnum>
#include <QPointer>
#include <QRegularExpression>
#include <QUuid>

#include <algorithm>
#include <memory>

namespace activity {

namespace {
const QString kProfilesGroup = QStringLiteral("profiles");
const QString kAccountsGroup = QStringLiteral("accounts");
const QString kCurrentProfile = QStringLiteral("currentProfile");
const QString kPendingRemovals = QStringLiteral("keychain/pendingRemovals");

// Ids end up in settings group names and keychain keys: keep them to a safe alphabet.
bool isUsableId(const QString &id)
{
    static const QRegularExpression pattern(QStringLiteral("^[A-Za-z0-9_-]{1,64}$"));
    return pattern.match(id).hasMatch();
}

bool isUserId(const QString &id)
{
    static const QRegularExpression pattern(QStringLiteral("^[0-9]{1,20}$"));
    return pattern.match(id).hasMatch();
}

QString statusName(SecretJob::Status status)
{
    return QString::fromLatin1(QMetaEnum::fromType<SecretJob::Status>().valueToKey(int(status)));
}

// The keychain said no: what failed, in words, and SecretJob's sentence on what to do.
ApiError keychainError(const SecretJob *job, const QString &what)
{
    ApiError error = ApiError::make(ApiError::Kind::MissingCredentials, what, job->message());
    error.name = statusName(job->status());
    return error;
}

ApiError damagedEntry(const QString &what)
{
    ApiError error = ApiError::make(
        ApiError::Kind::MissingCredentials, what,
        ProfileStore::tr("The keychain entry is damaged. Enter the secrets again to replace it."));
    error.name = QStringLiteral("Damaged");
    return error;
}

ApiError validationError(const QString &cause)
{
    return ApiError::make(ApiError::Kind::Validation, cause);
}

QString text(const QByteArray &bytes)
{
    return QString::fromUtf8(bytes);
}

QByteArray bytes(const QJsonObject &object, QLatin1String key)
{
    return object.value(key).toString().toUtf8();
}
} // namespace

ProfileStore::ProfileStore(QSettings *settings, SecretStore *secrets, QObject *parent)
    : QObject(parent)
    , m_settings(settings)
    , m_secrets(secrets)
{
}

QString ProfileStore::appSecretKey(const QString &profileId)
{
    return QStringLiteral("profile/%1/app").arg(profileId);
}

QString ProfileStore::accountTokenKey(const QString &profileId, const QString &userId)
{
    return QStringLiteral("profile/%1/user/%2").arg(profileId, userId);
}

bool ProfileStore::hasProfile(const QString &id) const
{
    return isUsableId(id) &&
        m_settings->contains(kProfilesGroup + QLatin1Char('/') + id + QLatin1String("/name"));
}

QList<Profile> ProfileStore::profiles() const
{
    m_settings->beginGroup(kProfilesGroup);
    const QStringList ids = m_settings->childGroups();
    m_settings->endGroup();
    QList<Profile> result;
    for (const QString &id : ids) {
        if (auto found = profile(id))
            result.append(*found);
    }
    std::sort(result.begin(), result.end(), [](const Profile &a, const Profile &b) {
        const int order = a.name.compare(b.name, Qt::CaseInsensitive);
        return order != 0 ? order < 0 : a.id < b.id;
    });
    return result;
}

std::optional<Profile> ProfileStore::profile(const QString &id) const
{
    if (!hasProfile(id))
        return std::nullopt;
    m_settings->beginGroup(kProfilesGroup + QLatin1Char('/') + id);
    Profile profile;
    profile.id = id;
    profile.name = m_settings->value(QStringLiteral("name")).toString();
    // Missing or unknown: v2, the default generation.
    profile.generation =
        endpoints::generationFromName(m_settings->value(QStringLiteral("generation")).toString())
            .value_or(ApiGeneration::V2);
    profile.baseUrl = m_settings->value(QStringLiteral("baseUrl")).toString();
    profile.consumerKey = m_settings->value(QStringLiteral("consumerKey")).toString();
    profile.callbackUrl = m_settings->value(QStringLiteral("callbackUrl")).toString();
    profile.isSandbox = m_settings->value(QStringLiteral("sandbox"), false).toBool();
    profile.allowInsecureLoopback =
        m_settings->value(QStringLiteral("allowInsecureLoopback"), false).toBool();
    profile.oauth2ClientId = m_settings->value(QStringLiteral("oauth2ClientId")).toString();
    profile.oauth2RedirectUri = m_settings->value(QStringLiteral("oauth2RedirectUri")).toString();
    profile.oauth2Scopes = oauth2::parseScopes(m_settings->value(QStringLiteral("oauth2Scopes")).toString());
    // Missing or unknown: Enterprise, the default tier.
    profile.activityTier = xaa::tierFromName(m_settings->value(QStringLiteral("activityTier")).toString())
                               .value_or(xaa::Tier::Enterprise);
    m_settings->endGroup();
    return profile;
}

QString ProfileStore::saveProfile(const Profile &profile)
{
    const QString id =
        isUsableId(profile.id) ? profile.id : QUuid::createUuid().toString(QUuid::WithoutBraces);
    m_settings->beginGroup(kProfilesGroup + QLatin1Char('/') + id);
    m_settings->setValue(QStringLiteral("name"), profile.name);
    m_settings->setValue(QStringLiteral("generation"), endpoints::generationName(profile.generation));
    m_settings->setValue(QStringLiteral("baseUrl"), profile.baseUrl);
    m_settings->setValue(QStringLiteral("consumerKey"), profile.consumerKey);
    m_settings->setValue(QStringLiteral("callbackUrl"), profile.callbackUrl);
    m_settings->setValue(QStringLiteral("sandbox"), profile.isSandbox);
    m_settings->setValue(QStringLiteral("allowInsecureLoopback"), profile.allowInsecureLoopback);
    m_settings->setValue(QStringLiteral("oauth2ClientId"), profile.oauth2ClientId);
    m_settings->setValue(QStringLiteral("oauth2RedirectUri"), profile.oauth2RedirectUri);
    m_settings->setValue(QStringLiteral("oauth2Scopes"), oauth2::joinScopes(profile.oauth2Scopes));
    m_settings->setValue(QStringLiteral("activityTier"), xaa::tierName(profile.activityTier).toLower());
    m_settings->endGroup();
    m_settings->sync();
    Q_EMIT profilesChanged();
    return id;
}

void ProfileStore::removeProfile(const QString &id, QObject *context, DoneCallback done)
{
    if (!hasProfile(id)) {
        answerLater<Done>(context, std::move(done), validationError(tr("There is no profile with this id.")));
        return;
    }
    QStringList keys {appSecretKey(id)};
    for (const Account &account : accounts(id))
        keys.append(accountTokenKey(id, account.userId));
    // Listed before the profile goes, so a keychain that is away cannot orphan the secrets.
    addPendingRemovals(keys);
    const bool wasCurrent = currentProfileId() == id;
    m_settings->remove(kProfilesGroup + QLatin1Char('/') + id);
    if (wasCurrent)
        m_settings->remove(kCurrentProfile);
    m_settings->sync();
    Q_EMIT profilesChanged();
    if (wasCurrent)
        Q_EMIT currentProfileChanged(QString());
    removeSecretKeys(keys, context, std::move(done));
}

void ProfileStore::saveSecrets(const QString &id, const ProfileSecrets &secrets, QObject *context,
                               DoneCallback done)
{
    if (!hasProfile(id)) {
        answerLater<Done>(context, std::move(done),
                          validationError(tr("Save the profile before its secrets.")));
        return;
    }
    const QJsonObject object {{QLatin1String("version"), 1},
                              {QLatin1String("consumerSecret"), text(secrets.consumerSecret)},
                              {QLatin1String("ownerToken"), text(secrets.ownerToken)},
                              {QLatin1String("ownerTokenSecret"), text(secrets.ownerTokenSecret)},
                              {QLatin1String("bearerToken"), text(secrets.bearerToken)},
                              {QLatin1String("oauth2ClientSecret"), text(secrets.oauth2ClientSecret)}};
    const QString key = appSecretKey(id);
    SecretJob *job = m_secrets->write(key, QJsonDocument(object).toJson(QJsonDocument::Compact));
    const QPointer<QObject> guard(context);
    connect(job, &SecretJob::finished, this,
            [this, id, key, guard, hasContext = context != nullptr, done](SecretJob *job) {
                Result<Done> result = Done {};
                if (!job->ok()) {
                    result = keychainError(
                        job, tr("The secrets of this profile could not be saved in the keychain."));
                } else if (!hasProfile(id)) {
                    // Removed while the write was under way: do not leave the secrets behind.
                    addPendingRemovals({key});
                    removeSecretKeys({key}, nullptr, {});
                    result =
                        validationError(tr("The profile was removed while its secrets were being saved."));
                } else {
                    dropPendingRemoval(key);
                }
                if (done && (!hasContext || guard))
                    done(result);
            });
}

void ProfileStore::loadSecrets(const QString &id, QObject *context,
                               std::function<void(const Result<ProfileSecrets> &)> done)
{
    if (!hasProfile(id)) {
        answerLater<ProfileSecrets>(context, std::move(done),
                                    validationError(tr("There is no profile with this id.")));
        return;
    }
    SecretJob *job = m_secrets->read(appSecretKey(id));
    connect(job, &SecretJob::finished, context ? context : this, [done](SecretJob *job) {
        if (!done)
            return;
        if (!job->ok()) {
            done(keychainError(job, tr("The secrets of this profile could not be read from the keychain.")));
            return;
        }
        const QJsonDocument document = QJsonDocument::fromJson(job->data());
        if (!document.isObject()) {
            done(damagedEntry(tr("The keychain entry with the secrets of this profile cannot be read.")));
            return;
        }
        const QJsonObject object = document.object();
        ProfileSecrets secrets;
        secrets.consumerSecret = bytes(object, QLatin1String("consumerSecret"));
        secrets.ownerToken = bytes(object, QLatin1String("ownerToken"));
        secrets.ownerTokenSecret = bytes(object, QLatin1String("ownerTokenSecret"));
        secrets.bearerToken = bytes(object, QLatin1String("bearerToken"));
        secrets.oauth2ClientSecret = bytes(object, QLatin1String("oauth2ClientSecret"));
        done(secrets);
    });
}

QString ProfileStore::currentProfileId() const
{
    const QString id = m_settings->value(kCurrentProfile).toString();
    return hasProfile(id) ? id : QString();
}

void ProfileStore::setCurrentProfileId(const QString &id)
{
    const QString wanted = hasProfile(id) ? id : QString();
    if (wanted == currentProfileId())
        return;
    if (wanted.isEmpty())
        m_settings->remove(kCurrentProfile);
    else
        m_settings->setValue(kCurrentProfile, wanted);
    m_settings->sync();
    Q_EMIT currentProfileChanged(wanted);
}

QList<Account> ProfileStore::accounts(const QString &profileId) const
{
    QList<Account> result;
    if (!hasProfile(profileId))
        return result;
    m_settings->beginGroup(kProfilesGroup + QLatin1Char('/') + profileId + QLatin1Char('/') + kAccountsGroup);
    const QStringList userIds = m_settings->childGroups();
    for (const QString &userId : userIds) {
        if (!isUserId(userId))
            continue;
        Account account;
        account.userId = userId;
        account.username = m_settings->value(userId + QLatin1String("/username")).toString();
        account.signedInAt = QDateTime::fromString(
            m_settings->value(userId + QLatin1String("/signedInAt")).toString(), Qt::ISODate);
        // Accounts stored before OAuth 2.0 existed have no "signIn": they are OAuth 1.0a.
        const QStringList kinds =
            m_settings->value(userId + QLatin1String("/signIn"), QStringLiteral("oauth1"))
                .toString()
                .split(QLatin1Char(' '));
        account.hasOAuth1 = kinds.contains(QLatin1String("oauth1"));
        account.hasOAuth2 = kinds.contains(QLatin1String("oauth2"));
        result.append(account);
    }
    m_settings->endGroup();
    std::sort(result.begin(), result.end(), [](const Account &a, const Account &b) {
        const int order = a.username.compare(b.username, Qt::CaseInsensitive);
        return order != 0 ? order < 0 : a.userId < b.userId;
    });
    return result;
}

void ProfileStore::saveAccount(const QString &profileId, const Account &account, const AccountTokens &tokens,
                               QObject *context, DoneCallback done)
{
    if (!hasProfile(profileId)) {
        answerLater<Done>(context, std::move(done), validationError(tr("There is no profile with this id.")));
        return;
    }
    if (!isUserId(account.userId)) {
        answerLater<Done>(context, std::move(done),
                          validationError(tr("“%1” is not an X user id (digits only).").arg(account.userId)));
        return;
    }
    QJsonObject object {{QLatin1String("token"), text(tokens.token)},
                        {QLatin1String("tokenSecret"), text(tokens.tokenSecret)}};
    if (!tokens.oauth2.isEmpty()) {
        object.insert(QLatin1String("oauth2"),
                      QJsonObject {{QLatin1String("accessToken"), text(tokens.oauth2.accessToken)},
                                   {QLatin1String("refreshToken"), text(tokens.oauth2.refreshToken)},
                                   {QLatin1String("expiresAt"),
                                    tokens.oauth2.expiresAt.isValid()
                                        ? tokens.oauth2.expiresAt.toUTC().toString(Qt::ISODate)
                                        : QString()},
                                   {QLatin1String("scopes"), oauth2::joinScopes(tokens.oauth2.scopes)}});
    }
    QStringList kinds;
    if (!tokens.token.isEmpty())
        kinds.append(QStringLiteral("oauth1"));
    if (!tokens.oauth2.isEmpty())
        kinds.append(QStringLiteral("oauth2"));
    const QString key = accountTokenKey(profileId, account.userId);
    SecretJob *job = m_secrets->write(key, QJsonDocument(object).toJson(QJsonDocument::Compact));
    const QPointer<QObject> guard(context);
    connect(
        job, &SecretJob::finished, this,
        [this, profileId, account, key, kinds, guard, hasContext = context != nullptr, done](SecretJob *job) {
            Result<Done> result = Done {};
            if (!job->ok()) {
                result = keychainError(
                    job, tr("The sign-in of @%1 could not be saved in the keychain.").arg(account.username));
            } else if (!hasProfile(profileId)) {
                addPendingRemovals({key});
                removeSecretKeys({key}, nullptr, {});
                result = validationError(tr("The profile was removed while the sign-in was being saved."));
            } else {
                dropPendingRemoval(key);
                m_settings->beginGroup(kProfilesGroup + QLatin1Char('/') + profileId + QLatin1Char('/') +
                                       kAccountsGroup + QLatin1Char('/') + account.userId);
                m_settings->setValue(QStringLiteral("username"), account.username);
                m_settings->setValue(QStringLiteral("signedInAt"),
                                     account.signedInAt.toUTC().toString(Qt::ISODateWithMs));
                m_settings->setValue(QStringLiteral("signIn"), kinds.join(QLatin1Char(' ')));
                m_settings->endGroup();
                m_settings->sync();
                Q_EMIT accountsChanged(profileId);
            }
            if (done && (!hasContext || guard))
                done(result);
        });
}

void ProfileStore::removeAccount(const QString &profileId, const QString &userId, QObject *context,
                                 DoneCallback done)
{
    if (!hasProfile(profileId) || !isUserId(userId)) {
        answerLater<Done>(context, std::move(done),
                          validationError(tr("There is no such signed-in account.")));
        return;
    }
    const QString key = accountTokenKey(profileId, userId);
    addPendingRemovals({key});
    m_settings->remove(kProfilesGroup + QLatin1Char('/') + profileId + QLatin1Char('/') + kAccountsGroup +
                       QLatin1Char('/') + userId);
    m_settings->sync();
    Q_EMIT accountsChanged(profileId);
    removeSecretKeys({key}, context, std::move(done));
}

void ProfileStore::loadAccountTokens(const QString &profileId, const QString &userId, QObject *context,
                                     std::function<void(const Result<AccountTokens> &)> done)
{
    if (!hasProfile(profileId) || !isUserId(userId)) {
        answerLater<AccountTokens>(context, std::move(done),
                                   validationError(tr("There is no such signed-in account.")));
        return;
    }
    SecretJob *job = m_secrets->read(accountTokenKey(profileId, userId));
    connect(job, &SecretJob::finished, context ? context : this, [done](SecretJob *job) {
        if (!done)
            return;
        if (!job->ok()) {
            done(keychainError(job, tr("The sign-in of this account could not be read from the keychain.")));
            return;
        }
        const QJsonDocument document = QJsonDocument::fromJson(job->data());
        if (!document.isObject()) {
            done(damagedEntry(tr("The keychain entry with this account's sign-in cannot be read.")));
            return;
        }
        const QJsonObject object = document.object();
        AccountTokens tokens;
        tokens.token = bytes(object, QLatin1String("token"));
        tokens.tokenSecret = bytes(object, QLatin1String("tokenSecret"));
        const QJsonObject o2 = object.value(QLatin1String("oauth2")).toObject();
        tokens.oauth2.accessToken = bytes(o2, QLatin1String("accessToken"));
        tokens.oauth2.refreshToken = bytes(o2, QLatin1String("refreshToken"));
        tokens.oauth2.expiresAt =
            QDateTime::fromString(o2.value(QLatin1String("expiresAt")).toString(), Qt::ISODate).toUTC();
        tokens.oauth2.scopes = oauth2::parseScopes(o2.value(QLatin1String("scopes")).toString());
        done(tokens);
    });
}

QStringList ProfileStore::pendingSecretRemovals() const
{
    return m_settings->value(kPendingRemovals).toStringList();
}

void ProfileStore::retryPendingRemovals(QObject *context, DoneCallback done)
{
    const QStringList keys = pendingSecretRemovals();
    if (keys.isEmpty()) {
        answerLater<Done>(context, std::move(done), Done {});
        return;
    }
    removeSecretKeys(keys, context, std::move(done));
}

void ProfileStore::addPendingRemovals(const QStringList &keys)
{
    QStringList pending = pendingSecretRemovals();
    for (const QString &key : keys) {
        if (!pending.contains(key))
            pending.append(key);
    }
    m_settings->setValue(kPendingRemovals, pending);
    m_settings->sync();
}

void ProfileStore::dropPendingRemoval(const QString &key)
{
    QStringList pending = pendingSecretRemovals();
    if (!pending.removeAll(key))
        return;
    if (pending.isEmpty())
        m_settings->remove(kPendingRemovals);
    else
        m_settings->setValue(kPendingRemovals, pending);
    m_settings->sync();
}

void ProfileStore::removeSecretKeys(const QStringList &keys, QObject *context, DoneCallback done)
{
    struct Progress
    {
        qsizetype remaining = 0;
        std::optional<ApiError> firstError;
        QPointer<QObject> context;
        bool hasContext = false;
        DoneCallback done;
    };
    auto progress = std::make_shared<Progress>();
    progress->remaining = keys.size();
    progress->context = context;
    progress->hasContext = context != nullptr;
    progress->done = std::move(done);
    for (const QString &key : keys) {
        SecretJob *job = m_secrets->remove(key);
        // Bookkeeping runs whatever happened to the caller; only the answer depends on `context`.
        connect(job, &SecretJob::finished, this, [this, progress](SecretJob *job) {
            if (job->ok() || job->status() == SecretJob::Status::NotFound)
                dropPendingRemoval(job->key());
            else if (!progress->firstError)
                progress->firstError = keychainError(
                    job,
                    tr("Secrets of a removed profile or account could not be deleted from the keychain yet; "
                       "they are listed and will be deleted when the keychain is back."));
            if (--progress->remaining > 0)
                return;
            if (progress->done && (!progress->hasContext || progress->context)) {
                if (progress->firstError)
                    progress->done(*progress->firstError);
                else
                    progress->done(Done {});
            }
        });
    }
}

template<typename T>
void ProfileStore::answerLater(QObject *context, std::function<void(const Result<T> &)> done,
                               Result<T> result)
{
    if (!done)
        return;
    QMetaObject::invokeMethod(
        context ? context : this, [done = std::move(done), result = std::move(result)] { done(result); },
        Qt::QueuedConnection);
}

} // namespace activity
