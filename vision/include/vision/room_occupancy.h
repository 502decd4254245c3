#pragma once

// Room analysis on a decimated, downscaled frame stream: regions drawn once on the reference
// (empty room) frame, per-region occupancy by difference against that frame, and the events
// seat_empty, proctor_absent, extra_person (someone where no seat is) and headcount_mismatch
// (occupied seats against the checked-in count). Per-frame measures are pure functions;
// RoomAnalyzer adds the hysteresis. OpenCV only.
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include <opencv2/core.hpp>

#include "vision/scene_hysteresis.h"

namespace examguard::vision::scene {

enum class RoomEventKind { SeatEmpty, ProctorAbsent, ExtraPerson, HeadcountMismatch };

// "seat_empty", "proctor_absent", "extra_person", "headcount_mismatch".
std::string_view toString(RoomEventKind kind);

// A region as a polygon in fractions of the frame (0..1, x to the right, y down), so it holds
// at any resolution.
struct Region {
    std::string name;
    std::vector<cv::Point2f> polygon;
};

struct RoomConfig {
    std::vector<Region> seats;
    std::optional<Region> proctor;
    int checkedIn = -1;  // candidates checked in; < 0: no head-count check
    // A region is occupied when this share of its pixels differs from the empty reference.
    double occupiedFraction = 0.15;
    double diffThreshold = 30.0;  // per-pixel difference (0..255, any channel) that counts
    // Someone outside every region: a foreground blob at least this share of the frame.
    double minPersonFraction = 0.015;
    // How long each condition must hold before it is an event (and be gone before it ends).
    double seatEmptyS = 60.0;
    double proctorAbsentS = 120.0;
    double extraPersonS = 10.0;
    double headcountS = 60.0;
    double offsetS = 2.0;
    double analysisFps = 2.0;
    int analysisWidthPx = 320;
};

// Pixels that differ from the empty reference (both at analysis size), cleaned of speckle.
cv::Mat foregroundMask(const cv::Mat& frame, const cv::Mat& emptyReference, double diffThreshold);

// Rasterised region mask at `size`.
cv::Mat regionMask(const Region& region, cv::Size size);

// Share of the region's pixels set in `foreground` (0 for an empty region).
double occupancy(const cv::Mat& foreground, const cv::Mat& regionMask);

// Foreground blobs of at least minArea pixels with less than a tenth of their area inside the
// region masks: people standing where no seat is (someone in a seat whose head or feet reach
// past its region is not counted).
int blobsOutside(const cv::Mat& foreground, const cv::Mat& allRegions, int minArea);

struct RoomEvent {
    RoomEventKind kind;
    std::string camera;
    std::string region;  // the seat or proctor region; empty for extra_person / head count
    double startS = 0;
    double endS = 0;
    double confidence = 0;
    bool open = false;
    std::vector<std::uint8_t> snapshotJpeg;
};

// One frame's state, for callers that show occupancy (the console's seat map) and for tests.
struct RoomState {
    std::vector<double> seatOccupancy;  // per seat, 0..1
    std::vector<bool> seatOccupied;
    double proctorOccupancy = 0;
    int occupiedSeats = 0;
    int peopleOutsideRegions = 0;
};

class RoomAnalyzer {
public:
    RoomAnalyzer(std::string camera, RoomConfig config);
    // The empty room. Without one, the first frame analysed is taken as empty.
    void setEmptyReference(const cv::Mat& frame);
    bool wantsFrame(double timeS) const;
    // Frames must be 8-bit BGR/grey/BGRA of at least 16x12; others are ignored.
    std::vector<RoomEvent> push(const cv::Mat& frame, double timeS);
    std::vector<RoomEvent> finish(double timeS);
    const RoomState& lastState() const { return m_state; }
    std::int64_t framesAnalyzed() const { return m_framesAnalyzed; }

private:
    void prepare(cv::Size size);
    void emit(RoomEventKind kind, const std::string& region,
              std::optional<ConditionInterval> interval, std::vector<RoomEvent>& out) const;

    std::string m_camera;
    RoomConfig m_config;
    cv::Mat m_reference;
    std::vector<cv::Mat> m_seatMasks;
    cv::Mat m_proctorMask, m_allRegions;
    std::vector<Hysteresis> m_seatEmpty;
    Hysteresis m_proctorAbsent, m_extraPerson, m_headcount;
    AnalysisSlots m_slots;
    RoomState m_state;
    std::int64_t m_framesAnalyzed = 0;
};

}  // namespace examguard::vision::scene
