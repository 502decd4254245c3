// ONVIF WS-Discovery: the ProbeMatches parser on well-formed, foreign and hostile replies, and
// discover() against a responder on a real UDP socket on loopback.
#include <arpa/inet.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <unistd.h>

#include <string>
#include <thread>

#include <gtest/gtest.h>

#include "loopback.h"
#include "monitor/onvif.h"

namespace examguard::monitor {
namespace {

// A reply shaped as cameras send it (SOAP 1.2, WS-Addressing 2004/08, WS-Discovery 2005/04),
// with other prefixes than our probe uses.
std::string reply(const std::string& relatesTo, const std::string& matches) {
    return R"(<?xml version="1.0" encoding="UTF-8"?>
<SOAP-ENV:Envelope xmlns:SOAP-ENV="http://www.w3.org/2003/05/soap-envelope"
  xmlns:wsa="http://schemas.xmlsoap.org/ws/2004/08/addressing"
  xmlns:wsdd="http://schemas.xmlsoap.org/ws/2005/04/discovery"
  xmlns:tdn="http://www.onvif.org/ver10/network/wsdl">
 <SOAP-ENV:Header>
  <wsa:MessageID>urn:uuid:0f2c2c8e-5b4a-4c7e-9d0a-3b1f6c2e9a11</wsa:MessageID>
  <wsa:RelatesTo>)" +
           relatesTo + R"(</wsa:RelatesTo>
  <wsa:To>http://schemas.xmlsoap.org/ws/2004/08/addressing/role/anonymous</wsa:To>
  <wsa:Action>http://schemas.xmlsoap.org/ws/2005/04/discovery/ProbeMatches</wsa:Action>
 </SOAP-ENV:Header>
 <SOAP-ENV:Body><wsdd:ProbeMatches>)" +
           matches + R"(</wsdd:ProbeMatches></SOAP-ENV:Body>
</SOAP-ENV:Envelope>)";
}

std::string match(const std::string& uuid, const std::string& xaddrs) {
    return R"(
  <wsdd:ProbeMatch>
   <wsa:EndpointReference><wsa:Address>)" +
           uuid + R"(</wsa:Address></wsa:EndpointReference>
   <wsdd:Types>tdn:NetworkVideoTransmitter tds:Device</wsdd:Types>
   <wsdd:Scopes>onvif://www.onvif.org/type/video_encoder onvif://www.onvif.org/name/IPC%20Camera
     onvif://www.onvif.org/hardware/DS-2CD2143G0-I onvif://www.onvif.org/location/T1_front
     onvif://www.onvif.org/Profile/Streaming</wsdd:Scopes>
   <wsdd:XAddrs>)" +
           xaddrs + R"(</wsdd:XAddrs>
   <wsdd:MetadataVersion>1</wsdd:MetadataVersion>
  </wsdd:ProbeMatch>)";
}

constexpr const char* kProbeId = "urn:uuid:11111111-2222-4333-8444-555555555555";

TEST(OnvifProbe, NamesItsMessageIdAndAsksForVideoTransmitters) {
    const std::string probe = probeMessage(kProbeId);
    EXPECT_NE(probe.find(std::string("<w:MessageID>") + kProbeId + "</w:MessageID>"),
              std::string::npos);
    EXPECT_NE(probe.find("dn:NetworkVideoTransmitter"), std::string::npos);
    EXPECT_NE(probe.find("discovery/Probe</w:Action>"), std::string::npos);
}

TEST(OnvifProbeMatches, ReadsEndpointAddressesTypesAndScopes) {
    auto devices = parseProbeMatches(
        reply(kProbeId, match("urn:uuid:a1b2c3d4-0000-4000-8000-001122334455",
                              "http://192.168.1.64/onvif/device_service "
                              "http://[fe80::1]/onvif/device_service ftp://192.168.1.64/x") +
                            match("urn:uuid:b", "https://10.0.0.9:8443/onvif/device_service")),
        kProbeId);
    ASSERT_TRUE(devices) << devices.error();
    ASSERT_EQ(devices->size(), 2u);
    const DiscoveredDevice& d = (*devices)[0];
    EXPECT_EQ(d.endpoint, "urn:uuid:a1b2c3d4-0000-4000-8000-001122334455");
    EXPECT_EQ(d.xaddrs, (std::vector<std::string>{"http://192.168.1.64/onvif/device_service",
                                                  "http://[fe80::1]/onvif/device_service"}));
    EXPECT_EQ(d.types, (std::vector<std::string>{"tdn:NetworkVideoTransmitter", "tds:Device"}));
    EXPECT_EQ(d.scopes.size(), 5u);
    EXPECT_EQ(d.name, "IPC Camera");
    EXPECT_EQ(d.hardware, "DS-2CD2143G0-I");
    EXPECT_EQ(d.location, "T1 front");
    EXPECT_EQ((*devices)[1].xaddrs.front(), "https://10.0.0.9:8443/onvif/device_service");
}

