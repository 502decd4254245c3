#pragma once

// Where each enrolled candidate of a sitting stands, for the proctor's seat map and the
// waiting-room call display. Read-only over the store; names are never part of it (the screen
// shows the masked ID number and the exam number).
#include <chrono>
#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "station/database.h"
#include "station/error.h"

namespace examguard::station {

enum class SeatState {
    NotYet,     // enrolled, no check-in yet, sitting not started
    CheckedIn,  // latest decision (or override) is pass
    Review,     // latest decision awaits a proctor
    Refused,    // latest decision (or override) is refuse
    Absent,     // no check-in and the sitting has started
    Alert,      // an impersonation alert on the latest check-in
};
std::string_view seatStateName(SeatState state);  // "not_yet", "checked_in", …

struct SeatStatus {
    std::string seat;
    std::string examNumber;
    std::string idNumberMasked;
    SeatState state = SeatState::NotYet;
    std::string reason;  // the latest check-in's reason codes or override reason; empty if none
    std::string lastAttemptAt;  // ISO time of the latest check-in attempt; empty if none
};

// The sitting's seats in seat order (natural: A2 before A10).
Expected<std::vector<SeatStatus>> seatStatuses(Database& db, std::int64_t sittingId,
                                               std::chrono::system_clock::time_point now);

// The candidates the waiting room calls next: seats still NotYet, in seat order, at most `count`.
std::vector<SeatStatus> nextToCall(const std::vector<SeatStatus>& seats, std::size_t count);

}  // namespace examguard::station
