#include "netaudit/active.h"

#include <arpa/inet.h>
#include <fcntl.h>
#include <ifaddrs.h>
#include <net/if.h>
#include <netinet/in.h>
#include <netpacket/packet.h>
#include <pcap/pcap.h>
#include <poll.h>
#include <sys/socket.h>
#include <unistd.h>

#include <algorithm>
#include <array>
#include <cerrno>
#include <cstring>
#include <fstream>
#include <map>
#include <memory>
#include <set>
#include <sstream>
#include <thread>

#include <fmt/format.h>

#include "logger.h"
#include "netaudit/decoded_packet.h"
#include "netaudit/signatures.h"

namespace examguard::netaudit {

namespace {

using Clock = std::chrono::steady_clock;

struct PcapCloser {
    void operator()(pcap_t* p) const { pcap_close(p); }
};
using PcapHandle = std::unique_ptr<pcap_t, PcapCloser>;

struct Fd {
    int fd = -1;
    explicit Fd(int f) : fd(f) {}
    Fd(Fd&& o) noexcept : fd(std::exchange(o.fd, -1)) {}
    Fd& operator=(Fd&& o) noexcept {
        std::swap(fd, o.fd);
        return *this;
    }
    Fd(const Fd&) = delete;
    Fd& operator=(const Fd&) = delete;
    ~Fd() {
        if (fd >= 0) {
            ::close(fd);
        }
    }
};

Error fail(ErrorCode code, std::string detail) {
    return Error{code, std::move(detail)};
}

std::optional<IpAddress> defaultGateway(const std::string& name) {
    std::ifstream routes("/proc/net/route");
    std::string line;
    std::getline(routes, line);  // header
    while (std::getline(routes, line)) {
        std::istringstream fields(line);
        std::string iface;
        std::string destination;
        std::string gateway;
        if (!(fields >> iface >> destination >> gateway) || iface != name ||
            destination != "00000000") {
            continue;
        }
        // Network byte order written as a host-order (little-endian) hex number.
        std::uint32_t raw = 0;
        try {
            raw = static_cast<std::uint32_t>(std::stoul(gateway, nullptr, 16));
        } catch (const std::exception&) {
            continue;
        }
        if (raw == 0) {
            continue;
        }
        std::uint8_t bytes[4];
        std::memcpy(bytes, &raw, 4);
        return IpAddress::v4(bytes);
    }
    return std::nullopt;
}

bool stopped(const std::atomic<bool>* stop) {
    return stop != nullptr && stop->load();
}

std::vector<std::uint8_t> arpRequest(const InterfaceInfo& iface, const IpAddress& target) {
    std::vector<std::uint8_t> f(60, 0);  // minimum Ethernet frame without FCS
    std::fill(f.begin(), f.begin() + 6, 0xff);
    std::copy(iface.mac.bytes.begin(), iface.mac.bytes.end(), f.begin() + 6);
    f[12] = 0x08;
    f[13] = 0x06;
    const std::uint8_t header[8] = {0x00, 0x01, 0x08, 0x00, 6, 4, 0x00, 0x01};
    std::copy(std::begin(header), std::end(header), f.begin() + 14);
    std::copy(iface.mac.bytes.begin(), iface.mac.bytes.end(), f.begin() + 22);
    std::copy(iface.ip.bytes.begin(), iface.ip.bytes.begin() + 4, f.begin() + 28);
    // target hardware address stays zero
    std::copy(target.bytes.begin(), target.bytes.begin() + 4, f.begin() + 38);
    return f;
}

class ArpSweep {
public:
    ArpSweep(const ActiveOptions& options, const IpNetwork& subnet, ActiveResult& result)
        : m_options(options), m_subnet(subnet), m_result(result) {}

