// The Windows agent's side of report delivery, through SChannel (secur32) and crypt32: Debian has
// no OpenSSL for mingw-w64. TLS 1.2 — what Windows 10's SChannel speaks (its TLS 1.3 came with
// Windows 11) and so what `agent serve` accepts beside 1.3. The PC's client certificate is its
// RSA report key, put for the length of one connection into a CryptoAPI key container, the one
// place SChannel (Windows' and Wine's alike) takes a client key from; the container is deleted
// when the connection ends. The station's certificate is checked here, after the handshake and
// before a byte of the report is sent: issued by the agent CA the administrator gave, in date,
// for serverAuth, and for the address dialled. Windows builds only.
#include <winsock2.h>
#include <ws2tcpip.h>
// after winsock2.h
#include <wincrypt.h>
#include <windows.h>
#define SECURITY_WIN32
#include <schannel.h>
#include <security.h>

#include <algorithm>
#include <cstring>
#include <fstream>
#include <memory>
#include <sstream>

#include <fmt/format.h>

#include "agent/transport.h"
#include "report/pem.h"
#include "report/rsa_key.h"

namespace examguard::agent {

namespace {

std::wstring widen(const std::string& text) {
    if (text.empty()) {
        return {};
    }
    const int n =
        MultiByteToWideChar(CP_UTF8, 0, text.data(), static_cast<int>(text.size()), nullptr, 0);
    std::wstring out(static_cast<std::size_t>(std::max(n, 0)), L'\0');
    MultiByteToWideChar(CP_UTF8, 0, text.data(), static_cast<int>(text.size()), out.data(), n);
    return out;
}

// SChannel's status codes in words: the ones a delivery meets, and the number for the rest.
std::string statusText(SECURITY_STATUS status) {
    switch (status) {
        case SEC_E_UNKNOWN_CREDENTIALS:
            return "SChannel cannot use this PC's certificate and key (SEC_E_UNKNOWN_CREDENTIALS)";
        case SEC_E_NO_CREDENTIALS:
            return "no usable client certificate (SEC_E_NO_CREDENTIALS)";
        case SEC_E_ALGORITHM_MISMATCH:
            return "no TLS version or cipher in common with the station (SEC_E_ALGORITHM_MISMATCH)";
        case SEC_E_ILLEGAL_MESSAGE:
            return "the station ended the handshake, most likely refusing this PC's certificate "
                   "(SEC_E_ILLEGAL_MESSAGE)";
        case SEC_E_INVALID_TOKEN:
            return "the station's answer is not TLS (SEC_E_INVALID_TOKEN)";
        case SEC_E_CERT_UNKNOWN:
        case SEC_E_UNTRUSTED_ROOT:
            return "certificate refused (SEC_E_CERT_UNKNOWN)";
        case SEC_E_INTERNAL_ERROR:
            return "SChannel internal error (SEC_E_INTERNAL_ERROR)";
        default:
            return fmt::format("SChannel status 0x{:08x}", static_cast<unsigned long>(status));
    }
}

struct Winsock {
    bool started = false;
    Winsock() {
        WSADATA data;
        started = WSAStartup(MAKEWORD(2, 2), &data) == 0;
    }
    ~Winsock() {
        if (started) {
            WSACleanup();
        }
    }
};

struct Socket {
    SOCKET s = INVALID_SOCKET;
    ~Socket() {
        if (s != INVALID_SOCKET) {
            closesocket(s);
        }
    }
};

std::string socketError() {
    return fmt::format("Winsock error {}", WSAGetLastError());
}

// Connects within the timeout, then leaves the socket blocking with receive and send timeouts.
tl::expected<void, Error> connectTo(const Destination& to, Socket& socket) {
    addrinfo hints{};
    hints.ai_family = AF_UNSPEC;
    hints.ai_socktype = SOCK_STREAM;
    hints.ai_protocol = IPPROTO_TCP;
    addrinfo* found = nullptr;
    const std::string port = std::to_string(to.port);
    if (getaddrinfo(to.host.c_str(), port.c_str(), &hints, &found) != 0) {
        return tl::unexpected(Error{ErrorCode::kUnreadable,
                                    fmt::format("cannot resolve {}: {}", to.host, socketError())});
    }
    std::unique_ptr<addrinfo, decltype(&freeaddrinfo)> addresses(found, &freeaddrinfo);
    std::string lastError = "no address";
    for (addrinfo* a = found; a != nullptr; a = a->ai_next) {
        Socket s;
        s.s = ::socket(a->ai_family, a->ai_socktype, a->ai_protocol);
        if (s.s == INVALID_SOCKET) {
            lastError = socketError();
            continue;
        }
        u_long nonBlocking = 1;
        ioctlsocket(s.s, FIONBIO, &nonBlocking);
        if (::connect(s.s, a->ai_addr, static_cast<int>(a->ai_addrlen)) != 0 &&
            WSAGetLastError() != WSAEWOULDBLOCK) {
            lastError = socketError();
            continue;
        }
        fd_set writable, failed;
        FD_ZERO(&writable);
        FD_ZERO(&failed);
        FD_SET(s.s, &writable);
        FD_SET(s.s, &failed);
        timeval timeout{to.timeoutSeconds, 0};
        const int ready = select(0, nullptr, &writable, &failed, &timeout);
        int soError = 0;
        int len = sizeof soError;
        getsockopt(s.s, SOL_SOCKET, SO_ERROR, reinterpret_cast<char*>(&soError), &len);
        if (ready <= 0 || FD_ISSET(s.s, &failed) || soError != 0) {
            lastError = ready == 0 ? "timed out" : fmt::format("Winsock error {}", soError);
            continue;
        }
        nonBlocking = 0;
        ioctlsocket(s.s, FIONBIO, &nonBlocking);
        const DWORD ms = static_cast<DWORD>(to.timeoutSeconds) * 1000;
        setsockopt(s.s, SOL_SOCKET, SO_RCVTIMEO, reinterpret_cast<const char*>(&ms), sizeof ms);
        setsockopt(s.s, SOL_SOCKET, SO_SNDTIMEO, reinterpret_cast<const char*>(&ms), sizeof ms);
        std::swap(socket.s, s.s);
        return {};
    }
    return tl::unexpected(Error{ErrorCode::kUnreadable, fmt::format("cannot connect to {}:{}: {}",
                                                                    to.host, to.port, lastError)});
}

bool sendAll(SOCKET s, const unsigned char* data, std::size_t size) {
    while (size > 0) {
        const int n = ::send(s, reinterpret_cast<const char*>(data),
                             static_cast<int>(std::min<std::size_t>(size, 1 << 20)), 0);
        if (n <= 0) {
            return false;
        }
        data += n;
        size -= static_cast<std::size_t>(n);
    }
    return true;
}

// Appends what the socket has (up to 64 KiB); false when the peer closed or the read failed.
bool receiveMore(SOCKET s, std::string& into) {
    char buf[65536];
    const int n = ::recv(s, buf, sizeof buf, 0);
    if (n <= 0) {
        return false;
    }
    into.append(buf, static_cast<std::size_t>(n));
    return true;
}

tl::expected<std::string, Error> readFile(const std::filesystem::path& path, const char* what) {
    std::ifstream in(path, std::ios::binary);
    if (!in) {
        return tl::unexpected(Error{ErrorCode::kFileNotFound,
                                    fmt::format("{}: cannot open {}", path.string(), what)});
    }
    std::ostringstream text;
    text << in.rdbuf();
    return text.str();
}

struct Certificate {
    PCCERT_CONTEXT context = nullptr;
    Certificate() = default;
    explicit Certificate(PCCERT_CONTEXT c) : context(c) {}
    Certificate(const Certificate&) = delete;
    Certificate& operator=(const Certificate&) = delete;
    ~Certificate() {
        if (context != nullptr) {
            CertFreeCertificateContext(context);
        }
    }
};

tl::expected<void, Error> readCertificate(const std::filesystem::path& path, const char* what,
                                          Certificate& out) {
    const auto text = readFile(path, what);
    if (!text) {
        return tl::unexpected(text.error());
    }
    const auto der = pemDecode(*text, "CERTIFICATE");
    out.context = der ? CertCreateCertificateContext(X509_ASN_ENCODING, der->data(),
                                                     static_cast<DWORD>(der->size()))
                      : nullptr;
    if (out.context == nullptr) {
        return tl::unexpected(Error{ErrorCode::kMalformedData,
                                    fmt::format("{} is not {} (PEM)", path.string(), what)});
    }
    return {};
}

// The PC's RSA key in a CryptoAPI container named for this connection, deleted at the end.
class KeyContainer {
public:
    ~KeyContainer() {
        if (!m_name.empty()) {
            HCRYPTPROV gone = 0;
            CryptAcquireContextW(&gone, m_name.c_str(), MS_ENH_RSA_AES_PROV_W, PROV_RSA_AES,
                                 CRYPT_DELETEKEYSET | CRYPT_SILENT);
        }
    }

