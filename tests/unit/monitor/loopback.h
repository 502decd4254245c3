#pragma once

// A socket bound to an ephemeral port on 127.0.0.1, for the "cameras" of the monitor tests.
#include <arpa/inet.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <unistd.h>

namespace examguard::monitor::test {

struct LoopbackSocket {
    int fd = -1;
    int port = 0;
    sockaddr_in address{};
};

// type: SOCK_STREAM (listening) or SOCK_DGRAM; fd < 0 on failure.
inline LoopbackSocket bindLoopback(int type) {
    LoopbackSocket s;
    s.fd = ::socket(AF_INET, type, 0);
    s.address.sin_family = AF_INET;
    s.address.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    socklen_t length = sizeof s.address;
    if (s.fd < 0 || ::bind(s.fd, reinterpret_cast<sockaddr*>(&s.address), length) != 0 ||
        (type == SOCK_STREAM && ::listen(s.fd, 4) != 0) ||
        ::getsockname(s.fd, reinterpret_cast<sockaddr*>(&s.address), &length) != 0) {
        if (s.fd >= 0) {
            ::close(s.fd);
        }
        s.fd = -1;
        return s;
    }
    s.port = ntohs(s.address.sin_port);
    return s;
}

}  // namespace examguard::monitor::test
