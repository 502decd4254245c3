// examguard agent serve: receives signed agent reports over mutual TLS (docs/agent.md,
// "Delivery"). Both sides are certified by the station's agent CA: the listener with a fresh key
// and a certificate for the addresses the PCs use, each PC with the certificate `agent enroll
// --cert-out` issued for its report key (Ed25519, or RSA from Windows). A report must be signed by
// the key its connection's certificate certifies; then it is imported exactly like `agent import`
// does. Connections are served one at a time (an import takes milliseconds) with a whole-connection
// deadline, so a PC that stalls cannot hold the listener longer than --timeout.
#include <arpa/inet.h>
#include <fcntl.h>
#include <netdb.h>
#include <poll.h>
#include <signal.h>
#include <sys/socket.h>
#include <unistd.h>

#include <chrono>
#include <csignal>
#include <cstring>
#include <iostream>
#include <memory>
#include <utility>

#include <openssl/err.h>
#include <openssl/pem.h>
#include <openssl/ssl.h>
#include <openssl/x509v3.h>

#include <fmt/format.h>

#include "agent/report.h"
#include "agent/transport.h"
#include "agent_import.h"
#include "cli_context.h"
#include "station/i18n.h"
#include "station/logging.h"

namespace examguard::cli {

using station::i18n::trf;

namespace {

using Clock = std::chrono::steady_clock;

struct Fd {
    int fd = -1;
    explicit Fd(int f = -1) : fd(f) {}
    Fd(Fd&& other) noexcept : fd(std::exchange(other.fd, -1)) {}
    Fd(const Fd&) = delete;
    Fd& operator=(const Fd&) = delete;
    Fd& operator=(Fd&&) = delete;
    ~Fd() {
        if (fd >= 0) {
            ::close(fd);
        }
    }
};

using SslCtx = std::unique_ptr<SSL_CTX, decltype(&SSL_CTX_free)>;

// TLS 1.2 suites for the listener's P-256 key: ECDHE and AEAD only (no CBC, no static RSA).
constexpr const char* kTls12Ciphers =
    "ECDHE-ECDSA-AES256-GCM-SHA384:ECDHE-ECDSA-AES128-GCM-SHA256:ECDHE-ECDSA-CHACHA20-POLY1305";
using Ssl = std::unique_ptr<SSL, decltype(&SSL_free)>;

// The listener's TLS: 1.3, or 1.2 with forward-secret AEAD suites only — Windows 10's SChannel,
// which the Windows agent speaks through, has no TLS 1.3 — its fresh identity, and PCs must
// present a clientAuth certificate the agent CA issued.
station::Expected<SslCtx> serverContext(const archive::AgentCa& ca,
                                        const archive::AgentCa::ServerIdentity& identity) {
    SslCtx ctx(SSL_CTX_new(TLS_server_method()), &SSL_CTX_free);
    const auto bio = [](const std::string& pem) {
        return std::unique_ptr<BIO, decltype(&BIO_free)>(
            BIO_new_mem_buf(pem.data(), static_cast<int>(pem.size())), &BIO_free);
    };
    auto certBio = bio(identity.certificatePem);
    auto keyBio = bio(identity.keyPem);
    auto caBio = bio(ca.certificatePem());
    std::unique_ptr<X509, decltype(&X509_free)> cert(
        PEM_read_bio_X509(certBio.get(), nullptr, nullptr, nullptr), &X509_free);
    std::unique_ptr<EVP_PKEY, decltype(&EVP_PKEY_free)> key(
        PEM_read_bio_PrivateKey(keyBio.get(), nullptr, nullptr, nullptr), &EVP_PKEY_free);
    std::unique_ptr<X509, decltype(&X509_free)> caCert(
        PEM_read_bio_X509(caBio.get(), nullptr, nullptr, nullptr), &X509_free);
    if (!ctx || !cert || !key || !caCert ||
        SSL_CTX_set_min_proto_version(ctx.get(), TLS1_2_VERSION) != 1 ||
        SSL_CTX_set_cipher_list(ctx.get(), kTls12Ciphers) != 1 ||
        SSL_CTX_use_certificate(ctx.get(), cert.get()) != 1 ||
        SSL_CTX_use_PrivateKey(ctx.get(), key.get()) != 1 ||
        X509_STORE_add_cert(SSL_CTX_get_cert_store(ctx.get()), caCert.get()) != 1 ||
        SSL_CTX_set_purpose(ctx.get(), X509_PURPOSE_SSL_CLIENT) != 1) {
        return station::fail(station::ErrorCode::Crypto,
                             "cannot set up the listener's TLS: " + agent::takeTlsErrors());
    }
    SSL_CTX_set_options(ctx.get(), SSL_OP_NO_RENEGOTIATION | SSL_OP_CIPHER_SERVER_PREFERENCE);
    SSL_CTX_set_verify(ctx.get(), SSL_VERIFY_PEER | SSL_VERIFY_FAIL_IF_NO_PEER_CERT, nullptr);
    return ctx;
}

station::Expected<Fd> listenOn(const std::string& host, int port, int& boundPort) {
    addrinfo hints{};
    hints.ai_family = AF_UNSPEC;
    hints.ai_socktype = SOCK_STREAM;
    hints.ai_flags = AI_PASSIVE | AI_NUMERICHOST | AI_NUMERICSERV;
    addrinfo* found = nullptr;
    const std::string service = std::to_string(port);
    if (const int rc = getaddrinfo(host.c_str(), service.c_str(), &hints, &found); rc != 0) {
        return station::fail(
            station::ErrorCode::BadInput,
            fmt::format("--listen: '{}' is not an IP address: {}", host, gai_strerror(rc)));
    }
    std::unique_ptr<addrinfo, decltype(&freeaddrinfo)> addresses(found, &freeaddrinfo);
    Fd s(::socket(found->ai_family, SOCK_STREAM | SOCK_CLOEXEC, 0));
    const int yes = 1;
    if (s.fd < 0 || setsockopt(s.fd, SOL_SOCKET, SO_REUSEADDR, &yes, sizeof yes) != 0 ||
        ::bind(s.fd, found->ai_addr, found->ai_addrlen) != 0 || ::listen(s.fd, 64) != 0) {
        return station::fail(station::ErrorCode::Io, fmt::format("cannot listen on {}:{}: {}", host,
                                                                 port, std::strerror(errno)));
    }
    sockaddr_storage bound{};
    socklen_t len = sizeof bound;
    getsockname(s.fd, reinterpret_cast<sockaddr*>(&bound), &len);
    boundPort =
        ntohs(bound.ss_family == AF_INET6 ? reinterpret_cast<sockaddr_in6*>(&bound)->sin6_port
                                          : reinterpret_cast<sockaddr_in*>(&bound)->sin_port);
    return s;
}

std::string peerAddress(const sockaddr_storage& peer) {
    char text[INET6_ADDRSTRLEN] = "?";
    if (peer.ss_family == AF_INET) {
        inet_ntop(AF_INET, &reinterpret_cast<const sockaddr_in*>(&peer)->sin_addr, text,
                  sizeof text);
    } else if (peer.ss_family == AF_INET6) {
        inet_ntop(AF_INET6, &reinterpret_cast<const sockaddr_in6*>(&peer)->sin6_addr, text,
                  sizeof text);
    }
    return text;
}

// Reads until `out` holds `want` bytes or the connection's deadline passes.
bool readExactly(SSL* ssl, std::string& out, std::size_t want, Clock::time_point deadline) {
    char buf[16384];
    while (out.size() < want) {
        if (Clock::now() > deadline) {
            return false;
        }
        std::size_t got = 0;
        if (SSL_read_ex(ssl, buf, std::min(sizeof buf, want - out.size()), &got) != 1) {
            return false;
        }
        out.append(buf, got);
    }
    return true;
}

// The header line, read a byte at a time so not one byte of the report is taken with it.
std::optional<std::string> readHeaderLine(SSL* ssl, Clock::time_point deadline) {
    std::string line;
    while (line.size() <= agent::kMaxHeaderBytes) {
        char c = 0;
        std::size_t got = 0;
        if (Clock::now() > deadline || SSL_read_ex(ssl, &c, 1, &got) != 1) {
            return std::nullopt;
        }
        if (c == '\n') {
            return line;
        }
        line.push_back(c);
    }
    return line;  // too long: parseReportHeader says so
}

struct Outcome {
    nlohmann::json reply;   // sent to the PC when the connection got that far
    nlohmann::json record;  // printed on the station's side
    enum { kImported, kRefused, kFailed } kind = kFailed;
};

nlohmann::json errorReply(const station::Error& e) {
    return {{"error", {{"code", station::errorCodeName(e.code)}, {"detail", e.detail}}}};
}

class Listener {
public:
    Listener(StationAndPeriod& opened, SSL_CTX* ctx, int timeoutSeconds)
        : m_opened(opened), m_ctx(ctx), m_timeout(timeoutSeconds) {}

