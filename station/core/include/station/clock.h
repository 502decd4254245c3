#pragma once

#include <chrono>
#include <cstdint>
#include <string>

namespace examguard::station {

// Time is injected so that tests drive it instead of sleeping.
class Clock {
public:
    virtual ~Clock() = default;
    virtual std::chrono::system_clock::time_point now() const = 0;
};

class SystemClock final : public Clock {
public:
    std::chrono::system_clock::time_point now() const override {
        return std::chrono::system_clock::now();
    }
};

class ManualClock final : public Clock {
public:
    explicit ManualClock(std::chrono::system_clock::time_point start) : m_now(start) {}
    std::chrono::system_clock::time_point now() const override { return m_now; }
    void advance(std::chrono::milliseconds by) { m_now += by; }
    void set(std::chrono::system_clock::time_point at) { m_now = at; }

private:
    std::chrono::system_clock::time_point m_now;
};

// The system clock moved by a fixed offset: real time, running from another moment (the
// console's demo runs in its sample period's time, whatever day it is opened).
class OffsetClock final : public Clock {
public:
    explicit OffsetClock(std::chrono::system_clock::duration offset) : m_offset(offset) {}
    std::chrono::system_clock::time_point now() const override {
        return std::chrono::system_clock::now() + m_offset;
    }

private:
    std::chrono::system_clock::duration m_offset;
};

const Clock& systemClock();

// Today's date at the exam site (China Standard Time, UTC+8), whatever the machine's zone:
// ID-card validity and birth dates are dates there.
std::chrono::year_month_day chinaDate(const Clock& clock);

// ISO 8601 UTC with milliseconds, e.g. 2026-11-22T08:30:00.123Z.
std::string formatUtc(std::chrono::system_clock::time_point t);

}  // namespace examguard::station
