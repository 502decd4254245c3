#pragma once

#include "byte_reader.h"
#include "netaudit/decoded_packet.h"

namespace examguard::netaudit::proto {

// Walks hop-by-hop, routing, destination-options and fragment headers to the transport header.
bool decodeIpv6(ByteReader& reader, DecodedPacket& out, AnomalyCounters& anomalies);

}  // namespace examguard::netaudit::proto
