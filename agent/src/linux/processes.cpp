// Processes from /proc, and listening sockets from /proc/net/{tcp,tcp6,udp,udp6} with their owners
// found through /proc/PID/fd socket inodes.
#include <sys/stat.h>

#include <algorithm>
#include <charconv>
#include <fstream>
#include <map>
#include <memory>
#include <sstream>

#include <fmt/format.h>
#include <openssl/evp.h>

#include "agent/linux_backend.h"
#include "linux/fs_util.h"
#include "text.h"

namespace examguard::agent::linuxhost {

namespace fs = std::filesystem;

namespace {

std::optional<int> parsePid(const std::string& name) {
    int pid = 0;
    const auto [p, ec] = std::from_chars(name.data(), name.data() + name.size(), pid);
    if (ec != std::errc{} || p != name.data() + name.size() || pid <= 0) {
        return std::nullopt;
    }
    return pid;
}

// /proc/PID/stat: "pid (comm) state ppid ..."; comm may hold spaces and parentheses.
int parsePpid(const std::string& stat) {
    const auto close = stat.rfind(')');
    if (close == std::string::npos) {
        return 0;
    }
    std::istringstream in(stat.substr(close + 1));
    std::string state;
    int ppid = 0;
    in >> state >> ppid;
    return ppid;
}

bool startsWithMz(const fs::path& path) {
    std::ifstream in(path, std::ios::binary);
    char magic[2] = {};
    return in.read(magic, 2) && magic[0] == 'M' && magic[1] == 'Z';
}

}  // namespace

tl::expected<std::string, Error> sha256File(const fs::path& path) {
    std::ifstream in(path, std::ios::binary);
    if (!in) {
        return tl::unexpected(
            Error{ErrorCode::kUnreadable, fmt::format("{}: cannot open", path.string())});
    }
    std::unique_ptr<EVP_MD_CTX, decltype(&EVP_MD_CTX_free)> ctx(EVP_MD_CTX_new(), &EVP_MD_CTX_free);
    if (!ctx || EVP_DigestInit_ex(ctx.get(), EVP_sha256(), nullptr) != 1) {
        return tl::unexpected(Error{ErrorCode::kCryptoFailed, "SHA-256 unavailable"});
    }
    std::vector<char> buffer(1 << 16);
    while (in.read(buffer.data(), static_cast<std::streamsize>(buffer.size())) || in.gcount() > 0) {
        EVP_DigestUpdate(ctx.get(), buffer.data(), static_cast<std::size_t>(in.gcount()));
        if (in.eof()) {
            break;
        }
    }
    if (in.bad()) {
        return tl::unexpected(
            Error{ErrorCode::kUnreadable, fmt::format("{}: read error", path.string())});
    }
    unsigned char digest[EVP_MAX_MD_SIZE];
    unsigned int length = 0;
    EVP_DigestFinal_ex(ctx.get(), digest, &length);
    std::string hex;
    for (unsigned int i = 0; i < length; ++i) {
        hex += fmt::format("{:02x}", digest[i]);
    }
    return hex;
}

std::vector<ProcessInfo> listProcesses(const Paths& paths, bool hashImages,
                                       std::vector<std::string>& warnings) {
    std::vector<ProcessInfo> out;
    std::error_code ec;
    fs::directory_iterator it(paths.proc, ec);
    if (ec) {
        warnings.push_back(fmt::format("processes: {}: {}", paths.proc.string(), ec.message()));
        return out;
    }
    // The same image is hashed once: keyed by device and inode of /proc/PID/exe.
    std::map<std::pair<dev_t, ino_t>, std::string> hashes;
    for (const auto& entry : it) {
        const auto pid = parsePid(entry.path().filename().string());
        if (!pid) {
            continue;
        }
        ProcessInfo p;
        p.pid = *pid;
        const auto comm = readAttribute(entry.path() / "comm");
        if (!comm) {
            continue;  // exited meanwhile
        }
        p.name = sanitizeUtf8(*comm);
        if (const auto stat = readSmallFile(entry.path() / "stat", 4096)) {
            p.ppid = parsePpid(*stat);
        }
        if (const auto cmdline = readSmallFile(entry.path() / "cmdline", 64 * 1024)) {
            std::string arg;
            for (const char c : *cmdline) {
                if (c == '\0') {
                    p.cmdline.push_back(sanitizeUtf8(arg));
                    arg.clear();
                } else {
                    arg.push_back(c);
                }
            }
            if (!arg.empty()) {
                p.cmdline.push_back(sanitizeUtf8(arg));
            }
        }
        const fs::path exe = entry.path() / "exe";
        const auto target = fs::read_symlink(exe, ec);
        if (!ec) {
            p.imagePath = sanitizeUtf8(target.string());
            struct stat st {};
            if (hashImages && ::stat(exe.c_str(), &st) == 0) {
                const auto key = std::make_pair(st.st_dev, st.st_ino);
                if (const auto h = hashes.find(key); h != hashes.end()) {
                    p.sha256 = h->second;
                } else if (const auto digest = sha256File(exe)) {
                    p.sha256 = hashes[key] = *digest;
                }
            }
            if (startsWithMz(exe)) {
                if (auto pe = parsePeFile(exe)) {
                    p.versionInfo = pe->versionInfo;
                    p.signers = pe->signers;
                } else {
                    warnings.push_back(fmt::format("process {}: {}", p.pid, pe.error().detail));
                }
            }
        }
        out.push_back(std::move(p));
    }
    std::sort(out.begin(), out.end(),
              [](const ProcessInfo& a, const ProcessInfo& b) { return a.pid < b.pid; });
    return out;
}

namespace {

std::string hexAddress(std::string_view hex) {
    // /proc/net/tcp prints addresses as host-order 32-bit words in hex.
    std::string out;
    if (hex.size() == 8) {
        const auto v = static_cast<std::uint32_t>(std::stoul(std::string(hex), nullptr, 16));
        return fmt::format("{}.{}.{}.{}", v & 0xff, (v >> 8) & 0xff, (v >> 16) & 0xff, v >> 24);
    }
    if (hex.size() == 32) {
        std::uint8_t bytes[16];
        for (int w = 0; w < 4; ++w) {
            const auto v = static_cast<std::uint32_t>(
                std::stoul(std::string(hex.substr(w * 8, 8)), nullptr, 16));
            for (int b = 0; b < 4; ++b) {
                bytes[w * 4 + b] = static_cast<std::uint8_t>(v >> (8 * b));
            }
        }
        for (int i = 0; i < 16; i += 2) {
            out += fmt::format("{}{:x}", i ? ":" : "", (bytes[i] << 8) | bytes[i + 1]);
        }
        return out;
    }
    return std::string(hex);
}

struct RawSocket {
    Transport transport;
    std::string address;
    std::uint16_t port;
    unsigned long inode;
};

void parseNetTable(const fs::path& path, Transport transport, std::vector<RawSocket>& out,
                   std::vector<std::string>& warnings) {
    const auto text = readSmallFile(path, 64 << 20);
    if (!text) {
        return;  // no IPv6, or not mounted
    }
    std::istringstream in(*text);
    std::string line;
    std::getline(in, line);  // header
    int lineNo = 1;
    while (std::getline(in, line)) {
        ++lineNo;
        std::istringstream fields(line);
        std::string slot, local, remote, state, queues, timer, retrans, uid, timeout, inode;
        if (!(fields >> slot >> local >> remote >> state >> queues >> timer >> retrans >> uid >>
              timeout >> inode)) {
            warnings.push_back(fmt::format("{} line {}: too few fields", path.string(), lineNo));
            continue;
        }
        // TCP: 0A = LISTEN. UDP: 07 (unconnected) bound sockets are the ones that receive.
        const bool listening = transport == Transport::kTcp ? state == "0A" : state == "07";
        const auto colon = local.find(':');
        if (!listening || colon == std::string::npos) {
            continue;
        }
        try {
            RawSocket s{
                transport, hexAddress(local.substr(0, colon)),
                static_cast<std::uint16_t>(std::stoul(local.substr(colon + 1), nullptr, 16)),
                std::stoul(inode)};
            out.push_back(std::move(s));
        } catch (const std::exception&) {
            warnings.push_back(
                fmt::format("{} line {}: bad address or inode", path.string(), lineNo));
        }
    }
}

}  // namespace

std::vector<ListeningSocket> listListening(const Paths& paths, std::vector<std::string>& warnings) {
    std::vector<RawSocket> raw;
    parseNetTable(paths.proc / "net/tcp", Transport::kTcp, raw, warnings);
    parseNetTable(paths.proc / "net/tcp6", Transport::kTcp, raw, warnings);
    parseNetTable(paths.proc / "net/udp", Transport::kUdp, raw, warnings);
    parseNetTable(paths.proc / "net/udp6", Transport::kUdp, raw, warnings);
    std::map<unsigned long, std::vector<int>> owners;
    for (const auto& s : raw) {
        owners[s.inode];
    }
    std::error_code ec;
    for (const auto& entry : fs::directory_iterator(paths.proc, ec)) {
        const auto pid = parsePid(entry.path().filename().string());
        if (!pid) {
            continue;
        }
        std::error_code fdEc;
        for (const auto& fd : fs::directory_iterator(entry.path() / "fd", fdEc)) {
            std::error_code linkEc;
            const std::string target = fs::read_symlink(fd.path(), linkEc).string();
            if (linkEc || !target.starts_with("socket:[")) {
                continue;
            }
            try {
                const auto inode = std::stoul(target.substr(8));
                if (auto o = owners.find(inode); o != owners.end()) {
                    if (std::find(o->second.begin(), o->second.end(), *pid) == o->second.end()) {
                        o->second.push_back(*pid);
                    }
                }
            } catch (const std::exception&) {
            }
        }
    }
    std::vector<ListeningSocket> out;
    for (const auto& s : raw) {
        out.push_back(ListeningSocket{s.transport, s.address, s.port, owners[s.inode]});
    }
    return out;
}

}  // namespace examguard::agent::linuxhost
