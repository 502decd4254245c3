#include "vision/scene_tamper.h"

#include <algorithm>
#include <array>
#include <cmath>
#include <numbers>

#include <opencv2/calib3d.hpp>
#include <opencv2/features2d.hpp>
#include <opencv2/imgcodecs.hpp>
#include <opencv2/imgproc.hpp>

#include "scene_common.h"

namespace examguard::vision::scene {

namespace {

constexpr int kGridCols = 8;
constexpr int kGridRows = 6;
constexpr int kOrbFeatures = 400;
constexpr int kMinInliers = 12;
constexpr double kStayedPx = 2.0;
// A reference with this many features that matches almost none of them in a textured frame
// shows another scene: the camera was turned away.
constexpr int kSceneChangeMinReferenceFeatures = 120;
constexpr int kSceneChangeMaxMatches = 6;

constexpr std::array<std::string_view, kTamperKindCount> kNames = {
    "covered",     "defocused", "moved",      "frozen",
    "signal_lost", "too_dark",  "too_bright", "colour_cast"};

int idx(TamperKind k) {
    return static_cast<int>(k);
}

cv::Mat toGrey(const cv::Mat& frame) {
    if (frame.channels() == 1) {
        return frame;
    }
    cv::Mat grey;
    cv::cvtColor(frame, grey, frame.channels() == 4 ? cv::COLOR_BGRA2GRAY : cv::COLOR_BGR2GRAY);
    return grey;
}

// Per-cell mean and standard deviation of the lightly smoothed grey image (smoothing keeps
// sensor and compression noise from counting as texture).
void cellStats(const cv::Mat& grey, std::vector<double>& means, std::vector<double>& stds) {
    cv::Mat smooth;
    cv::GaussianBlur(grey, smooth, cv::Size(5, 5), 0);
    means.assign(kGridCols * kGridRows, 0);
    stds.assign(kGridCols * kGridRows, 0);
    for (int r = 0; r < kGridRows; ++r) {
        for (int c = 0; c < kGridCols; ++c) {
            const int x0 = c * grey.cols / kGridCols, x1 = (c + 1) * grey.cols / kGridCols;
            const int y0 = r * grey.rows / kGridRows, y1 = (r + 1) * grey.rows / kGridRows;
            cv::Scalar mean, stddev;
            cv::meanStdDev(smooth(cv::Rect(x0, y0, x1 - x0, y1 - y0)), mean, stddev);
            means[r * kGridCols + c] = mean[0];
            stds[r * kGridCols + c] = stddev[0];
        }
    }
}

double sharpnessOf(const cv::Mat& grey) {
    cv::Mat gx, gy;
    cv::Sobel(grey, gx, CV_32F, 1, 0, 3);
    cv::Sobel(grey, gy, CV_32F, 0, 1, 3);
    cv::Mat energy = gx.mul(gx) + gy.mul(gy);
    return cv::mean(energy)[0];
}

// Mean CIELAB a*, b* of a small copy of the frame (grey frames have none).
std::pair<double, double> meanChroma(const cv::Mat& frame) {
    if (frame.channels() != 3) {
        return {128.0, 128.0};
    }
    cv::Mat small, lab;
    const int width = std::min(frame.cols, 80);
    cv::resize(frame, small, cv::Size(width, std::max(1, frame.rows * width / frame.cols)), 0, 0,
               cv::INTER_AREA);
    cv::cvtColor(small, lab, cv::COLOR_BGR2Lab);
    const cv::Scalar m = cv::mean(lab);
    return {m[1], m[2]};
}

cv::Ptr<cv::ORB> makeOrb() {
    return cv::ORB::create(kOrbFeatures, 1.2F, 4, 15, 0, 2, cv::ORB::HARRIS_SCORE, 15);
}

// Maps how far a measure is past its threshold to 0.5..1 (0.5 at the threshold).
double severityAbove(double value, double threshold, double full) {
    if (full <= threshold) {
        return value >= threshold ? 1.0 : 0.0;
    }
    return std::clamp(0.5 + 0.5 * (value - threshold) / (full - threshold), 0.0, 1.0);
}

double severityBelow(double value, double threshold, double full) {
    return severityAbove(-value, -threshold, -full);
}

}  // namespace

std::string_view toString(TamperKind kind) {
    return kNames[static_cast<std::size_t>(idx(kind))];
}

std::optional<TamperKind> tamperKindFromString(std::string_view name) {
    for (std::size_t i = 0; i < kNames.size(); ++i) {
        if (kNames[i] == name) {
            return static_cast<TamperKind>(i);
        }
    }
    return std::nullopt;
}

cv::Mat toAnalysisSize(const cv::Mat& frame, const TamperConfig& config) {
    const cv::Mat bgr = detail::toBgr(frame);
    const int width = std::max(16, config.analysisWidthPx);
    if (bgr.cols <= width) {
        return bgr.clone();
    }
    const int height = std::max(
        1, static_cast<int>(std::lround(static_cast<double>(bgr.rows) * width / bgr.cols)));
    cv::Mat out;
    cv::resize(bgr, out, cv::Size(width, height), 0, 0, cv::INTER_AREA);
    return out;
}

SceneReference SceneReference::fromFrame(const cv::Mat& frame) {
    SceneReference ref;
    ref.m_grey = toGrey(frame).clone();
    cellStats(ref.m_grey, ref.m_cellMean, ref.m_cellStd);
    ref.m_sharpness = sharpnessOf(ref.m_grey);
    std::tie(ref.m_meanA, ref.m_meanB) = meanChroma(frame);
    makeOrb()->detectAndCompute(ref.m_grey, cv::noArray(), ref.m_keypoints, ref.m_descriptors);
    return ref;
}

void SceneReference::adapt(const cv::Mat& frame, double alpha) {
    std::vector<double> means, stds;
    const cv::Mat grey = toGrey(frame);
    if (grey.size() != m_grey.size()) {
        return;
    }
    cellStats(grey, means, stds);
    for (std::size_t i = 0; i < means.size(); ++i) {
        m_cellMean[i] += alpha * (means[i] - m_cellMean[i]);
        m_cellStd[i] += alpha * (stds[i] - m_cellStd[i]);
    }
    m_sharpness += alpha * (sharpnessOf(grey) - m_sharpness);
    const auto [a, b] = meanChroma(frame);
    m_meanA += alpha * (a - m_meanA);
    m_meanB += alpha * (b - m_meanB);
}

FrameMeasures measureFrame(const cv::Mat& frame, const SceneReference& reference,
                           const cv::Mat* previousGrey, const TamperConfig& config) {
    FrameMeasures m;
    const cv::Mat grey = toGrey(frame);
    m.meanLuma = cv::mean(grey)[0];
    m.sharpness = sharpnessOf(grey);
    m.sharpnessRatio = reference.m_sharpness > 1e-6 ? m.sharpness / reference.m_sharpness : 1.0;
    if (previousGrey && previousGrey->size() == grey.size()) {
        cv::Mat diff;
        cv::absdiff(grey, *previousGrey, diff);
        m.diffToPrevious = cv::mean(diff)[0];
    }
    const auto [a, b] = meanChroma(frame);
    m.chromaShift = std::hypot(a - reference.m_meanA, b - reference.m_meanB);

    if (grey.size() == reference.m_grey.size()) {
        std::vector<double> means, stds;
        cellStats(grey, means, stds);
        // A change of light or white balance moves every cell's level alike; a cover moves
        // only the cells it hides. Levels are compared after the median change of gain.
        std::vector<double> gains;
        for (std::size_t i = 0; i < means.size(); ++i) {
            gains.push_back((means[i] + 1.0) / (reference.m_cellMean[i] + 1.0));
        }
        std::nth_element(gains.begin(), gains.begin() + static_cast<long>(gains.size() / 2),
                         gains.end());
        const double gain = std::clamp(gains[gains.size() / 2], 0.25, 4.0);
        int covered = 0;
        for (std::size_t i = 0; i < means.size(); ++i) {
            const bool flat = stds[i] < config.flatCellStd;
            const bool wasTextured = reference.m_cellStd[i] >= 2.0 * config.flatCellStd;
            const bool otherLevel =
                std::abs(means[i] - gain * reference.m_cellMean[i]) > config.coverLumaChange;
            covered += flat && (wasTextured || otherLevel) ? 1 : 0;
        }
        m.coveredFraction = static_cast<double>(covered) / static_cast<double>(means.size());

        std::vector<cv::KeyPoint> keypoints;
        cv::Mat descriptors;
        makeOrb()->detectAndCompute(grey, cv::noArray(), keypoints, descriptors);
        if (!descriptors.empty() && !reference.m_descriptors.empty()) {
            cv::BFMatcher matcher(cv::NORM_HAMMING, true);
            std::vector<cv::DMatch> matches;
            matcher.match(reference.m_descriptors, descriptors, matches);
            std::vector<cv::Point2f> from, to;
            for (const cv::DMatch& match : matches) {
                if (match.distance <= 64) {
                    from.push_back(reference.m_keypoints[match.queryIdx].pt);
                    to.push_back(keypoints[match.trainIdx].pt);
                }
            }
            if (from.size() >= kMinInliers) {
                std::vector<uchar> inliers;
                const cv::Mat affine =
                    cv::estimateAffinePartial2D(from, to, inliers, cv::RANSAC, 3.0, 2000, 0.99, 10);
                m.matchedFeatures = cv::countNonZero(inliers);
                // Matches that stayed where they were: the camera did not move, whatever a
                // person turning in front of it makes the best-supported model look like.
                int stayed = 0;
                for (std::size_t i = 0; i < from.size(); ++i) {
                    stayed += cv::norm(to[i] - from[i]) <= kStayedPx ? 1 : 0;
                }
                m.stayedFeatures = stayed;
                const bool stillAnchored = stayed >= kMinInliers && stayed * 4 >= m.matchedFeatures;
                if (!affine.empty() && m.matchedFeatures >= kMinInliers && !stillAnchored) {
                    m.alignmentValid = true;
                    const double a00 = affine.at<double>(0, 0), a10 = affine.at<double>(1, 0);
                    m.rotationDeg = std::atan2(a10, a00) * 180.0 / std::numbers::pi;
                    // Displacement of the frame centre.
                    const double cx = grey.cols / 2.0, cy = grey.rows / 2.0;
                    const double dx = a00 * cx - a10 * cy + affine.at<double>(0, 2) - cx;
                    const double dy = a10 * cx + a00 * cy + affine.at<double>(1, 2) - cy;
                    m.shiftFraction = std::hypot(dx, dy) / grey.cols;
                }
            } else if (reference.m_keypoints.size() >= kSceneChangeMinReferenceFeatures &&
                       keypoints.size() >= kSceneChangeMinReferenceFeatures &&
                       from.size() <= kSceneChangeMaxMatches) {
                // A textured frame that shares nothing with the reference: another scene.
                m.alignmentValid = true;
                m.matchedFeatures = static_cast<int>(from.size());
                m.shiftFraction = 1.0;
            }
        }
    }
    return m;
}

FrameConditions evaluate(const FrameMeasures& m, const TamperConfig& config) {
    FrameConditions c;
    auto set = [&](TamperKind k, bool active, double severity) {
        c.active[idx(k)] = active;
        c.severity[idx(k)] = active ? severity : 0.0;
    };
    const bool dark = m.meanLuma < config.darkLuma;
    const bool bright = m.meanLuma > config.brightLuma;
    set(TamperKind::TooDark, dark, severityBelow(m.meanLuma, config.darkLuma, 0.0));
    set(TamperKind::TooBright, bright, severityAbove(m.meanLuma, config.brightLuma, 255.0));
    // A dark or washed-out frame explains flat cells, lost sharpness and a lost alignment: it
    // is reported as such, not as covered, defocused or moved as well.
    const bool exposure = dark || bright;
    const bool covered = !exposure && m.coveredFraction >= config.coveredFraction;
    set(TamperKind::Covered, covered,
        severityAbove(m.coveredFraction, config.coveredFraction, 1.0));
    const bool defocused = !exposure && !covered && m.sharpnessRatio < config.defocusRatio;
    set(TamperKind::Defocused, defocused,
        severityBelow(m.sharpnessRatio, config.defocusRatio, 0.0));
    const bool moved = !exposure && !covered && !defocused && m.alignmentValid &&
                       (m.shiftFraction >= config.moveShiftFraction ||
                        std::abs(m.rotationDeg) >= config.moveRotationDeg);
    set(TamperKind::Moved, moved,
        std::max(
            severityAbove(m.shiftFraction, config.moveShiftFraction, 4 * config.moveShiftFraction),
            severityAbove(std::abs(m.rotationDeg), config.moveRotationDeg,
                          4 * config.moveRotationDeg)));
    const bool frozen =
        !exposure && !covered && m.diffToPrevious >= 0 && m.diffToPrevious <= config.frozenMaxDiff;
    set(TamperKind::Frozen, frozen, severityBelow(m.diffToPrevious, config.frozenMaxDiff, 0.0));
    const bool cast = !exposure && !covered && m.chromaShift >= config.colourCastShift;
    set(TamperKind::ColourCast, cast,
        severityAbove(m.chromaShift, config.colourCastShift, 3 * config.colourCastShift));
    return c;
}

TamperAnalyzer::TamperAnalyzer(std::string camera, TamperConfig config)
    : m_camera(std::move(camera)), m_config(config), m_slots(config.analysisFps) {
    if (!(m_config.analysisFps > 0)) {
        m_config.analysisFps = 2.0;
    }
    m_tracks.assign(kTamperKindCount, Hysteresis(m_config.onsetS, m_config.offsetS));
}

void TamperAnalyzer::setReference(const cv::Mat& frame) {
    m_reference = SceneReference::fromFrame(toAnalysisSize(frame, m_config));
}

bool TamperAnalyzer::wantsFrame(double timeS) const {
    return m_slots.due(timeS);
}

void TamperAnalyzer::emit(int kind, std::optional<ConditionInterval> interval,
                          std::vector<TamperEvent>& out) const {
    if (!interval) {
        return;
    }
    auto e = detail::eventFor<TamperEvent>(m_camera, *interval);
    e.kind = static_cast<TamperKind>(kind);
    out.push_back(std::move(e));
}

void TamperAnalyzer::handleGap(double timeS, std::vector<TamperEvent>& out) {
    // Frames resumed after signal loss: the loss becomes one event, from the last frame before
    // the gap to this one. Other conditions end where the signal did.
    if (!m_lastFrameS || timeS - *m_lastFrameS < m_config.signalLostS) {
        return;
    }
    const double lostFrom = *m_lastFrameS;
    for (int k = 0; k < kTamperKindCount; ++k) {
        if (k != idx(TamperKind::SignalLost)) {
            Hysteresis& h = m_tracks[static_cast<std::size_t>(k)];
            emit(k, h.close(h.fadingSince().value_or(lostFrom), false), out);
        }
    }
    TamperEvent e;
    e.kind = TamperKind::SignalLost;
    e.camera = m_camera;
    e.startS = lostFrom;
    e.endS = timeS;
    e.confidence = 1.0;
    e.snapshotJpeg = detail::encodeJpeg(m_lastFrame);
    out.push_back(std::move(e));
    m_previousGrey.release();  // the frame before the gap says nothing about freezing
}

bool TamperAnalyzer::signalLost(double nowS) const {
    return m_lastFrameS && nowS - *m_lastFrameS >= m_config.signalLostS;
}

std::vector<TamperEvent> TamperAnalyzer::seen(double timeS) {
    std::vector<TamperEvent> out;
    if (m_lastFrameS && timeS < *m_lastFrameS) {
        return out;
    }
    handleGap(timeS, out);
    m_lastFrameS = timeS;
    return out;
}

std::vector<TamperEvent> TamperAnalyzer::push(const cv::Mat& frame, double timeS) {
    std::vector<TamperEvent> out;
    // A failed read, or a frame too small or of a type no camera sends: counted as no frame,
    // so the gap to the last good frame is measured.
    if (!detail::usableFrame(frame, 2 * kGridCols, 2 * kGridRows)) {
        return out;
    }
    if (m_lastFrameS && timeS < *m_lastFrameS) {
        return out;  // out of order: ignored
    }
    out = seen(timeS);
    if (!wantsFrame(timeS)) {
        return out;
    }
    m_slots.take(timeS);
    const cv::Mat small = toAnalysisSize(frame, m_config);
    if (m_reference.empty() || m_reference.grey().size() != small.size()) {
        m_reference = SceneReference::fromFrame(small);
    }
    m_lastMeasures = measureFrame(small, m_reference,
                                  m_previousGrey.empty() ? nullptr : &m_previousGrey, m_config);
    m_previousGrey = toGrey(small).clone();
    m_lastFrame = small;
    ++m_framesAnalyzed;
    const FrameConditions c = evaluate(m_lastMeasures, m_config);
    bool anyActive = false;
    for (int k = 0; k < kTamperKindCount; ++k) {
        if (k == idx(TamperKind::SignalLost)) {
            continue;
        }
        Hysteresis& h = m_tracks[static_cast<std::size_t>(k)];
        emit(k, h.update(c.active[k], c.severity[k], timeS, small), out);
        anyActive = anyActive || h.since().has_value();
    }
    // Slow changes of light are followed while the scene is healthy; a tamper is never learnt.
    if (!anyActive && m_config.referenceAdaptS > 0) {
        m_reference.adapt(small,
                          std::min(1.0, 1.0 / (m_config.analysisFps * m_config.referenceAdaptS)));
    }
    return out;
}

std::vector<TamperEvent> TamperAnalyzer::finish(double timeS) {
    std::vector<TamperEvent> out;
    for (int k = 0; k < kTamperKindCount; ++k) {
        emit(k, m_tracks[static_cast<std::size_t>(k)].finish(timeS), out);
    }
    if (m_lastFrameS && timeS - *m_lastFrameS >= m_config.signalLostS) {
        TamperEvent e;
        e.kind = TamperKind::SignalLost;
        e.camera = m_camera;
        e.startS = *m_lastFrameS;
        e.endS = timeS;
        e.confidence = 1.0;
        e.open = true;
        e.snapshotJpeg = detail::encodeJpeg(m_lastFrame);
        out.push_back(std::move(e));
    }
    return out;
}

}  // namespace examguard::vision::scene
