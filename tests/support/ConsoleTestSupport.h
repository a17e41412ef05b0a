#pragma once

#include "ConfirmationPrompter.h"
#include "MainWindow.h"
#include "ResolvedProfile.h"
#include "SandboxDemo.h"
#include "SandboxProfile.h"
#include "SandboxServer.h"

#include <QList>
#include <QNetworkAccessManager>
#include <QSettings>
#include <QTemporaryDir>
#include <QTest>

#include <memory>

namespace activity::testing {

// Answers confirmations from a queue (default: the `fallback` answer) and records every question.
class PresetPrompter : public ConfirmationPrompter
{
public:
    void ask(QWidget *, const Confirmation &confirmation, std::function<void(bool)> answer) override
    {
        asked.append(confirmation);
        const bool accepted = answers.isEmpty() ? fallback : answers.takeFirst();
        answer(accepted);
    }

    QList<bool> answers;
    bool fallback = false;
    QList<Confirmation> asked;
};

// The same "Sandbox (demo)" profile the composition root builds.
inline ResolvedProfile sandboxProfile(const sandbox::SandboxServer &server)
{
    return sandboxConsoleProfile(server);
}

// A sandbox on a loopback port with the demo world, and the real MainWindow on top of it, with
// private settings and a pre-answerable prompter.
struct ConsoleFixture
{
    ConsoleFixture()
        : settings(dir.filePath(QStringLiteral("console.ini")), QSettings::IniFormat)
    {
        server.seedDemo();
    }

    bool listen() { return server.listen(QHostAddress::LocalHost, 0); }

    MainWindow *createWindow(ApiGeneration generation = ApiGeneration::V2)
    {
        ConsoleServices services;
        services.network = &network;
        services.prompter = &prompter;
        services.settings = &settings;
        window = std::make_unique<MainWindow>(services);
        ResolvedProfile profile = sandboxProfile(server);
        profile.generation = generation;
        window->setBuiltInProfile(profile);
        window->show();
        return window.get();
    }

    // The window over the sandbox profile with more services (a timeline, an event store...):
    // shown and started, its profile active.
    MainWindow *startWindow(ConsoleServices services)
    {
        services.network = &network;
        services.prompter = &prompter;
        services.settings = &settings;
        window = std::make_unique<MainWindow>(services);
        window->setBuiltInProfile(sandboxProfile(server));
        window->show();
        window->start();
        return window.get();
    }

    QTemporaryDir dir;
    QSettings settings;
    sandbox::SandboxServer server;
    QNetworkAccessManager network;
    PresetPrompter prompter;
    std::unique_ptr<MainWindow> window;
};

} // namespace activity::testing
