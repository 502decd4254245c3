#pragma once

#include <cstddef>

#include <tl/expected.hpp>

#include "agent/error.h"
#include "report/pem.h"

namespace examguard::agent {

// An RSA private key as the Windows agent keeps it: a PKCS#8 PEM file the station's OpenSSL reads
// too. Windows agents sign with RSA because the client certificate of a TLS connection made
// through SChannel must be an RSA key in a CryptoAPI container under Wine (its SChannel reads
// nothing else) and the same key signs the reports, so a report cannot be relayed under another
// PC's connection (docs/agent.md, "Delivery from Windows"). Portable C++: it is unit-tested and
// fuzzed on Linux.
struct RsaPrivateKey {
    // Big-endian unsigned integers without leading zero bytes.
    Bytes modulus;
    Bytes publicExponent;
    Bytes privateExponent;
    Bytes prime1;
    Bytes prime2;
    Bytes exponent1;
    Bytes exponent2;
    Bytes coefficient;

    std::size_t bits() const;
};

inline constexpr std::size_t kMinRsaBits = 2048;
inline constexpr std::size_t kMaxRsaBits = 16384;
inline constexpr unsigned kAgentRsaBits = 3072;

// True when the PKCS#8 PrivateKeyInfo names rsaEncryption (it may still be malformed).
bool isRsaPkcs8(const Bytes& der);
// A PKCS#8 PrivateKeyInfo holding an RFC 8017 RSAPrivateKey of 2048..16384 bits; kMalformedData
// naming the field that is wrong.
tl::expected<RsaPrivateKey, Error> parseRsaPkcs8(const Bytes& der);
Bytes encodeRsaPkcs8(const RsaPrivateKey& key);
// The public half as a DER SubjectPublicKeyInfo (what the public key file and the fingerprint
// are made of).
Bytes encodeRsaSpki(const RsaPrivateKey& key);
// The PKCS#1 RSAPublicKey inside it, as a certificate's subjectPublicKey bit string holds it.
Bytes encodeRsaPublicKey(const RsaPrivateKey& key);

// CNG's BCRYPT_RSAFULLPRIVATE_BLOB (big-endian fields after a little-endian header), what the
// agent generates and signs with.
tl::expected<Bytes, Error> toBcryptFullPrivateBlob(const RsaPrivateKey& key);
tl::expected<RsaPrivateKey, Error> fromBcryptFullPrivateBlob(const Bytes& blob);
// CryptoAPI's PRIVATEKEYBLOB (little-endian, CALG_RSA_KEYX), what SChannel's key container
// takes. Needs a public exponent of at most 32 bits and primes of half the modulus' length, as
// every key made by CNG or OpenSSL has.
tl::expected<Bytes, Error> toCapiPrivateKeyBlob(const RsaPrivateKey& key);

}  // namespace examguard::agent
