#!/usr/bin/env python3
"""The station's side of the agent: `examguard agent enroll|import` with real signed reports.

The exam PC is a network namespace holding a veth adapter with a filed seat's MAC and IP, so
the agent's report (made inside it) names that adapter exactly; a renamed copy of a real program
runs as the remote-control tool. Checks the stored findings, refusals of replayed, altered and
unenrolled reports (each on record in the event log) and that the log still verifies.
Needs root for `ip netns` (CI runs as root); without it the test fails, it does not skip.
Usage: agent_import_test.py EXAMGUARD EXAMGUARD_AGENT SOURCE_DIR"""
import json
import os
import shutil
import sqlite3
import subprocess
import sys
import tempfile
import unittest
import uuid

import jsonschema

EXAMGUARD, AGENT, SOURCE = (sys.argv[1:4] if len(sys.argv) > 3
                            else ("examguard", "examguard-agent", "."))
PERIOD = "2026-DG-011"


def run(*args, netns=None):
    prefix = ["ip", "netns", "exec", netns] if netns else []
    env = dict(os.environ, EXAMGUARD_LANG="en")
    return subprocess.run(prefix + list(args), capture_output=True, text=True, env=env,
                          timeout=120)


def sh(*args):
    subprocess.run(args, check=True, capture_output=True, text=True)


