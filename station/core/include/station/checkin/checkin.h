#pragma once

#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "station/checkin/id_card.h"
#include "station/platform/platform_client.h"
#include "station/station.h"
#include "station/station_config.h"

namespace examguard::station::checkin {

// A face embedding as vision/ computes it: L2-normalised, compared by Euclidean distance (the
// CLI contract's `face compare` distance). `model` names network and version; descriptors of
// different models are never compared.
struct FaceDescriptor {
    std::string model;
    std::vector<float> values;
};
Expected<double> descriptorDistance(const FaceDescriptor& a, const FaceDescriptor& b);

enum class Decision { Pass, Refuse, Review };
const char* decisionName(Decision decision);  // "pass" | "refuse" | "review"
std::optional<Decision> parseDecision(std::string_view text);

enum class Liveness { Live, Spoof, Uncertain, NotChecked };
const char* livenessName(Liveness liveness);  // "live" | "spoof" | "uncertain" | "not_checked"

struct LivenessResult {
    Liveness status = Liveness::NotChecked;
    std::optional<double> score;
    std::string detail;  // e.g. "no blink within 8 s"
};

struct Thresholds {
    double match = 0.0;          // distance at or below which two faces are the same person
    double reviewMargin = 0.05;  // (match, match + margin]: the proctor decides
    double impersonationMargin = 0.0;
    bool requireLiveness = true;
};

// The thresholds of the station's settings ([checkin]); the face model's documented
// `modelThreshold` where the settings name none.
Thresholds thresholdsFrom(const StationConfig& config, double modelThreshold);

// One attempt at the entrance: the card that was read, the live frame the decision rests on,
// and what vision/ made of it.
struct Attempt {
    std::int64_t sittingId = 0;
    IdCard card;
    Bytes liveSnapshot;                       // JPEG of the decisive frame; stored encrypted
    std::optional<FaceDescriptor> live;       // nullopt when no usable face was found
    std::vector<std::string> qualityIssues;   // vision's reason codes ("two_faces", "blurred"…)
    std::optional<FaceDescriptor> cardPhoto;  // the card photo's descriptor, when it has a face
    LivenessResult liveness;
    std::string actor;
    // Where the live frames came from: "camera" (a local device), "stream" (RTSP), "video"
    // (a recorded file) or "image". A recorded file or a still image at the door is a replay
    // by definition: it is logged as the risk "recorded_source".
    std::string liveSource = "camera";
};

enum class AlertKind { CloserToOther, MatchesCheckedIn };
const char* alertKindName(AlertKind kind);  // "closer_to_other" | "matches_checked_in"

struct ImpersonationAlert {
    AlertKind kind = AlertKind::CloserToOther;
    std::int64_t matchedCandidateId = 0;
    std::string matchedMaskedId;
    std::string matchedSource;  // "roster" | "id_card" | "live"
    std::optional<std::int64_t> matchedCheckinId;
    std::optional<std::string> matchedPeriodCode;
    std::optional<double> distanceOwn;
    double distanceOther = 0.0;
};

struct Outcome {
    std::int64_t checkinId = 0;
    Decision decision = Decision::Review;
    // Why, as stable codes the front ends translate: "not_on_roster", "card_expired",
    // "quality.<code>", "liveness_failed", "liveness_uncertain", "liveness_not_checked",
    // "face_mismatch_card", "face_mismatch_roster", "face_uncertain_card",
    // "face_uncertain_roster", "no_reference_photo", "already_checked_in", "impersonation".
    std::vector<std::string> reasons;
    std::optional<std::int64_t> candidateId;
    std::string maskedIdNumber;
    std::string seat;
    std::optional<double> distanceCard;
    std::optional<double> distanceRoster;
    std::vector<ImpersonationAlert> alerts;
    std::int64_t logSeq = 0;
    std::optional<std::int64_t> platformOutboxId;  // the queued sign-in, when one was queued
};

// A stored reference photo that has no descriptor for a model yet.
struct ReferencePhoto {
    std::int64_t photoId = 0;
    std::int64_t candidateId = 0;
    std::string source;  // "roster" | "id_card"
    Bytes image;
};

// What the roster says about a presented card in a sitting: who it is, where they sit, and the
// roster photo the desk shows beside the live face (decrypted; empty when none was filed).
struct RosterMatch {
    std::int64_t candidateId = 0;
    std::string seat;        // empty: known to the station but not enrolled in this period
    std::string examNumber;  // 准考证号, when filed
    Bytes rosterPhoto;
};
// nullopt: the ID number is unknown to the station.
Expected<std::optional<RosterMatch>> rosterMatch(Station& station, std::int64_t sittingId,
                                                 const std::string& idNumber);

class CheckinService {
public:
    CheckinService(Station& station, Thresholds thresholds)
        : m_station(station), m_thresholds(thresholds) {}

    // When set, every pass (and every override to pass) queues a sign-in for the provincial
    // platform in the same transaction, so neither exists without the other.
    void setPlatformOutbox(platform::PlatformOutbox* outbox) { m_outbox = outbox; }

    // Reference photos of a period's candidates (all periods when nullopt) still to be
    // described with `model`; the caller runs vision/ on them and calls addReferenceDescriptor.
    Expected<std::vector<ReferencePhoto>> photosWithoutDescriptor(
        std::string_view model, std::optional<std::int64_t> periodId);
    Expected<void> addReferenceDescriptor(std::int64_t photoId, const FaceDescriptor& descriptor);

    // Decides, stores the attempt (snapshot encrypted), the live descriptor and any
    // impersonation alerts, and logs it — all in one transaction.
    Expected<Outcome> record(const Attempt& attempt);

    // A proctor's override of a stored decision; the reason is required.
    Expected<void> override(std::int64_t checkinId, Decision decision, std::string_view reason,
                            std::string_view actor, std::optional<std::int64_t> userId);

private:
    struct KnownFace {
        std::int64_t id = 0;
        std::int64_t candidateId = 0;
        std::string source;
        std::optional<std::int64_t> checkinId;
        std::optional<std::int64_t> periodId;
        std::vector<float> values;
    };
    // Every stored descriptor of a model, decrypted once and extended as rows are added.
    Expected<const std::vector<KnownFace>*> knownFaces(const std::string& model);

    Expected<void> queueSignIn(std::int64_t checkinId);

    Station& m_station;
    Thresholds m_thresholds;
    platform::PlatformOutbox* m_outbox = nullptr;
    std::map<std::string, std::vector<KnownFace>> m_faces;
    std::map<std::string, std::int64_t> m_loadedUpTo;
};

}  // namespace examguard::station::checkin
