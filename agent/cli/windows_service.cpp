#include "windows_service.h"

#include <windows.h>
// after windows.h
#include <winsvc.h>

#include <algorithm>

#include <fmt/format.h>

namespace examguard::agent::windowshost {

namespace {

SERVICE_STATUS_HANDLE g_status = nullptr;
HANDLE g_stop = nullptr;
HANDLE g_reportNow = nullptr;
std::function<std::string()> g_reportOnce;

void setState(DWORD state) {
    SERVICE_STATUS s{};
    s.dwServiceType = SERVICE_WIN32_OWN_PROCESS;
    s.dwCurrentState = state;
    s.dwControlsAccepted =
        state == SERVICE_RUNNING ? SERVICE_ACCEPT_STOP | SERVICE_ACCEPT_SHUTDOWN : 0;
    SetServiceStatus(g_status, &s);
}

DWORD WINAPI onControl(DWORD control, DWORD, LPVOID, LPVOID) {
    switch (control) {
        case SERVICE_CONTROL_STOP:
        case SERVICE_CONTROL_SHUTDOWN:
            setState(SERVICE_STOP_PENDING);
            SetEvent(g_stop);
            return NO_ERROR;
        case kReportNowControl:
            SetEvent(g_reportNow);
            return NO_ERROR;
        case SERVICE_CONTROL_INTERROGATE:
            return NO_ERROR;
        default:
            return ERROR_CALL_NOT_IMPLEMENTED;
    }
}

void WINAPI serviceMain(DWORD, LPWSTR*) {
    g_status = RegisterServiceCtrlHandlerExW(kServiceName, onControl, nullptr);
    if (g_status == nullptr) {
        return;
    }
    setState(SERVICE_RUNNING);
    constexpr DWORD kFirstRetryMs = 5000;
    constexpr DWORD kLastRetryMs = 300000;
    DWORD retryMs = kFirstRetryMs;
    bool due = true;  // the start-up report
    for (;;) {
        if (due) {
            const std::string failure = g_reportOnce();
            if (failure.empty()) {
                due = false;
                retryMs = kFirstRetryMs;
            }
        }
        const HANDLE events[] = {g_stop, g_reportNow};
        const DWORD woke = WaitForMultipleObjects(2, events, FALSE, due ? retryMs : INFINITE);
        if (woke == WAIT_OBJECT_0) {
            break;
        }
        if (woke == WAIT_OBJECT_0 + 1) {
            due = true;
            retryMs = kFirstRetryMs;
        } else if (woke == WAIT_TIMEOUT) {
            retryMs = std::min(retryMs * 2, kLastRetryMs);
        }
    }
    setState(SERVICE_STOPPED);
}

std::string lastError(const char* what) {
    return fmt::format("{} failed (Windows error {})", what, GetLastError());
}

}  // namespace

bool runAsService(const std::function<std::string()>& reportOnce, std::string& error) {
    g_reportOnce = reportOnce;
    g_stop = CreateEventW(nullptr, TRUE, FALSE, nullptr);
    g_reportNow = CreateEventW(nullptr, FALSE, FALSE, nullptr);
    SERVICE_TABLE_ENTRYW table[] = {{const_cast<LPWSTR>(kServiceName), serviceMain},
                                    {nullptr, nullptr}};
    if (!StartServiceCtrlDispatcherW(table)) {
        error = GetLastError() == ERROR_FAILED_SERVICE_CONTROLLER_CONNECT
                    ? "the service runs under the service manager: sc create ExamGuardAgent "
                      "binPath= \"...\\examguard-agent.exe service ...\", then sc start "
                      "ExamGuardAgent"
                    : lastError("StartServiceCtrlDispatcher");
        return false;
    }
    return true;
}

bool requestReportNow(std::string& error) {
    SC_HANDLE manager = OpenSCManagerW(nullptr, nullptr, SC_MANAGER_CONNECT);
    if (manager == nullptr) {
        error = lastError("OpenSCManager");
        return false;
    }
    SC_HANDLE service = OpenServiceW(manager, kServiceName, SERVICE_USER_DEFINED_CONTROL);
    bool ok = false;
    if (service == nullptr) {
        error = lastError("OpenService ExamGuardAgent (is the service installed?)");
    } else {
        SERVICE_STATUS status{};
        ok = ControlService(service, kReportNowControl, &status) != 0;
        if (!ok) {
            error = lastError("ControlService (is the service running?)");
        }
        CloseServiceHandle(service);
    }
    CloseServiceHandle(manager);
    return ok;
}

}  // namespace examguard::agent::windowshost
