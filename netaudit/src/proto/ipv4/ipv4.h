#pragma once

#include "byte_reader.h"
#include "netaudit/decoded_packet.h"

namespace examguard::netaudit::proto {

// On success the reader covers exactly the IP payload (trailing Ethernet padding cut off).
bool decodeIpv4(ByteReader& reader, DecodedPacket& out, AnomalyCounters& anomalies);

}  // namespace examguard::netaudit::proto
