#pragma once

#include "byte_reader.h"
#include "netaudit/decoded_packet.h"

namespace examguard::netaudit::proto {

bool decodeUdp(ByteReader& reader, DecodedPacket& out, AnomalyCounters& anomalies);

}  // namespace examguard::netaudit::proto
