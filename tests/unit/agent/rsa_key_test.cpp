#include "report/rsa_key.h"

#include <gtest/gtest.h>

#include <memory>

#include <openssl/evp.h>
#include <openssl/x509.h>

namespace examguard::agent {
namespace {

using Pkey = std::unique_ptr<EVP_PKEY, decltype(&EVP_PKEY_free)>;

// What one of OpenSSL's i2d_* functions writes for a key.
template <typename Encode>
Bytes derOf(Encode encode) {
    unsigned char* der = nullptr;
    const int n = encode(&der);
    Bytes out(der, der + std::max(n, 0));
    OPENSSL_free(der);
    return out;
}

// The traditional PKCS#1 RSAPrivateKey form, which OpenSSL's i2d_PrivateKey writes for RSA.
Bytes traditionalOf(EVP_PKEY* key) {
    return derOf([key](unsigned char** out) { return i2d_PrivateKey(key, out); });
}

Bytes pkcs8InfoOf(EVP_PKEY* key) {
    PKCS8_PRIV_KEY_INFO* info = EVP_PKEY2PKCS8(key);
    Bytes out = derOf([info](unsigned char** der) { return i2d_PKCS8_PRIV_KEY_INFO(info, der); });
    PKCS8_PRIV_KEY_INFO_free(info);
    return out;
}

Bytes spkiOf(EVP_PKEY* key) {
    return derOf([key](unsigned char** out) { return i2d_PUBKEY(key, out); });
}

class RsaKeyTest : public ::testing::Test {
protected:
    static void SetUpTestSuite() { s_key = EVP_RSA_gen(2048); }
    static void TearDownTestSuite() { EVP_PKEY_free(s_key); }
    static EVP_PKEY* s_key;
};
EVP_PKEY* RsaKeyTest::s_key = nullptr;

TEST_F(RsaKeyTest, ReadsAndWritesOpenSslsPkcs8ByteForByte) {
    ASSERT_NE(s_key, nullptr);
    const Bytes der = pkcs8InfoOf(s_key);
    ASSERT_TRUE(isRsaPkcs8(der));
    auto key = parseRsaPkcs8(der);
    ASSERT_TRUE(key) << key.error().detail;
    EXPECT_EQ(key->bits(), 2048u);
    EXPECT_EQ(key->publicExponent, (Bytes{0x01, 0x00, 0x01}));
    EXPECT_EQ(encodeRsaPkcs8(*key), der);  // DER is canonical: same key, same bytes
    EXPECT_EQ(encodeRsaSpki(*key), spkiOf(s_key));
    // The traditional RSAPrivateKey form is not PKCS#8.
    EXPECT_FALSE(isRsaPkcs8(traditionalOf(s_key)));
}

TEST_F(RsaKeyTest, KeyBlobsCarryTheSameKey) {
    const auto key = *parseRsaPkcs8(pkcs8InfoOf(s_key));
    auto cng = toBcryptFullPrivateBlob(key);
    ASSERT_TRUE(cng);
    EXPECT_EQ(cng->size(), 24 + 3 + 256 + 128 * 5 + 256);
    auto back = fromBcryptFullPrivateBlob(*cng);
    ASSERT_TRUE(back) << back.error().detail;
    EXPECT_EQ(encodeRsaPkcs8(*back), encodeRsaPkcs8(key));

    auto capi = toCapiPrivateKeyBlob(key);
    ASSERT_TRUE(capi);
    ASSERT_EQ(capi->size(), 20 + 256 * 2 + 128 * 5);
    EXPECT_EQ((Bytes{capi->begin(), capi->begin() + 8}),
              (Bytes{0x07, 0x02, 0, 0, 0x00, 0xa4, 0, 0}));  // PRIVATEKEYBLOB, CALG_RSA_KEYX
    EXPECT_EQ((Bytes{capi->begin() + 8, capi->begin() + 20}),
              (Bytes{'R', 'S', 'A', '2', 0x00, 0x08, 0, 0, 0x01, 0x00, 0x01, 0x00}));
    // The modulus little-endian: its last byte first.
    EXPECT_EQ((*capi)[20], key.modulus.back());
    EXPECT_EQ((*capi)[20 + 255], key.modulus.front());
}

TEST_F(RsaKeyTest, RefusesMalformedKeysNamingWhatIsWrong) {
    const Bytes der = pkcs8InfoOf(s_key);
    // Every truncation is refused, never read past.
    for (std::size_t n = 0; n < der.size(); n += 7) {
        EXPECT_FALSE(parseRsaPkcs8(Bytes(der.begin(), der.begin() + n))) << n;
    }
    Bytes trailing = der;
    trailing.push_back(0);
    auto r = parseRsaPkcs8(trailing);
    ASSERT_FALSE(r);
    EXPECT_NE(r.error().detail.find("not one DER PrivateKeyInfo"), std::string::npos);

    Pkey ec(EVP_EC_gen("P-256"), &EVP_PKEY_free);
    const Bytes ecDer = pkcs8InfoOf(ec.get());
    EXPECT_FALSE(isRsaPkcs8(ecDer));
    r = parseRsaPkcs8(ecDer);
    ASSERT_FALSE(r);
    EXPECT_NE(r.error().detail.find("not rsaEncryption"), std::string::npos);

    Pkey small(EVP_RSA_gen(1024), &EVP_PKEY_free);
    r = parseRsaPkcs8(pkcs8InfoOf(small.get()));
    ASSERT_FALSE(r);
    EXPECT_NE(r.error().detail.find("1024 bits"), std::string::npos);

    Bytes lying = *toBcryptFullPrivateBlob(*parseRsaPkcs8(der));
    lying[12] = 0xff;  // cbModulus
    r = fromBcryptFullPrivateBlob(lying);
    ASSERT_FALSE(r);
    EXPECT_NE(r.error().detail.find("do not add up"), std::string::npos);
}

TEST_F(RsaKeyTest, CryptoApiCannotHoldAHugeExponent) {
    auto key = *parseRsaPkcs8(pkcs8InfoOf(s_key));
    key.publicExponent = {0x01, 0x00, 0x00, 0x00, 0x01};
    auto r = toCapiPrivateKeyBlob(key);
    ASSERT_FALSE(r);
    EXPECT_NE(r.error().detail.find("over 32 bits"), std::string::npos);
}

}  // namespace
}  // namespace examguard::agent
