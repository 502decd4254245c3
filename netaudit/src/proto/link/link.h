#pragma once

#include "byte_reader.h"
#include "netaudit/decoded_packet.h"

namespace examguard::netaudit::proto {

// Strips the link-layer header of any supported DLT (Ethernet, BSD loopback DLT_NULL/DLT_LOOP,
// Linux cooked SLL and SLL2, raw IP) and sets out.etherType to the network protocol.
bool decodeLinkLayer(int linkType, ByteReader& reader, DecodedPacket& out,
                     AnomalyCounters& anomalies);

bool isKnownLinkType(int linkType);

}  // namespace examguard::netaudit::proto
