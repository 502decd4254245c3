#include "proto/dns/dns.h"

#include "byte_reader.h"

namespace examguard::netaudit::proto {

namespace {
constexpr int kMaxPointerJumps = 16;
constexpr std::size_t kMaxNameLength = 255;
constexpr std::size_t kMaxRecords = 64;  // beyond this a message is noise for our purposes

enum class NameResult { kOk, kTruncated, kLoop, kBad };

// Reads a possibly compressed name starting at `offset`; on return `offset` is just after the
// name's in-place bytes.
NameResult readName(const std::uint8_t* msg, std::size_t size, std::size_t& offset,
                    std::string& name) {
    name.clear();
    std::size_t pos = offset;
    bool jumped = false;
    int jumps = 0;
    while (true) {
        if (pos >= size) {
            return NameResult::kTruncated;
        }
        const std::uint8_t len = msg[pos];
        if ((len & 0xc0) == 0xc0) {
            if (pos + 1 >= size) {
                return NameResult::kTruncated;
            }
            const std::size_t target = (std::size_t{len & 0x3fU} << 8) | msg[pos + 1];
            if (!jumped) {
                offset = pos + 2;
                jumped = true;
            }
            if (++jumps > kMaxPointerJumps) {
                return NameResult::kLoop;
            }
            pos = target;
            continue;
        }
        if ((len & 0xc0) != 0) {
            return NameResult::kBad;  // 0x40/0x80 label types are obsolete
        }
        if (len == 0) {
            if (!jumped) {
                offset = pos + 1;
            }
            return NameResult::kOk;
        }
        if (pos + 1 + len > size) {
            return NameResult::kTruncated;
        }
        if (!name.empty()) {
            name.push_back('.');
        }
        for (std::size_t i = 0; i < len; ++i) {
            char c = static_cast<char>(msg[pos + 1 + i]);
            if (c >= 'A' && c <= 'Z') {
                c = static_cast<char>(c - 'A' + 'a');
            }
            name.push_back(c);
        }
        if (name.size() > kMaxNameLength) {
            return NameResult::kBad;
        }
        pos += 1 + len;
    }
}

bool countNameError(NameResult result, AnomalyCounters& anomalies) {
    switch (result) {
        case NameResult::kOk:
            return true;
        case NameResult::kTruncated:
            anomalies.add(Anomaly::kTruncatedDns);
            return false;
        case NameResult::kLoop:
            anomalies.add(Anomaly::kDnsCompressionLoop);
            return false;
        case NameResult::kBad:
            anomalies.add(Anomaly::kBadDnsName);
            return false;
    }
    return false;
}
}  // namespace

bool decodeDns(const std::uint8_t* data, std::size_t length, DnsMessage& out,
               AnomalyCounters& anomalies) {
    if (length < 12) {
        anomalies.add(Anomaly::kTruncatedDns);
        return false;
    }
    out.id = readBe16(data);
    out.isResponse = (data[2] & 0x80) != 0;
    const std::size_t questions = readBe16(data + 4);
    const std::size_t answers = readBe16(data + 6);
    std::size_t offset = 12;
    std::string name;
    for (std::size_t i = 0; i < questions && i < kMaxRecords; ++i) {
        if (!countNameError(readName(data, length, offset, name), anomalies)) {
            return false;
        }
        if (offset + 4 > length) {
            anomalies.add(Anomaly::kTruncatedDns);
            return false;
        }
        offset += 4;
        out.questions.push_back(name);
    }
    for (std::size_t i = 0; i < answers && i < kMaxRecords; ++i) {
        if (!countNameError(readName(data, length, offset, name), anomalies)) {
            return false;
        }
        if (offset + 10 > length) {
            anomalies.add(Anomaly::kTruncatedDns);
            return false;
        }
        const std::uint16_t type = readBe16(data + offset);
        const std::uint16_t klass = readBe16(data + offset + 2) & 0x7fffU;  // mDNS cache-flush bit
        const std::size_t rdLength = readBe16(data + offset + 8);
        offset += 10;
        if (offset + rdLength > length) {
            anomalies.add(Anomaly::kTruncatedDns);
            return false;
        }
        if (klass == 1 && type == 1 && rdLength == 4) {
            out.answers.push_back({name, IpAddress::v4(data + offset)});
        } else if (klass == 1 && type == 28 && rdLength == 16) {
            out.answers.push_back({name, IpAddress::v6(data + offset)});
        }
        offset += rdLength;
    }
    return true;
}

}  // namespace examguard::netaudit::proto
