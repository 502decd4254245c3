#pragma once

#include <QString>

class QApplication;

namespace examguard::console {

// Chinese by default; "en" for English. Loads the console's own catalogue, Qt's (dialog
// buttons) and sets the station core's language (the archive report) to match.
// Returns false when `language` is not one the console ships.
bool installLanguage(QApplication& app, const QString& language);

}  // namespace examguard::console
