#!/usr/bin/env python3
"""Active LAN audit cost: seconds per ARP sweep and per round of port probes of a /24 with
HOSTS live hosts (network namespaces on a bridge), against Debian's arp-scan sweeping the same
LAN from the same namespace in the same run. Needs root.

    tests/bench/netaudit/active_bench.py build/ci/station/examguard [HOSTS] [RUNS]

Prints the median of RUNS for: examguard's sweep (sweep_s from its JSON report), its probes
(probe_s), and arp-scan --localnet (wall time of the process), and their ratio."""
import json
import os
import statistics
import subprocess
import sys
import time
import uuid

EXAMGUARD = os.path.abspath(sys.argv[1]) if len(sys.argv) > 1 else "examguard"
HOSTS = int(sys.argv[2]) if len(sys.argv) > 2 else 10
RUNS = int(sys.argv[3]) if len(sys.argv) > 3 else 5
TAG = uuid.uuid4().hex[:6]


def sh(*args):
    subprocess.run(args, check=True, capture_output=True)


def ns(name):
    return f"eb{TAG}-{name}"


def build():
    names = [ns("sw"), ns("station")] + [ns(f"h{i}") for i in range(HOSTS)]
    sh("ip", "netns", "add", names[0])
    sh("ip", "-n", names[0], "link", "add", "br0", "type", "bridge", "mcast_snooping", "0")
    sh("ip", "-n", names[0], "link", "set", "br0", "up")
    for i, host in enumerate(names[1:]):
        sh("ip", "netns", "add", host)
        sh("ip", "-n", names[0], "link", "add", f"p{i}", "type", "veth", "peer", "name", "eth0",
           "netns", host)
        sh("ip", "-n", names[0], "link", "set", f"p{i}", "master", "br0", "up")
        sh("ip", "-n", host, "addr", "add", f"10.8.0.{i + 1}/24", "dev", "eth0")
        sh("ip", "-n", host, "link", "set", "eth0", "up")
    return names


def main():
    if os.geteuid() != 0:
        sys.exit("active_bench: needs root (network namespaces)")
    names = build()
    station = names[1]
    ours_sweep, ours_probe, baseline = [], [], []
    answered = 0
    try:
        for _ in range(RUNS):
            p = subprocess.run(["ip", "netns", "exec", station, EXAMGUARD, "--json", "netaudit",
                                "live", "-i", "eth0", "--duration", "3", "--active"],
                               capture_output=True, text=True, timeout=120)
            active = json.loads(p.stdout)["active"]
            ours_sweep.append(active["sweep_s"])
            ours_probe.append(active["probe_s"])
            answered = active["answered"]
            t0 = time.monotonic()
            a = subprocess.run(["ip", "netns", "exec", station, "arp-scan", "--localnet", "-I",
                                "eth0", "-q"], capture_output=True, text=True, timeout=120)
            baseline.append(time.monotonic() - t0)
            if a.returncode != 0:
                sys.exit(f"arp-scan failed: {a.stderr}")
    finally:
        for name in names:
            subprocess.run(["ip", "netns", "delete", name], capture_output=True)
    sweep, probe, scan = (statistics.median(x) for x in (ours_sweep, ours_probe, baseline))
    print(f"active_bench: /24 with {HOSTS} live hosts ({answered} answered), median of {RUNS}")
    print(f"  examguard ARP sweep          {sweep:7.3f} s")
    print(f"  examguard port probes        {probe:7.3f} s")
    print(f"  arp-scan --localnet          {scan:7.3f} s")
    print(f"  ratio sweep / arp-scan       {sweep / scan:7.2f}")
    print(f"  ratio sweep+probes / arp-scan {(sweep + probe) / scan:6.2f}")


if __name__ == "__main__":
    main()
