// The provincial platform client against a real HTTP server started by the test, which checks
// every request the way the platform's document says the platform does.
#include <httplib.h>
#include <openssl/evp.h>
#include <openssl/pem.h>

#include <atomic>
#include <fstream>
#include <mutex>
#include <set>
#include <thread>

#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

#include "station/crypto.h"
#include "station/platform/platform_client.h"
#include "test_support.h"

namespace examguard::station::platform {
namespace {

using nlohmann::json;
using testing::TempDir;

struct KeyPair {
    std::string privatePem;
    std::string publicPem;
};

KeyPair makeRsaKey() {
    EVP_PKEY* key = EVP_RSA_gen(2048);
    BIO* priv = BIO_new(BIO_s_mem());
    BIO* pub = BIO_new(BIO_s_mem());
    PEM_write_bio_PrivateKey(priv, key, nullptr, nullptr, 0, nullptr, nullptr);
    PEM_write_bio_PUBKEY(pub, key);
    auto read = [](BIO* bio) {
        char* data = nullptr;
        const long n = BIO_get_mem_data(bio, &data);
        return std::string(data, static_cast<std::size_t>(n));
    };
    KeyPair pair{read(priv), read(pub)};
    BIO_free(priv);
    BIO_free(pub);
    EVP_PKEY_free(key);
    return pair;
}

// What the platform does, per its interface document: verify the signature, check the person,
// accept faceSign only after a successful faceCheck.
class ConformanceServer {
public:
    ConformanceServer(std::string publicPem, std::string appId)
        : m_publicPem(std::move(publicPem)), m_appId(std::move(appId)) {
        m_server.Post("/api/v1/faceCheck", [this](const httplib::Request& rq,
                                                  httplib::Response& rs) { handle(rq, rs, true); });
        m_server.Post("/api/v1/faceSign", [this](const httplib::Request& rq,
                                                 httplib::Response& rs) { handle(rq, rs, false); });
        m_port = m_server.bind_to_any_port("127.0.0.1");
        // bind_to_any_port already listens: a client connecting before the thread accepts
        // waits in the backlog, so no start-up wait is needed.
        m_thread = std::thread([this] { m_server.listen_after_bind(); });
    }
    ~ConformanceServer() {
        m_server.stop();
        m_thread.join();
    }
    std::string url() const { return "http://127.0.0.1:" + std::to_string(m_port); }

    void setDown(bool down) { m_down = down; }
    // Answers HTTP 200 with a body that is not the documented JSON (a captive portal, a proxy).
    void setGarbage(bool garbage) { m_garbage = garbage; }
    void knowPerson(const std::string& cardNo) {
        std::lock_guard lock(m_mutex);
        m_known.insert(cardNo);
    }
    int signIns() const { return m_signIns; }
    int badSignatures() const { return m_badSignatures; }
    int signWithoutCheck() const { return m_signWithoutCheck; }
    std::vector<std::string> signedCards() {
        std::lock_guard lock(m_mutex);
        return m_signedCards;
    }
    json lastFaceSignMessage() {
        std::lock_guard lock(m_mutex);
        return m_lastSign;
    }

private:
    void reply(httplib::Response& rs, int code, const std::string& msg, const json& data) {
        rs.set_content(json{{"code", code}, {"msg", msg}, {"data", data}}.dump(),
                       "application/json");
    }

