#pragma once

// Timing shared by the scene analysers. Hysteresis turns a per-frame condition into intervals: it
// must hold for onsetS before it counts, and be gone for offsetS before it ends, so a flicker is no
// event and a short gap does not split one. Shared by the tamper and room analysers.
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

// Analysis slots every 1/fps from the first frame; each slot takes the first frame at or after
// it, so a 10 fps source analysed at 4 fps gives 4 frames a second, not 3.3.
class AnalysisSlots {
public:
    explicit AnalysisSlots(double fps) : m_periodS(1.0 / (fps > 0 ? fps : 2.0)) {}
    bool due(double timeS) const { return !m_nextDueS || timeS >= *m_nextDueS - 1e-6; }
    void take(double timeS) {
        m_nextDueS = m_nextDueS ? *m_nextDueS + m_periodS : timeS + m_periodS;
        if (*m_nextDueS <= timeS) {
            m_nextDueS = timeS + m_periodS;  // after a gap, slots restart from this frame
        }
    }

private:
    double m_periodS;
    std::optional<double> m_nextDueS;
};

}  // namespace examguard::vision::scene
