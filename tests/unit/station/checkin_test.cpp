// The check-in decision, its storage and the impersonation search, on a real station database
// holding the demo period. Descriptors here are unit vectors placed at chosen distances: the
// decision rests only on distances, and the face networks that produce real descriptors are
// pinned by vision's own tests and exercised end to end by the CLI test.
#include <cmath>
#include <fstream>

#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

#include "demo_station.h"
#include "station/checkin/checkin.h"
#include "station/period_import.h"

namespace examguard::station::checkin {
namespace {

namespace fs = std::filesystem;
using testing::TempDir;

constexpr const char* kModel = "test-model/1";
constexpr double kMatch = 0.8;
const std::string kZhang = "370105199809286798";  // A01 in the demo roster
const std::string kWang = "370112198203267081";   // A02
const std::string kLi = "370104198102152808";     // A03

// A unit vector in 8 dimensions: "person" p's own direction, turned by `angle` radians
// towards the next axis. The distance between two unit vectors at angle a is 2·sin(a/2).
FaceDescriptor face(int person, double angle = 0.0) {
    FaceDescriptor d{kModel, std::vector<float>(8, 0.0f)};
    d.values[static_cast<std::size_t>(person)] = static_cast<float>(std::cos(angle));
    d.values[static_cast<std::size_t>(person + 1) % 8] = static_cast<float>(std::sin(angle));
    return d;
}
// The angle giving a chosen distance from face(person).
double angleFor(double distance) {
    return 2 * std::asin(distance / 2);
}

class CheckinTest : public testing::DemoPeriodTest {
protected:
    CheckinTest()
        : DemoPeriodTest(std::chrono::sys_days(std::chrono::year(2026) / 11 / 25) +
                         std::chrono::hours(1)) {}

    void SetUp() override {
        DemoPeriodTest::SetUp();
        m_service.emplace(*m_station, Thresholds{kMatch, 0.1, 0.0, true});
    }

    // Gives a candidate a roster photo whose descriptor is `d`.
    void rosterPhoto(const std::string& idNumber, const FaceDescriptor& d,
                     std::optional<std::int64_t> periodId = std::nullopt) {
        auto& db = m_station->db();
        const std::string image = "\xFF\xD8\xFF roster photo of " + idNumber;
        auto sealed = seal(m_station->keys().dataKey(), image, "candidate.photo");
        auto stmt = db.prepare(
            "INSERT INTO candidate_photo (candidate_id, source, period_id, image_enc, "
            "image_sha256, added_at) SELECT id, 'roster', ?, ?, ?, '2026-11-20T00:00:00Z' "
            "FROM candidate WHERE id_number_hmac = ?");
        stmt->bind(1, periodId)
            .bind(2, *sealed)
            .bind(3, sha256Hex(image))
            .bind(4, hmacSha256Hex(m_station->keys().lookupKey(), idNumber));
        ASSERT_TRUE(stmt->run());
        auto missing = m_service->photosWithoutDescriptor(kModel, std::nullopt);
        ASSERT_TRUE(missing);
        ASSERT_EQ(missing->size(), 1u);
        EXPECT_EQ(std::string(missing->front().image.begin(), missing->front().image.end()), image);
        ASSERT_TRUE(m_service->addReferenceDescriptor(missing->front().photoId, d));
    }

    Attempt attempt(const std::string& idNumber, FaceDescriptor live) {
        auto card = manualCard(idNumber, "张伟", "汉", std::chrono::year(2026) / 11 / 25);
        EXPECT_TRUE(card) << card.error().detail;
        Attempt a;
        a.sittingId = m_sitting;
        a.card = *card;
        a.liveSnapshot = {0xFF, 0xD8, 0xFF, 0x01, 0x02};
        a.live = std::move(live);
        a.liveness.status = Liveness::Live;
        a.actor = "proctor1";
        return a;
    }

    Outcome record(const Attempt& a) {
        auto out = m_service->record(a);
        EXPECT_TRUE(out) << out.error().detail;
        return out ? *out : Outcome{};
    }

    std::int64_t count(const std::string& table) {
        auto s = m_station->db().prepare("SELECT count(*) FROM " + table);
        EXPECT_TRUE(*s->step());
        return s->columnInt(0);
    }

