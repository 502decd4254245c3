#pragma once

#include <QDateTime>
#include <QString>
#include <string>

namespace examguard::console {

// A time the store keeps in UTC (ISO 8601) as the desk's local time in `format`; the stored
// text as it is when it is not a time.
inline QString localTime(const std::string& isoUtc, const QString& format) {
    const QDateTime t = QDateTime::fromString(QString::fromStdString(isoUtc), Qt::ISODateWithMs);
    return t.isValid() ? t.toLocalTime().toString(format) : QString::fromStdString(isoUtc);
}

}  // namespace examguard::console
