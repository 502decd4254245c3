#include "station/crypto.h"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cstring>
#include <fstream>
#include <memory>

#include <fmt/format.h>
#include <openssl/core_names.h>
#include <openssl/err.h>
#include <openssl/evp.h>
#include <openssl/hmac.h>
#include <openssl/kdf.h>
#include <openssl/rand.h>
#include <openssl/sha.h>

namespace examguard::station {
namespace {

constexpr unsigned char kSealVersion = 1;
constexpr std::size_t kNonceSize = 12;
constexpr std::size_t kTagSize = 16;

std::string opensslError(std::string_view what) {
    const unsigned long code = ERR_get_error();
    char buffer[256] = {};
    if (code != 0) {
        ERR_error_string_n(code, buffer, sizeof buffer);
    }
    return fmt::format("{}: {}", what, code ? buffer : "unknown OpenSSL error");
}

struct CipherCtxDeleter {
    void operator()(EVP_CIPHER_CTX* ctx) const { EVP_CIPHER_CTX_free(ctx); }
};
using CipherCtx = std::unique_ptr<EVP_CIPHER_CTX, CipherCtxDeleter>;

Expected<Key256> hkdf(const Key256& master, std::string_view info) {
    EVP_KDF* kdf = EVP_KDF_fetch(nullptr, "HKDF", nullptr);
    if (!kdf) {
        return fail(ErrorCode::Crypto, opensslError("HKDF unavailable"));
    }
    EVP_KDF_CTX* ctx = EVP_KDF_CTX_new(kdf);
    EVP_KDF_free(kdf);
    if (!ctx) {
        return fail(ErrorCode::Crypto, opensslError("HKDF context"));
    }
    char digest[] = "SHA256";
    std::string infoCopy(info);
    OSSL_PARAM params[] = {
        OSSL_PARAM_construct_utf8_string(OSSL_KDF_PARAM_DIGEST, digest, 0),
        OSSL_PARAM_construct_octet_string(OSSL_KDF_PARAM_KEY,
                                          const_cast<unsigned char*>(master.data()), master.size()),
        OSSL_PARAM_construct_octet_string(OSSL_KDF_PARAM_INFO, infoCopy.data(), infoCopy.size()),
        OSSL_PARAM_construct_end()};
    Key256 out{};
    const int ok = EVP_KDF_derive(ctx, out.data(), out.size(), params);
    EVP_KDF_CTX_free(ctx);
    if (ok != 1) {
        return fail(ErrorCode::Crypto, opensslError("HKDF derive"));
    }
    return out;
}

}  // namespace

std::string toHex(std::span<const unsigned char> bytes) {
    static constexpr char kDigits[] = "0123456789abcdef";
    std::string out;
    out.reserve(bytes.size() * 2);
    for (unsigned char b : bytes) {
        out.push_back(kDigits[b >> 4]);
        out.push_back(kDigits[b & 0x0f]);
    }
    return out;
}

std::array<unsigned char, 32> sha256(std::span<const unsigned char> data) {
    std::array<unsigned char, 32> digest{};
    SHA256(data.data(), data.size(), digest.data());
    return digest;
}

std::string sha256Hex(std::span<const unsigned char> data) {
    return toHex(sha256(data));
}

std::string sha256Hex(std::string_view data) {
    return sha256Hex(std::span(reinterpret_cast<const unsigned char*>(data.data()), data.size()));
}

std::string hmacSha256Hex(const Key256& key, std::string_view data) {
    unsigned char digest[EVP_MAX_MD_SIZE];
    unsigned int length = 0;
    HMAC(EVP_sha256(), key.data(), static_cast<int>(key.size()),
         reinterpret_cast<const unsigned char*>(data.data()), data.size(), digest, &length);
    return toHex(std::span(digest, length));
}

Expected<Bytes> randomBytes(std::size_t count) {
    Bytes out(count);
    if (count > 0 && RAND_bytes(out.data(), static_cast<int>(count)) != 1) {
        return fail(ErrorCode::Crypto, opensslError("random bytes"));
    }
    return out;
}

std::string base64Encode(std::span<const unsigned char> data) {
    std::string out(4 * ((data.size() + 2) / 3), '\0');
    const int n = EVP_EncodeBlock(reinterpret_cast<unsigned char*>(out.data()), data.data(),
                                  static_cast<int>(data.size()));
    out.resize(static_cast<std::size_t>(n));
    return out;
}

Expected<Bytes> base64Decode(std::string_view text) {
    if (text.size() % 4 != 0) {
        return fail(ErrorCode::BadInput, "Base64 text length is not a multiple of 4");
    }
    Bytes out(text.size() / 4 * 3);
    const int n = EVP_DecodeBlock(out.data(), reinterpret_cast<const unsigned char*>(text.data()),
                                  static_cast<int>(text.size()));
    if (n < 0) {
        return fail(ErrorCode::BadInput, "invalid Base64 text");
    }
    std::size_t size = static_cast<std::size_t>(n);
    // EVP_DecodeBlock counts padding as zero bytes; drop them.
    for (std::size_t i = text.size(); i > 0 && text[i - 1] == '=' && size > 0; --i) {
        --size;
    }
    out.resize(size);
    return out;
}

Expected<Bytes> seal(const Key256& key, std::span<const unsigned char> plaintext,
                     std::string_view context) {
    auto nonce = randomBytes(kNonceSize);
    if (!nonce) {
        return tl::unexpected(nonce.error());
    }
    CipherCtx ctx(EVP_CIPHER_CTX_new());
    if (!ctx ||
        EVP_EncryptInit_ex(ctx.get(), EVP_aes_256_gcm(), nullptr, key.data(), nonce->data()) != 1) {
        return fail(ErrorCode::Crypto, opensslError("AES-GCM init"));
    }
    int len = 0;
    if (EVP_EncryptUpdate(ctx.get(), nullptr, &len,
                          reinterpret_cast<const unsigned char*>(context.data()),
                          static_cast<int>(context.size())) != 1) {
        return fail(ErrorCode::Crypto, opensslError("AES-GCM context"));
    }
    Bytes out;
    out.reserve(1 + kNonceSize + plaintext.size() + kTagSize);
    out.push_back(kSealVersion);
    out.insert(out.end(), nonce->begin(), nonce->end());
    const std::size_t header = out.size();
    out.resize(header + plaintext.size() + kTagSize);
    if (EVP_EncryptUpdate(ctx.get(), out.data() + header, &len, plaintext.data(),
                          static_cast<int>(plaintext.size())) != 1) {
        return fail(ErrorCode::Crypto, opensslError("AES-GCM encrypt"));
    }
    int tail = 0;
    if (EVP_EncryptFinal_ex(ctx.get(), out.data() + header + len, &tail) != 1 ||
        EVP_CIPHER_CTX_ctrl(ctx.get(), EVP_CTRL_GCM_GET_TAG, kTagSize,
                            out.data() + header + plaintext.size()) != 1) {
        return fail(ErrorCode::Crypto, opensslError("AES-GCM finish"));
    }
    return out;
}

Expected<Bytes> open(const Key256& key, std::span<const unsigned char> sealed,
                     std::string_view context) {
    if (sealed.size() < 1 + kNonceSize + kTagSize || sealed[0] != kSealVersion) {
        return fail(ErrorCode::Crypto, "encrypted value is malformed or of an unknown version");
    }
    const auto nonce = sealed.subspan(1, kNonceSize);
    const auto body = sealed.subspan(1 + kNonceSize, sealed.size() - 1 - kNonceSize - kTagSize);
    const auto tag = sealed.subspan(sealed.size() - kTagSize);
    CipherCtx ctx(EVP_CIPHER_CTX_new());
    int len = 0;
    Bytes out(body.size());
    if (!ctx ||
        EVP_DecryptInit_ex(ctx.get(), EVP_aes_256_gcm(), nullptr, key.data(), nonce.data()) != 1 ||
        EVP_DecryptUpdate(ctx.get(), nullptr, &len,
                          reinterpret_cast<const unsigned char*>(context.data()),
                          static_cast<int>(context.size())) != 1 ||
        EVP_DecryptUpdate(ctx.get(), out.data(), &len, body.data(),
                          static_cast<int>(body.size())) != 1 ||
        EVP_CIPHER_CTX_ctrl(ctx.get(), EVP_CTRL_GCM_SET_TAG, kTagSize,
                            const_cast<unsigned char*>(tag.data())) != 1) {
        return fail(ErrorCode::Crypto, opensslError("AES-GCM decrypt"));
    }
    int tail = 0;
    if (EVP_DecryptFinal_ex(ctx.get(), out.data() + len, &tail) != 1) {
        return fail(ErrorCode::Crypto,
                    "encrypted value failed authentication (wrong key, or altered)");
    }
    return out;
}

Expected<KeyStore> KeyStore::openOrCreate(const std::filesystem::path& directory) {
    std::error_code ec;
    std::filesystem::create_directories(directory, ec);
    if (ec) {
        return fail(ErrorCode::Io, fmt::format("cannot create key directory {}: {}",
                                               directory.string(), ec.message()));
    }
    std::filesystem::permissions(directory, std::filesystem::perms::owner_all,
                                 std::filesystem::perm_options::replace, ec);
    const auto path = directory / "master.key";
    Key256 master{};
    int fd = ::open(path.c_str(), O_RDONLY | O_CLOEXEC);
    if (fd >= 0) {
        const ssize_t n = ::read(fd, master.data(), master.size());
        ::close(fd);
        if (n != static_cast<ssize_t>(master.size())) {
            return fail(ErrorCode::Crypto, fmt::format("key file {} is damaged (expected {} bytes)",
                                                       path.string(), master.size()));
        }
    } else {
        auto fresh = randomBytes(master.size());
        if (!fresh) {
            return tl::unexpected(fresh.error());
        }
        std::copy(fresh->begin(), fresh->end(), master.begin());
        // Written to a temporary file and renamed, so a crash never leaves half a key.
        const auto tmp = directory / "master.key.tmp";
        fd = ::open(tmp.c_str(), O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0600);
        if (fd < 0 ||
            ::write(fd, master.data(), master.size()) != static_cast<ssize_t>(master.size()) ||
            ::fsync(fd) != 0) {
            if (fd >= 0) {
                ::close(fd);
            }
            return fail(ErrorCode::Io, fmt::format("cannot write key file {}", tmp.string()));
        }
        ::close(fd);
        if (::rename(tmp.c_str(), path.c_str()) != 0) {
            return fail(ErrorCode::Io, fmt::format("cannot create key file {}", path.string()));
        }
    }
    KeyStore store;
    store.m_directory = directory;
    auto dataKey = hkdf(master, "examguard data-at-rest v1");
    auto lookupKey = hkdf(master, "examguard id-lookup v1");
    OPENSSL_cleanse(master.data(), master.size());
    if (!dataKey || !lookupKey) {
        return tl::unexpected(dataKey ? lookupKey.error() : dataKey.error());
    }
    store.m_dataKey = *dataKey;
    store.m_lookupKey = *lookupKey;
    return store;
}

}  // namespace examguard::station
