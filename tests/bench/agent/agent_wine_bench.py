#!/usr/bin/env python3
"""Time and peak memory of one Windows inventory run under Wine (issue 8's benchmark for the
Windows agent), against Wine's own tasklist.exe (a process listing, the least any inventory
does) run the same way in the same prefix. Wall time per run and the peak resident set of the
wine64 process (the Windows program runs inside it), median of RUNS; the first run of each
program is discarded (Wine maps its DLLs then).

With EXAMGUARD (the station's CLI) it also times delivery over mutual TLS through SChannel:
`report --to` to `examguard agent serve` on loopback (a demo station, the key enrolled for seat
A05), against the same report only written; the difference is what delivery costs (key
container, TLS 1.2 handshake, the station's import and answer).

Usage: agent_wine_bench.py AGENT_EXE [RUNS] [EXAMGUARD]
       (build/ci/agent-windows/examguard-agent.exe 7 build/ci/station/examguard)"""
import json
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time

WINE = shutil.which("wine64") or "/usr/lib/wine/wine64"


def measure(argv, env, cwd):
    start = time.monotonic()
    with open(os.devnull, "w") as null:
        p = subprocess.Popen(argv, env=env, cwd=cwd, stdin=subprocess.DEVNULL, stdout=null,
                             stderr=null)
        _, status, usage = os.wait4(p.pid, 0)
    p.returncode = os.waitstatus_to_exitcode(status)
    return time.monotonic() - start, usage.ru_maxrss / 1024.0, p.returncode


def start_station(examguard, work, env):
    """A demo station with the bench's key enrolled for A05 and `agent serve` listening; returns
    the listener and the delivery options."""
    demo = os.path.join(work, "demo")
    station = [examguard, "--db", os.path.join(demo, "station.db"), "--json"]
    subprocess.run([examguard, "demo", "--out", demo], check=True, capture_output=True, env=env)
    subprocess.run([*station, "agent", "enroll", "--period", "2026-DG-011", "--seat", "A05",
                    "--public-key", "k.pub", "--cert-out", "k.crt"], check=True,
                   capture_output=True, env=env, cwd=work)
    subprocess.run([*station, "agent", "ca-cert", "--period", "2026-DG-011", "--out", "ca.crt"],
                   check=True, capture_output=True, env=env, cwd=work)
    serve = subprocess.Popen([*station, "agent", "serve", "--period", "2026-DG-011", "--listen",
                              "127.0.0.1:0"], stdout=subprocess.PIPE, stderr=subprocess.DEVNULL,
                             stdin=subprocess.DEVNULL, text=True, env=env)
    to = json.loads(serve.stdout.readline())["listening"]
    return serve, ["--to", to, "--cert", "k.crt", "--ca", "ca.crt"]


def main():
    exe = os.path.abspath(sys.argv[1])
    runs = int(sys.argv[2]) if len(sys.argv) > 2 else 7
    examguard = os.path.abspath(sys.argv[3]) if len(sys.argv) > 3 else None
    serve = None
    work = tempfile.mkdtemp(prefix="agent-wine-bench-")
    env = dict(os.environ, WINEPREFIX=os.path.join(work, "prefix"), WINEDEBUG="-all")
    env.pop("DISPLAY", None)
    try:
        measure([WINE, exe, "--version"], env, work)  # creates the prefix
        measure([WINE, exe, "keygen", "--key", "k.pem", "--public-key", "k.pub"], env, work)
        cases = {
            "agent report --no-hash": [WINE, exe, "report", "--out", "r.json", "--key", "k.pem",
                                       "--no-hash"],
            "agent report (images hashed)": [WINE, exe, "report", "--out", "r.json", "--key",
                                             "k.pem"],
            "baseline tasklist.exe": [WINE, "tasklist.exe"],
        }
        if examguard:
            serve, delivery = start_station(examguard, work, env)
            cases["agent report --no-hash --to (TLS)"] = [*cases["agent report --no-hash"],
                                                         *delivery]
        results = {}
        for name, argv in cases.items():
            samples = [measure(argv, env, work) for _ in range(runs + 1)][1:]
            codes = {s[2] for s in samples}
            results[name] = (statistics.median(s[0] for s in samples),
                             statistics.median(s[1] for s in samples), codes)
        base_t, base_m, _ = results["baseline tasklist.exe"]
        print(f"agent_wine_bench: {runs} runs each under {WINE} (median wall s, peak RSS MiB)")
        for name, (t, m, codes) in results.items():
            print(f"  {name:32} {t:7.3f} s  {m:7.1f} MiB  x{t / base_t:5.2f} time "
                  f"x{m / base_m:5.2f} memory  exit {sorted(codes)}")
        if serve:
            t, _, _ = results["agent report --no-hash --to (TLS)"]
            print(f"  delivery over TLS adds {t - results['agent report --no-hash'][0]:.3f} s")
    finally:
        if serve:
            serve.terminate()
            serve.wait()
        subprocess.run([shutil.which("wineserver") or "/usr/lib/wine/wineserver64", "-k"],
                       env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    main()