    tl::expected<void, Error> run(const std::atomic<bool>* stop) {
        char err[PCAP_ERRBUF_SIZE] = {};
        PcapHandle handle(pcap_create(m_options.iface.name.c_str(), err));
        if (!handle) {
            return tl::unexpected(fail(ErrorCode::kCaptureOpenFailed,
                                       fmt::format("{}: {}", m_options.iface.name, err)));
        }
        pcap_set_snaplen(handle.get(), 128);
        pcap_set_promisc(handle.get(), 0);
        pcap_set_immediate_mode(handle.get(), 1);
        if (pcap_activate(handle.get()) < 0) {
            return tl::unexpected(
                fail(ErrorCode::kCaptureOpenFailed,
                     fmt::format("{}: {}", m_options.iface.name, pcap_geterr(handle.get()))));
        }
        if (pcap_datalink(handle.get()) != DLT_EN10MB) {
            return tl::unexpected(fail(
                ErrorCode::kUnsupportedLinkType,
                fmt::format("{}: ARP sweep needs an Ethernet interface", m_options.iface.name)));
        }
        bpf_program program{};
        if (pcap_compile(handle.get(), &program, "arp", 1, PCAP_NETMASK_UNKNOWN) != 0 ||
            pcap_setfilter(handle.get(), &program) != 0) {
            pcap_freecode(&program);
            return tl::unexpected(fail(ErrorCode::kBadFilter, pcap_geterr(handle.get())));
        }
        pcap_freecode(&program);
        if (pcap_setnonblock(handle.get(), 1, err) != 0) {
            return tl::unexpected(fail(ErrorCode::kCaptureOpenFailed, err));
        }
        m_handle = handle.get();

        const std::uint32_t first = m_subnet.base.v4HostOrder();
        const std::uint32_t count =
            m_subnet.prefixLength >= 32 ? 1U : (std::uint32_t{1} << (32 - m_subnet.prefixLength));
        const auto interval =
            std::chrono::nanoseconds(1'000'000'000LL / std::max(1, m_options.arpPerSecond));
        const auto start = Clock::now();
        auto nextSend = start;
        for (std::uint32_t i = 0; i < count && !stopped(stop); ++i) {
            const IpAddress target = IpAddress::v4(first + i);
            // Skip the network and broadcast addresses of real subnets, and ourselves.
            if ((count > 2 && (i == 0 || i == count - 1)) || target == m_options.iface.ip) {
                continue;
            }
            drainUntil(nextSend);
            const auto frame = arpRequest(m_options.iface, target);
            if (pcap_inject(m_handle, frame.data(), frame.size()) < 0) {
                return tl::unexpected(
                    fail(ErrorCode::kInjectFailed,
                         fmt::format("{}: {}", m_options.iface.name, pcap_geterr(m_handle))));
            }
            ++m_result.arpRequests;
            nextSend += interval;
        }
        drainUntil(Clock::now() + m_options.replyWait, stop);
        m_result.sweepSeconds = std::chrono::duration<double>(Clock::now() - start).count();
        return {};
    }

private:
    // Reads replies until `until`; this is also what paces the requests.
    void drainUntil(Clock::time_point until, const std::atomic<bool>* stop = nullptr) {
        const int fd = pcap_get_selectable_fd(m_handle);
        while (!stopped(stop)) {
            pcap_dispatch(
                m_handle, -1,
                [](u_char* user, const pcap_pkthdr* h, const u_char* bytes) {
                    reinterpret_cast<ArpSweep*>(user)->onFrame(bytes, h->caplen);
                },
                reinterpret_cast<u_char*>(this));
            const auto now = Clock::now();
            if (now >= until) {
                return;
            }
            const auto left = std::chrono::duration_cast<std::chrono::milliseconds>(until - now);
            pollfd p{fd, POLLIN, 0};
            ::poll(&p, 1, static_cast<int>(std::max<std::int64_t>(1, left.count())));
        }
    }

    void onFrame(const std::uint8_t* bytes, std::uint32_t length) {
        DecodedPacket p;
        AnomalyCounters ignored;
        if (!decodeFrame(DLT_EN10MB, bytes, length, p, ignored) || !p.hasArp ||
            p.arp.operation != 2 || p.arp.targetIp != m_options.iface.ip ||
            !m_subnet.contains(p.arp.senderIp)) {
            return;
        }
        if (m_seen.insert(p.arp.senderIp).second) {
            m_result.answered.emplace_back(p.arp.senderIp, p.arp.senderMac);
        }
    }

    const ActiveOptions& m_options;
    IpNetwork m_subnet;
    ActiveResult& m_result;
    pcap_t* m_handle = nullptr;
    std::set<IpAddress> m_seen;
};

class PortProbe {
public:
    PortProbe(const ActiveOptions& options, ActiveResult& result)
        : m_options(options), m_result(result) {}