    tl::expected<void, Error> create(const Bytes& capiBlob) {
        unsigned char random[12];
        if (BCryptGenRandom(nullptr, random, sizeof random, BCRYPT_USE_SYSTEM_PREFERRED_RNG) != 0) {
            return tl::unexpected(Error{ErrorCode::kCryptoFailed, "no random numbers"});
        }
        std::string name = "ExamGuard agent TLS ";
        for (unsigned char b : random) {
            name += fmt::format("{:02x}", b);
        }
        HCRYPTPROV provider = 0;
        if (!CryptAcquireContextW(&provider, widen(name).c_str(), MS_ENH_RSA_AES_PROV_W,
                                  PROV_RSA_AES, CRYPT_NEWKEYSET | CRYPT_SILENT)) {
            return tl::unexpected(
                Error{ErrorCode::kCryptoFailed,
                      fmt::format("cannot create a key container (error {})", GetLastError())});
        }
        m_name = widen(name);
        HCRYPTKEY key = 0;
        const bool imported = CryptImportKey(provider, capiBlob.data(),
                                             static_cast<DWORD>(capiBlob.size()), 0, 0, &key);
        const DWORD error = GetLastError();
        if (key != 0) {
            CryptDestroyKey(key);
        }
        // Released before use: CryptoAPI providers keep a container's keys on release at the
        // latest, and SChannel opens the container by its name.
        CryptReleaseContext(provider, 0);
        if (!imported) {
            return tl::unexpected(
                Error{ErrorCode::kCryptoFailed,
                      fmt::format("cannot put the key into its container (error {})", error)});
        }
        return {};
    }

