#!/usr/bin/env python3
"""examguard netaudit live --active on a real LAN built from network namespaces, veth pairs and
a Linux bridge: filed exam PCs, a filed PC that is switched off, one filed IP on another MAC, an
unfiled host, a VNC server, and a host spoofing the gateway with ARP replies. The audit runs in
the station's namespace and must report exactly the expected findings.
Needs root for `ip netns` (CI runs as root); without it the test fails, it does not skip.
Usage: lan_active_test.py EXAMGUARD SOURCE_DIR"""
import json
import os
import shutil
import socket
import subprocess
import sys
import tempfile
import time
import unittest
import uuid

import jsonschema

EXAMGUARD = os.path.abspath(sys.argv[1]) if len(sys.argv) > 1 else "examguard"
SOURCE = sys.argv[2] if len(sys.argv) > 2 else "."
TAG = uuid.uuid4().hex[:6]
GATEWAY = "10.9.0.254"

# name, MAC, IP, filed seat (None: not in the registry)
HOSTS = [
    ("station", "02:00:00:00:00:01", "10.9.0.1", "SERVER"),
    ("gw", "02:00:00:00:00:fe", GATEWAY, "GW"),
    ("pc1", "02:00:00:00:00:21", "10.9.0.21", "A01"),
    ("pc2", "02:00:00:00:00:99", "10.9.0.22", None),  # A02's IP on another MAC
    ("vnc", "02:00:00:00:00:24", "10.9.0.24", "A04"),
    ("rogue", "02:00:00:00:00:50", "10.9.0.50", None),
    ("spoofer", "02:00:00:00:00:60", "10.9.0.60", None),
]
FILED_ONLY = [("A02", "EXAM-PC02", "02:00:00:00:00:22", "10.9.0.22"),  # its MAC never shows
              ("A03", "EXAM-PC03", "02:00:00:00:00:23", "10.9.0.23")]  # switched off

SPOOFER = r"""
import socket, struct, sys, time
mac = bytes.fromhex(sys.argv[2].replace(":", ""))
s = socket.socket(socket.AF_PACKET, socket.SOCK_RAW)
s.bind((sys.argv[1], 0))
arp = struct.pack("!HHBBH6s4s6s4s", 1, 0x0800, 6, 4, 2, mac, socket.inet_aton(sys.argv[3]),
                  b"\xff" * 6, socket.inet_aton(sys.argv[3]))
frame = b"\xff" * 6 + mac + b"\x08\x06" + arp
while True:  # traffic the audit must notice, a few times a second, until killed
    s.send(frame)
    time.sleep(0.2)
"""

VNC = r"""
import socket, sys
srv = socket.socket()
srv.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
srv.bind(("0.0.0.0", 5900))
srv.listen(16)
while True:
    c, _ = srv.accept()
    c.sendall(b"RFB 003.008\n")
    c.close()
"""


def sh(*args):
    p = subprocess.run(args, capture_output=True, text=True)
    if p.returncode != 0:
        raise RuntimeError(f"{' '.join(args)}: {p.stderr.strip()}")
    return p.stdout


def ns(name):
    return f"eg{TAG}-{name}"


def wait_for(condition, what, seconds=20):
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if condition():
            return
        time.sleep(0.05)  # polling a condition with a deadline, not a fixed wait
    raise AssertionError(f"timed out waiting for {what}")


