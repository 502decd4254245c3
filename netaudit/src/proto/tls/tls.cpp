#include "proto/tls/tls.h"

#include "byte_reader.h"

namespace examguard::netaudit::proto {

namespace {
constexpr std::uint8_t kRecordHandshake = 0x16;
constexpr std::size_t kMaxRecordLength = 16384 + 2048;
constexpr std::size_t kMaxHandshakeBytes = 64 * 1024;

enum class Collect { kComplete, kNeedMore, kNotTls, kEncrypted };

// Concatenates the fragments of leading handshake records. kEncrypted when a non-handshake record
// follows (ChangeCipherSpec / application data: nothing more is readable in the clear).
Collect collectHandshake(const std::uint8_t* data, std::size_t length,
                         std::vector<std::uint8_t>& out) {
    std::size_t pos = 0;
    while (pos < length) {
        if (length - pos < 5) {
            return out.empty() && !(data[pos] == kRecordHandshake) ? Collect::kNotTls
                                                                   : Collect::kNeedMore;
        }
        const std::uint8_t type = data[pos];
        const std::uint8_t major = data[pos + 1];
        const std::size_t recordLength = readBe16(data + pos + 3);
        if (major != 3 || recordLength > kMaxRecordLength) {
            return Collect::kNotTls;
        }
        if (type != kRecordHandshake) {
            return pos == 0 ? Collect::kNotTls : Collect::kEncrypted;
        }
        if (length - pos - 5 < recordLength) {
            out.insert(out.end(), data + pos + 5, data + length);
            return Collect::kNeedMore;
        }
        out.insert(out.end(), data + pos + 5, data + pos + 5 + recordLength);
        if (out.size() > kMaxHandshakeBytes) {
            return Collect::kComplete;
        }
        pos += 5 + recordLength;
    }
    return Collect::kNeedMore;
}

bool parseExtensions(ByteReader& reader, TlsClientHello& out) {
    std::uint16_t total = 0;
    ByteReader extensions(nullptr, 0);
    if (!reader.u16(total) || !reader.sub(total, extensions)) {
        return false;
    }
    while (extensions.remaining() > 0) {
        std::uint16_t type = 0;
        std::uint16_t len = 0;
        ByteReader ext(nullptr, 0);
        if (!extensions.u16(type) || !extensions.u16(len) || !extensions.sub(len, ext)) {
            return false;
        }
        if (type == 0) {  // server_name
            std::uint16_t listLength = 0;
            ByteReader list(nullptr, 0);
            if (!ext.u16(listLength) || !ext.sub(listLength, list)) {
                return false;
            }
            while (list.remaining() > 0) {
                std::uint8_t nameType = 0;
                std::uint16_t nameLength = 0;
                std::string_view name;
                if (!list.u8(nameType) || !list.u16(nameLength) || !list.text(nameLength, name)) {
                    return false;
                }
                if (nameType == 0 && out.serverName.empty()) {
                    out.serverName = std::string(name);
                }
            }
        } else if (type == 16) {  // application_layer_protocol_negotiation
            std::uint16_t listLength = 0;
            ByteReader list(nullptr, 0);
            if (!ext.u16(listLength) || !ext.sub(listLength, list)) {
                return false;
            }
            while (list.remaining() > 0) {
                std::uint8_t protoLength = 0;
                std::string_view proto;
                if (!list.u8(protoLength) || !list.text(protoLength, proto)) {
                    return false;
                }
                out.alpn.emplace_back(proto);
            }
        }
    }
    return true;
}
}  // namespace

ParseStatus parseTlsClientHello(const std::uint8_t* data, std::size_t length, TlsClientHello& out,
                                AnomalyCounters& anomalies) {
    if (length >= 1 && data[0] != kRecordHandshake) {
        return ParseStatus::kNotThisProtocol;
    }
    std::vector<std::uint8_t> hs;
    const Collect collected = collectHandshake(data, length, hs);
    if (collected == Collect::kNotTls) {
        return ParseStatus::kNotThisProtocol;
    }
    if (length >= 3) {
        out.recordVersion = readBe16(data + 1);
    }
    ByteReader reader(hs.data(), hs.size());
    std::uint8_t type = 0;
    std::uint32_t bodyLength = 0;
    if (!reader.u8(type) || !reader.u24(bodyLength)) {
        return collected == Collect::kNeedMore ? ParseStatus::kNeedMore
                                               : ParseStatus::kNotThisProtocol;
    }
    if (type != 1) {
        return ParseStatus::kNotThisProtocol;
    }
    ByteReader body(nullptr, 0);
    if (!reader.sub(bodyLength, body)) {
        if (collected == Collect::kNeedMore) {
            return ParseStatus::kNeedMore;
        }
        anomalies.add(Anomaly::kTruncatedTlsRecord);
        return ParseStatus::kMalformed;
    }
    std::uint8_t sessionIdLength = 0;
    std::uint16_t cipherLength = 0;
    std::uint8_t compressionLength = 0;
    if (!body.skip(2 + 32) || !body.u8(sessionIdLength) || !body.skip(sessionIdLength) ||
        !body.u16(cipherLength) || !body.skip(cipherLength) || !body.u8(compressionLength) ||
        !body.skip(compressionLength)) {
        anomalies.add(Anomaly::kBadTlsHandshake);
        return ParseStatus::kMalformed;
    }
    if (body.remaining() == 0) {
        return ParseStatus::kOk;  // no extensions at all (SSLv3-style hello)
    }
    if (!parseExtensions(body, out)) {
        anomalies.add(Anomaly::kBadTlsHandshake);
        return ParseStatus::kMalformed;
    }
    return ParseStatus::kOk;
}

ParseStatus parseTlsServerHandshake(const std::uint8_t* data, std::size_t length,
                                    TlsServerHandshake& out, AnomalyCounters& anomalies) {
    if (length >= 1 && data[0] != kRecordHandshake) {
        return ParseStatus::kNotThisProtocol;
    }
    std::vector<std::uint8_t> hs;
    const Collect collected = collectHandshake(data, length, hs);
    if (collected == Collect::kNotTls) {
        return ParseStatus::kNotThisProtocol;
    }
    ByteReader reader(hs.data(), hs.size());
    while (reader.remaining() > 0) {
        std::uint8_t type = 0;
        std::uint32_t bodyLength = 0;
        ByteReader body(nullptr, 0);
        if (!reader.u8(type) || !reader.u24(bodyLength) || !reader.sub(bodyLength, body)) {
            break;  // message continues in bytes not yet seen
        }
        if (type == 2) {
            out.sawServerHello = true;
            continue;
        }
        if (type != 11) {
            continue;
        }
        std::uint32_t listLength = 0;
        std::uint32_t certLength = 0;
        ByteReader cert(nullptr, 0);
        if (!body.u24(listLength) || !body.u24(certLength) || !body.sub(certLength, cert)) {
            anomalies.add(Anomaly::kBadTlsHandshake);
            return ParseStatus::kMalformed;
        }
        if (!parseCertificateSubject(cert.data(), cert.size(), out.certCommonName,
                                     out.certOrganization)) {
            anomalies.add(Anomaly::kBadX509Certificate);
            return ParseStatus::kMalformed;
        }
        return ParseStatus::kOk;
    }
    return collected == Collect::kNeedMore ? ParseStatus::kNeedMore : ParseStatus::kNotThisProtocol;
}

}  // namespace examguard::netaudit::proto