    // Tells the certificate where its private key is.
    bool attachTo(PCCERT_CONTEXT certificate) {
        CRYPT_KEY_PROV_INFO info{};
        info.pwszContainerName = m_name.data();
        info.pwszProvName = const_cast<wchar_t*>(MS_ENH_RSA_AES_PROV_W);
        info.dwProvType = PROV_RSA_AES;
        info.dwKeySpec = AT_KEYEXCHANGE;
        return CertSetCertificateContextProperty(certificate, CERT_KEY_PROV_INFO_PROP_ID, 0,
                                                 &info) != FALSE;
    }

private:
    std::wstring m_name;
};

// The PC's certificate with its private key attached, checked to be for that key.
tl::expected<void, Error> clientCredentials(const Destination& to, KeyContainer& container,
                                            Certificate& certificate) {
    const auto keyText = readFile(to.key, "the agent key");
    if (!keyText) {
        return tl::unexpected(keyText.error());
    }
    auto der = pemDecode(*keyText, "PRIVATE KEY");
    if (der && !isRsaPkcs8(*der)) {
        return tl::unexpected(Error{
            ErrorCode::kInvalidArgument,
            fmt::format("{} is not an RSA key: delivery over TLS from Windows needs the RSA key "
                        "`examguard-agent keygen` makes (enrol it again with `examguard agent "
                        "enroll --cert-out`)",
                        to.key.string())});
    }
    auto key =
        der ? parseRsaPkcs8(*der) : tl::expected<RsaPrivateKey, Error>(tl::unexpect, der.error());
    if (der) {
        SecureZeroMemory(der->data(), der->size());
    }
    if (!key) {
        return tl::unexpected(Error{ErrorCode::kMalformedData,
                                    fmt::format("{}: {}", to.key.string(), key.error().detail)});
    }
    if (auto r = readCertificate(to.certificate, "this PC's certificate", certificate); !r) {
        return r;
    }
    const CRYPT_BIT_BLOB& certified =
        certificate.context->pCertInfo->SubjectPublicKeyInfo.PublicKey;
    const Bytes publicKey = encodeRsaPublicKey(*key);
    if (certified.cbData != publicKey.size() ||
        std::memcmp(certified.pbData, publicKey.data(), publicKey.size()) != 0) {
        return tl::unexpected(
            Error{ErrorCode::kCryptoFailed, fmt::format("{} is not the key {} was issued for",
                                                        to.key.string(), to.certificate.string())});
    }
    auto blob = toCapiPrivateKeyBlob(*key);
    if (!blob) {
        return tl::unexpected(blob.error());
    }
    auto created = container.create(*blob);
    SecureZeroMemory(blob->data(), blob->size());
    if (!created) {
        return created;
    }
    if (!container.attachTo(certificate.context)) {
        return tl::unexpected(
            Error{ErrorCode::kCryptoFailed, "cannot attach the key to the certificate"});
    }
    return {};
}

template <typename T>
struct Decoded {
    T* value = nullptr;
    ~Decoded() {
        if (value != nullptr) {
            LocalFree(value);
        }
    }
};

template <typename T>
bool decodeExtension(PCCERT_CONTEXT cert, const char* oid, LPCSTR structType, Decoded<T>& out) {
    const CERT_EXTENSION* ext =
        CertFindExtension(oid, cert->pCertInfo->cExtension, cert->pCertInfo->rgExtension);
    DWORD size = 0;
    return ext != nullptr &&
           CryptDecodeObjectEx(X509_ASN_ENCODING, structType, ext->Value.pbData, ext->Value.cbData,
                               CRYPT_DECODE_ALLOC_FLAG, nullptr, &out.value, &size) != FALSE;
}

bool certifiedFor(PCCERT_CONTEXT cert, const std::string& host) {
    Decoded<CERT_ALT_NAME_INFO> names;
    if (!decodeExtension(cert, szOID_SUBJECT_ALT_NAME2, X509_ALTERNATE_NAME, names)) {
        return false;
    }
    unsigned char ip[16];
    std::size_t ipSize = 0;
    if (InetPtonA(AF_INET, host.c_str(), ip) == 1) {
        ipSize = 4;
    } else if (InetPtonA(AF_INET6, host.c_str(), ip) == 1) {
        ipSize = 16;
    }
    const std::wstring dns = widen(host);
    for (DWORD i = 0; i < names.value->cAltEntry; ++i) {
        const CERT_ALT_NAME_ENTRY& entry = names.value->rgAltEntry[i];
        if (ipSize != 0 && entry.dwAltNameChoice == CERT_ALT_NAME_IP_ADDRESS &&
            entry.IPAddress.cbData == ipSize &&
            std::memcmp(entry.IPAddress.pbData, ip, ipSize) == 0) {
            return true;
        }
        if (ipSize == 0 && entry.dwAltNameChoice == CERT_ALT_NAME_DNS_NAME &&
            entry.pwszDNSName != nullptr && _wcsicmp(entry.pwszDNSName, dns.c_str()) == 0) {
            return true;
        }
    }
    return false;
}

bool forServerAuth(PCCERT_CONTEXT cert) {
    Decoded<CERT_ENHKEY_USAGE> usage;
    if (!decodeExtension(cert, szOID_ENHANCED_KEY_USAGE, X509_ENHANCED_KEY_USAGE, usage)) {
        return false;
    }
    for (DWORD i = 0; i < usage.value->cUsageIdentifier; ++i) {
        if (std::strcmp(usage.value->rgpszUsageIdentifier[i], szOID_PKIX_KP_SERVER_AUTH) == 0) {
            return true;
        }
    }
    return false;
}

// Why the station's certificate is not trusted, or empty when it is.
std::string untrusted(PCCERT_CONTEXT server, PCCERT_CONTEXT ca, const std::string& host) {
    if (!CertCompareCertificateName(X509_ASN_ENCODING, &server->pCertInfo->Issuer,
                                    &ca->pCertInfo->Subject) ||
        !CryptVerifyCertificateSignatureEx(
            0, X509_ASN_ENCODING, CRYPT_VERIFY_CERT_SIGN_SUBJECT_CERT,
            const_cast<CERT_CONTEXT*>(server), CRYPT_VERIFY_CERT_SIGN_ISSUER_CERT,
            const_cast<CERT_CONTEXT*>(ca), 0, nullptr)) {
        return "it was not issued by the agent CA given with --ca";
    }
    if (CertVerifyTimeValidity(nullptr, server->pCertInfo) != 0 ||
        CertVerifyTimeValidity(nullptr, ca->pCertInfo) != 0) {
        return "it or the agent CA is not valid today (check this PC's clock)";
    }
    if (!forServerAuth(server)) {
        return "it is not certified for serverAuth";
    }
    if (!certifiedFor(server, host)) {
        return fmt::format("it is not certified for {}", host);
    }
    return {};
}

// One TLS connection's SChannel state.
class Channel {
public:
    ~Channel() {
        if (m_haveContext) {
            DeleteSecurityContext(&m_context);
        }
        if (m_haveCredentials) {
            FreeCredentialsHandle(&m_credentials);
        }
    }