    Outcome serve(int fd, const std::string& peer) {
        const auto deadline = Clock::now() + std::chrono::seconds(m_timeout);
        timeval tv{m_timeout, 0};
        setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof tv);
        setsockopt(fd, SOL_SOCKET, SO_SNDTIMEO, &tv, sizeof tv);
        Ssl ssl(SSL_new(m_ctx), &SSL_free);
        if (!ssl || SSL_set_fd(ssl.get(), fd) != 1) {
            return failed(peer, "cannot set up TLS: " + agent::takeTlsErrors());
        }
        if (SSL_accept(ssl.get()) != 1) {
            const long verify = SSL_get_verify_result(ssl.get());
            const int reason = ERR_GET_REASON(ERR_peek_last_error());
            const std::string tlsError = agent::takeTlsErrors();
            // A certificate the CA did not issue (or none) is a refusal on record; anything
            // else (a port scan, a browser, an agent that does not trust us) is only reported.
            if (verify != X509_V_OK || reason == SSL_R_PEER_DID_NOT_RETURN_A_CERTIFICATE ||
                reason == SSL_R_CERTIFICATE_VERIFY_FAILED) {
                return refused(
                    peer,
                    fmt::format(
                        "tls {}: certificate refused: {}", peer,
                        verify != X509_V_OK ? X509_verify_cert_error_string(verify) : tlsError),
                    "");
            }
            return failed(peer, "TLS handshake failed: " + tlsError);
        }
        auto fingerprint = certifiedKey(ssl.get());
        if (!fingerprint) {
            return refused(peer, fmt::format("tls {}: {}", peer, fingerprint.error()), "");
        }
        auto header = readHeaderLine(ssl.get(), deadline);
        if (!header) {
            return failed(peer, "no report header before the connection ended or timed out");
        }
        auto length = agent::parseReportHeader(*header);
        if (!length) {
            return answer(ssl.get(),
                          failed(peer, length.error().detail, station::ErrorCode::BadInput));
        }
        std::string report;
        report.reserve(*length);
        if (!readExactly(ssl.get(), report, *length, deadline)) {
            return failed(peer, fmt::format("the report ended after {} of {} bytes, or the "
                                            "connection timed out",
                                            report.size(), *length));
        }
        auto imported = importAgentReport(m_opened.station, m_opened.period, report,
                                          fmt::format("tls {}", peer), *fingerprint);
        Outcome outcome;
        if (imported) {
            outcome.kind = Outcome::kImported;
            outcome.reply = imported->document;
            outcome.record = imported->document;
            outcome.record["peer"] = peer;
            outcome.record["hostname"] = imported->hostname;
        } else {
            outcome.kind = imported.error().code == station::ErrorCode::Invalid ? Outcome::kRefused
                                                                                : Outcome::kFailed;
            outcome.reply = errorReply(imported.error());
            outcome.record = {{"peer", peer},
                              {outcome.kind == Outcome::kRefused ? "refused" : "failed",
                               imported.error().detail}};
        }
        return answer(ssl.get(), std::move(outcome));
    }

private:
    // The SHA-256 of the key the peer's certificate certifies, as reports name their signer.
    tl::expected<std::string, std::string> certifiedKey(SSL* ssl) {
        X509* cert = SSL_get0_peer_certificate(ssl);
        EVP_PKEY* key = cert ? X509_get0_pubkey(cert) : nullptr;
        std::unique_ptr<BIO, decltype(&BIO_free)> bio(BIO_new(BIO_s_mem()), &BIO_free);
        if (key == nullptr || !bio || PEM_write_bio_PUBKEY(bio.get(), key) != 1) {
            return tl::unexpected(std::string("the certificate carries no readable key"));
        }
        char* data = nullptr;
        const long n = BIO_get_mem_data(bio.get(), &data);
        auto fingerprint =
            agent::publicKeyFingerprintPem(std::string(data, static_cast<std::size_t>(n)));
        if (!fingerprint) {
            return tl::unexpected("the certificate's key is not an agent key: " +
                                  fingerprint.error().detail);
        }
        return *fingerprint;
    }