    void run(const std::vector<IpAddress>& hosts, const std::vector<std::uint16_t>& ports,
             const std::atomic<bool>* stop) {
        const auto start = Clock::now();
        const auto interval =
            std::chrono::nanoseconds(1'000'000'000LL / std::max(1, m_options.connectsPerSecond));
        auto nextStart = start;
        std::size_t next = 0;
        const std::size_t total = hosts.size() * ports.size();
        while (!stopped(stop) && (next < total || !m_pending.empty())) {
            const auto now = Clock::now();
            while (next < total && now >= nextStart &&
                   m_pending.size() < static_cast<std::size_t>(m_options.maxParallelConnects)) {
                begin(hosts[next / ports.size()], ports[next % ports.size()]);
                ++next;
                nextStart += interval;
            }
            wait(next < total ? nextStart : Clock::time_point::max());
        }
        m_pending.clear();
        m_result.probeSeconds = std::chrono::duration<double>(Clock::now() - start).count();
    }

private:
    struct Pending {
        Fd fd;
        IpAddress ip;
        std::uint16_t port;
        bool connected = false;
        Clock::time_point deadline;
    };

    void begin(const IpAddress& ip, std::uint16_t port) {
        ++m_result.probes;
        Fd fd(::socket(AF_INET, SOCK_STREAM | SOCK_NONBLOCK | SOCK_CLOEXEC, 0));
        if (fd.fd < 0) {
            logger().warn("probe {}:{}: socket: {}", ip.toString(), port, std::strerror(errno));
            return;
        }
        // Confined to the audited interface: never routed out through another one.
        if (::setsockopt(fd.fd, SOL_SOCKET, SO_BINDTODEVICE, m_options.iface.name.c_str(),
                         static_cast<socklen_t>(m_options.iface.name.size())) != 0) {
            logger().warn("probe {}:{}: cannot bind to {}: {}", ip.toString(), port,
                          m_options.iface.name, std::strerror(errno));
            return;
        }
        sockaddr_in to{};
        to.sin_family = AF_INET;
        to.sin_port = htons(port);
        std::memcpy(&to.sin_addr, ip.bytes.data(), 4);
        const int rc = ::connect(fd.fd, reinterpret_cast<const sockaddr*>(&to), sizeof to);
        if (rc != 0 && errno != EINPROGRESS) {
            return;  // refused at once
        }
        m_pending.push_back(
            Pending{std::move(fd), ip, port, rc == 0, Clock::now() + m_options.connectTimeout});
        if (rc == 0) {
            m_pending.back().deadline = Clock::now() + m_options.bannerWait;
        }
    }

    void wait(Clock::time_point nextStart) {
        std::vector<pollfd> fds;
        auto until = nextStart;
        for (const auto& p : m_pending) {
            fds.push_back({p.fd.fd, static_cast<short>(p.connected ? POLLIN : POLLOUT), 0});
            until = std::min(until, p.deadline);
        }
        const auto now = Clock::now();
        int timeout = 0;
        if (until > now) {
            timeout = static_cast<int>(std::min<std::int64_t>(
                1000,
                std::chrono::duration_cast<std::chrono::milliseconds>(until - now).count() + 1));
        }
        ::poll(fds.data(), fds.size(), timeout);
        const auto after = Clock::now();
        std::vector<Pending> keep;
        for (std::size_t i = 0; i < m_pending.size(); ++i) {
            Pending& p = m_pending[i];
            const short revents = fds[i].revents;
            if (!p.connected) {
                if ((revents & (POLLOUT | POLLERR | POLLHUP)) != 0) {
                    int error = 0;
                    socklen_t len = sizeof error;
                    ::getsockopt(p.fd.fd, SOL_SOCKET, SO_ERROR, &error, &len);
                    if (error != 0) {
                        continue;  // closed port
                    }
                    p.connected = true;
                    p.deadline = after + m_options.bannerWait;
                    keep.push_back(std::move(p));
                } else if (after < p.deadline) {
                    keep.push_back(std::move(p));
                }
                continue;
            }
            if ((revents & (POLLIN | POLLERR | POLLHUP)) != 0 || after >= p.deadline) {
                OpenPort open{p.ip, p.port, {}};
                if ((revents & POLLIN) != 0) {
                    std::array<char, 64> buf{};
                    const ssize_t n = ::recv(p.fd.fd, buf.data(), buf.size(), 0);
                    if (n > 0) {
                        open.banner.assign(buf.data(), static_cast<std::size_t>(n));
                    }
                }
                m_result.open.push_back(std::move(open));
                continue;
            }
            keep.push_back(std::move(p));
        }
        m_pending = std::move(keep);
    }

    const ActiveOptions& m_options;
    ActiveResult& m_result;
    std::vector<Pending> m_pending;
};

}  // namespace

tl::expected<InterfaceInfo, Error> describeInterface(const std::string& name) {
    if (name.empty() || name.size() >= IFNAMSIZ) {
        return tl::unexpected(
            fail(ErrorCode::kInvalidArgument, fmt::format("bad interface name '{}'", name)));
    }
    ifaddrs* list = nullptr;
    if (::getifaddrs(&list) != 0) {
        return tl::unexpected(
            fail(ErrorCode::kInternal, fmt::format("getifaddrs: {}", std::strerror(errno))));
    }
    std::unique_ptr<ifaddrs, decltype(&::freeifaddrs)> guard(list, &::freeifaddrs);
    InterfaceInfo info;
    info.name = name;
    bool haveMac = false;
    bool haveIp = false;
    for (const ifaddrs* a = list; a != nullptr; a = a->ifa_next) {
        if (a->ifa_addr == nullptr || name != a->ifa_name) {
            continue;
        }
        if (a->ifa_addr->sa_family == AF_PACKET) {
            const auto* ll = reinterpret_cast<const sockaddr_ll*>(a->ifa_addr);
            if (ll->sll_halen == 6) {
                std::copy(ll->sll_addr, ll->sll_addr + 6, info.mac.bytes.begin());
                haveMac = true;
            }
        } else if (a->ifa_addr->sa_family == AF_INET && !haveIp && a->ifa_netmask != nullptr) {
            const auto* in = reinterpret_cast<const sockaddr_in*>(a->ifa_addr);
            const auto* mask = reinterpret_cast<const sockaddr_in*>(a->ifa_netmask);
            info.ip = IpAddress::v4(reinterpret_cast<const std::uint8_t*>(&in->sin_addr));
            const std::uint32_t m = ntohl(mask->sin_addr.s_addr);
            info.subnet.prefixLength = __builtin_popcount(m);
            info.subnet.base = IpAddress::v4(info.ip.v4HostOrder() & m);
            haveIp = true;
        }
    }
    if (!haveMac && !haveIp) {
        return tl::unexpected(
            fail(ErrorCode::kInvalidArgument, fmt::format("no interface named '{}'", name)));
    }
    if (!haveIp) {
        return tl::unexpected(fail(ErrorCode::kInvalidArgument,
                                   fmt::format("interface '{}' has no IPv4 address", name)));
    }
    info.gateway = defaultGateway(name);
    return info;
}

std::vector<std::uint16_t> remoteControlPorts(const SignatureTable& table) {
    std::set<std::uint16_t> ports;
    auto add = [&](const PortRange& r) {
        if (r.transport == Transport::kUdp || r.last - r.first > 64) {
            return;  // UDP cannot be probed by connect; wide ranges are not probed
        }
        for (std::uint32_t p = r.first; p <= r.last; ++p) {
            ports.insert(static_cast<std::uint16_t>(p));
        }
    };
    for (const auto& app : table.apps()) {
        for (const auto& r : app.ports) {
            add(r);
        }
        for (const auto& rule : app.payloads) {
            for (const auto& r : rule.ports) {
                add(r);
            }
        }
    }
    return {ports.begin(), ports.end()};
}

tl::expected<ActiveResult, Error> runActiveAudit(const ActiveOptions& options,
                                                 const std::atomic<bool>* stop) {
    const IpNetwork subnet = options.subnet.value_or(options.iface.subnet);
    if (subnet.base.family != 4 || options.iface.ip.family != 4) {
        return tl::unexpected(
            fail(ErrorCode::kInvalidArgument, "the active audit sweeps IPv4 subnets only"));
    }
    // Confinement: the sweep never leaves the interface's own subnet.
    const IpAddress last =
        IpAddress::v4(subnet.base.v4HostOrder() |
                      (subnet.prefixLength >= 32 ? 0U : (0xffffffffU >> subnet.prefixLength)));
    if (subnet.prefixLength < options.iface.subnet.prefixLength ||
        !options.iface.subnet.contains(subnet.base) || !options.iface.subnet.contains(last)) {
        return tl::unexpected(fail(
            ErrorCode::kInvalidArgument,
            fmt::format("{}/{} is not inside {}'s subnet {}/{}", subnet.base.toString(),
                        subnet.prefixLength, options.iface.name,
                        options.iface.subnet.base.toString(), options.iface.subnet.prefixLength)));
    }
    const std::uint64_t size = std::uint64_t{1} << (32 - subnet.prefixLength);
    if (size > options.maxAddresses) {
        return tl::unexpected(fail(
            ErrorCode::kInvalidArgument,
            fmt::format("{}/{} has {} addresses; the sweep is limited to {}",
                        subnet.base.toString(), subnet.prefixLength, size, options.maxAddresses)));
    }
    ActiveResult result;
    ArpSweep sweep(options, subnet, result);
    if (auto r = sweep.run(stop); !r) {
        return tl::unexpected(r.error());
    }
    std::vector<IpAddress> hosts;
    for (const auto& [ip, mac] : result.answered) {
        hosts.push_back(ip);
    }
    const auto ports = options.ports;
    if (!hosts.empty() && !ports.empty()) {
        PortProbe probe(options, result);
        probe.run(hosts, ports, stop);
    }
    logger().info("active audit of {}: {} ARP requests, {} hosts answered, {} probes, {} open",
                  options.iface.name, result.arpRequests, result.answered.size(), result.probes,
                  result.open.size());
    return result;
}

std::string printableBanner(std::string_view banner) {
    std::string out;
    for (const char c : banner.substr(0, 48)) {
        const auto b = static_cast<unsigned char>(c);
        if (b >= 0x20 && b < 0x7f) {
            out += c;
        } else if (c == '\n' || c == '\r') {
            continue;  // banners end in line breaks; evidence is one line
        } else {
            out += fmt::format("\\x{:02x}", b);
        }
    }
    return out;
}

void addActiveFindings(const ActiveResult& result, const SignatureTable& table,
                       AuditReport& report) {
    std::map<IpAddress, MacAddress> macOf(result.answered.begin(), result.answered.end());
    for (const auto& open : result.open) {
        SignatureMatch match;
        std::string evidence = fmt::format("tcp {}:{} accepted", open.ip.toString(), open.port);
        const auto* data = reinterpret_cast<const std::uint8_t*>(open.banner.data());
        if (!open.banner.empty() &&
            table.matchPayload(Transport::kTcp, open.port, 0, data, open.banner.size(), match)) {
            evidence +=
                fmt::format("; banner {} (rule {})", printableBanner(open.banner), match.what);
        } else if (table.matchPort(Transport::kTcp, open.port, match)) {
            evidence += open.banner.empty()
                            ? "; no banner (port only: weak evidence)"
                            : fmt::format("; banner {} not recognised (port only: weak evidence)",
                                          printableBanner(open.banner));
        } else {
            continue;  // a port of a payload rule whose banner did not match: not evidence
        }
        const std::string app = table.apps()[match.appIndex].app;
        const auto existing =
            std::find_if(report.findings.begin(), report.findings.end(), [&](const Finding& f) {
                return f.kind == FindingKind::kRemoteControl && f.ip == open.ip && f.app == app;
            });
        if (existing != report.findings.end()) {
            existing->evidence += "; active probe: " + evidence;
            continue;
        }
        Finding f;
        f.kind = FindingKind::kRemoteControl;
        f.ip = open.ip;
        if (const auto mac = macOf.find(open.ip); mac != macOf.end()) {
            f.mac = mac->second;
        }
        f.app = app;
        f.evidence = "active probe: " + evidence;
        f.flow = fmt::format("tcp station -> {}:{}", open.ip.toString(), open.port);
        report.findings.push_back(std::move(f));
    }
}

}  // namespace examguard::netaudit