    tl::expected<void, Error> acquire(PCCERT_CONTEXT certificate) {
        SCHANNEL_CRED cred{};
        cred.dwVersion = SCHANNEL_CRED_VERSION;
        cred.cCreds = 1;
        cred.paCred = &certificate;
        cred.grbitEnabledProtocols = SP_PROT_TLS1_2_CLIENT;
        cred.dwFlags =
            SCH_CRED_MANUAL_CRED_VALIDATION | SCH_CRED_NO_DEFAULT_CREDS | SCH_USE_STRONG_CRYPTO;
        TimeStamp expiry;
        const SECURITY_STATUS status = AcquireCredentialsHandleW(
            nullptr, const_cast<wchar_t*>(UNISP_NAME_W), SECPKG_CRED_OUTBOUND, nullptr, &cred,
            nullptr, nullptr, &m_credentials, &expiry);
        if (status != SEC_E_OK) {
            return tl::unexpected(Error{ErrorCode::kCryptoFailed, statusText(status)});
        }
        m_haveCredentials = true;
        return {};
    }

    // The handshake; `pending` keeps what the station sent after it.
    tl::expected<void, Error> handshake(SOCKET s, const std::string& host) {
        // No SNI for an address (RFC 6066 allows names only).
        unsigned char address[16];
        const bool isAddress = InetPtonA(AF_INET, host.c_str(), address) == 1 ||
                               InetPtonA(AF_INET6, host.c_str(), address) == 1;
        std::wstring target = isAddress ? std::wstring() : widen(host);
        constexpr ULONG kFlags = ISC_REQ_SEQUENCE_DETECT | ISC_REQ_REPLAY_DETECT |
                                 ISC_REQ_CONFIDENTIALITY | ISC_REQ_ALLOCATE_MEMORY |
                                 ISC_REQ_STREAM | ISC_REQ_MANUAL_CRED_VALIDATION |
                                 ISC_REQ_USE_SUPPLIED_CREDS;
        ULONG attributes = 0;
        bool first = true;
        bool needMore = false;
        for (int round = 0; round < 64; ++round) {
            if (!first && (m_pending.empty() || needMore)) {
                if (!receiveMore(s, m_pending)) {
                    return tl::unexpected(Error{
                        ErrorCode::kCryptoFailed,
                        "the station closed the connection during the handshake (is it "
                        "`examguard agent serve`, and is this PC's certificate still valid?)"});
                }
            }
            SecBuffer in[2] = {
                {static_cast<ULONG>(m_pending.size()), SECBUFFER_TOKEN, m_pending.data()},
                {0, SECBUFFER_EMPTY, nullptr}};
            SecBufferDesc inDesc{SECBUFFER_VERSION, 2, in};
            SecBuffer out{0, SECBUFFER_TOKEN, nullptr};
            SecBufferDesc outDesc{SECBUFFER_VERSION, 1, &out};
            const SECURITY_STATUS status = InitializeSecurityContextW(
                &m_credentials, first ? nullptr : &m_context,
                target.empty() ? nullptr : target.data(), kFlags, 0, 0, first ? nullptr : &inDesc,
                0, first ? &m_context : nullptr, &outDesc, &attributes, nullptr);
            if (first) {
                m_haveContext = status == SEC_I_CONTINUE_NEEDED || status == SEC_E_OK;
            }
            first = false;
            if (out.pvBuffer != nullptr) {
                const bool sent =
                    out.cbBuffer == 0 ||
                    sendAll(s, static_cast<unsigned char*>(out.pvBuffer), out.cbBuffer);
                FreeContextBuffer(out.pvBuffer);
                if (!sent) {
                    return tl::unexpected(Error{ErrorCode::kCryptoFailed,
                                                "cannot send the handshake: " + socketError()});
                }
            }
            needMore = status == SEC_E_INCOMPLETE_MESSAGE;
            if (needMore) {
                continue;
            }
            if (in[1].BufferType == SECBUFFER_EXTRA && in[1].cbBuffer <= m_pending.size()) {
                m_pending.erase(0, m_pending.size() - in[1].cbBuffer);
            } else {
                m_pending.clear();
            }
            if (status == SEC_E_OK) {
                return {};
            }
            if (status == SEC_I_INCOMPLETE_CREDENTIALS) {
                return tl::unexpected(Error{ErrorCode::kCryptoFailed,
                                            "the station asked for a certificate SChannel could "
                                            "not give (SEC_I_INCOMPLETE_CREDENTIALS)"});
            }
            if (status != SEC_I_CONTINUE_NEEDED) {
                return tl::unexpected(
                    Error{ErrorCode::kCryptoFailed, "TLS handshake failed: " + statusText(status)});
            }
        }
        return tl::unexpected(Error{ErrorCode::kCryptoFailed, "the handshake does not end"});
    }