class AgentImport(unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        cls.dir = tempfile.mkdtemp(prefix="agent-import-")
        cls.db = os.path.join(cls.dir, "demo", "station.db")
        r = run(EXAMGUARD, "demo", "--out", os.path.join(cls.dir, "demo"), "--json")
        assert r.returncode == 0, r.stderr
        with sqlite3.connect(cls.db) as db:
            cls.filed = {seat: (mac, ip) for seat, mac, ip in
                         db.execute("SELECT seat, mac, ip FROM machine WHERE seat IN ('A02', 'A03')")}
        cls.netns = "eg-agent-" + uuid.uuid4().hex[:8]
        sh("ip", "netns", "add", cls.netns)
        cls.tool = os.path.join(cls.dir, "SunloginClient.exe")
        shutil.copy("/bin/sleep", cls.tool)
        cls.proc = subprocess.Popen([cls.tool, "300"])
        with open(os.path.join(SOURCE, "schemas", "cli", "agent-import.schema.json"),
                  encoding="utf-8") as f:
            cls.schema = json.load(f)

    @classmethod
    def tearDownClass(cls):
        cls.proc.kill()
        cls.proc.wait()
        subprocess.run(["ip", "netns", "delete", cls.netns], capture_output=True)
        shutil.rmtree(cls.dir, ignore_errors=True)

    def pc_as(self, seat, ip=None):
        """Gives the namespace's one adapter the filed MAC of `seat` (and its IP unless given)."""
        mac, filed_ip = self.filed[seat]
        subprocess.run(["ip", "-n", self.netns, "link", "delete", "eg0"], capture_output=True)
        # A veth pair (this kernel has no dummy driver); its peer is an unfiled second adapter.
        sh("ip", "-n", self.netns, "link", "add", "eg0", "type", "veth", "peer", "name", "eg1")
        sh("ip", "-n", self.netns, "link", "set", "eg0", "address", mac, "up")
        sh("ip", "-n", self.netns, "addr", "add", (ip or filed_ip) + "/24", "dev", "eg0")

    def keypair(self, name):
        key, pub = (os.path.join(self.dir, name + ext) for ext in (".pem", ".pub"))
        r = run(AGENT, "keygen", "--key", key, "--public-key", pub)
        self.assertEqual(r.returncode, 0, r.stderr)
        return key, pub

    def report(self, key, name):
        path = os.path.join(self.dir, name + ".json")
        r = run(AGENT, "report", "--out", path, "--key", key, "--no-hash", netns=self.netns)
        self.assertEqual(r.returncode, 1, r.stderr)  # 1: it detected the running tool
        return path

    def station(self, *args):
        return run(EXAMGUARD, "--db", self.db, "--json", "agent", *args)

    def count(self, sql):
        with sqlite3.connect(self.db) as db:
            return db.execute(sql).fetchone()[0]

    def test_enroll_import_and_refusals(self):
        key, pub = self.keypair("a02")
        r = self.station("enroll", "--period", PERIOD, "--seat", "A02", "--public-key", pub)
        self.assertEqual(r.returncode, 0, r.stderr)
        self.assertEqual(len(json.loads(r.stdout)["fingerprint"]), 64)
        # One key per seat, one seat per key, and only filed seats.
        r = self.station("enroll", "--period", PERIOD, "--seat", "A02", "--public-key", pub)
        self.assertEqual((r.returncode, json.loads(r.stdout)["error"]["code"]), (1, "conflict"))
        _, other_pub = self.keypair("nowhere")
        r = self.station("enroll", "--period", PERIOD, "--seat", "Z99", "--public-key", other_pub)
        self.assertEqual((r.returncode, json.loads(r.stdout)["error"]["code"]), (1, "not_found"))
        r = self.station("enroll", "--period", PERIOD, "--seat", "A03", "--public-key", self.db)
        self.assertEqual(r.returncode, 3, r.stderr)

        # The PC at A02 as filed, running a renamed remote-control tool.
        self.pc_as("A02")
        first = self.report(key, "first")
        findings_before = self.count("SELECT count(*) FROM lan_finding WHERE source = 'agent'")
        r = self.station("import", first, "--period", PERIOD)
        self.assertEqual(r.returncode, 1, r.stderr)  # findings present
        doc = json.loads(r.stdout)
        jsonschema.validate(doc, self.schema)
        self.assertEqual(doc["seat"], "A02")
        remote = [f for f in doc["findings"] if f["kind"] == "remote_control"]
        self.assertIn("sunlogin", {f["app"] for f in remote}, doc)
        self.assertTrue(all(f["seat"] == "A02" and f["mac"] == self.filed["A02"][0]
                            for f in remote), remote)
        self.assertNotIn("mac_ip_mismatch", {f["kind"] for f in doc["findings"]})
        self.assertNotIn("unregistered_device", {f["kind"] for f in doc["findings"]})
        self.assertEqual(self.count("SELECT count(*) FROM lan_finding WHERE source = 'agent'"),
                         findings_before + len(doc["findings"]))

        # The same file again is a replay: refused, on record, nothing stored.
        refused_before = self.count("SELECT count(*) FROM event_log WHERE kind = 'agent.import_refused'")
        r = self.station("import", first, "--period", PERIOD)
        self.assertEqual(r.returncode, 1)
        self.assertIn("replay", json.loads(r.stdout)["error"]["detail"].lower())
        # An altered report (a detection removed) fails its signature.
        with open(first, encoding="utf-8") as f:
            envelope = json.load(f)
        envelope["report"]["detections"] = []
        envelope["report"]["nonce"] = "0" * 32
        altered = os.path.join(self.dir, "altered.json")
        with open(altered, "w", encoding="utf-8") as f:
            json.dump(envelope, f)
        r = self.station("import", altered, "--period", PERIOD)
        self.assertEqual((r.returncode, json.loads(r.stdout)["error"]["code"]), (1, "invalid"))
        # A report signed by a key no seat is enrolled with.
        stranger_key, _ = self.keypair("stranger")
        r = self.station("import", self.report(stranger_key, "stranger"), "--period", PERIOD)
        self.assertEqual((r.returncode, json.loads(r.stdout)["error"]["code"]), (1, "invalid"))
        self.assertIn("enroll", json.loads(r.stdout)["error"]["detail"])
        self.assertEqual(self.count("SELECT count(*) FROM event_log WHERE kind = 'agent.import_refused'"),
                         refused_before + 3)
        self.assertEqual(self.count("SELECT count(*) FROM lan_finding WHERE source = 'agent'"),
                         findings_before + len(doc["findings"]))
        # Not JSON at all: unreadable input, exit 3.
        junk = os.path.join(self.dir, "junk.json")
        with open(junk, "wb") as f:
            f.write(b"\x00{not json")
        r = self.station("import", junk, "--period", PERIOD)
        self.assertEqual(r.returncode, 3, r.stdout)

        # A02's key on a PC with A03's MAC: the machine was swapped.
        self.pc_as("A03")
        r = self.station("import", self.report(key, "swapped"), "--period", PERIOD)
        self.assertEqual(r.returncode, 1, r.stderr)
        mismatch = [f for f in json.loads(r.stdout)["findings"] if f["kind"] == "mac_ip_mismatch"]
        self.assertEqual(len(mismatch), 1, r.stdout)
        self.assertIn("A02", mismatch[0]["evidence"])
        # A02's MAC with another address than filed.
        self.pc_as("A02", ip="10.20.1.250")
        r = self.station("import", self.report(key, "readdressed"), "--period", PERIOD)
        mismatch = [f for f in json.loads(r.stdout)["findings"] if f["kind"] == "mac_ip_mismatch"]
        self.assertEqual([f["ip"] for f in mismatch], ["10.20.1.250"], r.stdout)

        r = run(EXAMGUARD, "--db", self.db, "log", "verify")
        self.assertEqual(r.returncode, 0, r.stderr)


if __name__ == "__main__":
    unittest.main(argv=sys.argv[:1], verbosity=2)
