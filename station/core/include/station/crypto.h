#pragma once

#include <array>
#include <cstddef>
#include <filesystem>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "station/error.h"

namespace examguard::station {

using Bytes = std::vector<unsigned char>;
using Key256 = std::array<unsigned char, 32>;

std::string toHex(std::span<const unsigned char> bytes);
std::array<unsigned char, 32> sha256(std::span<const unsigned char> data);
std::string sha256Hex(std::string_view data);
std::string sha256Hex(std::span<const unsigned char> data);
std::string hmacSha256Hex(const Key256& key, std::string_view data);
Expected<Bytes> randomBytes(std::size_t count);
std::string base64Encode(std::span<const unsigned char> data);
Expected<Bytes> base64Decode(std::string_view text);

// AES-256-GCM. Sealed layout: version byte 1 | 12-byte nonce | ciphertext | 16-byte tag.
// `context` is authenticated but not stored: a value sealed for "candidate.name" will not
// open as "candidate.id_number", so ciphertexts cannot be swapped between columns.
Expected<Bytes> seal(const Key256& key, std::span<const unsigned char> plaintext,
                     std::string_view context);
Expected<Bytes> open(const Key256& key, std::span<const unsigned char> sealed,
                     std::string_view context);
inline Expected<Bytes> seal(const Key256& key, std::string_view plaintext,
                            std::string_view context) {
    return seal(
        key, std::span(reinterpret_cast<const unsigned char*>(plaintext.data()), plaintext.size()),
        context);
}

// The station's secrets: a 32-byte master key kept in a file readable only by its owner,
// from which purpose-specific keys are derived (HKDF-SHA256). Created on first use.
class KeyStore {
public:
    static Expected<KeyStore> openOrCreate(const std::filesystem::path& directory);
    const Key256& dataKey() const { return m_dataKey; }      // encrypts personal data at rest
    const Key256& lookupKey() const { return m_lookupKey; }  // keyed hashes of ID numbers
    const std::filesystem::path& directory() const { return m_directory; }

private:
    std::filesystem::path m_directory;
    Key256 m_dataKey{};
    Key256 m_lookupKey{};
};

}  // namespace examguard::station