    tl::expected<void, Error> checkStation(PCCERT_CONTEXT ca, const std::string& host) {
        PCCERT_CONTEXT remote = nullptr;
        if (QueryContextAttributesW(&m_context, SECPKG_ATTR_REMOTE_CERT_CONTEXT, &remote) !=
                SEC_E_OK ||
            remote == nullptr) {
            return tl::unexpected(
                Error{ErrorCode::kCryptoFailed, "the station sent no certificate"});
        }
        Certificate server(remote);
        const std::string why = untrusted(server.context, ca, host);
        if (!why.empty()) {
            return tl::unexpected(Error{ErrorCode::kCryptoFailed,
                                        "the station's certificate is not trusted: " + why});
        }
        return {};
    }

    bool send(SOCKET s, std::string_view data) {
        SecPkgContext_StreamSizes sizes{};
        if (QueryContextAttributesW(&m_context, SECPKG_ATTR_STREAM_SIZES, &sizes) != SEC_E_OK) {
            return false;
        }
        std::string record;
        while (!data.empty()) {
            const std::size_t chunk = std::min<std::size_t>(data.size(), sizes.cbMaximumMessage);
            record.assign(sizes.cbHeader, '\0');
            record.append(data.substr(0, chunk));
            record.append(sizes.cbTrailer, '\0');
            SecBuffer b[4] = {
                {sizes.cbHeader, SECBUFFER_STREAM_HEADER, record.data()},
                {static_cast<ULONG>(chunk), SECBUFFER_DATA, record.data() + sizes.cbHeader},
                {sizes.cbTrailer, SECBUFFER_STREAM_TRAILER, record.data() + sizes.cbHeader + chunk},
                {0, SECBUFFER_EMPTY, nullptr}};
            SecBufferDesc desc{SECBUFFER_VERSION, 4, b};
            if (EncryptMessage(&m_context, 0, &desc, 0) != SEC_E_OK ||
                !sendAll(s, reinterpret_cast<unsigned char*>(record.data()),
                         b[0].cbBuffer + b[1].cbBuffer + b[2].cbBuffer)) {
                return false;
            }
            data.remove_prefix(chunk);
        }
        return true;
    }