    Outcome refused(const std::string& peer, const std::string& reason,
                    const std::string& reportSha) {
        logAgentRefusal(m_opened.station, m_opened.period.id, reason, reportSha);
        Outcome o;
        o.kind = Outcome::kRefused;
        o.reply = errorReply({station::ErrorCode::Invalid, reason});
        o.record = {{"peer", peer}, {"refused", reason}};
        return o;
    }

    static Outcome failed(const std::string& peer, const std::string& why,
                          station::ErrorCode code = station::ErrorCode::Io) {
        Outcome o;
        o.kind = Outcome::kFailed;
        o.reply = errorReply({code, why});
        o.record = {{"peer", peer}, {"failed", why}};
        return o;
    }

    static Outcome answer(SSL* ssl, Outcome outcome) {
        const std::string line = outcome.reply.dump() + "\n";
        std::size_t written = 0;
        SSL_write_ex(ssl, line.data(), line.size(), &written);
        SSL_shutdown(ssl);
        return outcome;
    }

    StationAndPeriod& m_opened;
    SSL_CTX* m_ctx;
    int m_timeout;
};

int g_stopWriteFd = -1;  // written by the SIGINT/SIGTERM handler

bool isWildcard(const std::string& host) {
    return host == "0.0.0.0" || host == "::";
}

}  // namespace

