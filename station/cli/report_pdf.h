#pragma once

#include <filesystem>
#include <string>

#include "station/error.h"

namespace examguard::cli {

// Renders the inspector's HTML report to an A4 PDF with Qt's rich-text engine (QTextDocument
// printed by QPdfWriter, CJK text in the system's Noto Sans CJK), written atomically.
station::Expected<void> writePdfReport(const std::string& html, const std::filesystem::path& out);

}  // namespace examguard::cli
