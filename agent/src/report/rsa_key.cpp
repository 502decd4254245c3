#include "report/rsa_key.h"

#include <algorithm>
#include <array>
#include <cstdint>
#include <optional>

#include <fmt/format.h>

namespace examguard::agent {

namespace {

// rsaEncryption, 1.2.840.113549.1.1.1, as DER content bytes.
constexpr std::array<unsigned char, 9> kRsaOid = {0x2a, 0x86, 0x48, 0x86, 0xf7,
                                                  0x0d, 0x01, 0x01, 0x01};
constexpr unsigned char kSequence = 0x30;
constexpr unsigned char kInteger = 0x02;
constexpr unsigned char kOctetString = 0x04;
constexpr unsigned char kBitString = 0x03;
constexpr unsigned char kNull = 0x05;
constexpr unsigned char kOid = 0x06;

constexpr std::uint32_t kBcryptFullPrivateMagic = 0x33415352;  // "RSA3"
constexpr std::uint32_t kCapiPrivateMagic = 0x32415352;        // "RSA2"
constexpr unsigned char kCapiPrivateKeyBlob = 0x07;
constexpr std::uint32_t kCalgRsaKeyx = 0x0000a400;

// A bounded reader over DER: every read checks what is left, so truncated or lying lengths end
// in an error naming the field, never in a read past the buffer.
class DerReader {
public:
    DerReader(const unsigned char* data, std::size_t size) : m_data(data), m_size(size) {}

    bool atEnd() const { return m_pos == m_size; }

    // The content of the next element if it has this tag.
    std::optional<DerReader> element(unsigned char tag) {
        if (m_pos + 2 > m_size || m_data[m_pos] != tag) {
            return std::nullopt;
        }
        std::size_t pos = m_pos + 1;
        std::size_t length = m_data[pos++];
        if (length & 0x80) {
            const std::size_t count = length & 0x7f;
            if (count == 0 || count > 4 || pos + count > m_size) {
                return std::nullopt;
            }
            length = 0;
            for (std::size_t i = 0; i < count; ++i) {
                length = (length << 8) | m_data[pos++];
            }
        }
        if (length > m_size - pos) {
            return std::nullopt;
        }
        m_pos = pos + length;
        return DerReader(m_data + pos, length);
    }

    // A non-negative INTEGER without its sign byte.
    std::optional<Bytes> unsignedInteger() {
        auto content = element(kInteger);
        if (!content || content->m_size == 0 || (content->m_data[0] & 0x80) != 0) {
            return std::nullopt;
        }
        const unsigned char* begin = content->m_data;
        const unsigned char* end = begin + content->m_size;
        while (begin + 1 < end && *begin == 0) {
            ++begin;
        }
        return Bytes(begin, end);
    }