    void handle(const httplib::Request& rq, httplib::Response& rs, bool isCheck) {
        if (m_down) {
            rs.status = 503;
            return;
        }
        if (m_garbage) {
            rs.set_content("<html>\x01\xff{\"code\":", "text/html");
            return;
        }
        const json body = json::parse(rq.body, nullptr, false);
        const std::string messageId = rq.get_header_value("message_id");
        if (body.is_discarded() || rq.get_header_value("app_id") != m_appId || messageId.empty() ||
            !body.contains("signature") || body.value("version", "") != "1.0.0" ||
            body.value("datetime", "").size() != 17) {
            reply(rs, 500, "malformed request", nullptr);
            return;
        }
        const std::map<std::string, std::string> params = {{"datetime", body["datetime"]},
                                                           {"message", body["message"]},
                                                           {"version", body["version"]}};
        if (!verifyRequest(m_publicPem, SignatureDigest::Sha256, m_appId, params, messageId,
                           body["signature"].get<std::string>())) {
            ++m_badSignatures;
            reply(rs, 500, "signature verification failed", nullptr);
            return;
        }
        auto decoded = base64Decode(body["message"].get<std::string>());
        const json message =
            json::parse(std::string(decoded->begin(), decoded->end()), nullptr, false);
        const std::string cardNo = message.value("cardNo", "");
        std::lock_guard lock(m_mutex);
        if (isCheck) {
            const bool known = m_known.count(cardNo) > 0;
            if (known) {
                m_checked.insert(cardNo);
            }
            reply(rs, 200, known ? "" : "no such trainee", {{"checkResult", known}});
            return;
        }
        if (!m_checked.count(cardNo)) {
            ++m_signWithoutCheck;
            reply(rs, 500, "faceCheck must succeed before faceSign", nullptr);
            return;
        }
        ++m_signIns;
        m_signedCards.push_back(cardNo);
        m_lastSign = message;
        reply(rs, 200, "",
              {{"stuName", message.value("realName", "")},
               {"trainDept", "济南安泰安全技术培训学校"},
               {"faceSignTime", "2026-11-25 08:41:07"}});
    }

    httplib::Server m_server;
    std::thread m_thread;
    int m_port = 0;
    std::string m_publicPem, m_appId;
    std::atomic<bool> m_down{false};
    std::atomic<bool> m_garbage{false};
    std::atomic<int> m_signIns{0}, m_badSignatures{0}, m_signWithoutCheck{0};
    std::mutex m_mutex;
    std::set<std::string> m_known, m_checked;
    std::vector<std::string> m_signedCards;
    json m_lastSign;
};

class PlatformTest : public ::testing::Test {
protected:
    void SetUp() override {
        m_keys = makeRsaKey();
        m_server = std::make_unique<ConformanceServer>(m_keys.publicPem, "exam-site-01");
        openStation();
    }
    void openStation() {
        m_station.reset();
        auto s = Station::open({.databasePath = m_dir / "station.db",
                                .durability = Durability::Normal,
                                .clock = &m_clock});
        ASSERT_TRUE(s) << s.error().detail;
        m_station.emplace(std::move(*s));
    }
    PlatformConfig config(const std::string& url) {
        PlatformConfig c;
        c.baseUrl = url;
        c.appId = "exam-site-01";
        c.privateKeyPem = m_keys.privatePem;
        c.deviceMac = "00:1b:21:3a:4f:01";
        c.timeout = std::chrono::milliseconds(3000);
        return c;
    }
    SignIn signIn(const std::string& cardNo) {
        return {std::nullopt, cardNo, "张伟", "汉", "\xFF\xD8\xFF id-photo", "\xFF\xD8\xFF live"};
    }
    std::int64_t enqueue(PlatformOutbox& outbox, const std::string& cardNo) {
        auto txn = Transaction::begin(m_station->db());
        EXPECT_TRUE(txn);
        auto id = outbox.enqueue(signIn(cardNo), "proctor1");
        EXPECT_TRUE(id) << id.error().detail;
        EXPECT_TRUE(txn->commit());
        return id ? *id : 0;
    }
    std::string stateOf(std::int64_t id) {
        auto s = m_station->db().prepare("SELECT state FROM platform_outbox WHERE id = ?");
        s->bind(1, id);
        EXPECT_TRUE(*s->step());
        return s->columnText(0);
    }