TEST(OnvifProbeMatches, RefusesRepliesToAnotherProbeAndNonReplies) {
    const std::string ok = reply(kProbeId, match("urn:uuid:a", "http://h/onvif"));
    auto other = parseProbeMatches(ok, "urn:uuid:other");
    ASSERT_FALSE(other);
    EXPECT_NE(other.error().find("another probe"), std::string::npos);
    EXPECT_TRUE(parseProbeMatches(ok));  // without an expected id

    for (const auto& [text, words] :
         {std::pair<std::string, std::string>{"not xml at all <", "not XML"},
          {"", "not XML"},
          {"<html><body>hello</body></html>", "not a SOAP envelope"},
          {"<e:Envelope xmlns:e='x'><e:Body><Hello/></e:Body></e:Envelope>", "not a ProbeMatches"},
          {std::string(70000, ' '), "more than"}}) {
        auto parsed = parseProbeMatches(text);
        ASSERT_FALSE(parsed) << text.substr(0, 40);
        EXPECT_NE(parsed.error().find(words), std::string::npos) << parsed.error();
    }
}

TEST(OnvifProbeMatches, EntitiesAreNeverExpandedOrLoaded) {
    const std::string xxe =
        "<?xml version='1.0'?><!DOCTYPE e [<!ENTITY x SYSTEM 'file:///etc/passwd'>"
        "<!ENTITY a 'aaaaaaaaaa'><!ENTITY b '&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;'>]>" +
        reply(kProbeId, match("urn:uuid:&x;&b;", "http://h/&x;"))
            .substr(std::string("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n").size());
    auto devices = parseProbeMatches(xxe);
    if (devices) {
        for (const auto& d : *devices) {
            EXPECT_EQ(d.endpoint.find("root:"), std::string::npos);
            EXPECT_EQ(d.endpoint.find("aaaaaaaaaaaa"), std::string::npos);
            for (const auto& x : d.xaddrs) {
                EXPECT_EQ(x.find("root:"), std::string::npos);
            }
        }
    }
}

TEST(OnvifProbeMatches, BoundsCountsAndSkipsUnreachableMatches) {
    std::string many;
    for (int i = 0; i < 100; ++i) {
        many += match("urn:uuid:" + std::to_string(i), "http://h" + std::to_string(i) + "/");
    }
    many += "<wsdd:ProbeMatch><wsdd:Types>x</wsdd:Types></wsdd:ProbeMatch>";
    auto devices = parseProbeMatches(reply(kProbeId, many));
    ASSERT_TRUE(devices) << devices.error();
    EXPECT_EQ(devices->size(), 64u);
    auto empty = parseProbeMatches(reply(
        kProbeId, "<wsdd:ProbeMatch><wsdd:XAddrs>gopher://x</wsdd:XAddrs></wsdd:ProbeMatch>"));
    ASSERT_TRUE(empty);
    EXPECT_TRUE(empty->empty());
}

// A camera on loopback: answers the probe it receives (echoing its MessageID), after a
// datagram of garbage and a reply to another probe, which discover() must skip.
TEST(OnvifDiscover, FindsTheCameraThatAnswersOnLoopback) {
    const auto socket = test::bindLoopback(SOCK_DGRAM);
    ASSERT_GE(socket.fd, 0);
    const int fd = socket.fd;
    std::string received;
    std::thread camera([&] {
        char buffer[65536];
        sockaddr_in from{};
        socklen_t fromLength = sizeof from;
        const ssize_t n = ::recvfrom(fd, buffer, sizeof buffer, 0,
                                     reinterpret_cast<sockaddr*>(&from), &fromLength);
        if (n <= 0) {
            return;
        }
        received.assign(buffer, static_cast<std::size_t>(n));
        const auto begin = received.find("<w:MessageID>") + 13;
        const std::string id = received.substr(begin, received.find('<', begin) - begin);
        for (const std::string& answer :
             {std::string("\x01\x02garbage"),
              reply("urn:uuid:someone-else", match("urn:uuid:x", "http://10.9.9.9/")),
              reply(id, match("urn:uuid:cam-1", "http://127.0.0.1:8080/onvif/device_service")),
              reply(id, match("urn:uuid:cam-1", "http://127.0.0.1:8080/onvif/device_service"))}) {
            ::sendto(fd, answer.data(), answer.size(), 0, reinterpret_cast<sockaddr*>(&from),
                     fromLength);
        }
    });
    auto result = discover({.timeout = std::chrono::milliseconds(1500),
                            .target = "127.0.0.1:" + std::to_string(socket.port)});
    camera.join();
    ::close(fd);
    ASSERT_TRUE(result) << result.error();
    ASSERT_EQ(result->devices.size(), 1u);  // the repeated reply is the same device
    EXPECT_EQ(result->devices[0].endpoint, "urn:uuid:cam-1");
    EXPECT_EQ(result->devices[0].xaddrs.front(), "http://127.0.0.1:8080/onvif/device_service");
    EXPECT_EQ(result->devices[0].name, "IPC Camera");
    EXPECT_EQ(result->devices[0].from.rfind("127.0.0.1:", 0), 0u);
    EXPECT_EQ(result->badReplies, 2);
    EXPECT_NE(received.find("NetworkVideoTransmitter"), std::string::npos);
}

TEST(OnvifDiscover, BadTargetIsAnError) {
    for (const char* target : {"", "camera:3702", "1.2.3.4", "1.2.3.4:0", "1.2.3.4:70000"}) {
        auto result = discover({.timeout = std::chrono::milliseconds(10), .target = target});
        ASSERT_FALSE(result) << target;
        EXPECT_NE(result.error().find("IPv4"), std::string::npos);
    }
}

}  // namespace
}  // namespace examguard::monitor
