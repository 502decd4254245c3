#pragma once

// Camera tamper analysis on a decimated, downscaled frame stream: covered (full or partial
// occlusion), defocused, moved (shift or rotation against the reference frame), frozen,
// too dark, too bright, colour cast and signal lost. Per-frame measures are pure functions
// (measureFrame); TamperAnalyzer adds the reference frame and the hysteresis that turns
// per-frame conditions into events. OpenCV only: no Qt, no FFmpeg, no station headers.
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include <opencv2/core.hpp>

#include "vision/scene_hysteresis.h"

namespace examguard::vision::scene {

enum class TamperKind {
    Covered,
    Defocused,
    Moved,
    Frozen,
    SignalLost,
    TooDark,
    TooBright,
    ColourCast,
};
inline constexpr int kTamperKindCount = 8;

// Stable snake_case names as in the CLI contract ("covered", "colour_cast", ...).
std::string_view toString(TamperKind kind);
std::optional<TamperKind> tamperKindFromString(std::string_view name);

// Thresholds and timing. Defaults are chosen on the real footage of ../shared/data/video with
// injected tampers (tests/unit/vision/scene_tamper_test.cpp, docs/cameras.md).
struct TamperConfig {
    double analysisFps = 2.0;   // frames analysed per second (the first frame of each slot)
    int analysisWidthPx = 320;  // frames are downscaled to this width before analysis
    // A condition must hold this long before an event opens, and be gone this long before it
    // closes: a flicker shorter than onsetS is no event, a gap shorter than offsetS does not
    // split one.
    double onsetS = 1.0;
    double offsetS = 1.0;
    // No frame for this long: signal_lost, from the last frame seen to the next one.
    double signalLostS = 5.0;
    // covered: share of the grid cells that became flat (no texture where the reference had
    // some, or a flat patch of another brightness), 0..1.
    double coveredFraction = 0.3;
    double flatCellStd = 7.0;       // a cell whose grey-level std is below this is flat
    double coverLumaChange = 25.0;  // a flat cell this far from the reference mean is covered
    // defocused: sharpness (mean gradient energy) below this share of the reference's.
    double defocusRatio = 0.45;
    // moved: the scene's shift against the reference, as a share of the frame width, or its
    // rotation in degrees.
    double moveShiftFraction = 0.04;
    double moveRotationDeg = 3.0;
    // frozen: mean absolute difference to the previous analysed frame (0..255) at most this.
    double frozenMaxDiff = 0.05;
    // too_dark / too_bright: mean grey level (0..255).
    double darkLuma = 40.0;
    double brightLuma = 215.0;
    // colour_cast: shift of the mean chroma (CIELAB a*, b*) from the reference's.
    double colourCastShift = 14.0;
    // While no condition holds, the reference's brightness, texture and colour follow the
    // scene with this time constant (slow daylight changes); 0 keeps the first reference.
    // Features for `moved` always stay those of the reference frame.
    double referenceAdaptS = 120.0;
};

// What one frame measures, against the reference and the previous analysed frame.
struct FrameMeasures {
    double meanLuma = 0;
    double sharpness = 0;        // mean squared gradient of the grey image
    double sharpnessRatio = 1;   // sharpness / reference sharpness
    double coveredFraction = 0;  // 0..1
    double diffToPrevious = -1;  // mean abs difference to the previous frame, -1 if none
    double chromaShift = 0;      // CIELAB distance of mean (a*, b*) from the reference's
    double shiftFraction = 0;    // translation against the reference / frame width
    double rotationDeg = 0;      // rotation against the reference
    // Enough features matched to estimate shift and rotation, and too few stayed in place to
    // call the camera still. When false, shiftFraction and rotationDeg are 0.
    bool alignmentValid = false;
    int matchedFeatures = 0;
    int stayedFeatures = 0;  // matches that did not move against the reference
};

// The reference frame's pre-computed statistics (grid cells, features, sharpness, chroma).
class SceneReference {
public:
    // `frame` BGR or grey, already at analysis size.
    static SceneReference fromFrame(const cv::Mat& frame);
    bool empty() const { return m_grey.empty(); }
    const cv::Mat& grey() const { return m_grey; }
    // Moves brightness, texture, sharpness and colour statistics towards `frame` by `alpha`
    // (0..1); the features used for `moved` stay those of the reference frame.
    void adapt(const cv::Mat& frame, double alpha);

private:
    friend FrameMeasures measureFrame(const cv::Mat&, const SceneReference&, const cv::Mat*,
                                      const TamperConfig&);
    cv::Mat m_grey;
    std::vector<double> m_cellMean, m_cellStd;
    double m_sharpness = 0;
    double m_meanA = 0, m_meanB = 0;
    std::vector<cv::KeyPoint> m_keypoints;
    cv::Mat m_descriptors;
};

// Pure: measures `frame` (BGR or grey, at analysis size) against `reference` and the previous
// analysed grey frame (may be null).
FrameMeasures measureFrame(const cv::Mat& frame, const SceneReference& reference,
                           const cv::Mat* previousGrey, const TamperConfig& config);

// Which tamper conditions hold for one frame, with a severity 0..1 each (0.5 at the threshold).
struct FrameConditions {
    bool active[kTamperKindCount] = {};
    double severity[kTamperKindCount] = {};
};
FrameConditions evaluate(const FrameMeasures& m, const TamperConfig& config);

// Downscales to config.analysisWidthPx (keeping the aspect ratio); returns BGR.
cv::Mat toAnalysisSize(const cv::Mat& frame, const TamperConfig& config);

struct TamperEvent {
    TamperKind kind;
    std::string camera;
    double startS = 0;
    double endS = 0;        // for an event still open at finish(): the last frame's time
    double confidence = 0;  // 0..1: mean severity over the event's frames
    bool open = false;      // still going when the stream ended
    std::vector<std::uint8_t> snapshotJpeg;  // the frame at onset (analysis size)
};

// One camera's analyser. Feed frames in time order; finished events are returned as they
// close. Not thread-safe; one per camera.
class TamperAnalyzer {
public:
    TamperAnalyzer(std::string camera, TamperConfig config);

