#include <gtest/gtest.h>

#include <fstream>
#include <memory>
#include <random>
#include <sstream>

#include <openssl/bio.h>
#include <openssl/ec.h>
#include <openssl/evp.h>
#include <openssl/pem.h>
#include <openssl/rsa.h>

#include "agent/report.h"

namespace examguard::agent {
namespace {

namespace fs = std::filesystem;

std::string readText(const fs::path& p) {
    std::ifstream in(p);
    std::stringstream s;
    s << in.rdbuf();
    return s.str();
}

class Keys : public ::testing::Test {
protected:
    void SetUp() override {
        m_dir =
            fs::temp_directory_path() / ("agent-keys-" + std::to_string(std::random_device{}()));
        fs::create_directories(m_dir);
        ASSERT_TRUE(generateKey(m_dir / "a.pem", m_dir / "a.pub"));
        ASSERT_TRUE(generateKey(m_dir / "b.pem", m_dir / "b.pub"));
    }
    void TearDown() override { fs::remove_all(m_dir); }
    fs::path m_dir;
};

Inventory windowsLikeInventory() {
    Inventory inv;
    inv.host.hostname = "考场-PC07";
    inv.host.osName = "Microsoft Windows 10 Pro";
    inv.host.architecture = "AMD64";
    inv.host.cpuMaxMhz = 3193.0001;
    inv.host.memoryBytes = 8ull << 30;
    inv.host.systemDiskBytes = 256ull * 1000 * 1000 * 1000;
    inv.host.cameras.push_back(Camera{"USB Camera", 1920ull * 1080});
    NetworkAdapter nic;
    nic.name = "Ethernet";
    nic.mac = "3c:7c:3f:00:00:07";
    nic.physical = true;
    nic.speedMbps = 1000;
    inv.adapters.push_back(nic);
    return inv;
}

TEST(Baseline, WindowsTenPcPassesEveryItem) {
    const auto inv = windowsLikeInventory();
    for (const auto& item : evaluateBaseline(inv.host, inv.adapters)) {
        EXPECT_EQ(item.result, "pass") << item.item << ": " << item.actual;
    }
}

TEST(Baseline, ShortfallsFailAndUnmeasuredIsUnknown) {
    auto inv = windowsLikeInventory();
    inv.host.cpuMaxMhz = 2400;
    inv.host.memoryBytes = 2ull << 30;
    inv.host.systemDiskBytes = 64ull * 1000 * 1000 * 1000;
    inv.host.cameras[0].maxPixels = 640 * 480;
    inv.adapters[0].speedMbps.reset();
    std::map<std::string, std::string> results;
    for (const auto& item : evaluateBaseline(inv.host, inv.adapters)) {
        results[item.item] = item.result;
    }
    EXPECT_EQ(results["os"], "pass");
    EXPECT_EQ(results["cpu"], "fail");
    EXPECT_EQ(results["memory"], "fail");
    EXPECT_EQ(results["disk"], "fail");
    EXPECT_EQ(results["camera"], "fail");
    EXPECT_EQ(results["nic"], "unknown");
}

TEST_F(Keys, SignedReportSurvivesAFileRoundTripAndVerifies) {
    const auto inv = windowsLikeInventory();
    const auto report = buildReport(inv, {}, "2026-11-23T02:30:00Z", randomNonce());
    const auto envelope = signReport(report, m_dir / "a.pem");
    ASSERT_TRUE(envelope) << envelope.error().detail;
    // Written pretty-printed and parsed again, as the station will.
    const auto reread = nlohmann::json::parse(envelope->dump(2));
    EXPECT_TRUE(verifyEnvelope(reread, readText(m_dir / "a.pub")));
    EXPECT_EQ(reread["report"]["host"]["hostname"], "考场-PC07");
    EXPECT_EQ(reread["report"]["nonce"].get<std::string>().size(), 32u);
}

TEST_F(Keys, TamperingAndOtherKeysAreRefused) {
    const auto report =
        buildReport(windowsLikeInventory(), {}, "2026-11-23T02:30:00Z", randomNonce());
    auto envelope = *signReport(report, m_dir / "a.pem");
    const auto pubA = readText(m_dir / "a.pub");

    auto tampered = envelope;
    tampered["report"]["host"]["memory_bytes"] = 1;
    auto r = verifyEnvelope(tampered, pubA);
    ASSERT_FALSE(r);
    EXPECT_EQ(r.error().code, ErrorCode::kSignatureInvalid);
    EXPECT_NE(r.error().detail.find("altered or forged"), std::string::npos);

    r = verifyEnvelope(envelope, readText(m_dir / "b.pub"));
    ASSERT_FALSE(r);
    EXPECT_NE(r.error().detail.find("different key"), std::string::npos);

    // Signed by b, claiming a's fingerprint: the signature itself fails.
    auto forged = *signReport(report, m_dir / "b.pem");
    forged["signature"]["public_key_sha256"] = envelope["signature"]["public_key_sha256"];
    r = verifyEnvelope(forged, pubA);
    ASSERT_FALSE(r);
    EXPECT_EQ(r.error().code, ErrorCode::kSignatureInvalid);

    auto garbled = envelope;
    garbled["signature"]["value"] = "!!!";
    EXPECT_FALSE(verifyEnvelope(garbled, pubA));
    EXPECT_FALSE(verifyEnvelope(nlohmann::json::array(), pubA));
    const auto badKey = verifyEnvelope(envelope, "not a key");
    ASSERT_FALSE(badKey);
    EXPECT_EQ(badKey.error().code, ErrorCode::kMalformedData);
}

TEST_F(Keys, KeysAreNeverOverwrittenAndPrivateIs0600) {
    const auto again = generateKey(m_dir / "a.pem", m_dir / "c.pub");
    ASSERT_FALSE(again);
    EXPECT_FALSE(fs::exists(m_dir / "c.pub"));
    EXPECT_EQ(fs::status(m_dir / "a.pem").permissions() & fs::perms::all,
              fs::perms::owner_read | fs::perms::owner_write);
    const auto missing = signReport(nlohmann::json::object(), m_dir / "none.pem");
    ASSERT_FALSE(missing);
    EXPECT_EQ(missing.error().code, ErrorCode::kFileNotFound);
    const auto notKey = signReport(nlohmann::json::object(), m_dir / "a.pub");
    ASSERT_FALSE(notKey);
    EXPECT_EQ(notKey.error().code, ErrorCode::kMalformedData);
}

// What a Windows agent sends: ECDSA P-256 over SHA-256 of the canonical bytes, the signature as
// CNG writes it (r and s, 32 bytes each). Made here with OpenSSL; the station must accept it
// with the PC's enrolled P-256 key and refuse it altered or under the wrong label.
std::string pemOfPublicKey(EVP_PKEY* key) {
    std::unique_ptr<BIO, decltype(&BIO_free)> bio(BIO_new(BIO_s_mem()), &BIO_free);
    PEM_write_bio_PUBKEY(bio.get(), key);
    char* data = nullptr;
    const long n = BIO_get_mem_data(bio.get(), &data);
    return std::string(data, static_cast<std::size_t>(n));
}

nlohmann::json ecdsaEnvelope(EVP_PKEY* key, const nlohmann::json& report) {
    const std::string bytes = canonicalBytes(report);
    std::unique_ptr<EVP_MD_CTX, decltype(&EVP_MD_CTX_free)> ctx(EVP_MD_CTX_new(), &EVP_MD_CTX_free);
    std::size_t size = 0;
    EVP_DigestSignInit(ctx.get(), nullptr, EVP_sha256(), nullptr, key);
    EVP_DigestSign(ctx.get(), nullptr, &size, reinterpret_cast<const unsigned char*>(bytes.data()),
                   bytes.size());
    std::vector<unsigned char> der(size);
    EVP_DigestSign(ctx.get(), der.data(), &size,
                   reinterpret_cast<const unsigned char*>(bytes.data()), bytes.size());
    const unsigned char* p = der.data();
    ECDSA_SIG* sig = d2i_ECDSA_SIG(nullptr, &p, static_cast<long>(size));
    unsigned char raw[64];
    BN_bn2binpad(ECDSA_SIG_get0_r(sig), raw, 32);
    BN_bn2binpad(ECDSA_SIG_get0_s(sig), raw + 32, 32);
    ECDSA_SIG_free(sig);
    std::string b64(89, '\0');
    b64.resize(static_cast<std::size_t>(
        EVP_EncodeBlock(reinterpret_cast<unsigned char*>(b64.data()), raw, sizeof raw)));
    return {{"report", report},
            {"signature",
             {{"algorithm", "ecdsa-p256-sha256"},
              {"public_key_sha256", *publicKeyFingerprintPem(pemOfPublicKey(key))},
              {"value", b64}}}};
}

// A Windows agent's envelope verifies as it came, and is refused altered or relabelled with
// another algorithm; the rest of each test checks what is particular to its algorithm.
void expectVerifiesAndRefusesTampering(const nlohmann::json& envelope, const std::string& pub,
                                       const std::string& otherAlgorithm) {
    auto ok = verifyEnvelope(nlohmann::json::parse(envelope.dump(2)), pub);
    EXPECT_TRUE(ok) << (ok ? "" : ok.error().detail);
    const auto refusedFor = [&](nlohmann::json changed, std::string_view why) {
        auto r = verifyEnvelope(changed, pub);
        ASSERT_FALSE(r);
        EXPECT_NE(r.error().detail.find(why), std::string::npos) << r.error().detail;
    };
    auto tampered = envelope;
    tampered["report"]["host"]["hostname"] = "PC08";
    refusedFor(tampered, "altered or forged");
    auto mislabelled = envelope;
    mislabelled["signature"]["algorithm"] = otherAlgorithm;
    refusedFor(mislabelled, "not for it");
}

TEST_F(Keys, EcdsaP256ReportsAsWindowsAgentsSignThemVerify) {
    std::unique_ptr<EVP_PKEY, decltype(&EVP_PKEY_free)> key(EVP_EC_gen("P-256"), &EVP_PKEY_free);
    ASSERT_TRUE(key);
    const std::string pub = pemOfPublicKey(key.get());
    ASSERT_TRUE(publicKeyFingerprintPem(pub));
    const auto report =
        buildReport(windowsLikeInventory(), {}, "2026-11-23T02:30:00Z", randomNonce());
    const auto envelope = ecdsaEnvelope(key.get(), report);
    expectVerifiesAndRefusesTampering(envelope, pub, "ed25519");

    auto shortSignature = envelope;
    shortSignature["signature"]["value"] = "AAAA";
    auto r = verifyEnvelope(shortSignature, pub);
    ASSERT_FALSE(r);
    EXPECT_NE(r.error().detail.find("64 bytes"), std::string::npos);

    // An Ed25519 report relabelled as ECDSA against its own key is refused too.
    auto ed = *signReport(report, m_dir / "a.pem");
    ed["signature"]["algorithm"] = "ecdsa-p256-sha256";
    EXPECT_FALSE(verifyEnvelope(ed, readText(m_dir / "a.pub")));

    // Other curves are not agent keys.
    std::unique_ptr<EVP_PKEY, decltype(&EVP_PKEY_free)> p384(EVP_EC_gen("P-384"), &EVP_PKEY_free);
    const auto other = publicKeyFingerprintPem(pemOfPublicKey(p384.get()));
    ASSERT_FALSE(other);
    EXPECT_EQ(other.error().code, ErrorCode::kMalformedData);
}

// What a Windows agent sends now: RSASSA-PSS (SHA-256, MGF1-SHA-256, 32-byte salt) with its RSA
// key, the one SChannel also presents. Made here with OpenSSL as CNG makes it.
nlohmann::json rsaEnvelope(EVP_PKEY* key, const nlohmann::json& report, int padding,
                           int saltLength) {
    const std::string bytes = canonicalBytes(report);
    std::unique_ptr<EVP_MD_CTX, decltype(&EVP_MD_CTX_free)> ctx(EVP_MD_CTX_new(), &EVP_MD_CTX_free);
    EVP_PKEY_CTX* keyCtx = nullptr;
    EVP_DigestSignInit(ctx.get(), &keyCtx, EVP_sha256(), nullptr, key);
    EVP_PKEY_CTX_set_rsa_padding(keyCtx, padding);
    if (padding == RSA_PKCS1_PSS_PADDING) {
        EVP_PKEY_CTX_set_rsa_pss_saltlen(keyCtx, saltLength);
    }
    std::size_t size = 0;
    EVP_DigestSign(ctx.get(), nullptr, &size, reinterpret_cast<const unsigned char*>(bytes.data()),
                   bytes.size());
    std::vector<unsigned char> sig(size);
    EVP_DigestSign(ctx.get(), sig.data(), &size,
                   reinterpret_cast<const unsigned char*>(bytes.data()), bytes.size());
    std::string b64(4 * ((size + 2) / 3) + 1, '\0');
    b64.resize(static_cast<std::size_t>(EVP_EncodeBlock(
        reinterpret_cast<unsigned char*>(b64.data()), sig.data(), static_cast<int>(size))));
    return {{"report", report},
            {"signature",
             {{"algorithm", "rsa-pss-sha256"},
              {"public_key_sha256", *publicKeyFingerprintPem(pemOfPublicKey(key))},
              {"value", b64}}}};
}

TEST_F(Keys, RsaPssReportsAsWindowsAgentsSignThemVerify) {
    std::unique_ptr<EVP_PKEY, decltype(&EVP_PKEY_free)> key(EVP_RSA_gen(2048), &EVP_PKEY_free);
    ASSERT_TRUE(key);
    const std::string pub = pemOfPublicKey(key.get());
    const auto report =
        buildReport(windowsLikeInventory(), {}, "2026-12-07T02:30:00Z", randomNonce());
    expectVerifiesAndRefusesTampering(rsaEnvelope(key.get(), report, RSA_PKCS1_PSS_PADDING, 32),
                                      pub, "ecdsa-p256-sha256");

    // PKCS#1 v1.5, or PSS with another salt, is not what the label says.
    EXPECT_FALSE(verifyEnvelope(rsaEnvelope(key.get(), report, RSA_PKCS1_PADDING, 0), pub));
    EXPECT_FALSE(verifyEnvelope(rsaEnvelope(key.get(), report, RSA_PKCS1_PSS_PADDING, 20), pub));

    // RSA under 2048 bits is not an agent key.
    std::unique_ptr<EVP_PKEY, decltype(&EVP_PKEY_free)> weak(EVP_RSA_gen(1024), &EVP_PKEY_free);
    const auto refused = publicKeyFingerprintPem(pemOfPublicKey(weak.get()));
    ASSERT_FALSE(refused);
    EXPECT_EQ(refused.error().code, ErrorCode::kMalformedData);
}

}  // namespace
}  // namespace examguard::agent
