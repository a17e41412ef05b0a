#pragma once

#include "ResolvedProfile.h"

#include <QDialog>
#include <QPointer>
#include <QSet>

class QCheckBox;
class QComboBox;
class QDialogButtonBox;
class QGroupBox;
class QLabel;
class QLineEdit;
class QListWidget;
class QNetworkAccessManager;
class QPushButton;

namespace activity {

class ApiClient;
class ConfirmationPrompter;

// Adds, edits, removes and tests profiles (one X app each). The dialog edits values and runs
// "Test connection" (lists webhooks with the values as entered, without saving them); storing
// goes through the window, which owns the ProfileStore and its keychain jobs, and reports back
// with setStoreResult(). Secret fields are password fields and are never shown in clear.
//
// The "OAuth 2.0" group holds what a user sign-in with OAuth 2.0 needs: the client id, the secret
// of a confidential client (optional; in the keychain like the consumer secret), the redirect URI
// registered in the developer portal, and the scopes: a preset, or any of the known scopes ticked
// one by one, each with the reason the console asks for it.
class ProfileDialog : public QDialog
{
    Q_OBJECT
public:
    ProfileDialog(QNetworkAccessManager *network, ConfirmationPrompter *prompter, QWidget *parent = nullptr);
    ~ProfileDialog() override;

    void setProfiles(const QList<ResolvedProfile> &profiles);
    QList<ResolvedProfile> profiles() const { return m_profiles; }
    bool selectProfile(const QString &id);
    QString selectedProfileId() const;

    // The profile as the form shows it (id kept; empty for a new one).
    ResolvedProfile editedProfile() const;
    void setEditedProfile(const ResolvedProfile &profile);
    // The base URL problem as you type; empty when acceptable.
    QString baseUrlProblem() const;
    // The redirect URI (or scope) problem as you type; empty when acceptable.
    QString oauth2Problem() const;
    // The scopes ticked, sorted; and the preset they came from ("custom" once edited by hand).
    QStringList checkedScopes() const;
    QString scopePresetId() const;
    void choosePreset(const QString &presetId);
    QString testResult() const;
    bool isTesting() const { return m_testClient != nullptr; }

    // The window's answer to saveRequested/removeRequested: an error (e.g. keychain locked) or "".
    void setStoreResult(const QString &problem);
    // The secrets of a stored profile, read from the keychain after secretsNeeded().
    void setSecrets(const QString &profileId, const AppCredentials &credentials);

public Q_SLOTS:
    void addProfile();
    void saveProfile();
    void removeProfile();
    void testConnection();

Q_SIGNALS:
    // secretsIncluded is false when the keychain values were never loaded into the form and the
    // secret fields were left empty: then only the non-secret settings are to be saved.
    void saveRequested(const activity::ResolvedProfile &profile, bool secretsIncluded);
    void secretsNeeded(const QString &profileId);
    void removeRequested(const QString &profileId);
    void testFinished(bool ok);

private:
    void showProfile(int row);
    void revalidate();
    void showScopes(const QStringList &scopes);
    void scopeEdited();
    void setTestResult(const QString &text, bool ok);

    QNetworkAccessManager *m_network = nullptr;
    ConfirmationPrompter *m_prompter = nullptr;
    QList<ResolvedProfile> m_profiles;
    QString m_editingId;
    QSet<QString> m_secretsKnown;
    QList<UserCredentials> m_editingAccounts;
    QPointer<ApiClient> m_testClient;

    QListWidget *m_list = nullptr;
    QLineEdit *m_name = nullptr;
    QComboBox *m_generation = nullptr;
    QComboBox *m_activityTier = nullptr;
    QLabel *m_deprecation = nullptr;
    QLineEdit *m_baseUrl = nullptr;
    QLabel *m_baseUrlProblem = nullptr;
    QCheckBox *m_allowInsecure = nullptr; // shown for http://127.0.0.1 or ::1 only
    QLineEdit *m_consumerKey = nullptr;
    QLineEdit *m_consumerSecret = nullptr;
    QLineEdit *m_ownerToken = nullptr;
    QLineEdit *m_ownerTokenSecret = nullptr;
    QLineEdit *m_bearerToken = nullptr;
    QLineEdit *m_callbackUrl = nullptr;
    QGroupBox *m_oauth2Group = nullptr;
    QLineEdit *m_oauth2ClientId = nullptr;
    QLineEdit *m_oauth2ClientSecret = nullptr;
    QLineEdit *m_oauth2RedirectUri = nullptr;
    QLabel *m_oauth2Problem = nullptr;
    QComboBox *m_scopePreset = nullptr;
    QListWidget *m_scopeList = nullptr;
    bool m_showingScopes = false; // ticks set by a preset, not by the person
    QLabel *m_testResult = nullptr;
    QLabel *m_storeResult = nullptr;
    QPushButton *m_add = nullptr;
    QPushButton *m_remove = nullptr;
    QPushButton *m_save = nullptr;
    QPushButton *m_test = nullptr;
};

} // namespace activity