class LanActive(unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        cls.dir = tempfile.mkdtemp(prefix="examguard-lan-")
        cls.procs = []
        cls.namespaces = [ns("sw")] + [ns(h[0]) for h in HOSTS]
        try:
            cls.build_lan()
            cls.run_audit()
        except BaseException:
            cls.tearDownClass()
            raise

    @classmethod
    def build_lan(cls):
        sw = ns("sw")
        sh("ip", "netns", "add", sw)
        # IPv4 only: link-local IPv6 chatter of the bridge ports would be hosts of its own.
        sh("ip", "netns", "exec", sw, "sysctl", "-qw", "net.ipv6.conf.all.disable_ipv6=1")
        sh("ip", "netns", "exec", sw, "sysctl", "-qw", "net.ipv6.conf.default.disable_ipv6=1")
        # No multicast snooping: its IGMP queries would make the switch a host of its own.
        sh("ip", "-n", sw, "link", "add", "br0", "type", "bridge", "mcast_snooping", "0")
        sh("ip", "-n", sw, "link", "set", "br0", "up")
        for i, (name, mac, ip, _) in enumerate(HOSTS):
            host = ns(name)
            sh("ip", "netns", "add", host)
            sh("ip", "netns", "exec", host, "sysctl", "-qw", "net.ipv6.conf.all.disable_ipv6=1")
            sh("ip", "netns", "exec", host, "sysctl", "-qw",
               "net.ipv6.conf.default.disable_ipv6=1")
            sh("ip", "-n", sw, "link", "add", f"p{i}", "type", "veth", "peer", "name", "eth0",
               "netns", host)
            sh("ip", "-n", sw, "link", "set", f"p{i}", "master", "br0", "up")
            sh("ip", "-n", host, "link", "set", "eth0", "address", mac)
            sh("ip", "-n", host, "addr", "add", f"{ip}/24", "dev", "eth0")
            sh("ip", "-n", host, "link", "set", "eth0", "up")
            sh("ip", "-n", host, "link", "set", "lo", "up")
        sh("ip", "-n", ns("station"), "route", "add", "default", "via", GATEWAY)
        for name in ("vnc", "spoofer"):
            script = VNC if name == "vnc" else SPOOFER
            args = [] if name == "vnc" else ["eth0", dict((h[0], h[1]) for h in HOSTS)["spoofer"],
                                             GATEWAY]
            cls.procs.append(subprocess.Popen(["ip", "netns", "exec", ns(name), sys.executable,
                                               "-c", script, *args]))
        wait_for(lambda: ":5900" in sh("ip", "netns", "exec", ns("vnc"), "ss", "-ltn"),
                 "the VNC server to listen")
        cls.registry = os.path.join(cls.dir, "registry.csv")
        with open(cls.registry, "w") as f:
            f.write("seat,hostname,mac,ip\n")
            for name, mac, ip, seat in HOSTS:
                if seat:
                    f.write(f"{seat},{name.upper()},{mac},{ip}\n")
            for row in FILED_ONLY:
                f.write(",".join(row) + "\n")

    @classmethod
    def run_audit(cls):
        p = subprocess.run(["ip", "netns", "exec", ns("station"), EXAMGUARD, "--json", "netaudit",
                            "live", "-i", "eth0", "--duration", "6", "--active", "--registry",
                            cls.registry, "--gateway", GATEWAY],
                           capture_output=True, text=True, timeout=120,
                           env=dict(os.environ, EXAMGUARD_LANG="en"))
        cls.code, cls.stderr = p.returncode, p.stderr
        cls.report = json.loads(p.stdout) if p.stdout.strip() else None

    @classmethod
    def tearDownClass(cls):
        for proc in cls.procs:
            proc.kill()
            proc.wait()
        for name in cls.namespaces:
            subprocess.run(["ip", "netns", "delete", name], capture_output=True)
        shutil.rmtree(cls.dir, ignore_errors=True)

    def test_exactly_the_expected_findings(self):
        self.assertEqual(self.code, 1, self.stderr)  # findings present
        with open(os.path.join(SOURCE, "schemas", "cli", "netaudit-report.schema.json"),
                  encoding="utf-8") as f:
            jsonschema.validate(self.report, json.load(f))
        found = {(f["kind"], f["ip"], f["mac"], f["app"]) for f in self.report["findings"]}
        mac = dict((h[0], h[1]) for h in HOSTS)
        expected = {
            ("remote_control", "10.9.0.24", mac["vnc"], "vnc"),
            ("missing_device", "10.9.0.23", "02:00:00:00:00:23", None),
            ("mac_ip_mismatch", "10.9.0.22", mac["pc2"], None),
            ("unregistered_device", "10.9.0.50", mac["rogue"], None),
            # The spoofer: its rebinding of the gateway, the filed gateway IP on its MAC, and the
            # gateway IP held by two MACs. The real gateway answering the sweep is its filed
            # owner reclaiming the address, not a spoofer.
            ("arp_spoof", GATEWAY, mac["spoofer"], None),
            ("mac_ip_mismatch", GATEWAY, mac["spoofer"], None),
            ("duplicate_ip", GATEWAY, mac["gw"], None),
        }
        self.assertEqual(found - expected, set(), json.dumps(self.report["findings"], indent=1))
        self.assertEqual(expected - found, set(), json.dumps(self.report["findings"], indent=1))

    def test_probe_evidence_and_sweep_figures(self):
        vnc = [f for f in self.report["findings"] if f["kind"] == "remote_control"][0]
        self.assertIn("tcp 10.9.0.24:5900 accepted; banner RFB 003.008", vnc["evidence"])
        active = self.report["active"]
        self.assertEqual(active["arp_requests"], 253)  # the /24 less network, broadcast, itself
        self.assertEqual(active["answered"], len(HOSTS) - 1)
        self.assertEqual(active["open"], 1)
        self.assertGreater(active["probes"], active["answered"])

    def test_sweep_is_confined_and_sized(self):
        # The interface's own /24 only; a /16 on the station is refused without --force-large.
        sh("ip", "-n", ns("station"), "addr", "add", "10.10.0.1/16", "dev", "lo")
        p = subprocess.run(["ip", "netns", "exec", ns("station"), EXAMGUARD, "--json", "netaudit",
                            "live", "-i", "lo", "--duration", "1", "--active"],
                           capture_output=True, text=True, timeout=60,
                           env=dict(os.environ, EXAMGUARD_LANG="en"))
        self.assertNotEqual(p.returncode, 0, p.stdout)
        self.assertIn("error", json.loads(p.stdout))


if __name__ == "__main__":
    unittest.main(argv=sys.argv[:1], verbosity=2)
