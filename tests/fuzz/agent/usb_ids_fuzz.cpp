// libFuzzer target for usb.ids, which the Windows agent reads from beside its program and the
// Linux agent from /usr/share/misc: a damaged file may be refused, never crash, and what is
// accepted answers look-ups.
#include <cstddef>
#include <cstdint>
#include <string_view>

#include "agent/usb_ids.h"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    const std::string_view text(reinterpret_cast<const char*>(data), size);
    if (auto ids = examguard::agent::UsbIds::parse(text)) {
        (void)ids->vendor(0x046d);
        (void)ids->product(0x046d, 0xc52b);
    }
    return 0;
}
