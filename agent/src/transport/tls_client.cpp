// The agent's side of report delivery: TLS 1.3 to `examguard agent serve`, the PC's enrolled
// Ed25519 key as the client certificate, the station's listener checked against the agent CA
// and the address the administrator gave. POSIX sockets (Linux backend).
#include <fcntl.h>
#include <netdb.h>
#include <poll.h>
#include <sys/socket.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <memory>

#include <openssl/err.h>
#include <openssl/ssl.h>
#include <openssl/x509v3.h>

#include <fmt/format.h>

#include "agent/transport.h"

namespace examguard::agent {

namespace {

struct Socket {
    int fd = -1;
    ~Socket() {
        if (fd >= 0) {
            ::close(fd);
        }
    }
};

// Connects within the timeout (a blocking connect to an absent station could hang for minutes),
// then leaves the socket blocking with send and receive timeouts.
tl::expected<void, Error> connectTo(const Destination& to, Socket& socket) {
    addrinfo hints{};
    hints.ai_family = AF_UNSPEC;
    hints.ai_socktype = SOCK_STREAM;
    addrinfo* found = nullptr;
    const std::string port = std::to_string(to.port);
    if (const int rc = getaddrinfo(to.host.c_str(), port.c_str(), &hints, &found); rc != 0) {
        return tl::unexpected(
            Error{ErrorCode::kUnreadable,
                  fmt::format("cannot resolve {}: {}", to.host, gai_strerror(rc))});
    }
    std::unique_ptr<addrinfo, decltype(&freeaddrinfo)> addresses(found, &freeaddrinfo);
    std::string lastError = "no address";
    for (addrinfo* a = found; a != nullptr; a = a->ai_next) {
        Socket s;
        s.fd = ::socket(a->ai_family, a->ai_socktype | SOCK_CLOEXEC, a->ai_protocol);
        if (s.fd < 0) {
            lastError = std::strerror(errno);
            continue;
        }
        const int flags = fcntl(s.fd, F_GETFL);
        fcntl(s.fd, F_SETFL, flags | O_NONBLOCK);
        if (::connect(s.fd, a->ai_addr, a->ai_addrlen) != 0 && errno != EINPROGRESS) {
            lastError = std::strerror(errno);
            continue;
        }
        pollfd p{s.fd, POLLOUT, 0};
        const int ready = ::poll(&p, 1, to.timeoutSeconds * 1000);
        int soError = 0;
        socklen_t len = sizeof soError;
        if (ready <= 0 || getsockopt(s.fd, SOL_SOCKET, SO_ERROR, &soError, &len) != 0 ||
            soError != 0) {
            lastError = ready == 0 ? "timed out" : std::strerror(soError != 0 ? soError : errno);
            continue;
        }
        fcntl(s.fd, F_SETFL, flags);
        timeval tv{to.timeoutSeconds, 0};
        setsockopt(s.fd, SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof tv);
        setsockopt(s.fd, SOL_SOCKET, SO_SNDTIMEO, &tv, sizeof tv);
        std::swap(socket.fd, s.fd);
        return {};
    }
    return tl::unexpected(Error{ErrorCode::kUnreadable, fmt::format("cannot connect to {}:{}: {}",
                                                                    to.host, to.port, lastError)});
}

bool isIpAddress(const std::string& host) {
    addrinfo hints{};
    hints.ai_flags = AI_NUMERICHOST;
    addrinfo* found = nullptr;
    if (getaddrinfo(host.c_str(), nullptr, &hints, &found) != 0) {
        return false;
    }
    freeaddrinfo(found);
    return true;
}

}  // namespace

std::string takeTlsErrors() {
    std::string text;
    unsigned long code = 0;
    while ((code = ERR_get_error()) != 0) {
        char buf[256];
        ERR_error_string_n(code, buf, sizeof buf);
        text += text.empty() ? "" : "; ";
        text += buf;
    }
    return text.empty() ? "connection closed" : text;
}

tl::expected<nlohmann::json, Error> sendReport(const Destination& to, std::string_view reportText) {
    const auto fail = [&](ErrorCode code, const std::string& what) {
        return tl::unexpected(Error{code, fmt::format("{}:{}: {}", to.host, to.port, what)});
    };
    if (reportText.empty() || reportText.size() > kMaxReportBytes) {
        return fail(ErrorCode::kInvalidArgument, "the report is empty or too large to send");
    }
    std::unique_ptr<SSL_CTX, decltype(&SSL_CTX_free)> ctx(SSL_CTX_new(TLS_client_method()),
                                                          &SSL_CTX_free);
    if (!ctx || SSL_CTX_set_min_proto_version(ctx.get(), TLS1_3_VERSION) != 1) {
        return fail(ErrorCode::kCryptoFailed, "cannot set up TLS: " + takeTlsErrors());
    }
    if (SSL_CTX_use_certificate_file(ctx.get(), to.certificate.c_str(), SSL_FILETYPE_PEM) != 1) {
        return fail(ErrorCode::kCryptoFailed,
                    fmt::format("{} is not this PC's certificate (PEM): {}",
                                to.certificate.string(), takeTlsErrors()));
    }
    if (SSL_CTX_use_PrivateKey_file(ctx.get(), to.key.c_str(), SSL_FILETYPE_PEM) != 1 ||
        SSL_CTX_check_private_key(ctx.get()) != 1) {
        return fail(ErrorCode::kCryptoFailed,
                    fmt::format("{} is not the key {} was issued for: {}", to.key.string(),
                                to.certificate.string(), takeTlsErrors()));
    }
    if (SSL_CTX_load_verify_locations(ctx.get(), to.caCertificate.c_str(), nullptr) != 1) {
        return fail(ErrorCode::kCryptoFailed,
                    fmt::format("{} is not the station's agent CA certificate (PEM): {}",
                                to.caCertificate.string(), takeTlsErrors()));
    }
    SSL_CTX_set_verify(ctx.get(), SSL_VERIFY_PEER, nullptr);

    Socket socket;
    if (auto connected = connectTo(to, socket); !connected) {
        return tl::unexpected(connected.error());
    }
    std::unique_ptr<SSL, decltype(&SSL_free)> ssl(SSL_new(ctx.get()), &SSL_free);
    if (!ssl || SSL_set_fd(ssl.get(), socket.fd) != 1) {
        return fail(ErrorCode::kCryptoFailed, "cannot set up TLS: " + takeTlsErrors());
    }
    // The listener must be certified for the address the administrator gave, not merely by the CA.
    if (isIpAddress(to.host)) {
        X509_VERIFY_PARAM_set1_ip_asc(SSL_get0_param(ssl.get()), to.host.c_str());
    } else {
        SSL_set1_host(ssl.get(), to.host.c_str());
        // SSL_set_tlsext_host_name without its macro's C cast.
        SSL_ctrl(ssl.get(), SSL_CTRL_SET_TLSEXT_HOSTNAME, TLSEXT_NAMETYPE_host_name,
                 const_cast<char*>(to.host.c_str()));
    }
    if (SSL_connect(ssl.get()) != 1) {
        const long verify = SSL_get_verify_result(ssl.get());
        return fail(ErrorCode::kCryptoFailed,
                    verify != X509_V_OK
                        ? fmt::format("the station's certificate is not trusted: {}",
                                      X509_verify_cert_error_string(verify))
                        : "TLS handshake failed: " + takeTlsErrors());
    }
    const std::string header = reportHeader(reportText.size());
    std::size_t written = 0;
    if (SSL_write_ex(ssl.get(), header.data(), header.size(), &written) != 1 ||
        SSL_write_ex(ssl.get(), reportText.data(), reportText.size(), &written) != 1) {
        // With TLS 1.3 a refused client certificate shows up here or at the first read.
        return fail(ErrorCode::kCryptoFailed,
                    "the station closed the connection: " + takeTlsErrors());
    }
    std::string reply;
    char buf[4096];
    while (reply.find('\n') == std::string::npos && reply.size() < kMaxReplyBytes) {
        std::size_t got = 0;
        if (SSL_read_ex(ssl.get(), buf, sizeof buf, &got) != 1) {
            break;
        }
        reply.append(buf, got);
    }
    SSL_shutdown(ssl.get());
    return parseStationAnswer(to, reply, takeTlsErrors());
}

}  // namespace examguard::agent
