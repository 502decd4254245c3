#!/usr/bin/env python3
"""Writes demo-lan.pcap, the capture `examguard demo` audits: a few seconds of the demo site's
exam LAN (10.20.1.0/24, machines.csv beside this file) with planted problems.

The packets are built here byte by byte (Ethernet, ARP, IPv4, UDP, DNS, TCP with a real
handshake and checksums), not recorded, so the file is reproducible and small; the audit reads
it exactly like a capture from tcpdump. Planted, and what the audit must report:
  - A12 (10.20.1.112) sends nothing                           -> missing_device
  - an unfiled laptop 10.20.1.200 / 3c:22:fb:12:34:56         -> unregistered_device
  - A07's IP 10.20.1.107 used from MAC 00:1b:21:3a:50:99      -> mac_ip_mismatch (+ unregistered MAC)
  - A03 answers on 5900 with "RFB 003.008\\n" (a VNC server)  -> remote_control vnc
  - A09 resolves router16.teamviewer.com                      -> remote_control teamviewer
Run: python3 make_demo_capture.py  (writes demo-lan.pcap next to this script)."""
import os
import struct

HERE = os.path.dirname(os.path.abspath(__file__))
T0 = 1795568400  # 2026-11-25 08:20:00 +08:00, before the theory main sitting
SERVER = ("00:1b:21:3a:4f:01", "10.20.1.2")
LAPTOP = ("3c:22:fb:12:34:56", "10.20.1.200")
BROADCAST = "ff:ff:ff:ff:ff:ff"


def mac(text):
    return bytes(int(b, 16) for b in text.split(":"))


def ip(text):
    return bytes(int(b) for b in text.split("."))


def checksum(data):
    if len(data) % 2:
        data += b"\0"
    s = sum(struct.unpack(f"!{len(data) // 2}H", data))
    while s >> 16:
        s = (s & 0xFFFF) + (s >> 16)
    return ~s & 0xFFFF


def ether(src, dst, ethertype, payload):
    return mac(dst) + mac(src) + struct.pack("!H", ethertype) + payload


def arp_request(src_mac, src_ip, target_ip):
    body = struct.pack("!HHBBH", 1, 0x0800, 6, 4, 1) + mac(src_mac) + ip(src_ip) + b"\0" * 6 + ip(target_ip)
    return ether(src_mac, BROADCAST, 0x0806, body)


def ipv4(src, dst, proto, payload, ident):
    header = struct.pack("!BBHHHBBH4s4s", 0x45, 0, 20 + len(payload), ident, 0x4000, 64, proto, 0,
                         ip(src), ip(dst))
    header = header[:10] + struct.pack("!H", checksum(header)) + header[12:]
    return header + payload


def udp(src, sport, dst, dport, payload):
    length = 8 + len(payload)
    pseudo = ip(src) + ip(dst) + struct.pack("!BBH", 0, 17, length)
    head = struct.pack("!HHHH", sport, dport, length, 0)
    return head[:6] + struct.pack("!H", checksum(pseudo + head + payload) or 0xFFFF) + payload


def tcp(src, sport, dst, dport, seq, ack, flags, payload=b""):
    head = struct.pack("!HHIIBBHHH", sport, dport, seq, ack, 5 << 4, flags, 64240, 0, 0)
    pseudo = ip(src) + ip(dst) + struct.pack("!BBH", 0, 6, len(head) + len(payload))
    return head[:16] + struct.pack("!H", checksum(pseudo + head + payload)) + head[18:] + payload


def dns_query(name, ident):
    q = b"".join(bytes([len(p)]) + p.encode() for p in name.split(".")) + b"\0"
    return struct.pack("!HHHHHH", ident, 0x0100, 1, 0, 0, 0) + q + struct.pack("!HH", 1, 1)


def machines():
    with open(os.path.join(HERE, "machines.csv"), encoding="utf-8-sig") as f:
        rows = [line.strip().split(",") for line in f if line.strip()][1:]
    return {r[1]: (r[3], r[4]) for r in rows}


def main():
    filed = machines()
    packets = []
    t = T0
    ident = 1

    def add(frame):
        nonlocal t
        t += 0.05
        packets.append((t, frame))

    # Every filed machine but A12 looks up the exam server; A07's IP comes from another MAC.
    for seat, (m, addr) in filed.items():
        if seat in ("A12", "SERVER"):
            continue
        if seat == "A07":
            m = "00:1b:21:3a:50:99"
        add(arp_request(m, addr, SERVER[1]))
    add(arp_request(SERVER[0], SERVER[1], filed["A01"][1]))
    add(arp_request(LAPTOP[0], LAPTOP[1], filed["A03"][1]))
    # The laptop opens a VNC session to A03, which greets with the RFB banner.
    a03 = filed["A03"]
    c, s = 40001, 5900
    for src, dst, sm, dm, sp, dp, seq, ack, flags, data in [
        (LAPTOP, a03, None, None, c, s, 1000, 0, 0x02, b""),
        (a03, LAPTOP, None, None, s, c, 5000, 1001, 0x12, b""),
        (LAPTOP, a03, None, None, c, s, 1001, 5001, 0x10, b""),
        (a03, LAPTOP, None, None, s, c, 5001, 1001, 0x18, b"RFB 003.008\n"),
        (LAPTOP, a03, None, None, c, s, 1001, 5013, 0x18, b"RFB 003.008\n"),
    ]:
        segment = tcp(src[1], sp, dst[1], dp, seq, ack, flags, data)
        add(ether(src[0], dst[0], 0x0800, ipv4(src[1], dst[1], 6, segment, ident)))
        ident += 1
    # A09 asks the exam server's resolver for a TeamViewer router.
    a09 = filed["A09"]
    query = udp(a09[1], 53001, SERVER[1], 53, dns_query("router16.teamviewer.com", 0x4242))
    add(ether(a09[0], SERVER[0], 0x0800, ipv4(a09[1], SERVER[1], 17, query, ident)))

    out = os.path.join(HERE, "demo-lan.pcap")
    with open(out, "wb") as f:
        f.write(struct.pack("<IHHiIII", 0xA1B2C3D4, 2, 4, 0, 0, 65535, 1))
        for ts, frame in packets:
            sec, usec = int(ts), int(round((ts - int(ts)) * 1e6))
            f.write(struct.pack("<IIII", sec, usec, len(frame), len(frame)) + frame)
    print(f"wrote {out}: {len(packets)} packets")


if __name__ == "__main__":
    main()
