#pragma once

#include <functional>
#include <string>

// The Windows agent as a Windows service (Windows builds only): a report at start-up and one
// each time the service is sent the control code kReportNowControl (`examguard-agent.exe
// report-now`); a failed report is retried after 5 s, doubling to 5 minutes; STOP and SHUTDOWN
// end it.
namespace examguard::agent::windowshost {

inline constexpr const wchar_t* kServiceName = L"ExamGuardAgent";
inline constexpr unsigned long kReportNowControl = 128;  // the first user-defined control code

// Runs the service dispatcher; `reportOnce` returns an empty string on success, else why it
// failed. Returns false with `error` set when not started by the service manager.
bool runAsService(const std::function<std::string()>& reportOnce, std::string& error);

// Asks the installed service for a report now; false with `error` set when it cannot.
bool requestReportNow(std::string& error);

}  // namespace examguard::agent::windowshost
