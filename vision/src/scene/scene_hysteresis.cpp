#include "vision/scene_hysteresis.h"

#include <algorithm>

namespace examguard::vision::scene {

std::optional<ConditionInterval> Hysteresis::update(bool active, double severity, double timeS,
                                                    const cv::Mat& frame) {
    if (active) {
        m_firstFalseS.reset();
        if (!m_firstTrueS) {
            m_firstTrueS = timeS;
            m_onsetFrame = frame.clone();
            m_severitySum = 0;
            m_severityCount = 0;
        }
        m_severitySum += severity;
        ++m_severityCount;
        if (!m_confirmed && timeS - *m_firstTrueS >= m_onsetS - 1e-9) {
            m_confirmed = true;
        }
        return std::nullopt;
    }
    if (!m_firstTrueS) {
        return std::nullopt;
    }
    if (!m_confirmed) {
        *this = Hysteresis(m_onsetS, m_offsetS);  // a flicker: no event
        return std::nullopt;
    }
    if (!m_firstFalseS) {
        m_firstFalseS = timeS;
    }
    if (timeS - *m_firstFalseS >= m_offsetS - 1e-9) {
        return close(*m_firstFalseS, false);
    }
    return std::nullopt;
}

std::optional<ConditionInterval> Hysteresis::close(double endS, bool open) {
    std::optional<ConditionInterval> out;
    if (m_confirmed) {
        ConditionInterval i;
        i.startS = *m_firstTrueS;
        i.endS = std::max(endS, i.startS);
        i.open = open;
        i.confidence = m_severityCount > 0 ? m_severitySum / m_severityCount : 0.5;
        i.onsetFrame = m_onsetFrame;
        out = std::move(i);
    }
    *this = Hysteresis(m_onsetS, m_offsetS);
    return out;
}

std::optional<ConditionInterval> Hysteresis::finish(double timeS) {
    if (m_confirmed && m_firstFalseS) {
        return close(*m_firstFalseS, false);
    }
    return close(timeS, true);
}

}  // namespace examguard::vision::scene
