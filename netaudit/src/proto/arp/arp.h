#pragma once

#include "byte_reader.h"
#include "netaudit/decoded_packet.h"

namespace examguard::netaudit::proto {

// Ethernet/IPv4 ARP (the only kind on an exam LAN); other hardware/protocol pairs are counted.
bool decodeArp(ByteReader& reader, DecodedPacket& out, AnomalyCounters& anomalies);

}  // namespace examguard::netaudit::proto
