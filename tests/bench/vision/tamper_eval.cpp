// Per-kind precision and recall of the camera tamper analyser over many random injections
// into the real clip (../shared/data/video/one-by-one-person-detection.mp4).
//
//   tamper_eval [TRIALS_PER_INJECTION] [--dump] [--trace SEED]
//
// Each trial takes a 40 s window of the clip at a random start, injects one tamper with a
// seeded random onset, length and strength (tests/unit/vision/tamper_injection.h) and runs a
// fresh analyser over it. Recall: share of injections found with the right kind, starting
// within 2 s of the onset and ending within 2 s of the end. Precision: share of raised events
// that are such a match. --dump prints the per-frame measures of the clean clip instead.
#include <cstdio>
#include <cstring>
#include <map>
#include <string>

#include "../../unit/vision/tamper_injection.h"

using namespace examguard::vision;
using namespace examguard::vision::test;

int main(int argc, char** argv) {
    int trials = 30;
    bool dump = false;
    int traceSeed = -1;
    for (int i = 1; i < argc; ++i) {
        if (std::strcmp(argv[i], "--dump") == 0) {
            dump = true;
        } else if (std::strcmp(argv[i], "--trace") == 0 && i + 1 < argc) {
            traceSeed = std::atoi(argv[++i]);
        } else {
            trials = std::max(1, std::atoi(argv[i]));
        }
    }
    const scene::TamperConfig config;
    const auto frames = decodeDecimated(sceneClipPath(), config);
    std::printf("clip: %zu frames at %.1f fps analysis, %.1f s\n", frames.size(),
                config.analysisFps, frames.back().timeS);
    if (dump) {
        scene::TamperAnalyzer analyzer("dump", config);
        for (const auto& f : frames) {
            analyzer.push(f.frame, f.timeS);
            const auto& m = analyzer.lastMeasures();
            std::printf(
                "%6.1f luma %5.1f sharp %6.3f covered %4.2f diff %6.3f chroma %5.2f shift %5.3f "
                "rot %5.2f valid %d matched %d\n",
                f.timeS, m.meanLuma, m.sharpnessRatio, m.coveredFraction, m.diffToPrevious,
                m.chromaShift, m.shiftFraction, m.rotationDeg, m.alignmentValid ? 1 : 0,
                m.matchedFeatures);
        }
        for (const auto& e : analyzer.finish(frames.back().timeS)) {
            std::printf("EVENT %s %.1f-%.1f conf %.2f\n",
                        std::string(scene::toString(e.kind)).c_str(), e.startS, e.endS,
                        e.confidence);
        }
        return 0;
    }

    constexpr double kWindowS = 40.0;
    const std::size_t windowFrames = static_cast<std::size_t>(kWindowS * config.analysisFps);
    struct Tally {
        int injected = 0, found = 0;
    };
    std::map<Injection, Tally> perInjection;
    std::map<scene::TamperKind, int> raised, matched;
    int falseOnClean = 0;
    std::mt19937 windowRng(20261123);
    for (Injection what : kAllInjections) {
        for (int t = 0; t < trials; ++t) {
            const std::uint32_t seed = 1000U * static_cast<std::uint32_t>(what) + t;
            const std::size_t start = std::uniform_int_distribution<std::size_t>(
                0, frames.size() - windowFrames)(windowRng);
            const std::vector<TimedFrame> window(
                frames.begin() + static_cast<long>(start),
                frames.begin() + static_cast<long>(start + windowFrames));
            const InjectionPlan plan = drawPlan(what, seed, kWindowS);
            const bool traced = traceSeed >= 0 && static_cast<int>(seed) == traceSeed;
            const TrialResult r = runTrial(window, &plan, config, 2.0, traced);
            ++perInjection[what].injected;
            perInjection[what].found += r.detected ? 1 : 0;
            for (const auto& e : r.events) {
                ++raised[e.kind];
            }
            if (r.detected) {
                ++matched[expectedKind(what)];
            }
            if (!r.detected || r.falseEvents > 0) {
                std::printf("  miss/extra: %s window %.1f s ->", plan.describe().c_str(),
                            window.front().timeS);
                for (const auto& e : r.events) {
                    std::printf(" %s[%.1f-%.1f]", std::string(scene::toString(e.kind)).c_str(),
                                e.startS, e.endS);
                }
                std::printf("\n");
            }
        }
        // The same windows without injection: every event there is a false alarm.
        const std::size_t start =
            std::uniform_int_distribution<std::size_t>(0, frames.size() - windowFrames)(windowRng);
        const std::vector<TimedFrame> window(
            frames.begin() + static_cast<long>(start),
            frames.begin() + static_cast<long>(start + windowFrames));
        const TrialResult clean = runTrial(window, nullptr, config);
        falseOnClean += static_cast<int>(clean.events.size());
        for (const auto& e : clean.events) {
            ++raised[e.kind];
        }
    }
    std::printf("\nrecall per injection (%d trials each, 40 s windows, 2 s tolerance)\n", trials);
    for (const auto& [what, tally] : perInjection) {
        std::printf("  %-13s %3d/%3d  recall %.3f\n", injectionName(what), tally.found,
                    tally.injected, static_cast<double>(tally.found) / tally.injected);
    }
    std::printf("\nprecision per event kind\n");
    for (const auto& [kind, n] : raised) {
        std::printf("  %-12s raised %3d  matched %3d  precision %.3f\n",
                    std::string(scene::toString(kind)).c_str(), n, matched[kind],
                    n > 0 ? static_cast<double>(matched[kind]) / n : 1.0);
    }
    std::printf("\nevents on clean windows: %d\n", falseOnClean);
    return 0;
}