    // Plain text until a newline, the station's close, or kMaxReplyBytes.
    std::string receiveLine(SOCKET s, std::string& why) {
        std::string reply;
        bool needMore = m_pending.empty();
        while (reply.find('\n') == std::string::npos && reply.size() < kMaxReplyBytes) {
            if (needMore && !receiveMore(s, m_pending)) {
                why = "connection closed";
                break;
            }
            SecBuffer b[4] = {
                {static_cast<ULONG>(m_pending.size()), SECBUFFER_DATA, m_pending.data()},
                {0, SECBUFFER_EMPTY, nullptr},
                {0, SECBUFFER_EMPTY, nullptr},
                {0, SECBUFFER_EMPTY, nullptr}};
            SecBufferDesc desc{SECBUFFER_VERSION, 4, b};
            const SECURITY_STATUS status = DecryptMessage(&m_context, &desc, 0, nullptr);
            if (status == SEC_E_INCOMPLETE_MESSAGE) {
                needMore = true;
                continue;
            }
            if (status == SEC_I_CONTEXT_EXPIRED) {
                why = "the station closed the connection";
                break;
            }
            if (status != SEC_E_OK) {
                why = statusText(status);
                break;
            }
            std::string extra;
            for (const SecBuffer& buffer : b) {
                if (buffer.BufferType == SECBUFFER_DATA) {
                    reply.append(static_cast<const char*>(buffer.pvBuffer), buffer.cbBuffer);
                } else if (buffer.BufferType == SECBUFFER_EXTRA) {
                    extra.assign(static_cast<const char*>(buffer.pvBuffer), buffer.cbBuffer);
                }
            }
            m_pending = std::move(extra);
            needMore = m_pending.empty();
        }
        return reply;
    }

