// The floor of the start-up benchmark: what a bare Qt Widgets window costs on this machine (a
// QMainWindow with a table and a menu, nothing else), measured by the same probe as the console.
#include "StartupProbe.h"

#include <QApplication>
#include <QMainWindow>
#include <QMenuBar>
#include <QStandardItemModel>
#include <QTableView>

int main(int argc, char *argv[])
{
    QApplication app(argc, argv);
    QMainWindow window;
    window.resize(1280, 880);
    window.menuBar()
        ->addMenu(QStringLiteral("&File"))
        ->addAction(QStringLiteral("&Quit"), &app, &QApplication::quit);
    QStandardItemModel model(20, 4);
    auto *table = new QTableView(&window);
    table->setModel(&model);
    window.setCentralWidget(table);
    activity::installStartupProbe(window);
    window.show();
    return app.exec();
}
