#include "report_pdf.h"

#include <cstdlib>
#include <memory>

#include <QBuffer>
#include <QFont>
#include <QGuiApplication>
#include <QMarginsF>
#include <QPageLayout>
#include <QPageSize>
#include <QPdfWriter>
#include <QTextDocument>

#include <fmt/format.h>
#include <spdlog/spdlog.h>

#include "station/file_io.h"

namespace examguard::cli {

namespace {

// Qt lays text out only with a GUI application object; the CLI has no display, so it uses
// the offscreen platform unless the user chose another.
void ensureGuiApplication() {
    if (QCoreApplication::instance() != nullptr) {
        return;
    }
    if (std::getenv("QT_QPA_PLATFORM") == nullptr) {
        setenv("QT_QPA_PLATFORM", "offscreen", 0);
    }
    // Qt's own chatter (no XDG_RUNTIME_DIR and the like) is not for the user's terminal.
    qInstallMessageHandler([](QtMsgType, const QMessageLogContext&, const QString& message) {
        spdlog::debug("qt: {}", message.toStdString());
    });
    static int argc = 1;
    static char name[] = "examguard";
    static char* argv[] = {name, nullptr};
    static auto* app = new QGuiApplication(argc, argv);  // lives until the process ends
    (void)app;
}

}  // namespace

station::Expected<void> writePdfReport(const std::string& html, const std::filesystem::path& out) {
    ensureGuiApplication();
    QByteArray bytes;
    {
        QBuffer buffer(&bytes);
        buffer.open(QIODevice::WriteOnly);
        QPdfWriter writer(&buffer);
        writer.setPageSize(QPageSize(QPageSize::A4));
        writer.setPageMargins(QMarginsF(15, 15, 15, 15), QPageLayout::Millimeter);
        writer.setResolution(300);
        writer.setTitle(QStringLiteral("ExamGuard inspection report"));
        writer.setCreator(QStringLiteral("ExamGuard"));
        QTextDocument document;
        QFont font(QStringLiteral("Noto Sans CJK SC"));
        font.setPointSizeF(9.5);
        document.setDefaultFont(font);
        document.setHtml(QString::fromUtf8(html.data(), static_cast<qsizetype>(html.size())));
        document.print(&writer);
    }
    if (!bytes.startsWith("%PDF")) {
        return station::fail(station::ErrorCode::Io,
                             fmt::format("{}: the PDF could not be rendered", out.string()));
    }
    return station::writeFileAtomically(out, std::string_view(bytes.constData(), bytes.size()));
}

}  // namespace examguard::cli