    TempDir m_dir;
    ManualClock m_clock{std::chrono::system_clock::time_point(std::chrono::seconds(1795000000))};
    KeyPair m_keys;
    std::unique_ptr<ConformanceServer> m_server;
    std::optional<Station> m_station;
    CurlTransport m_transport;
};

TEST(PlatformSigning, BaseStringAndMd5) {
    const std::map<std::string, std::string> params = {
        {"version", "1.0.0"}, {"datetime", "20230906143802368"}, {"message", "bWVzc2FnZQ=="}};
    EXPECT_EQ(signatureBase("qwe", params, "abc"), "qwe20230906143802368bWVzc2FnZQ==1.0.0abc");
    EXPECT_EQ(md5UpperHex("abc"), "900150983CD24FB0D6963F7D28E17F72");
    EXPECT_EQ(platformDateTime(
                  std::chrono::system_clock::time_point(std::chrono::milliseconds(1693982282368))),
              "20230906143802368");
}

TEST(PlatformSigning, SignatureVerifiesAndDetectsChanges) {
    const KeyPair keys = makeRsaKey();
    const KeyPair other = makeRsaKey();
    const std::map<std::string, std::string> params = {{"datetime", "20261125084107123"},
                                                       {"version", "1.0.0"},
                                                       {"message", "eyJjYXJkTm8iOiIxIn0="}};
    auto signature = signRequest(keys.privatePem, SignatureDigest::Sha256, "app", params, "m1");
    ASSERT_TRUE(signature);
    EXPECT_TRUE(
        verifyRequest(keys.publicPem, SignatureDigest::Sha256, "app", params, "m1", *signature));
    EXPECT_FALSE(
        verifyRequest(keys.publicPem, SignatureDigest::Sha256, "app", params, "m2", *signature));
    EXPECT_FALSE(
        verifyRequest(other.publicPem, SignatureDigest::Sha256, "app", params, "m1", *signature));
    auto changed = params;
    changed["message"] = "eyJjYXJkTm8iOiIyIn0=";
    EXPECT_FALSE(
        verifyRequest(keys.publicPem, SignatureDigest::Sha256, "app", changed, "m1", *signature));
    EXPECT_FALSE(signRequest("not a key", SignatureDigest::Sha256, "app", params, "m1"));
}

TEST_F(PlatformTest, CheckThenSignIsAcceptedByThePlatform) {
    m_server->knowPerson("370105199809286798");
    PlatformOutbox outbox(*m_station, config(m_server->url()), m_transport);
    const auto id = enqueue(outbox, "370105199809286798");
    auto report = outbox.drain();
    ASSERT_TRUE(report) << report.error().detail;
    EXPECT_EQ(report->signedIn, 1);
    EXPECT_EQ(report->pending, 0);
    EXPECT_EQ(stateOf(id), "done");
    EXPECT_EQ(m_server->signIns(), 1);
    EXPECT_EQ(m_server->badSignatures(), 0);
    EXPECT_EQ(m_server->signWithoutCheck(), 0);
    const json sent = m_server->lastFaceSignMessage();
    EXPECT_EQ(sent["mac"], "00:1b:21:3a:4f:01");
    EXPECT_EQ(
        sent["personPhoto"],
        base64Encode(std::span(reinterpret_cast<const unsigned char*>("\xFF\xD8\xFF live"), 8)));
    std::vector<std::string> kinds;
    ASSERT_TRUE(m_station->log().forEach([&](const LogEntry& e) {
        kinds.push_back(e.kind);
        EXPECT_EQ(e.payload.find("370105199809286798"), std::string::npos) << "full ID logged";
        return true;
    }));
    EXPECT_EQ(kinds,
              (std::vector<std::string>{"platform.queued", "platform.checked", "platform.signed"}));
}

TEST_F(PlatformTest, UnknownPersonIsRejectedAndNeverSigned) {
    PlatformOutbox outbox(*m_station, config(m_server->url()), m_transport);
    const auto id = enqueue(outbox, "11010519491231002X");
    auto report = outbox.drain();
    ASSERT_TRUE(report);
    EXPECT_EQ(report->rejected, 1);
    EXPECT_EQ(stateOf(id), "rejected");
    EXPECT_EQ(m_server->signIns(), 0);
    EXPECT_EQ(m_server->signWithoutCheck(), 0);
}

TEST_F(PlatformTest, ServerRejectsFaceSignWithoutCheckAndForgedSignatures) {
    // Straight to faceSign, bypassing the client's order: the conformance server refuses it.
    CurlTransport transport;
    auto request = buildRequest(config(m_server->url()), {{"cardNo", "1"}}, m_clock.now(), "m1");
    ASSERT_TRUE(request);
    auto reply = transport.post(m_server->url() + "/api/v1/faceSign", request->headers,
                                request->body, std::chrono::milliseconds(3000));
    ASSERT_TRUE(reply);
    EXPECT_EQ(json::parse(reply->body)["code"], 500);
    EXPECT_EQ(m_server->signWithoutCheck(), 1);
    // A request signed with another key.
    auto forged = config(m_server->url());
    forged.privateKeyPem = makeRsaKey().privatePem;
    auto bad = buildRequest(forged, {{"cardNo", "1"}}, m_clock.now(), "m2");
    reply = transport.post(m_server->url() + "/api/v1/faceCheck", bad->headers, bad->body,
                           std::chrono::milliseconds(3000));
    ASSERT_TRUE(reply);
    EXPECT_EQ(json::parse(reply->body)["code"], 500);
    EXPECT_EQ(m_server->badSignatures(), 1);
}

TEST_F(PlatformTest, OutageQueuesDurablyAndLosesNone) {
    const std::vector<std::string> cards = {"370105199809286798", "370112198203267081",
                                            "370104198102152808", "370105197210139397"};
    for (const auto& c : cards) {
        m_server->knowPerson(c);
    }
    m_server->setDown(true);
    {
        PlatformOutbox outbox(*m_station, config(m_server->url()), m_transport);
        for (const auto& c : cards) {
            enqueue(outbox, c);
        }
        auto report = outbox.drain();
        ASSERT_TRUE(report);
        EXPECT_EQ(report->retrying, 4);
        EXPECT_EQ(report->pending, 4);
        // Nothing is due before the back-off has passed.
        m_clock.advance(std::chrono::seconds(1));
        report = outbox.drain();
        EXPECT_EQ(report->retrying, 0);
        m_clock.advance(std::chrono::seconds(2));
        report = outbox.drain();
        EXPECT_EQ(report->retrying, 4);  // second failure: next try in 4 s
    }
    // Nothing reachable at all: connection refused is retried the same way.
    {
        PlatformOutbox outbox(*m_station, config("http://127.0.0.1:1"), m_transport);
        m_clock.advance(std::chrono::seconds(5));
        auto report = outbox.drain();
        ASSERT_TRUE(report);
        EXPECT_EQ(report->retrying, 4);
    }
    openStation();  // the station restarts during the outage
    m_server->setDown(false);
    m_clock.advance(std::chrono::minutes(10));
    PlatformOutbox outbox(*m_station, config(m_server->url()), m_transport);
    auto report = outbox.drain();
    ASSERT_TRUE(report) << report.error().detail;
    EXPECT_EQ(report->signedIn, 4);
    EXPECT_EQ(report->pending, 0);
    EXPECT_EQ(m_server->signedCards(), cards) << "every sign-in delivered once, in order";
    report = outbox.drain();
    EXPECT_EQ(report->signedIn, 0);
    EXPECT_EQ(m_server->signIns(), 4);
}

TEST_F(PlatformTest, MalformedRepliesAreRetriedNotTakenAsAnswers) {
    m_server->knowPerson("370105199809286798");
    m_server->setGarbage(true);
    PlatformOutbox outbox(*m_station, config(m_server->url()), m_transport);
    const auto id = enqueue(outbox, "370105199809286798");
    auto report = outbox.drain();
    ASSERT_TRUE(report);
    EXPECT_EQ(report->retrying, 1);
    EXPECT_EQ(stateOf(id), "pending_check");
    auto error = m_station->db().prepare("SELECT last_error FROM platform_outbox WHERE id = ?");
    error->bind(1, id);
    ASSERT_TRUE(*error->step());
    EXPECT_NE(error->columnText(0).find("not the documented"), std::string::npos);
    m_server->setGarbage(false);
    m_clock.advance(std::chrono::seconds(2));
    report = outbox.drain();
    EXPECT_EQ(report->signedIn, 1);
    EXPECT_EQ(stateOf(id), "done");
}

TEST_F(PlatformTest, RequestsAreEncryptedAtRest) {
    PlatformOutbox outbox(*m_station, config(m_server->url()), m_transport);
    enqueue(outbox, "370105199809286798");
    m_station.reset();
    std::string bytes;
    for (const char* name : {"station.db", "station.db-wal"}) {
        std::ifstream in(m_dir / name, std::ios::binary);
        bytes += std::string(std::istreambuf_iterator<char>(in), {});
    }
    EXPECT_EQ(bytes.find("370105199809286798"), std::string::npos);
}

}  // namespace
}  // namespace examguard::station::platform
