#!/usr/bin/env python3
"""Seal and verify throughput on a period with SIZE bytes of recordings (default 2 GiB), against
sha256sum of the same bytes in the same run. Not a test: it prints figures.

Usage: archive_bench.py EXAMGUARD [SIZE_MIB] [WORK_DIR]
Two modes: recordings kept in the recording store (the archive holds their index; verify
--recordings hashes the store), and recordings copied into the archive (--include-recordings).
"""
import hashlib
import os
import shutil
import sqlite3
import statistics
import subprocess
import sys
import tempfile
import time

EXAMGUARD = os.path.abspath(sys.argv[1])
SIZE_MIB = int(sys.argv[2]) if len(sys.argv) > 2 else 2048
WORK = sys.argv[3] if len(sys.argv) > 3 else None
SEGMENT_MIB = 64
RUNS = 3


def timed(args):
    start = time.perf_counter()
    p = subprocess.run(args, capture_output=True, env=dict(os.environ, EXAMGUARD_LANG="en"))
    elapsed = time.perf_counter() - start
    if p.returncode != 0:
        sys.exit(f"failed: {' '.join(args)}\n{p.stderr.decode()}")
    return elapsed


def median(args):
    return statistics.median(timed(args) for _ in range(RUNS))


def main():
    root = tempfile.mkdtemp(prefix="examguard-archive-bench-", dir=WORK)
    try:
        db = os.path.join(root, "demo", "station.db")
        subprocess.run([EXAMGUARD, "demo", "--out", os.path.join(root, "demo")], check=True,
                       capture_output=True)
        store = os.path.join(root, "store")
        os.makedirs(os.path.join(store, "T1-FRONT"))
        con = sqlite3.connect(db)
        files = []
        block = os.urandom(1 << 20)  # incompressible, like video
        for i in range(SIZE_MIB // SEGMENT_MIB):
            path = os.path.join(store, "T1-FRONT", f"seg-{i:04}.ts")
            digest = hashlib.sha256()
            with open(path, "wb") as f:
                for j in range(SEGMENT_MIB):
                    chunk = bytes([i & 0xff, j & 0xff]) + block[2:]
                    f.write(chunk)
                    digest.update(chunk)
            files.append(path)
            con.execute("INSERT INTO recording_segment (camera_id, start_at, end_at, path, "
                        "sha256, bytes, keep_until) VALUES (1, ?, ?, ?, ?, ?, '2032-11-26')",
                        (f"2026-11-25T01:{i % 60:02}:00.000Z", f"2026-11-25T01:{i % 60:02}:59.000Z",
                         path, digest.hexdigest(), SEGMENT_MIB << 20))
        con.commit()
        con.close()
        total = SIZE_MIB << 20
        cert = os.path.join(root, "demo", "keys", "signing.crt")
        seal = [EXAMGUARD, "--db", db, "archive", "seal", "--period", "2026-DG-011"]

        baseline = median(["sha256sum", *files])
        index_zip = os.path.join(root, "index.zip")
        seal_index = median([*seal, "--out", index_zip])
        verify_store = median([EXAMGUARD, "archive", "verify", index_zip, "--trust", cert,
                               "--recordings", store])
        full_zip = os.path.join(root, "full.zip")
        seal_full = median([*seal, "--out", full_zip, "--include-recordings"])
        verify_full = median([EXAMGUARD, "archive", "verify", full_zip, "--trust", cert])

        def line(name, seconds):
            rate = total / seconds / (1 << 20)
            print(f"{name:<44} {seconds:8.2f} s  {rate:8.1f} MiB/s  "
                  f"{baseline / seconds:5.2f}x of sha256sum")
        print(f"{SIZE_MIB} MiB of recordings in {len(files)} segments, median of {RUNS} runs; "
              f"CPU: {os.cpu_count()} cores")
        print(f"{'sha256sum (baseline)':<44} {baseline:8.2f} s  "
              f"{total / baseline / (1 << 20):8.1f} MiB/s")
        line("verify --recordings STORE (index archive)", verify_store)
        print(f"{'seal, recordings kept in the store':<44} {seal_index:8.2f} s  (index only)")
        line("seal --include-recordings", seal_full)
        line("verify of the archive with recordings", verify_full)
    finally:
        shutil.rmtree(root, ignore_errors=True)


if __name__ == "__main__":
    main()