    // Sends close_notify; the connection is over either way.
    void close(SOCKET s) {
        DWORD type = SCHANNEL_SHUTDOWN;
        SecBuffer token{sizeof type, SECBUFFER_TOKEN, &type};
        SecBufferDesc tokenDesc{SECBUFFER_VERSION, 1, &token};
        if (ApplyControlToken(&m_context, &tokenDesc) != SEC_E_OK) {
            return;
        }
        SecBuffer out{0, SECBUFFER_TOKEN, nullptr};
        SecBufferDesc outDesc{SECBUFFER_VERSION, 1, &out};
        ULONG attributes = 0;
        InitializeSecurityContextW(&m_credentials, &m_context, nullptr,
                                   ISC_REQ_ALLOCATE_MEMORY | ISC_REQ_STREAM, 0, 0, nullptr, 0,
                                   nullptr, &outDesc, &attributes, nullptr);
        if (out.pvBuffer != nullptr) {
            sendAll(s, static_cast<unsigned char*>(out.pvBuffer), out.cbBuffer);
            FreeContextBuffer(out.pvBuffer);
        }
    }

private:
    CredHandle m_credentials{};
    CtxtHandle m_context{};
    bool m_haveCredentials = false;
    bool m_haveContext = false;
    std::string m_pending;  // received, not yet processed
};

}  // namespace

tl::expected<nlohmann::json, Error> sendReport(const Destination& to, std::string_view reportText) {
    const auto fail = [&](ErrorCode code, const std::string& what) {
        return tl::unexpected(Error{code, fmt::format("{}:{}: {}", to.host, to.port, what)});
    };
    if (reportText.empty() || reportText.size() > kMaxReportBytes) {
        return fail(ErrorCode::kInvalidArgument, "the report is empty or too large to send");
    }
    KeyContainer container;
    Certificate mine;
    if (auto r = clientCredentials(to, container, mine); !r) {
        return tl::unexpected(r.error());
    }
    Certificate ca;
    if (auto r = readCertificate(to.caCertificate, "the station's agent CA certificate", ca); !r) {
        return tl::unexpected(r.error());
    }
    Winsock winsock;
    if (!winsock.started) {
        return fail(ErrorCode::kInternal, "Winsock did not start");
    }
    Channel channel;
    if (auto r = channel.acquire(mine.context); !r) {
        return fail(r.error().code, r.error().detail);
    }
    Socket socket;
    if (auto connected = connectTo(to, socket); !connected) {
        return tl::unexpected(connected.error());
    }
    if (auto r = channel.handshake(socket.s, to.host); !r) {
        return fail(r.error().code, r.error().detail);
    }
    if (auto r = channel.checkStation(ca.context, to.host); !r) {
        return fail(r.error().code, r.error().detail);
    }
    if (!channel.send(socket.s, reportHeader(reportText.size())) ||
        !channel.send(socket.s, reportText)) {
        return fail(ErrorCode::kCryptoFailed, "the station closed the connection");
    }
    std::string why;
    const std::string reply = channel.receiveLine(socket.s, why);
    channel.close(socket.s);
    return parseStationAnswer(to, reply, why);
}

}  // namespace examguard::agent
