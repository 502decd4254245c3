#pragma once

// Turns a per-frame condition into intervals: it must hold for onsetS before it counts, and be
// gone for offsetS before it ends, so a flicker is no event and a short gap does not split
// one. Shared by the tamper and room analysers.
#include <optional>

#include <opencv2/core.hpp>

namespace examguard::vision::scene {

struct ConditionInterval {
    double startS = 0;      // first frame the condition held
    double endS = 0;        // first frame it no longer held (or the stream's end)
    double confidence = 0;  // mean severity over the frames it held
    bool open = false;      // still holding when the stream ended
    cv::Mat onsetFrame;     // the frame at startS
};

class Hysteresis {
public:
    Hysteresis(double onsetS, double offsetS) : m_onsetS(onsetS), m_offsetS(offsetS) {}

    // One frame's verdict; returns the interval when a confirmed condition has just ended.
    std::optional<ConditionInterval> update(bool active, double severity, double timeS,
                                            const cv::Mat& frame);
    // Ends whatever is going at endS; returns it when it had been confirmed.
    std::optional<ConditionInterval> close(double endS, bool open);
    // End of stream at timeS: a confirmed condition already fading ends where it faded,
    // one still holding is returned open.
    std::optional<ConditionInterval> finish(double timeS);
    // Held since (a candidate or confirmed onset), if it holds.
    std::optional<double> since() const { return m_firstTrueS; }
    // When a confirmed condition began fading (a candidate end).
    std::optional<double> fadingSince() const { return m_firstFalseS; }

private:
    double m_onsetS, m_offsetS;
    bool m_confirmed = false;
    std::optional<double> m_firstTrueS, m_firstFalseS;
    double m_severitySum = 0;
    int m_severityCount = 0;
    cv::Mat m_onsetFrame;
};

}  // namespace examguard::vision::scene