    Bytes rest() const { return Bytes(m_data + m_pos, m_data + m_size); }
    const unsigned char* data() const { return m_data; }
    std::size_t size() const { return m_size; }

private:
    const unsigned char* m_data;
    std::size_t m_size;
    std::size_t m_pos = 0;
};

void appendLength(Bytes& out, std::size_t length) {
    if (length < 0x80) {
        out.push_back(static_cast<unsigned char>(length));
        return;
    }
    Bytes digits;
    for (std::size_t l = length; l != 0; l >>= 8) {
        digits.insert(digits.begin(), static_cast<unsigned char>(l & 0xff));
    }
    out.push_back(static_cast<unsigned char>(0x80 | digits.size()));
    out.insert(out.end(), digits.begin(), digits.end());
}

Bytes tlv(unsigned char tag, const Bytes& content) {
    Bytes out{tag};
    appendLength(out, content.size());
    out.insert(out.end(), content.begin(), content.end());
    return out;
}

Bytes derInteger(const Bytes& value) {
    Bytes content = value.empty() ? Bytes{0} : value;
    if (content[0] & 0x80) {
        content.insert(content.begin(), 0);
    }
    return tlv(kInteger, content);
}

Bytes concat(std::initializer_list<Bytes> parts) {
    Bytes out;
    for (const auto& p : parts) {
        out.insert(out.end(), p.begin(), p.end());
    }
    return out;
}

Bytes rsaAlgorithm() {
    return tlv(kSequence,
               concat({tlv(kOid, Bytes(kRsaOid.begin(), kRsaOid.end())), Bytes{kNull, 0}}));
}

bool isZero(const Bytes& value) {
    return std::all_of(value.begin(), value.end(), [](unsigned char b) { return b == 0; });
}

// Big-endian `value` left-padded to `size` bytes; nullopt when it does not fit.
std::optional<Bytes> padded(const Bytes& value, std::size_t size) {
    if (value.size() > size) {
        return std::nullopt;
    }
    Bytes out(size - value.size(), 0);
    out.insert(out.end(), value.begin(), value.end());
    return out;
}

Bytes stripped(const unsigned char* begin, const unsigned char* end) {
    while (begin + 1 < end && *begin == 0) {
        ++begin;
    }
    return Bytes(begin, end);
}

void putLe32(Bytes& out, std::uint32_t v) {
    for (int i = 0; i < 4; ++i) {
        out.push_back(static_cast<unsigned char>((v >> (8 * i)) & 0xff));
    }
}

std::uint32_t getLe32(const unsigned char* p) {
    return std::uint32_t{p[0]} | (std::uint32_t{p[1]} << 8) | (std::uint32_t{p[2]} << 16) |
           (std::uint32_t{p[3]} << 24);
}

tl::expected<RsaPrivateKey, Error> malformed(std::string why) {
    return tl::unexpected(Error{ErrorCode::kMalformedData, "RSA private key: " + std::move(why)});
}

// What a key must satisfy wherever it came from: sizes within bounds, nothing zero.
tl::expected<RsaPrivateKey, Error> checked(RsaPrivateKey key) {
    const std::size_t bits = key.bits();
    if (bits < kMinRsaBits || bits > kMaxRsaBits) {
        return malformed(fmt::format("{} bits, outside {}..{}", bits, kMinRsaBits, kMaxRsaBits));
    }
    for (const Bytes* field : {&key.publicExponent, &key.privateExponent, &key.prime1, &key.prime2,
                               &key.exponent1, &key.exponent2, &key.coefficient}) {
        if (isZero(*field) || field->size() > key.modulus.size()) {
            return malformed("a component is zero or longer than the modulus");
        }
    }
    // Each CRT value is reduced modulo its prime: no longer than it, as the key blobs lay out.
    if (key.exponent1.size() > key.prime1.size() || key.coefficient.size() > key.prime1.size() ||
        key.exponent2.size() > key.prime2.size()) {
        return malformed("a CRT component is longer than its prime");
    }
    return key;
}

}  // namespace

std::size_t RsaPrivateKey::bits() const {
    if (modulus.empty() || modulus[0] == 0) {
        return 0;
    }
    std::size_t top = 0;
    for (unsigned b = modulus[0]; b != 0; b >>= 1) {
        ++top;
    }
    return (modulus.size() - 1) * 8 + top;
}

bool isRsaPkcs8(const Bytes& der) {
    DerReader top(der.data(), der.size());
    auto info = top.element(kSequence);
    if (!info || !info->unsignedInteger()) {
        return false;
    }
    auto algorithm = info->element(kSequence);
    auto oid = algorithm ? algorithm->element(kOid) : std::nullopt;
    return oid &&
           std::equal(oid->data(), oid->data() + oid->size(), kRsaOid.begin(), kRsaOid.end());
}

tl::expected<RsaPrivateKey, Error> parseRsaPkcs8(const Bytes& der) {
    DerReader top(der.data(), der.size());
    auto info = top.element(kSequence);
    if (!info || !top.atEnd()) {
        return malformed("not one DER PrivateKeyInfo");
    }
    auto version = info->unsignedInteger();
    if (!version || !isZero(*version)) {
        return malformed("PrivateKeyInfo version is not 0");
    }
    if (!isRsaPkcs8(der)) {
        return malformed("the algorithm is not rsaEncryption");
    }
    info->element(kSequence);
    auto octets = info->element(kOctetString);
    if (!octets) {
        return malformed("no privateKey octet string");
    }
    auto sequence = octets->element(kSequence);
    if (!sequence || !octets->atEnd()) {
        return malformed("privateKey is not one RSAPrivateKey");
    }
    auto rsaVersion = sequence->unsignedInteger();
    if (!rsaVersion || !isZero(*rsaVersion)) {
        return malformed("RSAPrivateKey version is not 0 (two-prime)");
    }
    RsaPrivateKey key;
    constexpr const char* kNames[] = {"modulus",   "publicExponent", "privateExponent",
                                      "prime1",    "prime2",         "exponent1",
                                      "exponent2", "coefficient"};
    Bytes* fields[] = {&key.modulus, &key.publicExponent, &key.privateExponent, &key.prime1,
                       &key.prime2,  &key.exponent1,      &key.exponent2,       &key.coefficient};
    for (std::size_t i = 0; i < std::size(fields); ++i) {
        auto value = sequence->unsignedInteger();
        if (!value) {
            return malformed(fmt::format("{} is missing or not a positive INTEGER", kNames[i]));
        }
        *fields[i] = std::move(*value);
    }
    if (!sequence->atEnd()) {
        return malformed("RSAPrivateKey has extra fields");
    }
    return checked(std::move(key));
}

Bytes encodeRsaPkcs8(const RsaPrivateKey& key) {
    const Bytes rsa = tlv(
        kSequence, concat({derInteger({}), derInteger(key.modulus), derInteger(key.publicExponent),
                           derInteger(key.privateExponent), derInteger(key.prime1),
                           derInteger(key.prime2), derInteger(key.exponent1),
                           derInteger(key.exponent2), derInteger(key.coefficient)}));
    return tlv(kSequence, concat({derInteger({}), rsaAlgorithm(), tlv(kOctetString, rsa)}));
}

Bytes encodeRsaPublicKey(const RsaPrivateKey& key) {
    return tlv(kSequence, concat({derInteger(key.modulus), derInteger(key.publicExponent)}));
}

Bytes encodeRsaSpki(const RsaPrivateKey& key) {
    Bytes bits{0};  // no unused bits
    const Bytes publicKey = encodeRsaPublicKey(key);
    bits.insert(bits.end(), publicKey.begin(), publicKey.end());
    return tlv(kSequence, concat({rsaAlgorithm(), tlv(kBitString, bits)}));
}

tl::expected<Bytes, Error> toBcryptFullPrivateBlob(const RsaPrivateKey& key) {
    const std::size_t n = key.modulus.size();
    const std::size_t p = key.prime1.size();
    const std::size_t q = key.prime2.size();
    Bytes blob;
    putLe32(blob, kBcryptFullPrivateMagic);
    putLe32(blob, static_cast<std::uint32_t>(key.bits()));
    putLe32(blob, static_cast<std::uint32_t>(key.publicExponent.size()));
    putLe32(blob, static_cast<std::uint32_t>(n));
    putLe32(blob, static_cast<std::uint32_t>(p));
    putLe32(blob, static_cast<std::uint32_t>(q));
    const std::pair<const Bytes*, std::size_t> parts[] = {
        {&key.publicExponent, key.publicExponent.size()},
        {&key.modulus, n},
        {&key.prime1, p},
        {&key.prime2, q},
        {&key.exponent1, p},
        {&key.exponent2, q},
        {&key.coefficient, p},
        {&key.privateExponent, n}};
    for (const auto& [value, size] : parts) {
        auto big = padded(*value, size);
        if (!big) {
            return tl::unexpected(
                Error{ErrorCode::kMalformedData,
                      "RSA private key: a CRT component is longer than its prime"});
        }
        blob.insert(blob.end(), big->begin(), big->end());
    }
    return blob;
}

tl::expected<RsaPrivateKey, Error> fromBcryptFullPrivateBlob(const Bytes& blob) {
    if (blob.size() < 24 || getLe32(blob.data()) != kBcryptFullPrivateMagic) {
        return malformed("not a BCRYPT_RSAFULLPRIVATE_BLOB");
    }
    const std::size_t e = getLe32(blob.data() + 8);
    const std::size_t n = getLe32(blob.data() + 12);
    const std::size_t p = getLe32(blob.data() + 16);
    const std::size_t q = getLe32(blob.data() + 20);
    if (n > kMaxRsaBits / 8 || e > n || p > n || q > n ||
        blob.size() != 24 + e + n + p + q + p + q + p + n) {
        return malformed("the blob's sizes do not add up");
    }
    const unsigned char* at = blob.data() + 24;
    const auto take = [&at](std::size_t size) {
        Bytes v = stripped(at, at + size);
        at += size;
        return v;
    };
    RsaPrivateKey key;
    key.publicExponent = take(e);
    key.modulus = take(n);
    key.prime1 = take(p);
    key.prime2 = take(q);
    key.exponent1 = take(p);
    key.exponent2 = take(q);
    key.coefficient = take(p);
    key.privateExponent = take(n);
    return checked(std::move(key));
}

tl::expected<Bytes, Error> toCapiPrivateKeyBlob(const RsaPrivateKey& key) {
    const std::size_t bits = key.bits();
    const std::size_t n = (bits + 7) / 8;
    const std::size_t half = (n + 1) / 2;
    if (key.publicExponent.size() > 4) {
        return tl::unexpected(Error{ErrorCode::kMalformedData,
                                    "RSA private key: the public exponent is over 32 bits, which "
                                    "CryptoAPI cannot hold"});
    }
    std::uint32_t exponent = 0;
    for (unsigned char b : key.publicExponent) {
        exponent = (exponent << 8) | b;
    }
    Bytes blob{kCapiPrivateKeyBlob, 2, 0, 0};
    putLe32(blob, kCalgRsaKeyx);
    putLe32(blob, kCapiPrivateMagic);
    putLe32(blob, static_cast<std::uint32_t>(bits));
    putLe32(blob, exponent);
    const std::pair<const Bytes*, std::size_t> parts[] = {
        {&key.modulus, n},        {&key.prime1, half},    {&key.prime2, half},
        {&key.exponent1, half},   {&key.exponent2, half}, {&key.coefficient, half},
        {&key.privateExponent, n}};
    for (const auto& [value, size] : parts) {
        auto big = padded(*value, size);
        if (!big) {
            return tl::unexpected(Error{ErrorCode::kMalformedData,
                                        "RSA private key: its primes are not half the modulus' "
                                        "length, which CryptoAPI cannot hold"});
        }
        blob.insert(blob.end(), big->rbegin(), big->rend());  // little-endian
    }
    return blob;
}

}  // namespace examguard::agent
