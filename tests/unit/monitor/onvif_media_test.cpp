// ONVIF Media replies (GetCapabilities, GetProfiles, GetStreamUri), SOAP faults, hostile
// replies, and the WS-Security password digest against a digest computed independently here.
#include <gtest/gtest.h>
#include <openssl/evp.h>

#include "monitor/onvif.h"

namespace examguard::monitor {
namespace {

std::string envelope(const std::string& body) {
    return R"(<?xml version="1.0" encoding="UTF-8"?>
<env:Envelope xmlns:env="http://www.w3.org/2003/05/soap-envelope"
 xmlns:tds="http://www.onvif.org/ver10/device/wsdl" xmlns:trt="http://www.onvif.org/ver10/media/wsdl"
 xmlns:tt="http://www.onvif.org/ver10/schema"><env:Body>)" +
           body + "</env:Body></env:Envelope>";
}

TEST(OnvifMedia, ReadsTheMediaServiceAddress) {
    auto xaddr = parseMediaXAddr(envelope(
        "<tds:GetCapabilitiesResponse><tds:Capabilities><tt:Media>"
        "<tt:XAddr>http://192.168.1.64/onvif/Media</tt:XAddr></tt:Media></tds:Capabilities>"
        "</tds:GetCapabilitiesResponse>"));
    ASSERT_TRUE(xaddr) << xaddr.error();
    EXPECT_EQ(*xaddr, "http://192.168.1.64/onvif/Media");
    auto bad = parseMediaXAddr(
        envelope("<tds:GetCapabilitiesResponse><tds:Capabilities><tt:Media>"
                 "<tt:XAddr>file:///etc/passwd</tt:XAddr></tt:Media></tds:Capabilities>"
                 "</tds:GetCapabilitiesResponse>"));
    ASSERT_FALSE(bad);
    EXPECT_NE(bad.error().find("no http(s) Media"), std::string::npos);
}

TEST(OnvifMedia, ReadsProfilesWithEncodingAndResolution) {
    auto profiles = parseProfiles(envelope(R"(<trt:GetProfilesResponse>
<trt:Profiles token="Profile_1" fixed="true"><tt:Name>mainStream</tt:Name>
 <tt:VideoEncoderConfiguration token="VideoEncoderToken_1"><tt:Name>VideoEncoder_1</tt:Name>
  <tt:Encoding>H264</tt:Encoding><tt:Resolution><tt:Width>1920</tt:Width><tt:Height>1080</tt:Height></tt:Resolution>
 </tt:VideoEncoderConfiguration></trt:Profiles>
<trt:Profiles token="Profile_2"><tt:Name>subStream</tt:Name>
 <tt:VideoEncoderConfiguration><tt:Encoding>H264</tt:Encoding><tt:Resolution><tt:Width>640</tt:Width><tt:Height>360</tt:Height></tt:Resolution></tt:VideoEncoderConfiguration></trt:Profiles>
<trt:Profiles><tt:Name>no token: skipped</tt:Name></trt:Profiles>
</trt:GetProfilesResponse>)"));
    ASSERT_TRUE(profiles) << profiles.error();
    ASSERT_EQ(profiles->size(), 2u);
    EXPECT_EQ((*profiles)[0].token, "Profile_1");
    EXPECT_EQ((*profiles)[0].name, "mainStream");
    EXPECT_EQ((*profiles)[0].encoding, "H264");
    EXPECT_EQ((*profiles)[0].width, 1920);
    EXPECT_EQ((*profiles)[0].height, 1080);
    EXPECT_EQ((*profiles)[1].width, 640);
}

TEST(OnvifMedia, ReadsTheStreamUriAndRefusesOtherSchemes) {
    auto uri = parseStreamUri(envelope(
        "<trt:GetStreamUriResponse><trt:MediaUri><tt:Uri>rtsp://192.168.1.64:554/Streaming/"
        "Channels/101?transportmode=unicast&amp;profile=Profile_1</tt:Uri>"
        "<tt:InvalidAfterConnect>false</tt:InvalidAfterConnect></trt:MediaUri>"
        "</trt:GetStreamUriResponse>"));
    ASSERT_TRUE(uri) << uri.error();
    EXPECT_EQ(*uri,
              "rtsp://192.168.1.64:554/Streaming/Channels/101?transportmode=unicast&profile="
              "Profile_1");
    EXPECT_FALSE(parseStreamUri(
        envelope("<trt:GetStreamUriResponse><trt:MediaUri><tt:Uri>javascript:alert(1)</tt:Uri>"
                 "</trt:MediaUri></trt:GetStreamUriResponse>")));
}

TEST(OnvifMedia, FaultsAndNonRepliesAreErrorsNamingTheReason) {
    auto fault = parseProfiles(
        envelope("<env:Fault><env:Code><env:Value>env:Sender</env:Value><env:Subcode><env:Value>"
                 "ter:NotAuthorized</env:Value></env:Subcode></env:Code><env:Reason><env:Text "
                 "xml:lang=\"en\">Sender not Authorized</env:Text></env:Reason></env:Fault>"));
    ASSERT_FALSE(fault);
    EXPECT_EQ(fault.error(), "SOAP fault: Sender not Authorized (ter:NotAuthorized)");
    for (const std::string& text : {std::string("<html>"), std::string("<a/>"), envelope("<x/>"),
                                    std::string(2 * 1024 * 1024, 'x')}) {
        EXPECT_FALSE(parseProfiles(text));
        EXPECT_FALSE(parseStreamUri(text));
        EXPECT_FALSE(parseMediaXAddr(text));
    }
}

TEST(OnvifMedia, PasswordDigestIsBase64OfSha1OfNonceCreatedAndPassword) {
    const std::string nonce = "0123456789abcdef";
    const std::string created = "2026-11-23T05:30:00Z";
    const std::string header = usernameTokenHeader({"admin<&>", "pa ss"}, nonce, created);
    // SHA-1 over the same bytes, base64 by OpenSSL's other encoder.
    const std::string material = nonce + created + "pa ss";
    unsigned char digest[EVP_MAX_MD_SIZE];
    unsigned length = 0;
    EVP_Digest(material.data(), material.size(), digest, &length, EVP_sha1(), nullptr);
    unsigned char encoded[64] = {};
    EVP_EncodeBlock(encoded, digest, static_cast<int>(length));
    EXPECT_NE(header.find(std::string("#PasswordDigest\">") + reinterpret_cast<char*>(encoded) +
                          "</wsse:Password>"),
              std::string::npos)
        << header;
    EXPECT_NE(header.find("<wsse:Username>admin&lt;&amp;&gt;</wsse:Username>"), std::string::npos);
    EXPECT_NE(header.find(">MDEyMzQ1Njc4OWFiY2RlZg==</wsse:Nonce>"), std::string::npos);
    EXPECT_NE(header.find("<wsu:Created>2026-11-23T05:30:00Z</wsu:Created>"), std::string::npos);
    EXPECT_EQ(header.find("pa ss"), std::string::npos);  // never the password itself
}

TEST(OnvifMedia, UnreachableOrNonHttpDeviceIsAnError) {
    auto ftp = readStreamProfiles("ftp://127.0.0.1/onvif", {}, std::chrono::milliseconds(500));
    ASSERT_FALSE(ftp);
    EXPECT_NE(ftp.error().find("not an http(s) URL"), std::string::npos);
    auto closed = readStreamProfiles("http://admin:pw@127.0.0.1:1/onvif/device_service", {},
                                     std::chrono::milliseconds(500));
    ASSERT_FALSE(closed);
    EXPECT_EQ(closed.error().find("pw"), std::string::npos) << closed.error();
}

}  // namespace
}  // namespace examguard::monitor
