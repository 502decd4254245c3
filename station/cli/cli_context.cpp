#include "cli_context.h"

#include <termios.h>
#include <unistd.h>

#include <cstdio>
#include <iostream>

#include "station/i18n.h"
#include "station/privacy.h"

namespace examguard::cli {

using station::ErrorCode;
using station::i18n::tr;

std::filesystem::path CliContext::resolvedDatabasePath() const {
    return databasePath.empty() ? station::Station::defaultDatabasePath()
                                : std::filesystem::path(databasePath);
}

station::Expected<station::Station> CliContext::openStation() const {
    return station::Station::open({.databasePath = resolvedDatabasePath()});
}

station::Expected<station::StationConfig> CliContext::loadConfig() const {
    return station::loadStationConfig(configPath.empty()
                                          ? station::defaultConfigPath(resolvedDatabasePath())
                                          : std::filesystem::path(configPath));
}

void CliContext::printJson(const nlohmann::json& document) const {
    std::cout << document.dump(2, ' ', false, nlohmann::json::error_handler_t::replace) << '\n';
}

int exitCodeFor(ErrorCode code) {
    switch (code) {
        case ErrorCode::BadInput:
        case ErrorCode::Io:
        case ErrorCode::SchemaTooNew:
            return kExitBadInput;
        case ErrorCode::Invalid:
        case ErrorCode::NotFound:
        case ErrorCode::Conflict:
        case ErrorCode::AuthFailed:
        case ErrorCode::Locked:
        case ErrorCode::PermissionDenied:
            return kExitProblem;
        case ErrorCode::Database:
        case ErrorCode::Crypto:
            return kExitBadInput;
    }
    return kExitProblem;
}

namespace {

const char* errorHeadline(ErrorCode code) {
    switch (code) {
        case ErrorCode::Io:
            return tr("cannot read or write a file");
        case ErrorCode::BadInput:
            return tr("malformed input");
        case ErrorCode::Invalid:
            return tr("invalid input");
        case ErrorCode::NotFound:
            return tr("not found");
        case ErrorCode::Conflict:
            return tr("conflicts with what is stored");
        case ErrorCode::Database:
            return tr("database error");
        case ErrorCode::SchemaTooNew:
            return tr("database is newer than this ExamGuard");
        case ErrorCode::Crypto:
            return tr("key or encryption error");
        case ErrorCode::AuthFailed:
            return tr("wrong login or password");
        case ErrorCode::Locked:
            return tr("account locked");
        case ErrorCode::PermissionDenied:
            return tr("permission denied");
    }
    return tr("error");
}

}  // namespace

int CliContext::reportError(const station::Error& error) const {
    const std::string detail = station::maskSensitive(error.detail);
    std::cerr << "examguard: " << errorHeadline(error.code) << ": " << detail << '\n';
    if (json) {
        printJson({{"error", {{"code", station::errorCodeName(error.code)}, {"detail", detail}}}});
    }
    return exitCodeFor(error.code);
}

std::optional<std::string> readPassword(const char* prompt, bool fromStdin) {
    std::string line;
    if (fromStdin || !::isatty(STDIN_FILENO)) {
        if (!fromStdin || !std::getline(std::cin, line)) {
            return std::nullopt;
        }
        if (!line.empty() && line.back() == '\r') {
            line.pop_back();
        }
        return line;
    }
    std::cerr << prompt << std::flush;
    termios old{};
    ::tcgetattr(STDIN_FILENO, &old);
    termios quiet = old;
    quiet.c_lflag &= ~static_cast<tcflag_t>(ECHO);
    ::tcsetattr(STDIN_FILENO, TCSANOW, &quiet);
    const bool ok = static_cast<bool>(std::getline(std::cin, line));
    ::tcsetattr(STDIN_FILENO, TCSANOW, &old);
    std::cerr << '\n';
    if (!ok) {
        return std::nullopt;
    }
    return line;
}

}  // namespace examguard::cli