int runAgentServe(const CliContext& ctx, const ServeOptions& o) {
    auto address = agent::parseAddress(o.listen, /*allowPortZero=*/true);
    if (!address) {
        return ctx.reportError(
            {station::ErrorCode::BadInput, fmt::format("--listen: {}", address.error().detail)});
    }
    std::vector<std::string> names = o.names;
    if (!isWildcard(address->host)) {
        names.insert(names.begin(), address->host);
    } else if (names.empty()) {
        return ctx.reportError({station::ErrorCode::BadInput,
                                "--listen on every address: give --name with the address or "
                                "name the exam PCs use for the station"});
    }
    auto opened = openWithPeriod(ctx, o.period);
    if (!opened) {
        return ctx.reportError(opened.error());
    }
    auto ca = agentCaOf(*opened);
    auto identity =
        ca ? ca->issueServerIdentity(names)
           : station::Expected<archive::AgentCa::ServerIdentity>(tl::unexpect, ca.error());
    auto tls = identity ? serverContext(*ca, *identity)
                        : station::Expected<SslCtx>(tl::unexpect, identity.error());
    if (!tls) {
        return ctx.reportError(tls.error());
    }
    int port = 0;
    auto listening = listenOn(address->host, address->port, port);
    if (!listening) {
        return ctx.reportError(listening.error());
    }
    // SIGINT/SIGTERM end the loop between connections, whichever thread they reach: the handler
    // only writes to a pipe the loop polls. A PC closing early must not kill us (SIGPIPE).
    int stopPipe[2];
    if (::pipe2(stopPipe, O_CLOEXEC | O_NONBLOCK) != 0) {
        return ctx.reportError({station::ErrorCode::Io, "cannot create the stop pipe"});
    }
    Fd stopRead(stopPipe[0]), stopWrite(stopPipe[1]);
    g_stopWriteFd = stopWrite.fd;
    struct sigaction onStop {};
    onStop.sa_handler = [](int) {
        const char byte = 1;
        [[maybe_unused]] const auto n = ::write(g_stopWriteFd, &byte, 1);
    };
    sigemptyset(&onStop.sa_mask);
    sigaction(SIGINT, &onStop, nullptr);
    sigaction(SIGTERM, &onStop, nullptr);
    std::signal(SIGPIPE, SIG_IGN);

    const std::string where = address->host.find(':') != std::string::npos
                                  ? fmt::format("[{}]:{}", address->host, port)
                                  : fmt::format("{}:{}", address->host, port);
    const auto emit = [&](const nlohmann::json& record, const std::string& text) {
        if (ctx.json) {
            std::cout << record.dump() << std::endl;  // one line per event, as it happens
        } else {
            std::cout << text << std::endl;
        }
    };
    emit({{"listening", where}, {"period", o.period}, {"ca_sha256", ca->fingerprint()}},
         trf("Receiving agent reports for period {} on {} (agent CA SHA-256 {}).", o.period, where,
             ca->fingerprint()));
    station::log().info("agent serve: listening on {} for period {}", where, o.period);

    Listener listener(*opened, tls->get(), o.timeoutSeconds);
    int imported = 0, refused = 0, failed = 0;
    for (;;) {
        pollfd fds[2] = {{listening->fd, POLLIN, 0}, {stopRead.fd, POLLIN, 0}};
        if (::poll(fds, 2, -1) < 0) {
            if (errno == EINTR) {
                continue;
            }
            break;
        }
        if (fds[1].revents != 0) {
            break;
        }
        sockaddr_storage peer{};
        socklen_t len = sizeof peer;
        Fd conn(::accept4(listening->fd, reinterpret_cast<sockaddr*>(&peer), &len, SOCK_CLOEXEC));
        if (conn.fd < 0) {
            continue;
        }
        const std::string from = peerAddress(peer);
        const Outcome outcome = listener.serve(conn.fd, from);
        std::string text;
        switch (outcome.kind) {
            case Outcome::kImported:
                ++imported;
                text = trf("{}: report from {} (seat {}) imported, {} findings.", from,
                           outcome.record["hostname"].get<std::string>(),
                           outcome.record["seat"].get<std::string>(),
                           outcome.record["findings"].size());
                break;
            case Outcome::kRefused:
                ++refused;
                text = trf("{}: refused: {}", from, outcome.record["refused"].get<std::string>());
                break;
            case Outcome::kFailed:
                ++failed;
                text =
                    trf("{}: not delivered: {}", from, outcome.record["failed"].get<std::string>());
                break;
        }
        station::log().info("agent serve: {}", text);
        emit(outcome.record, text);
    }
    emit({{"stopped", true}, {"imported", imported}, {"refused", refused}, {"failed", failed}},
         trf("Stopped: {} reports imported, {} refused, {} not delivered.", imported, refused,
             failed));
    return 0;
}

}  // namespace examguard::cli
