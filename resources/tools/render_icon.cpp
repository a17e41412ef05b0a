// Renders the scalable application icon into one fixed-size PNG of the hicolor theme.
// Runs at build time so the PNGs are never committed and can never drift from the SVG.
//
//   activity-render-icon INPUT.svg SIZE OUTPUT.png

#include <QCoreApplication>
#include <QDir>
#include <QFileInfo>
#include <QImage>
#include <QPainter>
#include <QStringList>
#include <QSvgRenderer>

#include <cstdio>

namespace {

int fail(const QString &message)
{
    std::fprintf(stderr, "activity-render-icon: %s\n", qUtf8Printable(message));
    return 1;
}

} // namespace

int main(int argc, char *argv[])
{
    QCoreApplication app(argc, argv);
    const QStringList arguments = QCoreApplication::arguments();
    if (arguments.size() != 4)
        return fail(QStringLiteral("usage: activity-render-icon INPUT.svg SIZE OUTPUT.png"));

    const QString input = arguments.at(1);
    bool sizeIsNumber = false;
    const int size = arguments.at(2).toInt(&sizeIsNumber);
    const QString output = arguments.at(3);
    if (!sizeIsNumber || size < 8 || size > 1024)
        return fail(QStringLiteral("the size must be a number of pixels between 8 and 1024, not '%1'")
                        .arg(arguments.at(2)));

    QSvgRenderer renderer(input);
    if (!renderer.isValid())
        return fail(QStringLiteral("cannot read the SVG image '%1'").arg(input));

    QImage image(size, size, QImage::Format_ARGB32_Premultiplied);
    image.fill(Qt::transparent);
    {
        QPainter painter(&image);
        painter.setRenderHint(QPainter::Antialiasing);
        painter.setRenderHint(QPainter::SmoothPixmapTransform);
        renderer.render(&painter, QRectF(0, 0, size, size));
    }

    if (!QDir().mkpath(QFileInfo(output).absolutePath()))
        return fail(QStringLiteral("cannot create the folder of '%1'").arg(output));
    if (!image.save(output, "PNG"))
        return fail(QStringLiteral("cannot write '%1'").arg(output));
    return 0;
}
