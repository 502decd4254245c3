#include "vision/room_occupancy.h"

#include <algorithm>
#include <cmath>

#include <opencv2/imgproc.hpp>

#include "scene_common.h"
#include "vision/scene_tamper.h"

namespace examguard::vision::scene {

namespace {

constexpr int kMinWidth = 16;
constexpr int kMinHeight = 12;

cv::Mat smoothed(const cv::Mat& frame) {
    cv::Mat out;
    cv::GaussianBlur(detail::toBgr(frame), out, cv::Size(5, 5), 0);
    return out;
}

}  // namespace

std::string_view toString(RoomEventKind kind) {
    switch (kind) {
        case RoomEventKind::SeatEmpty:
            return "seat_empty";
        case RoomEventKind::ProctorAbsent:
            return "proctor_absent";
        case RoomEventKind::ExtraPerson:
            return "extra_person";
        case RoomEventKind::HeadcountMismatch:
            return "headcount_mismatch";
    }
    return "unknown";
}

cv::Mat foregroundMask(const cv::Mat& frame, const cv::Mat& emptyReference, double diffThreshold) {
    if (frame.size() != emptyReference.size()) {
        return cv::Mat::zeros(frame.size(), CV_8U);
    }
    cv::Mat diff;
    cv::absdiff(smoothed(frame), smoothed(emptyReference), diff);
    std::vector<cv::Mat> channels;
    cv::split(diff, channels);
    cv::Mat maxDiff = channels[0];
    for (std::size_t i = 1; i < channels.size(); ++i) {
        maxDiff = cv::max(maxDiff, channels[i]);
    }
    cv::Mat mask;
    cv::threshold(maxDiff, mask, diffThreshold, 255, cv::THRESH_BINARY);
    const cv::Mat kernel = cv::getStructuringElement(cv::MORPH_ELLIPSE, cv::Size(3, 3));
    cv::morphologyEx(mask, mask, cv::MORPH_OPEN, kernel);
    cv::morphologyEx(mask, mask, cv::MORPH_CLOSE, kernel, cv::Point(-1, -1), 2);
    return mask;
}

cv::Mat regionMask(const Region& region, cv::Size size) {
    cv::Mat mask = cv::Mat::zeros(size, CV_8U);
    if (region.polygon.size() < 3) {
        return mask;
    }
    std::vector<cv::Point> points;
    for (const cv::Point2f& p : region.polygon) {
        const float x = std::clamp(p.x, 0.0F, 1.0F), y = std::clamp(p.y, 0.0F, 1.0F);
        points.emplace_back(static_cast<int>(std::lround(x * static_cast<float>(size.width - 1))),
                            static_cast<int>(std::lround(y * static_cast<float>(size.height - 1))));
    }
    cv::fillPoly(mask, std::vector<std::vector<cv::Point>>{points}, cv::Scalar(255));
    return mask;
}

double occupancy(const cv::Mat& foreground, const cv::Mat& mask) {
    const int area = cv::countNonZero(mask);
    if (area == 0 || foreground.size() != mask.size()) {
        return 0;
    }
    cv::Mat inside;
    cv::bitwise_and(foreground, mask, inside);
    return static_cast<double>(cv::countNonZero(inside)) / area;
}

int blobsOutside(const cv::Mat& foreground, const cv::Mat& allRegions, int minArea) {
    // Whole foreground blobs, so a person whose head or feet reach past their seat's region is
    // still the person in that seat: a blob counts only when (almost) none of it is in a region.
    cv::Mat labels, stats, centroids;
    const int n = cv::connectedComponentsWithStats(foreground, labels, stats, centroids, 8, CV_32S);
    std::vector<int> inRegion(static_cast<std::size_t>(n), 0);
    if (allRegions.size() == foreground.size()) {
        for (int y = 0; y < labels.rows; ++y) {
            const int* label = labels.ptr<int>(y);
            const uchar* region = allRegions.ptr<uchar>(y);
            for (int x = 0; x < labels.cols; ++x) {
                if (label[x] > 0 && region[x]) {
                    ++inRegion[static_cast<std::size_t>(label[x])];
                }
            }
        }
    }
    int count = 0;
    for (int i = 1; i < n; ++i) {
        const int area = stats.at<int>(i, cv::CC_STAT_AREA);
        count += area >= minArea && inRegion[static_cast<std::size_t>(i)] * 10 < area ? 1 : 0;
    }
    return count;
}

RoomAnalyzer::RoomAnalyzer(std::string camera, RoomConfig config)
    : m_camera(std::move(camera)),
      m_config(std::move(config)),
      m_proctorAbsent(m_config.proctorAbsentS, m_config.offsetS),
      m_extraPerson(m_config.extraPersonS, m_config.offsetS),
      m_headcount(m_config.headcountS, m_config.offsetS),
      m_slots(m_config.analysisFps) {
    m_seatEmpty.assign(m_config.seats.size(), Hysteresis(m_config.seatEmptyS, m_config.offsetS));
}

void RoomAnalyzer::setEmptyReference(const cv::Mat& frame) {
    if (!detail::usableFrame(frame, kMinWidth, kMinHeight)) {
        return;
    }
    TamperConfig sizing;
    sizing.analysisWidthPx = m_config.analysisWidthPx;
    m_reference = toAnalysisSize(frame, sizing);
    prepare(m_reference.size());
}

void RoomAnalyzer::prepare(cv::Size size) {
    m_seatMasks.clear();
    m_allRegions = cv::Mat::zeros(size, CV_8U);
    for (const Region& seat : m_config.seats) {
        m_seatMasks.push_back(regionMask(seat, size));
        m_allRegions |= m_seatMasks.back();
    }
    m_proctorMask = m_config.proctor ? regionMask(*m_config.proctor, size) : cv::Mat();
    if (!m_proctorMask.empty()) {
        m_allRegions |= m_proctorMask;
    }
}

bool RoomAnalyzer::wantsFrame(double timeS) const {
    return m_slots.due(timeS);
}

void RoomAnalyzer::emit(RoomEventKind kind, const std::string& region,
                        std::optional<ConditionInterval> interval,
                        std::vector<RoomEvent>& out) const {
    if (!interval) {
        return;
    }
    auto e = detail::eventFor<RoomEvent>(m_camera, *interval);
    e.kind = kind;
    e.region = region;
    out.push_back(std::move(e));
}

std::vector<RoomEvent> RoomAnalyzer::push(const cv::Mat& frame, double timeS) {
    std::vector<RoomEvent> out;
    if (!detail::usableFrame(frame, kMinWidth, kMinHeight) || !wantsFrame(timeS)) {
        return out;
    }
    m_slots.take(timeS);
    TamperConfig sizing;
    sizing.analysisWidthPx = m_config.analysisWidthPx;
    const cv::Mat small = toAnalysisSize(frame, sizing);
    if (m_reference.empty() || m_reference.size() != small.size()) {
        m_reference = small.clone();
        prepare(small.size());
    }
    ++m_framesAnalyzed;
    const cv::Mat fg = foregroundMask(small, m_reference, m_config.diffThreshold);

    RoomState state;
    const double need = m_config.occupiedFraction;
    for (std::size_t i = 0; i < m_seatMasks.size(); ++i) {
        const double share = occupancy(fg, m_seatMasks[i]);
        const bool occupied = share >= need;
        state.seatOccupancy.push_back(share);
        state.seatOccupied.push_back(occupied);
        state.occupiedSeats += occupied ? 1 : 0;
        // Severity: 1 for a seat with nothing in it, 0.5 just under the threshold.
        const double severity = need > 0 ? 1.0 - 0.5 * std::min(1.0, share / need) : 1.0;
        emit(RoomEventKind::SeatEmpty, m_config.seats[i].name,
             m_seatEmpty[i].update(!occupied, severity, timeS, small), out);
    }
    if (m_config.proctor) {
        state.proctorOccupancy = occupancy(fg, m_proctorMask);
        const bool absent = state.proctorOccupancy < need;
        const double severity =
            need > 0 ? 1.0 - 0.5 * std::min(1.0, state.proctorOccupancy / need) : 1.0;
        emit(RoomEventKind::ProctorAbsent, m_config.proctor->name,
             m_proctorAbsent.update(absent, severity, timeS, small), out);
    }
    const int minArea = std::max(
        1, static_cast<int>(m_config.minPersonFraction * static_cast<double>(small.total())));
    state.peopleOutsideRegions = blobsOutside(fg, m_allRegions, minArea);
    emit(RoomEventKind::ExtraPerson, "",
         m_extraPerson.update(state.peopleOutsideRegions > 0, 0.75, timeS, small), out);
    if (m_config.checkedIn >= 0) {
        const int difference = std::abs(state.occupiedSeats - m_config.checkedIn);
        emit(RoomEventKind::HeadcountMismatch, "",
             m_headcount.update(difference > 0, std::min(1.0, 0.5 + 0.25 * difference), timeS,
                                small),
             out);
    }
    m_state = std::move(state);
    return out;
}

std::vector<RoomEvent> RoomAnalyzer::finish(double timeS) {
    std::vector<RoomEvent> out;
    for (std::size_t i = 0; i < m_seatEmpty.size(); ++i) {
        emit(RoomEventKind::SeatEmpty, m_config.seats[i].name, m_seatEmpty[i].finish(timeS), out);
    }
    if (m_config.proctor) {
        emit(RoomEventKind::ProctorAbsent, m_config.proctor->name, m_proctorAbsent.finish(timeS),
             out);
    }
    emit(RoomEventKind::ExtraPerson, "", m_extraPerson.finish(timeS), out);
    emit(RoomEventKind::HeadcountMismatch, "", m_headcount.finish(timeS), out);
    return out;
}

}  // namespace examguard::vision::scene
