#include "station/checkin/checkin.h"

#include <algorithm>
#include <cmath>
#include <cstring>
#include <limits>

#include <fmt/format.h>
#include <nlohmann/json.hpp>

#include "station/crypto.h"

namespace examguard::station::checkin {

namespace {

using nlohmann::json;

constexpr const char* kVectorContext = "face_descriptor.vector";
constexpr const char* kSnapshotContext = "checkin.snapshot";
constexpr const char* kCardPhotoContext = "checkin.card_photo";
constexpr std::size_t kMaxDimensions = 4096;

std::string toString(const Bytes& bytes) {
    return std::string(bytes.begin(), bytes.end());
}

Bytes packFloats(const std::vector<float>& values) {
    Bytes out(values.size() * sizeof(float));
    std::memcpy(out.data(), values.data(), out.size());
    return out;
}

std::vector<float> unpackFloats(const Bytes& bytes) {
    std::vector<float> out(bytes.size() / sizeof(float));
    std::memcpy(out.data(), bytes.data(), out.size() * sizeof(float));
    return out;
}

Expected<void> checkDescriptor(const FaceDescriptor& d) {
    if (d.model.empty() || d.values.empty() || d.values.size() > kMaxDimensions) {
        return fail(ErrorCode::BadInput, "a face descriptor needs a model name and 1..4096 values");
    }
    if (!std::all_of(d.values.begin(), d.values.end(), [](float v) { return std::isfinite(v); })) {
        return fail(ErrorCode::BadInput, "a face descriptor holds a value that is not finite");
    }
    return {};
}

double euclidean(const std::vector<float>& a, const std::vector<float>& b) {
    double sum = 0;
    for (std::size_t i = 0; i < a.size(); ++i) {
        const double d = static_cast<double>(a[i]) - b[i];
        sum += d * d;
    }
    return std::sqrt(sum);
}

// Severity order: a refusal outranks a review, which outranks a pass.
void raise(Decision& current, Decision to) {
    if (to == Decision::Refuse || (to == Decision::Review && current == Decision::Pass)) {
        current = to;
    }
}

struct Enrolment {
    std::int64_t periodId = 0;
    std::optional<std::int64_t> candidateId;
    std::string seat;
};

Expected<Enrolment> findEnrolment(Station& station, std::int64_t sittingId,
                                  const std::string& idNumber) {
    auto& db = station.db();
    auto sitting = db.prepare("SELECT period_id FROM sitting WHERE id = ?");
    if (!sitting) {
        return tl::unexpected(sitting.error());
    }
    sitting->bind(1, sittingId);
    auto row = sitting->step();
    if (!row) {
        return tl::unexpected(row.error());
    }
    if (!*row) {
        return fail(ErrorCode::NotFound, fmt::format("there is no sitting {}", sittingId));
    }
    Enrolment e;
    e.periodId = sitting->columnInt(0);
    auto stmt = db.prepare(
        "SELECT c.id, e.seat FROM candidate c LEFT JOIN enrollment e ON e.candidate_id = c.id "
        "AND e.period_id = ? WHERE c.id_number_hmac = ?");
    if (!stmt) {
        return tl::unexpected(stmt.error());
    }
    stmt->bind(1, e.periodId).bind(2, hmacSha256Hex(station.keys().lookupKey(), idNumber));
    row = stmt->step();
    if (!row) {
        return tl::unexpected(row.error());
    }
    if (*row) {
        e.candidateId = stmt->columnInt(0);
        e.seat = stmt->isNull(1) ? std::string() : stmt->columnText(1);
    }
    return e;
}

Expected<bool> alreadyPassed(Database& db, std::int64_t sittingId, std::int64_t candidateId) {
    auto stmt = db.prepare(
        "SELECT 1 FROM checkin WHERE sitting_id = ? AND candidate_id = ? AND "
        "coalesce(override_decision, decision) = 'pass' LIMIT 1");
    if (!stmt) {
        return tl::unexpected(stmt.error());
    }
    stmt->bind(1, sittingId).bind(2, candidateId);
    return stmt->step();
}

// Candidates checked in (passed) in this sitting, by id: for the "same face, second identity"
// check.
Expected<std::map<std::int64_t, std::int64_t>> passedInSitting(Database& db,
                                                               std::int64_t sittingId) {
    std::map<std::int64_t, std::int64_t> checkinByCandidate;
    auto stmt = db.prepare(
        "SELECT candidate_id, id FROM checkin WHERE sitting_id = ? AND candidate_id IS NOT NULL "
        "AND coalesce(override_decision, decision) = 'pass'");
    if (!stmt) {
        return tl::unexpected(stmt.error());
    }
    stmt->bind(1, sittingId);
    auto done = stmt->forEachRow(
        [&](Statement& row) { checkinByCandidate[row.columnInt(0)] = row.columnInt(1); });
    if (!done) {
        return tl::unexpected(done.error());
    }
    return checkinByCandidate;
}

Expected<std::string> maskedIdOf(Database& db, std::int64_t candidateId) {
    auto stmt = db.prepare("SELECT id_number_masked FROM candidate WHERE id = ?");
    if (!stmt) {
        return tl::unexpected(stmt.error());
    }
    stmt->bind(1, candidateId);
    auto row = stmt->step();
    if (!row) {
        return tl::unexpected(row.error());
    }
    return *row ? stmt->columnText(0) : std::string();
}

Expected<std::optional<std::string>> periodCodeOf(Database& db, std::optional<std::int64_t> id) {
    if (!id) {
        return std::optional<std::string>();
    }
    auto stmt = db.prepare("SELECT code FROM period WHERE id = ?");
    if (!stmt) {
        return tl::unexpected(stmt.error());
    }
    stmt->bind(1, *id);
    auto row = stmt->step();
    if (!row) {
        return tl::unexpected(row.error());
    }
    return *row ? std::optional(stmt->columnText(0)) : std::nullopt;
}

json alertJson(const ImpersonationAlert& a) {
    json j = {{"kind", alertKindName(a.kind)},
              {"matched_id_number", a.matchedMaskedId},
              {"matched_source", a.matchedSource},
              {"distance_other", a.distanceOther}};
    if (a.matchedCheckinId) {
        j["matched_checkin_id"] = *a.matchedCheckinId;
    }
    if (a.matchedPeriodCode) {
        j["matched_period"] = *a.matchedPeriodCode;
    }
    if (a.distanceOwn) {
        j["distance_own"] = *a.distanceOwn;
    }
    return j;
}

}  // namespace

Expected<double> descriptorDistance(const FaceDescriptor& a, const FaceDescriptor& b) {
    if (a.model != b.model) {
        return fail(ErrorCode::BadInput,
                    fmt::format("descriptors of different models ({} and {}) cannot be compared",
                                a.model, b.model));
    }
    if (a.values.size() != b.values.size()) {
        return fail(ErrorCode::BadInput, "descriptors of different lengths cannot be compared");
    }
    return euclidean(a.values, b.values);
}

const char* decisionName(Decision decision) {
    switch (decision) {
        case Decision::Pass:
            return "pass";
        case Decision::Refuse:
            return "refuse";
        case Decision::Review:
            return "review";
    }
    return "review";
}

std::optional<Decision> parseDecision(std::string_view text) {
    for (Decision d : {Decision::Pass, Decision::Refuse, Decision::Review}) {
        if (text == decisionName(d)) {
            return d;
        }
    }
    return std::nullopt;
}

const char* livenessName(Liveness liveness) {
    switch (liveness) {
        case Liveness::Live:
            return "live";
        case Liveness::Spoof:
            return "spoof";
        case Liveness::Uncertain:
            return "uncertain";
        case Liveness::NotChecked:
            return "not_checked";
    }
    return "not_checked";
}

const char* alertKindName(AlertKind kind) {
    return kind == AlertKind::CloserToOther ? "closer_to_other" : "matches_checked_in";
}

Expected<std::optional<RosterMatch>> rosterMatch(Station& station, std::int64_t sittingId,
                                                 const std::string& idNumber) {
    auto enrolment = findEnrolment(station, sittingId, idNumber);
    if (!enrolment) {
        return tl::unexpected(enrolment.error());
    }
    if (!enrolment->candidateId) {
        return std::optional<RosterMatch>();
    }
    RosterMatch match;
    match.candidateId = *enrolment->candidateId;
    match.seat = enrolment->seat;
    auto stmt = station.db().prepare(
        "SELECT coalesce((SELECT exam_number FROM enrollment WHERE candidate_id = ?1 AND "
        "period_id = ?2), ''), (SELECT image_enc FROM candidate_photo WHERE candidate_id = ?1 "
        "AND source = 'roster' ORDER BY (period_id = ?2) DESC, id DESC LIMIT 1)");
    if (!stmt) {
        return tl::unexpected(stmt.error());
    }
    stmt->bind(1, match.candidateId).bind(2, enrolment->periodId);
    auto row = stmt->step();
    if (!row) {
        return tl::unexpected(row.error());
    }
    match.examNumber = stmt->columnText(0);
    if (!stmt->isNull(1)) {
        auto photo = open(station.keys().dataKey(), stmt->columnBlob(1), "candidate.photo");
        if (!photo) {
            return tl::unexpected(photo.error());
        }
        match.rosterPhoto = std::move(*photo);
    }
    return std::optional<RosterMatch>(std::move(match));
}

Expected<std::vector<ReferencePhoto>> CheckinService::photosWithoutDescriptor(
    std::string_view model, std::optional<std::int64_t> periodId) {
    auto stmt = m_station.db().prepare(
        "SELECT p.id, p.candidate_id, p.source, p.image_enc FROM candidate_photo p WHERE NOT "
        "EXISTS (SELECT 1 FROM face_descriptor d WHERE d.candidate_photo_id = p.id AND d.model = "
        "?) AND (? IS NULL OR p.candidate_id IN (SELECT candidate_id FROM enrollment WHERE "
        "period_id = ?)) ORDER BY p.id");
    if (!stmt) {
        return tl::unexpected(stmt.error());
    }
    stmt->bind(1, std::string(model)).bind(2, periodId).bind(3, periodId);
    std::vector<ReferencePhoto> photos;
    std::optional<Error> failure;
    auto done = stmt->forEachRow([&](Statement& row) {
        auto image = open(m_station.keys().dataKey(), row.columnBlob(3), "candidate.photo");
        if (!image) {
            failure = image.error();
            return;
        }
        photos.push_back(
            {row.columnInt(0), row.columnInt(1), row.columnText(2), std::move(*image)});
    });
    if (!done) {
        return tl::unexpected(done.error());
    }
    if (failure) {
        return tl::unexpected(*failure);
    }
    return photos;
}

Expected<void> CheckinService::addReferenceDescriptor(std::int64_t photoId,
                                                      const FaceDescriptor& descriptor) {
    if (auto ok = checkDescriptor(descriptor); !ok) {
        return ok;
    }
    auto sealed = seal(m_station.keys().dataKey(), packFloats(descriptor.values), kVectorContext);
    if (!sealed) {
        return tl::unexpected(sealed.error());
    }
    auto stmt = m_station.db().prepare(
        "INSERT INTO face_descriptor (candidate_id, source, candidate_photo_id, period_id, model, "
        "vector_enc, created_at) SELECT candidate_id, source, id, period_id, ?, ?, ? FROM "
        "candidate_photo WHERE id = ?");
    if (!stmt) {
        return tl::unexpected(stmt.error());
    }
    stmt->bind(1, descriptor.model)
        .bind(2, *sealed)
        .bind(3, formatUtc(m_station.clock().now()))
        .bind(4, photoId);
    if (auto r = stmt->run(); !r) {
        return r;
    }
    if (m_station.db().changes() != 1) {
        return fail(ErrorCode::NotFound, fmt::format("there is no candidate photo {}", photoId));
    }
    return {};
}

Expected<const std::vector<CheckinService::KnownFace>*> CheckinService::knownFaces(
    const std::string& model) {
    auto& faces = m_faces[model];
    auto& upTo = m_loadedUpTo[model];
    auto stmt = m_station.db().prepare(
        "SELECT id, candidate_id, source, checkin_id, period_id, vector_enc FROM face_descriptor "
        "WHERE model = ? AND id > ? ORDER BY id");
    if (!stmt) {
        return tl::unexpected(stmt.error());
    }
    stmt->bind(1, model).bind(2, upTo);
    std::optional<Error> failure;
    auto done = stmt->forEachRow([&](Statement& row) {
        auto plain = open(m_station.keys().dataKey(), row.columnBlob(5), kVectorContext);
        if (!plain) {
            failure = plain.error();
            return;
        }
        KnownFace f;
        f.id = row.columnInt(0);
        f.candidateId = row.columnInt(1);
        f.source = row.columnText(2);
        if (!row.isNull(3)) {
            f.checkinId = row.columnInt(3);
        }
        if (!row.isNull(4)) {
            f.periodId = row.columnInt(4);
        }
        f.values = unpackFloats(*plain);
        upTo = f.id;
        faces.push_back(std::move(f));
    });
    if (!done) {
        return tl::unexpected(done.error());
    }
    if (failure) {
        return tl::unexpected(*failure);
    }
    return &faces;
}

Expected<Outcome> CheckinService::record(const Attempt& attempt) {
    for (const auto* d : {&attempt.live, &attempt.cardPhoto}) {
        if (*d) {
            if (auto ok = checkDescriptor(**d); !ok) {
                return tl::unexpected(ok.error());
            }
        }
    }
    if (attempt.live && attempt.cardPhoto && attempt.live->model != attempt.cardPhoto->model) {
        return fail(ErrorCode::BadInput, "live and card descriptors come from different models");
    }
    auto& db = m_station.db();
    auto txn = Transaction::begin(db);
    if (!txn) {
        return tl::unexpected(txn.error());
    }
    auto enrolment = findEnrolment(m_station, attempt.sittingId, attempt.card.idNumber);
    if (!enrolment) {
        return tl::unexpected(enrolment.error());
    }
    Outcome out;
    out.candidateId = enrolment->candidateId;
    out.seat = enrolment->seat;
    out.maskedIdNumber = attempt.card.maskedIdNumber();
    Decision decision = Decision::Pass;
    auto because = [&](std::string reason, Decision severity) {
        if (std::find(out.reasons.begin(), out.reasons.end(), reason) == out.reasons.end()) {
            out.reasons.push_back(std::move(reason));
        }
        raise(decision, severity);
    };

    if (!out.candidateId || out.seat.empty()) {
        because("not_on_roster", Decision::Refuse);
    }
    if (attempt.card.expiredOn(chinaDate(m_station.clock()))) {
        because("card_expired", Decision::Review);
    }
    for (const auto& issue : attempt.qualityIssues) {
        because("quality." + issue, Decision::Review);
    }
    if (!attempt.live && attempt.qualityIssues.empty()) {
        because("quality.no_face", Decision::Review);
    }
    switch (attempt.liveness.status) {
        case Liveness::Live:
            break;
        case Liveness::Spoof:
            because("liveness_failed", Decision::Refuse);
            break;
        case Liveness::Uncertain:
            because("liveness_uncertain", Decision::Review);
            break;
        case Liveness::NotChecked:
            if (m_thresholds.requireLiveness) {
                because("liveness_not_checked", Decision::Review);
            }
            break;
    }

    const KnownFace* bestOther = nullptr;
    double bestOtherDistance = std::numeric_limits<double>::infinity();
    if (attempt.live) {
        const auto& live = *attempt.live;
        auto faces = knownFaces(live.model);
        if (!faces) {
            return tl::unexpected(faces.error());
        }
        auto judge = [&](double d, const char* which) {
            if (d > m_thresholds.match + m_thresholds.reviewMargin) {
                because(fmt::format("face_mismatch_{}", which), Decision::Refuse);
            } else if (d > m_thresholds.match) {
                because(fmt::format("face_uncertain_{}", which), Decision::Review);
            }
        };
        if (attempt.cardPhoto) {
            out.distanceCard = euclidean(live.values, attempt.cardPhoto->values);
            judge(*out.distanceCard, "card");
        }
        std::optional<double> ownLive;
        for (const auto& f : **faces) {
            if (f.values.size() != live.values.size()) {
                continue;
            }
            const double d = euclidean(live.values, f.values);
            if (out.candidateId && f.candidateId == *out.candidateId) {
                if (f.source == "roster") {
                    out.distanceRoster = std::min(out.distanceRoster.value_or(d), d);
                } else if (f.source == "live") {
                    ownLive = std::min(ownLive.value_or(d), d);
                }
            } else if (d < bestOtherDistance) {
                bestOtherDistance = d;
                bestOther = &f;
            }
        }
        if (out.distanceRoster) {
            judge(*out.distanceRoster, "roster");
        }
        if (!out.distanceCard && !out.distanceRoster) {
            because("no_reference_photo", Decision::Review);
        }

        // Impersonation: another identity's face is a match and closer than this person's own.
        std::optional<double> own;
        for (auto d : {out.distanceCard, out.distanceRoster, ownLive}) {
            if (d) {
                own = std::min(own.value_or(*d), *d);
            }
        }
        if (bestOther && bestOtherDistance <= m_thresholds.match &&
            (!own || bestOtherDistance + m_thresholds.impersonationMargin < *own)) {
            ImpersonationAlert a;
            a.kind = AlertKind::CloserToOther;
            a.matchedCandidateId = bestOther->candidateId;
            a.matchedSource = bestOther->source;
            a.matchedCheckinId = bestOther->checkinId;
            a.distanceOwn = own;
            a.distanceOther = bestOtherDistance;
            auto code = periodCodeOf(db, bestOther->periodId);
            if (!code) {
                return tl::unexpected(code.error());
            }
            a.matchedPeriodCode = *code;
            out.alerts.push_back(std::move(a));
        }
        // The same face already came in under another identity in this sitting.
        auto passed = passedInSitting(db, attempt.sittingId);
        if (!passed) {
            return tl::unexpected(passed.error());
        }
        for (const auto& f : **faces) {
            if (f.source != "live" || !f.checkinId || f.values.size() != live.values.size() ||
                (out.candidateId && f.candidateId == *out.candidateId)) {
                continue;
            }
            auto it = passed->find(f.candidateId);
            const double d = euclidean(live.values, f.values);
            if (it != passed->end() && it->second == *f.checkinId && d <= m_thresholds.match) {
                // The more specific alert replaces a "closer to another" one about the same
                // capture.
                std::erase_if(out.alerts, [&](const ImpersonationAlert& other) {
                    return other.matchedCheckinId == f.checkinId;
                });
                ImpersonationAlert a;
                a.kind = AlertKind::MatchesCheckedIn;
                a.matchedCandidateId = f.candidateId;
                a.matchedSource = "live";
                a.matchedCheckinId = f.checkinId;
                a.distanceOwn = own;
                a.distanceOther = d;
                auto code = periodCodeOf(db, f.periodId);
                if (!code) {
                    return tl::unexpected(code.error());
                }
                a.matchedPeriodCode = *code;
                out.alerts.push_back(std::move(a));
            }
        }
        for (auto& a : out.alerts) {
            auto masked = maskedIdOf(db, a.matchedCandidateId);
            if (!masked) {
                return tl::unexpected(masked.error());
            }
            a.matchedMaskedId = *masked;
        }
        if (!out.alerts.empty()) {
            because("impersonation", Decision::Review);
        }
    }
    if (out.candidateId) {
        auto again = alreadyPassed(db, attempt.sittingId, *out.candidateId);
        if (!again) {
            return tl::unexpected(again.error());
        }
        if (*again) {
            because("already_checked_in", Decision::Review);
        }
    }
    out.decision = decision;

    // Store the attempt, its live descriptor and alerts, and log it.
    const Key256& key = m_station.keys().dataKey();
    auto snapshot = seal(key, attempt.liveSnapshot, kSnapshotContext);
    if (!snapshot) {
        return tl::unexpected(snapshot.error());
    }
    std::optional<Bytes> cardPhoto;
    if (!attempt.card.photo.empty()) {
        auto sealed = seal(key, attempt.card.photo, kCardPhotoContext);
        if (!sealed) {
            return tl::unexpected(sealed.error());
        }
        cardPhoto = std::move(*sealed);
    }
    const std::string now = formatUtc(m_station.clock().now());
    const json reasons = out.reasons;
    auto insert = db.prepare(
        "INSERT INTO checkin (sitting_id, candidate_id, id_number_masked, attempted_at, decision, "
        "reason, score_id_photo, score_roster_photo, liveness, liveness_score, snapshot_enc, "
        "model, attempted_by, reasons_json, card_photo_enc, card_source, card_nation) VALUES (?, "
        "?, "
        "?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)");
    if (!insert) {
        return tl::unexpected(insert.error());
    }
    insert->bind(1, attempt.sittingId)
        .bind(2, out.candidateId)
        .bind(3, out.maskedIdNumber)
        .bind(4, now)
        .bind(5, std::string(decisionName(out.decision)))
        .bind(6, out.reasons.empty() ? std::optional<std::string>()
                                     : std::optional<std::string>(out.reasons.front()))
        .bind(7, out.distanceCard)
        .bind(8, out.distanceRoster)
        .bind(9, std::string(livenessName(attempt.liveness.status)))
        .bind(10, attempt.liveness.score)
        .bind(11, *snapshot)
        .bind(12, attempt.live ? std::optional(attempt.live->model) : std::nullopt)
        .bind(13, attempt.actor)
        .bind(14, reasons.dump())
        .bind(15, cardPhoto)
        .bind(16, attempt.card.source)
        .bind(17, attempt.card.nation);
    if (auto r = insert->run(); !r) {
        return tl::unexpected(r.error());
    }
    out.checkinId = db.lastInsertRowId();

    if (attempt.live && out.candidateId) {
        auto vector = seal(key, packFloats(attempt.live->values), kVectorContext);
        if (!vector) {
            return tl::unexpected(vector.error());
        }
        auto face = db.prepare(
            "INSERT INTO face_descriptor (candidate_id, source, checkin_id, period_id, model, "
            "vector_enc, created_at) VALUES (?, 'live', ?, ?, ?, ?, ?)");
        if (!face) {
            return tl::unexpected(face.error());
        }
        face->bind(1, *out.candidateId)
            .bind(2, out.checkinId)
            .bind(3, enrolment->periodId)
            .bind(4, attempt.live->model)
            .bind(5, *vector)
            .bind(6, now);
        if (auto r = face->run(); !r) {
            return tl::unexpected(r.error());
        }
    }
    for (const auto& a : out.alerts) {
        auto stmt = db.prepare(
            "INSERT INTO impersonation_alert (checkin_id, presented_candidate_id, "
            "matched_candidate_id, matched_descriptor_id, matched_source, matched_checkin_id, "
            "kind, distance_own, distance_other, created_at) VALUES (?, ?, ?, (SELECT id FROM "
            "face_descriptor WHERE candidate_id = ? AND source = ? AND (? IS NULL OR checkin_id "
            "= ?) ORDER BY id LIMIT 1), ?, ?, ?, ?, ?, ?)");
        if (!stmt) {
            return tl::unexpected(stmt.error());
        }
        stmt->bind(1, out.checkinId)
            .bind(2, out.candidateId)
            .bind(3, a.matchedCandidateId)
            .bind(4, a.matchedCandidateId)
            .bind(5, a.matchedSource)
            .bind(6, a.matchedCheckinId)
            .bind(7, a.matchedCheckinId)
            .bind(8, a.matchedSource)
            .bind(9, a.matchedCheckinId)
            .bind(10, std::string(alertKindName(a.kind)))
            .bind(11, a.distanceOwn)
            .bind(12, a.distanceOther)
            .bind(13, now);
        if (auto r = stmt->run(); !r) {
            return tl::unexpected(r.error());
        }
    }
    json payload = {{"checkin_id", out.checkinId},
                    {"sitting_id", attempt.sittingId},
                    {"id_number", out.maskedIdNumber},
                    {"seat", out.seat},
                    {"decision", decisionName(out.decision)},
                    {"reasons", out.reasons},
                    {"liveness", livenessName(attempt.liveness.status)},
                    {"card_source", attempt.card.source},
                    {"live_source", attempt.liveSource},
                    {"snapshot_sha256", sha256Hex(attempt.liveSnapshot)}};
    if (attempt.liveSource == "video" || attempt.liveSource == "image") {
        payload["risks"] = {"recorded_source"};
    }
    if (out.distanceCard) {
        payload["distance_card"] = *out.distanceCard;
    }
    if (out.distanceRoster) {
        payload["distance_roster"] = *out.distanceRoster;
    }
    if (attempt.live) {
        payload["model"] = attempt.live->model;
        payload["threshold"] = m_thresholds.match;
    }
    if (!out.alerts.empty()) {
        payload["alerts"] = json::array();
        for (const auto& a : out.alerts) {
            payload["alerts"].push_back(alertJson(a));
        }
    }
    auto logged = m_station.log().append(
        {attempt.actor, "checkin.attempt", enrolment->periodId, std::move(payload)});
    if (!logged) {
        return tl::unexpected(logged.error());
    }
    out.logSeq = logged->seq;
    if (m_outbox && out.decision == Decision::Pass) {
        auto queued = m_outbox->enqueue(
            {out.candidateId, attempt.card.idNumber, attempt.card.name, attempt.card.nation,
             toString(attempt.card.photo), toString(attempt.liveSnapshot)},
            attempt.actor);
        if (!queued) {
            return tl::unexpected(queued.error());
        }
        out.platformOutboxId = *queued;
    }
    if (auto r = txn->commit(); !r) {
        return tl::unexpected(r.error());
    }
    return out;
}

Thresholds thresholdsFrom(const StationConfig& config, double modelThreshold) {
    Thresholds t;
    t.match = config.checkin.matchThreshold.value_or(modelThreshold);
    t.reviewMargin = config.checkin.reviewMargin;
    t.impersonationMargin = config.checkin.impersonationMargin;
    t.requireLiveness = config.checkin.requireLiveness;
    return t;
}

Expected<void> CheckinService::override(std::int64_t checkinId, Decision decision,
                                        std::string_view reason, std::string_view actor,
                                        std::optional<std::int64_t> userId) {
    if (decision == Decision::Review) {
        return fail(ErrorCode::BadInput, "an override decides: pass or refuse");
    }
    const auto first = reason.find_first_not_of(" \t\r\n");
    if (first == std::string_view::npos) {
        return fail(ErrorCode::BadInput, "an override needs a written reason");
    }
    if (reason.size() > 1000) {
        return fail(ErrorCode::BadInput, "the override reason is longer than 1000 bytes");
    }
    auto& db = m_station.db();
    auto txn = Transaction::begin(db);
    if (!txn) {
        return tl::unexpected(txn.error());
    }
    // The sitting and seat go into the log entry, so the sitting's timeline shows the override
    // (and only that sitting's does).
    auto find = db.prepare(
        "SELECT c.decision, c.id_number_masked, s.period_id, c.sitting_id, (SELECT e.seat FROM "
        "enrollment e WHERE e.candidate_id = c.candidate_id AND e.period_id = s.period_id) FROM "
        "checkin c JOIN sitting s ON s.id = c.sitting_id WHERE c.id = ?");
    if (!find) {
        return tl::unexpected(find.error());
    }
    find->bind(1, checkinId);
    auto row = find->step();
    if (!row) {
        return tl::unexpected(row.error());
    }
    if (!*row) {
        return fail(ErrorCode::NotFound, fmt::format("there is no check-in {}", checkinId));
    }
    const std::string original = find->columnText(0);
    const std::string masked = find->columnText(1);
    const std::int64_t periodId = find->columnInt(2);
    const std::int64_t sittingId = find->columnInt(3);
    const nlohmann::json seat =
        find->isNull(4) ? nlohmann::json(nullptr) : nlohmann::json(find->columnText(4));
    auto update = db.prepare(
        "UPDATE checkin SET override_decision = ?, override_reason = ?, override_by = ?, "
        "overridden_at = ? WHERE id = ?");
    if (!update) {
        return tl::unexpected(update.error());
    }
    update->bind(1, std::string(decisionName(decision)))
        .bind(2, std::string(reason))
        .bind(3, userId)
        .bind(4, formatUtc(m_station.clock().now()))
        .bind(5, checkinId);
    if (auto r = update->run(); !r) {
        return r;
    }
    auto logged = m_station.log().append({std::string(actor),
                                          "checkin.override",
                                          periodId,
                                          {{"checkin_id", checkinId},
                                           {"sitting_id", sittingId},
                                           {"seat", seat},
                                           {"id_number", masked},
                                           {"decision", original},
                                           {"override", decisionName(decision)},
                                           {"reason", std::string(reason)}}});
    if (!logged) {
        return tl::unexpected(logged.error());
    }
    if (m_outbox && decision == Decision::Pass && original != "pass") {
        if (auto queued = queueSignIn(checkinId); !queued) {
            return queued;
        }
    }
    return txn->commit();
}

// The sign-in of an overridden check-in, rebuilt from what the attempt stored.
Expected<void> CheckinService::queueSignIn(std::int64_t checkinId) {
    auto stmt = m_station.db().prepare(
        "SELECT c.candidate_id, k.id_number_enc, k.name_enc, coalesce(c.card_nation, ''), "
        "c.card_photo_enc, c.snapshot_enc, coalesce(c.attempted_by, 'station') FROM checkin c "
        "JOIN candidate k ON k.id = c.candidate_id WHERE c.id = ?");
    if (!stmt) {
        return tl::unexpected(stmt.error());
    }
    stmt->bind(1, checkinId);
    auto row = stmt->step();
    if (!row) {
        return tl::unexpected(row.error());
    }
    if (!*row) {
        return {};  // not on the roster: nothing the platform could sign in
    }
    const Key256& key = m_station.keys().dataKey();
    auto idNumber = open(key, stmt->columnBlob(1), "candidate.id_number");
    auto name = open(key, stmt->columnBlob(2), "candidate.name");
    auto snapshot = open(key, stmt->columnBlob(5), kSnapshotContext);
    Bytes cardPhoto;
    if (!stmt->isNull(4)) {
        auto photo = open(key, stmt->columnBlob(4), kCardPhotoContext);
        if (!photo) {
            return tl::unexpected(photo.error());
        }
        cardPhoto = std::move(*photo);
    }
    for (const auto* part : {&idNumber, &name, &snapshot}) {
        if (!*part) {
            return tl::unexpected(part->error());
        }
    }
    auto queued = m_outbox->enqueue({stmt->columnInt(0), toString(*idNumber), toString(*name),
                                     stmt->columnText(3), toString(cardPhoto), toString(*snapshot)},
                                    stmt->columnText(6));
    if (!queued) {
        return tl::unexpected(queued.error());
    }
    return {};
}

}  // namespace examguard::station::checkin