    // The reference for moved/covered/defocused/colour cast. Without one, the first frame
    // analysed becomes the reference.
    void setReference(const cv::Mat& frame);

    // True when a frame at `timeS` would be analysed (lets callers skip decoding others).
    bool wantsFrame(double timeS) const;

    // One frame at `timeS` seconds. Frames the decimation skips only count as "signal alive".
    // Frames must be 8-bit grey, BGR or BGRA and at least 16x12; others (and empty ones)
    // count as no frame. Returns events that closed.
    std::vector<TamperEvent> push(const cv::Mat& frame, double timeS);

    // A frame arrived at `timeS` that the caller does not pass on (not due for analysis, not
    // decoded): it keeps the signal alive. Returns the signal_lost event a gap before it closed.
    std::vector<TamperEvent> seen(double timeS);

    // Live streams: true while the last frame is older than signalLostS at `nowS`. The
    // signal_lost event itself is returned by the next push() (from the last frame before the
    // gap to the first after it) or by finish() (marked open).
    bool signalLost(double nowS) const;

    // End of stream at `timeS`: closes every open event (marked open = true) and returns them.
    std::vector<TamperEvent> finish(double timeS);

    std::int64_t framesAnalyzed() const { return m_framesAnalyzed; }
    const TamperConfig& config() const { return m_config; }
    // The last frame's measures (for diagnostics and the precision/recall tool).
    const FrameMeasures& lastMeasures() const { return m_lastMeasures; }

private:
    void emit(int kind, std::optional<ConditionInterval> interval,
              std::vector<TamperEvent>& out) const;
    void handleGap(double timeS, std::vector<TamperEvent>& out);

    std::string m_camera;
    TamperConfig m_config;
    AnalysisSlots m_slots;
    SceneReference m_reference;
    cv::Mat m_previousGrey;
    cv::Mat m_lastFrame;
    std::optional<double> m_lastFrameS;  // any frame, analysed or not
    std::vector<Hysteresis> m_tracks;    // one per kind
    FrameMeasures m_lastMeasures;
    std::int64_t m_framesAnalyzed = 0;
};

}  // namespace examguard::vision::scene
