#include "report/pem.h"

#include <gtest/gtest.h>

#include <openssl/evp.h>

namespace examguard::agent {
namespace {

TEST(Base64, EncodesLikeOpenSsl) {
    Bytes data;
    for (int size = 0; size < 70; ++size) {
        std::string expected(4 * ((data.size() + 2) / 3) + 1, '\0');
        expected.resize(static_cast<std::size_t>(
            EVP_EncodeBlock(reinterpret_cast<unsigned char*>(expected.data()), data.data(),
                            static_cast<int>(data.size()))));
        EXPECT_EQ(base64Encode(data.data(), data.size()), expected) << size;
        auto back = base64Decode(expected);
        ASSERT_TRUE(back) << size;
        EXPECT_EQ(*back, data) << size;
        data.push_back(static_cast<unsigned char>(size * 37 + 11));
    }
}

TEST(Base64, RefusesWhatIsNotBase64) {
    const auto refused = [](std::string_view text, std::string_view why) {
        auto r = base64Decode(text);
        ASSERT_FALSE(r) << text;
        EXPECT_EQ(r.error().code, ErrorCode::kMalformedData);
        EXPECT_NE(r.error().detail.find(why), std::string::npos) << r.error().detail;
    };
    refused("QUJD*", "character 5");
    refused("QQ==QQ==", "after '='");
    refused("Q", "whole byte");
    refused("QUJDRA===", "whole byte");
    // Line breaks inside are fine, as PEM has them.
    auto r = base64Decode("QUJD\nRA==\n");
    ASSERT_TRUE(r);
    EXPECT_EQ(std::string(r->begin(), r->end()), "ABCD");
}

TEST(Pem, RoundTripsAndNamesAMissingBlock) {
    const Bytes der(200, 0x5a);
    const std::string text = pemEncode("PUBLIC KEY", der);
    EXPECT_EQ(text.rfind("-----BEGIN PUBLIC KEY-----\n", 0), 0u);
    for (std::size_t start = 0, end; (end = text.find('\n', start)) != std::string::npos;
         start = end + 1) {
        EXPECT_LE(end - start, 64u);
    }
    auto back = pemDecode("leading text\n" + text, "PUBLIC KEY");
    ASSERT_TRUE(back);
    EXPECT_EQ(*back, der);

    auto missing = pemDecode(text, "PRIVATE KEY");
    ASSERT_FALSE(missing);
    EXPECT_NE(missing.error().detail.find("no PEM block 'PRIVATE KEY'"), std::string::npos);
    auto unterminated = pemDecode("-----BEGIN PRIVATE KEY-----\nQUJD\n", "PRIVATE KEY");
    EXPECT_FALSE(unterminated);
    auto broken = pemDecode("-----BEGIN X-----\n!!!!\n-----END X-----\n", "X");
    ASSERT_FALSE(broken);
    EXPECT_NE(broken.error().detail.find("PEM 'X': base64"), std::string::npos);
}

}  // namespace
}  // namespace examguard::agent