    std::optional<CheckinService> m_service;
};

TEST(FaceDescriptorTest, DistanceIsEuclideanAndRefusesMixedModels) {
    EXPECT_NEAR(*descriptorDistance(face(0), face(0, angleFor(0.5))), 0.5, 1e-6);
    EXPECT_NEAR(*descriptorDistance(face(0), face(2)), std::sqrt(2.0), 1e-6);
    FaceDescriptor other = face(0);
    other.model = "other/1";
    EXPECT_FALSE(descriptorDistance(face(0), other));
    other = face(0);
    other.values.pop_back();
    EXPECT_FALSE(descriptorDistance(face(0), other));
}

TEST_F(CheckinTest, GenuineCandidatePassesAndEverythingIsStoredEncrypted) {
    rosterPhoto(kZhang, face(0));
    Attempt a = attempt(kZhang, face(0, angleFor(0.4)));
    a.cardPhoto = face(0, angleFor(0.3));
    a.card.photo = {0xFF, 0xD8, 0xFF, 0x09};
    const Outcome out = record(a);
    EXPECT_EQ(out.decision, Decision::Pass) << nlohmann::json(out.reasons).dump();
    EXPECT_TRUE(out.reasons.empty());
    EXPECT_EQ(out.seat, "A01");
    EXPECT_EQ(out.maskedIdNumber, "370105********6798");
    EXPECT_NEAR(*out.distanceRoster, 0.4, 1e-6);
    ASSERT_TRUE(out.distanceCard);
    EXPECT_TRUE(out.alerts.empty());
    EXPECT_EQ(count("face_descriptor"), 2);  // the roster photo's and the live one

    // The log entry names the decision without the full ID number.
    bool logged = false;
    ASSERT_TRUE(m_station->log().forEach([&](const LogEntry& e) {
        if (e.kind == "checkin.attempt") {
            logged = true;
            EXPECT_EQ(e.payload.find(kZhang), std::string::npos);
            EXPECT_NE(e.payload.find("\"decision\":\"pass\""), std::string::npos) << e.payload;
        }
        return true;
    }));
    EXPECT_TRUE(logged);
    // Snapshot, card photo and descriptors are stored encrypted.
    auto row = m_station->db().prepare("SELECT snapshot_enc, card_photo_enc FROM checkin");
    ASSERT_TRUE(*row->step());
    const Bytes snapshot = row->columnBlob(0);
    EXPECT_EQ(
        std::search(snapshot.begin(), snapshot.end(), a.liveSnapshot.begin(), a.liveSnapshot.end()),
        snapshot.end());
    EXPECT_EQ(*open(m_station->keys().dataKey(), snapshot, "checkin.snapshot"), a.liveSnapshot);
    EXPECT_EQ(*open(m_station->keys().dataKey(), row->columnBlob(1), "checkin.card_photo"),
              a.card.photo);
}

TEST_F(CheckinTest, ThresholdsDecidePassReviewRefuse) {
    rosterPhoto(kZhang, face(0));
    EXPECT_EQ(record(attempt(kZhang, face(0, angleFor(0.79)))).decision, Decision::Pass);
    const Outcome review = record(attempt(kZhang, face(0, angleFor(0.85))));
    EXPECT_EQ(review.decision, Decision::Review);
    EXPECT_EQ(review.reasons,
              (std::vector<std::string>{"face_uncertain_roster", "already_checked_in"}));
    const Outcome refuse = record(attempt(kZhang, face(0, angleFor(0.95))));
    EXPECT_EQ(refuse.decision, Decision::Refuse);
    EXPECT_EQ(refuse.reasons.front(), "face_mismatch_roster");
}

TEST_F(CheckinTest, CardPhotoMismatchRefusesEvenWhenTheRosterPhotoMatches) {
    rosterPhoto(kZhang, face(0));
    Attempt a = attempt(kZhang, face(0, angleFor(0.2)));
    a.cardPhoto = face(4);  // someone else's card with this candidate's number
    const Outcome out = record(a);
    EXPECT_EQ(out.decision, Decision::Refuse);
    EXPECT_EQ(out.reasons, std::vector<std::string>{"face_mismatch_card"});
}

TEST_F(CheckinTest, LivenessAndQualityAreReasonsNotSilentRefusals) {
    rosterPhoto(kZhang, face(0));
    Attempt spoof = attempt(kZhang, face(0));
    spoof.liveness = {Liveness::Spoof, 0.93, "printed photo"};
    Outcome out = record(spoof);
    EXPECT_EQ(out.decision, Decision::Refuse);
    EXPECT_EQ(out.reasons, std::vector<std::string>{"liveness_failed"});

    Attempt noFace = attempt(kZhang, face(0));
    noFace.live.reset();
    noFace.qualityIssues = {"two_faces"};
    noFace.liveness = {};
    out = record(noFace);
    EXPECT_EQ(out.decision, Decision::Review);
    EXPECT_EQ(out.reasons, (std::vector<std::string>{"quality.two_faces", "liveness_not_checked"}));
    EXPECT_EQ(count("checkin"), 2) << "every attempt is stored";
}

TEST_F(CheckinTest, SomeoneNotOnTheRosterIsRefused) {
    // A valid ID number that the demo roster does not hold.
    const Outcome out = record(attempt("11010519491231002X", face(5)));
    EXPECT_EQ(out.decision, Decision::Refuse);
    EXPECT_EQ(out.reasons.front(), "not_on_roster");
    EXPECT_FALSE(out.candidateId);
}

TEST_F(CheckinTest, ImpostorCloserToAnotherCandidateRaisesAnAlertWithBothRecords) {
    rosterPhoto(kZhang, face(0));
    rosterPhoto(kWang, face(2));
    // Wang's face presented with Zhang's card.
    const Outcome out = record(attempt(kZhang, face(2, angleFor(0.3))));
    EXPECT_EQ(out.decision, Decision::Refuse);
    ASSERT_EQ(out.alerts.size(), 1u);
    EXPECT_EQ(out.alerts[0].kind, AlertKind::CloserToOther);
    EXPECT_EQ(out.alerts[0].matchedMaskedId, "370112********7081");
    EXPECT_EQ(out.alerts[0].matchedSource, "roster");
    EXPECT_NEAR(out.alerts[0].distanceOther, 0.3, 1e-6);
    EXPECT_GT(*out.alerts[0].distanceOwn, 1.0);
    auto row = m_station->db().prepare(
        "SELECT a.kind, a.checkin_id, a.presented_candidate_id, a.matched_candidate_id, "
        "d.candidate_id FROM impersonation_alert a JOIN face_descriptor d ON d.id = "
        "a.matched_descriptor_id");
    ASSERT_TRUE(*row->step());
    EXPECT_EQ(row->columnText(0), "closer_to_other");
    EXPECT_EQ(row->columnInt(1), out.checkinId);
    EXPECT_EQ(row->columnInt(2), *out.candidateId);
    EXPECT_EQ(row->columnInt(3), row->columnInt(4));
}

TEST_F(CheckinTest, ImpersonationSearchReachesEarlierPeriods) {
    // Wang's photo was taken for a period of last year; this period has no photo of Wang.
    ASSERT_TRUE(m_station->db().exec(
        "INSERT INTO period (site_id, code, institution, trade, training_type, number, "
        "retention_class, retention_years, status, created_at) SELECT site_id, '2025-DG-003', "
        "institution, trade, training_type, '2025年第3期', retention_class, retention_years, "
        "'sealed', '2025-03-01T00:00:00Z' FROM period"));
    const auto oldPeriod = m_station->db().lastInsertRowId();
    rosterPhoto(kWang, face(2), oldPeriod);
    rosterPhoto(kZhang, face(0));
    const Outcome out = record(attempt(kZhang, face(2, angleFor(0.2))));
    ASSERT_EQ(out.alerts.size(), 1u);
    EXPECT_EQ(out.alerts[0].matchedMaskedId, "370112********7081");
    EXPECT_EQ(out.alerts[0].matchedPeriodCode, "2025-DG-003");
}

TEST_F(CheckinTest, SameFaceUnderASecondIdentityInTheSittingIsCaught) {
    // No roster photos: the only evidence is the earlier live capture of Li.
    Attempt first = attempt(kLi, face(6));
    first.cardPhoto = face(6, angleFor(0.2));
    ASSERT_EQ(record(first).decision, Decision::Pass);
    // The same person comes back with Zhang's card and a card photo that resembles them.
    Attempt second = attempt(kZhang, face(6, angleFor(0.1)));
    second.cardPhoto = face(6, angleFor(0.3));
    const Outcome out = record(second);
    EXPECT_EQ(out.decision, Decision::Review);
    ASSERT_EQ(out.alerts.size(), 1u) << "one alert per matched capture";
    EXPECT_EQ(out.alerts[0].kind, AlertKind::MatchesCheckedIn);
    EXPECT_EQ(out.alerts[0].matchedMaskedId, "370104********2808");
    EXPECT_EQ(out.alerts[0].matchedPeriodCode, "2026-DG-011");
    EXPECT_NE(std::find(out.reasons.begin(), out.reasons.end(), "impersonation"),
              out.reasons.end());
}

TEST_F(CheckinTest, OverrideNeedsAReasonAndIsLogged) {
    rosterPhoto(kZhang, face(0));
    const Outcome out = record(attempt(kZhang, face(0, angleFor(0.85))));
    ASSERT_EQ(out.decision, Decision::Review);
    EXPECT_FALSE(
        m_service->override(out.checkinId, Decision::Pass, "  ", "proctor1", std::nullopt));
    EXPECT_FALSE(
        m_service->override(out.checkinId, Decision::Review, "x", "proctor1", std::nullopt));
    EXPECT_FALSE(m_service->override(999, Decision::Pass, "x", "proctor1", std::nullopt));
    ASSERT_TRUE(m_service->override(out.checkinId, Decision::Pass,
                                    "证件照片为十年前拍摄，本人核对无误", "proctor1",
                                    std::nullopt));
    auto row = m_station->db().prepare(
        "SELECT decision, override_decision, override_reason FROM checkin WHERE id = ?");
    row->bind(1, out.checkinId);
    ASSERT_TRUE(*row->step());
    EXPECT_EQ(row->columnText(0), "review") << "the original decision is kept";
    EXPECT_EQ(row->columnText(1), "pass");
    LogEntry last;
    ASSERT_TRUE(m_station->log().forEach([&](const LogEntry& e) {
        last = e;
        return true;
    }));
    EXPECT_EQ(last.kind, "checkin.override");
    // It names the sitting and seat, so the sitting's timeline shows it.
    const auto payload = nlohmann::json::parse(last.payload);
    EXPECT_EQ(payload["sitting_id"], m_sitting);
    EXPECT_EQ(payload["seat"], "A01");
    EXPECT_EQ(payload["decision"], "review");
    EXPECT_EQ(payload["override"], "pass");
    // An overridden pass counts as checked in.
    EXPECT_EQ(record(attempt(kZhang, face(0))).reasons,
              std::vector<std::string>{"already_checked_in"});
}

TEST_F(CheckinTest, PassesAndOverridesToPassQueueAPlatformSignIn) {
    platform::CurlTransport transport;
    platform::PlatformOutbox outbox(*m_station, platform::PlatformConfig{}, transport);
    m_service->setPlatformOutbox(&outbox);
    rosterPhoto(kZhang, face(0));
    rosterPhoto(kWang, face(2));
    Attempt genuine = attempt(kZhang, face(0, angleFor(0.3)));
    genuine.card.nation = "回";
    const Outcome passed = record(genuine);
    ASSERT_EQ(passed.decision, Decision::Pass);
    ASSERT_TRUE(passed.platformOutboxId);
    const Outcome doubtful = record(attempt(kWang, face(2, angleFor(0.85))));
    ASSERT_EQ(doubtful.decision, Decision::Review);
    EXPECT_FALSE(doubtful.platformOutboxId) << "only a pass is signed in";
    EXPECT_EQ(count("platform_outbox"), 1);
    ASSERT_TRUE(m_service->override(doubtful.checkinId, Decision::Pass, "本人核对无误", "proctor1",
                                    std::nullopt));
    EXPECT_EQ(count("platform_outbox"), 2);
    // The queued request of the override carries the stored card data, decrypted again.
    auto row = m_station->db().prepare(
        "SELECT id_number_masked, request_enc FROM platform_outbox ORDER BY id DESC LIMIT 1");
    ASSERT_TRUE(*row->step());
    EXPECT_EQ(row->columnText(0), "370112********7081");
    auto request = open(m_station->keys().dataKey(), row->columnBlob(1), "platform_outbox.request");
    ASSERT_TRUE(request);
    const auto json = nlohmann::json::parse(std::string(request->begin(), request->end()));
    EXPECT_EQ(json["cardNo"], kWang);
    EXPECT_EQ(json["realName"], "王芳");
}

TEST_F(CheckinTest, MalformedDescriptorsAndUnknownSittingsChangeNothing) {
    const auto before = count("checkin");
    FaceDescriptor nan = face(0);
    nan.values[3] = std::nanf("");
    EXPECT_FALSE(m_service->record(attempt(kZhang, nan)));
    Attempt mixed = attempt(kZhang, face(0));
    mixed.cardPhoto = face(0);
    mixed.cardPhoto->model = "other/2";
    EXPECT_FALSE(m_service->record(mixed));
    Attempt nowhere = attempt(kZhang, face(0));
    nowhere.sittingId = 4242;
    auto r = m_service->record(nowhere);
    ASSERT_FALSE(r);
    EXPECT_EQ(r.error().code, ErrorCode::NotFound);
    EXPECT_EQ(count("checkin"), before);
    EXPECT_FALSE(m_service->addReferenceDescriptor(777, face(0)));
}

}  // namespace
}  // namespace examguard::station::checkin
