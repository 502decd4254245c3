// libFuzzer target for the ONVIF reply parsers: WS-Discovery answers arrive by UDP from anyone
// on the LAN, and device/media service replies from whatever answered them.
#include <cstddef>
#include <cstdint>
#include <string_view>

#include "station/onvif.h"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    const std::string_view xml(reinterpret_cast<const char*>(data), size);
    namespace onvif = examguard::station::onvif;
    if (auto matches = onvif::parseProbeMatches(xml, "urn:uuid:fuzz")) {
        for (const auto& m : *matches) {
            (void)onvif::scopeValue(m, "name");
        }
    }
    (void)onvif::parseMediaAddress(xml);
    (void)onvif::parseProfiles(xml);
    if (auto uri = onvif::parseStreamUri(xml)) {
        (void)onvif::withoutUserInfo(*uri);
    }
    return 0;
}
