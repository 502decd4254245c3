// Just enough DER to reach tbsCertificate.subject; a full ASN.1 library would be a large
// dependency for two strings.
#include "byte_reader.h"
#include "proto/tls/tls.h"

namespace examguard::netaudit::proto {

namespace {

struct Tlv {
    std::uint8_t tag = 0;
    ByteReader value{nullptr, 0};
};

bool readTlv(ByteReader& reader, Tlv& out) {
    std::uint8_t first = 0;
    if (!reader.u8(out.tag) || !reader.u8(first)) {
        return false;
    }
    std::size_t length = first;
    if (first & 0x80U) {
        const std::size_t count = first & 0x7fU;
        if (count == 0 || count > 4) {
            return false;  // indefinite lengths are not DER; > 4 GiB is nonsense here
        }
        length = 0;
        for (std::size_t i = 0; i < count; ++i) {
            std::uint8_t b = 0;
            if (!reader.u8(b)) {
                return false;
            }
            length = (length << 8) | b;
        }
    }
    return reader.sub(length, out.value);
}

bool readName(ByteReader name, std::string& commonName, std::string& organization) {
    static constexpr std::uint8_t kCn[] = {0x55, 0x04, 0x03};
    static constexpr std::uint8_t kO[] = {0x55, 0x04, 0x0a};
    while (name.remaining() > 0) {
        Tlv set;
        if (!readTlv(name, set) || set.tag != 0x31) {
            return false;
        }
        while (set.value.remaining() > 0) {
            Tlv attribute;
            Tlv oid;
            Tlv value;
            if (!readTlv(set.value, attribute) || attribute.tag != 0x30 ||
                !readTlv(attribute.value, oid) || oid.tag != 0x06 ||
                !readTlv(attribute.value, value)) {
                return false;
            }
            std::string_view text;
            value.value.text(value.value.size(), text);
            if (oid.value.size() == 3 && std::equal(kCn, kCn + 3, oid.value.data())) {
                commonName = std::string(text);
            } else if (oid.value.size() == 3 && std::equal(kO, kO + 3, oid.value.data())) {
                organization = std::string(text);
            }
        }
    }
    return true;
}

}  // namespace

bool parseCertificateSubject(const std::uint8_t* der, std::size_t length, std::string& commonName,
                             std::string& organization) {
    ByteReader reader(der, length);
    Tlv certificate;
    Tlv tbs;
    if (!readTlv(reader, certificate) || certificate.tag != 0x30 ||
        !readTlv(certificate.value, tbs) || tbs.tag != 0x30) {
        return false;
    }
    Tlv field;
    if (!readTlv(tbs.value, field)) {
        return false;
    }
    if (field.tag == 0xa0 && !readTlv(tbs.value, field)) {  // optional [0] version, then serial
        return false;
    }
    // signature algorithm, issuer, validity, then subject
    for (int i = 0; i < 3; ++i) {
        if (!readTlv(tbs.value, field)) {
            return false;
        }
    }
    Tlv subject;
    if (!readTlv(tbs.value, subject) || subject.tag != 0x30) {
        return false;
    }
    return readName(subject.value, commonName, organization);
}

}  // namespace examguard::netaudit::proto
